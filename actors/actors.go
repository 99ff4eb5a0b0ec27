package actors

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sim"
)

// Messages.
type (
	tick   struct{ t uint32 }
	finish struct{}
	batch  struct { // to a router
		t   uint32
		hop sim.Hop
	}
	deliver struct { // to a core
		t    uint32
		pkts []packets.Packet
	}
	// Reports to the machine actor.
	ticked   struct{ created int }
	switched struct{ created int }
	consumed struct{}
	done     struct{}
	failed   struct{ err error }
)

// Driver runs the machine as actors. Workers is the size of the goroutine
// pool (default GOMAXPROCS); Logger receives protoactor's own log (default:
// warnings and errors are dropped).
type Driver struct {
	Workers int
	Logger  *slog.Logger
}

var _ sim.Driver = Driver{}

// Run implements sim.Driver.
func (d Driver) Run(ctx context.Context, m *mapping.Mapped, progress func(t uint32)) error {
	workers := d.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	logger := d.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	pool := NewPool(workers, 300)
	defer pool.Close()
	system := actor.NewActorSystemWithConfig(actor.Configure(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return logger })))
	defer system.Shutdown()

	result := make(chan error, 1)
	ma := &machineActor{m: m, f: sim.NewFabric(m), pool: pool, progress: progress, result: result, stop: ctx}
	system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return ma },
		actor.WithDispatcher(pool), actor.WithSupervisor(stopAll)))
	return <-result
}

// stopAll stops a failing actor instead of restarting it: a panic is a
// broken invariant, and the machine actor reports it.
var stopAll = actor.NewOneForOneStrategy(0, 0, func(any) actor.Directive { return actor.StopDirective })

// guard turns a panic into a failure report.
func guard(ctx actor.Context, parent *actor.PID, what string) {
	if r := recover(); r != nil {
		ctx.Send(parent, failed{fmt.Errorf("%s: %v", what, r)})
	}
}

// machineActor owns the core and router actors and keeps the clock.
type machineActor struct {
	m        *mapping.Mapped
	f        *sim.Fabric
	pool     *Pool
	progress func(uint32)
	result   chan error
	stop     context.Context // checked at every tick boundary
	stopped  error           // the Interrupted error, once stop is done

	cores   []*actor.PID
	routers map[machine.XY]*actor.PID
	corePID map[*core.Core]*actor.PID

	t        uint32
	pending  int // cores that have not reported their tick
	inFlight int // batches created and not yet consumed
	finished int
	over     bool
}

func (a *machineActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		a.spawn(ctx)
		if a.m.Clock.Ticks == 0 || len(a.cores) == 0 {
			a.finish(ctx)
			return
		}
		if a.stopped = sim.Interrupt(a.stop, 0, a.m.Clock.Ticks); a.stopped != nil {
			a.finish(ctx)
			return
		}
		a.startTick(ctx, 0)
	case ticked:
		a.pending--
		a.inFlight += msg.created
		a.check(ctx)
	case switched:
		a.inFlight += msg.created - 1
		a.check(ctx)
	case consumed:
		a.inFlight--
		a.check(ctx)
	case done:
		a.finished++
		if a.finished == len(a.cores) {
			a.end(a.stopped)
		}
	case failed:
		a.end(msg.err)
	}
}

func (a *machineActor) end(err error) {
	if !a.over {
		a.over = true
		a.result <- err
	}
}

func (a *machineActor) spawn(ctx actor.Context) {
	self := ctx.Self()
	props := func(act actor.Actor) *actor.Props {
		return actor.PropsFromProducer(func() actor.Actor { return act }, actor.WithDispatcher(a.pool))
	}
	a.routers = map[machine.XY]*actor.PID{}
	for _, r := range a.m.Routers {
		a.routers[r.Chip] = ctx.Spawn(props(&routerActor{chip: r.Chip, f: a.f, parent: self, a: a}))
	}
	a.corePID = map[*core.Core]*actor.PID{}
	for _, c := range a.m.Cores {
		pid := ctx.Spawn(props(&coreActor{c: c, router: a.routers[c.Chip], parent: self}))
		a.cores = append(a.cores, pid)
		a.corePID[c] = pid
	}
}

func (a *machineActor) startTick(ctx actor.Context, t uint32) {
	a.t, a.pending = t, len(a.cores)
	for _, pid := range a.cores {
		ctx.Send(pid, tick{t})
	}
}

func (a *machineActor) check(ctx actor.Context) {
	if a.pending > 0 || a.inFlight > 0 || a.over {
		return
	}
	if a.progress != nil {
		a.progress(a.t)
	}
	if a.t+1 < a.m.Clock.Ticks {
		if a.stopped = sim.Interrupt(a.stop, a.t+1, a.m.Clock.Ticks); a.stopped == nil {
			a.startTick(ctx, a.t+1)
			return
		}
	}
	a.finish(ctx)
}

func (a *machineActor) finish(ctx actor.Context) {
	if len(a.cores) == 0 {
		a.end(nil)
		return
	}
	for _, pid := range a.cores {
		ctx.Send(pid, finish{})
	}
}

// coreActor drives one core.
type coreActor struct {
	c      *core.Core
	router *actor.PID
	parent *actor.PID
	buf    []packets.Packet
}

func (a *coreActor) Receive(ctx actor.Context) {
	defer guard(ctx, a.parent, a.c.Label)
	switch msg := ctx.Message().(type) {
	case tick:
		a.buf = a.c.Tick(msg.t, a.buf[:0])
		if len(a.buf) == 0 {
			ctx.Send(a.parent, ticked{0})
			return
		}
		ctx.Send(a.parent, ticked{1})
		ctx.Send(a.router, batch{msg.t, sim.Hop{Chip: a.c.Chip, From: router.FromLocal, Pkts: a.buf}})
	case deliver:
		a.c.Deliver(msg.t, msg.pkts)
		ctx.Send(a.parent, consumed{})
	case finish:
		a.c.Finish()
		ctx.Send(a.parent, done{})
	}
}

// routerActor drives one chip's router.
type routerActor struct {
	chip   machine.XY
	f      *sim.Fabric
	parent *actor.PID
	a      *machineActor // read-only after spawn: the PIDs of neighbours and cores

	links []sim.Hop
	cores []*core.Core
	pkts  [][]packets.Packet
}

func (r *routerActor) Receive(ctx actor.Context) {
	defer guard(ctx, r.parent, "router "+r.chip.String())
	msg, ok := ctx.Message().(batch)
	if !ok {
		return
	}
	r.links, r.cores, r.pkts = r.links[:0], r.cores[:0], r.pkts[:0]
	r.f.Switch(msg.hop, func(h sim.Hop) { r.links = append(r.links, h) },
		func(c *core.Core, ps []packets.Packet) { r.cores = append(r.cores, c); r.pkts = append(r.pkts, ps) })
	ctx.Send(r.parent, switched{len(r.links) + len(r.cores)})
	for _, h := range r.links {
		ctx.Send(r.a.routers[h.Chip], batch{msg.t, h})
	}
	for i, c := range r.cores {
		ctx.Send(r.a.corePID[c], deliver{msg.t, r.pkts[i]})
	}
}
