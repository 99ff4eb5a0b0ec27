package actors

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sdram"
	"github.com/spinnsim/spinnsim/sim"
)

// Messages. Each is a value addressed to an actor by (chip, core) through
// the directory, never by pointer to the actor. A message that carries data
// carries it as one pointer to a payload its sender owns and does not touch
// again until the payload has been consumed (two phases later, or, for a
// transfer, until it comes back), so that boxing a message into protoactor's
// interface does not allocate.
type (
	// phaseMsg, machine → router: start phase *p on the chip's cores.
	phaseMsg struct{ p *phase }
	// commandMsg, router → core: run a tick, end a tick or finish, with
	// the packets that reached the core since its last command, and the
	// outbox the core puts the packets it sends in.
	commandMsg struct{ c *command }
	// chipDone, core → its router: the last of the chip's cores has
	// finished the work the router gave them (see chipCount), and their
	// outboxes are the router's again.
	chipDone struct{}
	// batchMsg, router → neighbouring router: packets arriving over a link.
	batchMsg struct{ h *hop }
	// dmaMsg, core → the chip's SDRAM: serve this transfer; dmaDone is
	// the same transfer coming back, done.
	dmaMsg  struct{ s *dmaSlot }
	dmaDone struct{ s *dmaSlot }
	// phaseDone, router → machine: the machine's count of work in the
	// phase reached zero.
	phaseDone struct{}
	// failed, any → machine: the run cannot go on.
	failed struct{ err error }
)

// phaseKind is what a phase or a command asks for.
type phaseKind int32

const (
	idle      phaseKind = iota // no command outstanding (a core's state)
	runTick                    // the timer tick of t (after the packets of t−1)
	endTick                    // the end of tick t (split synapse cores)
	finishRun                  // the packets of the last tick t, then stop
)

// phase is a phase of the run: tick t, or the finish after tick t−1
// (t is then the number of ticks that ran).
type phase struct {
	kind phaseKind
	t    uint32
}

// command is a router's order to one of its cores, with the packets that
// reached the core for it to take first (for runTick those of tick t−1, for
// endTick and finishRun those of tick t: finishRun, the last tick) and the
// router's outbox for the core, which the core fills with the packets it
// sends and hands back by counting itself off its chip.
type command struct {
	kind phaseKind
	t    uint32
	pkts []packets.Packet
	out  *outbox
}

// outbox is the packets a core sent in a step of a phase.
type outbox struct{ pkts []packets.Packet }

// hop is a batch of packets of tick t arriving at the router of chip to
// over link from.
type hop struct {
	t        uint32
	from, to int
	pkts     []packets.Packet
}

// dmaSlot is a transfer of core p on its way to SDRAM and back.
type dmaSlot struct {
	p   int
	tr  sdram.Transfer
	err error
}

// Driver runs the machine as actors: one per core, one per chip's router
// and one per chip's SDRAM, driven by a machine actor that keeps the clock.
// Workers is the size of the goroutine pool (default GOMAXPROCS); Logger
// receives protoactor's own log (default: dropped). Watchdog is how long a
// tick may go without any progress before the run fails, naming what the
// tick waits for (default DefaultWatchdog; negative: never).
type Driver struct {
	Workers  int
	Logger   *slog.Logger
	Watchdog time.Duration
}

// DefaultWatchdog is the default time a tick may make no progress.
const DefaultWatchdog = time.Minute

// throughput is how many messages a mailbox handles before it yields its
// worker.
const throughput = 300

var _ sim.Driver = Driver{}

// Run implements sim.Driver.
func (d Driver) Run(ctx context.Context, m *mapping.Mapped, progressFn func(t uint32)) error {
	workers := d.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	logger := d.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	pool := NewPool(workers, throughput)
	stuck := false
	defer func() {
		if stuck {
			pool.Stop() // a worker may never come back
		} else {
			pool.Close()
		}
	}()
	system := actor.NewActorSystemWithConfig(actor.Configure(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return logger })))
	defer system.Shutdown()

	result := make(chan error, 1)
	ma := &machineActor{m: m, f: sim.NewFabric(m), pool: pool, progress: progressFn, result: result, ctx: ctx,
		spawned: make(chan struct{})}
	system.Root.Spawn(ma.props(0, func() actor.Actor { return ma }, actor.WithSupervisor(stopAll)))
	watchdog := d.Watchdog
	if watchdog == 0 {
		watchdog = DefaultWatchdog
	}
	if watchdog < 0 {
		return <-result
	}
	// The watchdog looks, at intervals, whether anything has moved since
	// it last looked: the machine's phase and the routers' messages.
	tk := time.NewTicker(watchdog)
	defer tk.Stop()
	select { // the actors are there to look at
	case err := <-result:
		return err
	case <-ma.spawned:
	}
	var seen uint64
	for {
		select {
		case err := <-result:
			return err
		case <-tk.C:
			now := ma.moves()
			if now == seen {
				stuck = true
				return ma.stuck()
			}
			seen = now
		}
	}
}

// stopAll stops a failing actor instead of restarting it: a panic is a
// broken invariant, and the machine actor reports it.
var stopAll = actor.NewOneForOneStrategy(0, 0, func(any) actor.Directive { return actor.StopDirective })

// guard turns a panic into a failure report, naming where it happened.
func guard(ctx actor.Context, parent *actor.PID, where func() string) {
	if r := recover(); r != nil {
		ctx.Send(parent, failed{fmt.Errorf("%s: panic: %v", where(), r)})
	}
}

// machineActor spawns the others and keeps the clock. Phase t starts tick
// t on every chip that has cores; the phase is over when the count of work
// in it, kept by the routers (see routerActor), reaches zero. Then tick
// t+1 starts, or, after the last tick (or an interruption), the finish
// phase, in which the cores process the packets of the last tick.
type machineActor struct {
	m        *mapping.Mapped
	f        *sim.Fabric
	pool     *Pool
	progress func(uint32)
	result   chan error
	ctx      context.Context

	routers []*actor.PID // by chip index
	active  []int        // chips with cores
	chips   []*routerActor
	count   atomic.Int64 // work in the current phase: routers not done and batches in flight
	phases  [2]phase     // by the parity of the phase's number
	n       int          // number of the current phase
	cur     atomic.Pointer[phase]
	stopped error // the interruption, reported once the cores have finished
	over    bool
	spawned chan struct{} // closed once the other actors exist
}

// props makes the props of an actor of chip ci on the driver's mailboxes
// and pool: every actor of a chip on the same queue of the pool.
func (a *machineActor) props(ci int, producer func() actor.Actor, opts ...actor.PropsOption) *actor.Props {
	return actor.PropsFromProducer(producer, append(opts, actor.WithDispatcher(a.pool.Shard(ci)),
		actor.WithMailbox(newMailbox))...)
}

func (a *machineActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		a.spawn(ctx)
		a.next(ctx, 0)
	case phaseDone:
		p := a.cur.Load()
		if p.kind == finishRun {
			a.end(a.stopped)
			return
		}
		if a.progress != nil {
			a.progress(p.t)
		}
		a.next(ctx, p.t+1)
	case failed:
		a.end(msg.err)
	}
}

// next starts tick t, or the finish phase if t is the end or the run is
// interrupted.
func (a *machineActor) next(ctx actor.Context, t uint32) {
	kind := runTick
	if t >= a.m.Clock.Ticks {
		kind = finishRun
	} else if err := sim.Interrupt(a.ctx, t, a.m.Clock.Ticks); err != nil {
		a.stopped = err // the cores finish their last tick first
		kind = finishRun
	}
	if len(a.active) == 0 {
		a.end(a.stopped)
		return
	}
	p := &a.phases[a.n&1]
	a.n++
	*p = phase{kind: kind, t: t}
	a.cur.Store(p)
	a.count.Store(int64(len(a.active)))
	for _, ci := range a.active {
		ctx.Send(a.routers[ci], phaseMsg{p})
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
	nChips := a.f.Chips()
	shared := &shared{f: a.f, machine: self, count: &a.count, routers: make([]*actor.PID, nChips),
		memory: make([]*actor.PID, nChips), cores: make([][machine.CoresPerChip]*actor.PID, nChips)}
	var routers []*routerActor
	for ci := range nChips {
		r := newRouterActor(shared, ci)
		routers = append(routers, r)
		shared.routers[ci] = ctx.Spawn(a.props(ci, func() actor.Actor { return r }))
		mem := &sdramActor{s: shared, ci: ci, mem: a.f.Memory(ci)}
		shared.memory[ci] = ctx.Spawn(a.props(ci, func() actor.Actor { return mem }))
		if a.f.Cores(ci) > 0 {
			a.active = append(a.active, ci)
		}
	}
	for _, c := range a.m.Cores {
		ci, _ := a.f.Index(c.Chip)
		ca := &coreActor{s: shared, c: c, ci: ci, chip: &routers[ci].chip}
		shared.cores[ci][c.P] = ctx.Spawn(a.props(ci, func() actor.Actor { return ca }))
		routers[ci].addCore(ca)
	}
	a.routers, a.chips = shared.routers, routers
	close(a.spawned)
}

// moves is a number that changes whenever the run makes progress: the
// phases started and the messages the routers have handled (a router hears
// from its chip whenever its cores finish).
func (a *machineActor) moves() uint64 {
	n := uint64(a.phaseNumber())
	for _, r := range a.chips {
		n += r.moves.Load()
	}
	return n
}

func (a *machineActor) phaseNumber() int {
	p := a.cur.Load()
	if p == nil {
		return 0
	}
	return int(p.t)*3 + int(p.kind)
}

// stuck describes what a phase that stopped making progress waits for.
func (a *machineActor) stuck() error {
	p := a.cur.Load()
	if p == nil {
		return fmt.Errorf("watchdog: the run made no progress before its first tick")
	}
	var names []string
	waiting, ending := 0, 0
	for _, r := range a.chips {
		busy := r.chip.busy.Load()
		if busy == 0 {
			continue
		}
		step := phaseKind(r.chip.step.Load())
		for _, lc := range r.local {
			if busy&lc.bit == 0 {
				continue
			}
			waiting++
			if step == endTick {
				ending++
			}
			if c := lc.a.c; len(names) < 8 {
				names = append(names, fmt.Sprintf("core (%d, %d, %d) %s [%s]", c.Chip.X, c.Chip.Y, c.P, c.Label, c.App.Name()))
			}
		}
	}
	what, t := "tick", p.t
	switch {
	case p.kind == finishRun:
		what = "finish after tick"
	case waiting > 0 && ending == waiting && t > 0:
		what, t = "end of tick", t-1
	}
	detail := fmt.Sprintf("%d unit(s) of work (routers and packet batches) still in flight", a.count.Load())
	if waiting > 0 {
		detail = fmt.Sprintf("%d core(s) that have not finished it: %s", waiting, strings.Join(names, ", "))
	}
	return fmt.Errorf("watchdog: %s %d of %d made no progress; waiting for %s", what, t, a.m.Clock.Ticks, detail)
}

// shared is what every actor of a run may read: the fabric, the actors'
// addresses by (chip, core), and the machine's count of work in the
// current phase (the one piece of state they all update, atomically).
type shared struct {
	f       *sim.Fabric
	machine *actor.PID
	count   *atomic.Int64
	routers []*actor.PID
	memory  []*actor.PID
	cores   [][machine.CoresPerChip]*actor.PID
}

// release takes n units of work off the machine's count (n > 0) and tells
// the machine when none is left.
func (s *shared) release(ctx actor.Context, n int64) {
	if s.count.Add(-n) == 0 {
		ctx.Send(s.machine, phaseDone{})
	}
}
