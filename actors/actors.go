package actors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sdram"
	"github.com/spinnsim/spinnsim/sim"
)

// Messages. Every one is a value that could cross a wire: actors address
// each other by (chip, core) through the directory, never by pointer.
type (
	tick    struct{ t uint32 } // to a core: run the timer tick of t
	endTick struct{ t uint32 } // to a core that ends its ticks
	finish  struct{}           // to a core: process the last tick's packets
	batch   struct {           // to a router: packets arriving
		t   uint32
		hop sim.Hop
	}
	deliver struct { // to a core: packets that reached it in tick t
		t    uint32
		pkts []packets.Packet
	}
	dma struct { // to a chip's SDRAM: a transfer of core p
		p  int
		tr sdram.Transfer
	}
	dmaDone struct { // to a core: its transfer completed
		tr  sdram.Transfer
		err string
	}
	// Reports to the machine actor. An actor that handled a unit of work
	// (a tick, a batch, a delivery, a completed transfer) and started k
	// new units reports k − 1, before it starts them, so the count of
	// units in flight never reaches 0 while work remains.
	progress struct {
		delta int
		core  int // index of the core that ran its tick or end of tick; −1 otherwise
	}
	done   struct{}
	failed struct{ err error }
)

// Driver runs the machine as actors: one per core, one per router and one
// per chip's SDRAM, driven by a machine actor that keeps the clock. Workers
// is the size of the goroutine pool (default GOMAXPROCS); Logger receives
// protoactor's own log (default: dropped). Watchdog is how long a tick may
// go without any progress before the run fails, naming what the tick waits
// for (default DefaultWatchdog; negative: never).
type Driver struct {
	Workers  int
	Logger   *slog.Logger
	Watchdog time.Duration
}

// DefaultWatchdog is the default time a tick may make no progress.
const DefaultWatchdog = time.Minute

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
	pool := NewPool(workers, 300)
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
	ma := &machineActor{m: m, f: sim.NewFabric(m), pool: pool, progress: progressFn, result: result, ctx: ctx}
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return ma },
		actor.WithDispatcher(pool), actor.WithSupervisor(stopAll)))
	watchdog := d.Watchdog
	if watchdog == 0 {
		watchdog = DefaultWatchdog
	}
	if watchdog < 0 {
		return <-result
	}
	// The watchdog asks the machine actor, at intervals, whether the
	// current tick has moved since it last asked.
	tk := time.NewTicker(watchdog)
	defer tk.Stop()
	for {
		select {
		case err := <-result:
			stuck = ma.watchdogFired.Load()
			return err
		case <-tk.C:
			system.Root.Send(pid, watchdogCheck{})
		}
	}
}

// watchdogCheck asks the machine actor whether its tick has progressed.
type watchdogCheck struct{}

// stopAll stops a failing actor instead of restarting it: a panic is a
// broken invariant, and the machine actor reports it.
var stopAll = actor.NewOneForOneStrategy(0, 0, func(any) actor.Directive { return actor.StopDirective })

// guard turns a panic into a failure report, naming where it happened.
func guard(ctx actor.Context, parent *actor.PID, where func() string) {
	if r := recover(); r != nil {
		ctx.Send(parent, failed{fmt.Errorf("%s: panic: %v", where(), r)})
	}
}

// directory maps (chip, core) addresses to actors. It is filled before any
// message is sent and only read afterwards.
type directory struct {
	chip    map[machine.XY]int // chip → index
	routers []*actor.PID
	memory  []*actor.PID
	cores   [][machine.CoresPerChip]*actor.PID
}

func (d *directory) router(c machine.XY) *actor.PID { return d.routers[d.chip[c]] }
func (d *directory) sdram(c machine.XY) *actor.PID  { return d.memory[d.chip[c]] }
func (d *directory) core(c machine.XY, p int) *actor.PID {
	return d.cores[d.chip[c]][p]
}

// machineActor spawns the others and keeps the clock: tick t goes to every
// core; when all its work is done, the end of tick t goes to the cores that
// end their ticks; when that is done too, tick t+1 starts.
type machineActor struct {
	m        *mapping.Mapped
	f        *sim.Fabric
	pool     *Pool
	progress func(uint32)
	result   chan error
	ctx      context.Context

	dir      *directory
	cores    []*actor.PID
	enderIdx []int // indices in cores of the cores that end their ticks

	t        uint32
	ending   bool // the end-of-tick phase of t is running
	inFlight int  // units of work sent and not yet reported done
	finished int
	over     bool
	stopped  error // the interruption, reported once the cores have finished

	// For the watchdog: reports since it last looked, and which cores have
	// not yet run the current phase.
	reports uint64
	seen    uint64
	waiting map[int]bool // core index → not yet reported its tick
	// watchdogFired is read by Run's goroutine.
	watchdogFired atomic.Bool
}

func (a *machineActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		a.spawn(ctx)
		if err := sim.Interrupt(a.ctx, 0, a.m.Clock.Ticks); err != nil {
			a.stopped = err
			a.finish(ctx)
			return
		}
		if a.m.Clock.Ticks == 0 || len(a.cores) == 0 {
			a.finish(ctx)
			return
		}
		a.startTick(ctx, 0)
	case progress:
		a.inFlight += msg.delta
		a.reports++
		if msg.core >= 0 {
			delete(a.waiting, msg.core)
		}
		a.check(ctx)
	case watchdogCheck:
		if a.reports == a.seen && !a.over {
			a.watchdogFired.Store(true)
			a.end(a.stuck())
		}
		a.seen = a.reports
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
	d := &directory{chip: map[machine.XY]int{}}
	for i, r := range a.m.Routers {
		d.chip[r.Chip] = i
	}
	d.cores = make([][machine.CoresPerChip]*actor.PID, len(a.m.Routers))
	for _, r := range a.m.Routers {
		d.routers = append(d.routers, ctx.Spawn(props(&routerActor{chip: r.Chip, f: a.f, parent: self, dir: d})))
		d.memory = append(d.memory, ctx.Spawn(props(&sdramActor{mem: a.m.Memory(r.Chip), parent: self, dir: d})))
	}
	for i, c := range a.m.Cores {
		pid := ctx.Spawn(props(&coreActor{c: c, idx: i, parent: self, dir: d}))
		d.cores[d.chip[c.Chip]][c.P] = pid
		a.cores = append(a.cores, pid)
		if c.EndsTicks() {
			a.enderIdx = append(a.enderIdx, i)
		}
	}
	a.dir = d
}

func (a *machineActor) startTick(ctx actor.Context, t uint32) {
	a.t, a.ending, a.inFlight = t, false, len(a.cores)
	a.waiting = make(map[int]bool, len(a.cores))
	for i, pid := range a.cores {
		a.waiting[i] = true
		ctx.Send(pid, tick{t})
	}
}

// stuck describes what a tick that stopped making progress waits for.
func (a *machineActor) stuck() error {
	phase := "tick"
	if a.ending {
		phase = "end of tick"
	}
	var names []string
	for i, c := range a.m.Cores {
		if a.waiting[i] && len(names) < 8 {
			names = append(names, fmt.Sprintf("core (%d, %d, %d) %s [%s]", c.Chip.X, c.Chip.Y, c.P, c.Label, c.App.Name()))
		}
	}
	what := fmt.Sprintf("%d unit(s) of work (packet batches, deliveries or DMA transfers) still in flight", a.inFlight)
	if len(a.waiting) > 0 {
		what = fmt.Sprintf("%d core(s) that have not finished it: %s", len(a.waiting), strings.Join(names, ", "))
	}
	return fmt.Errorf("watchdog: %s %d of %d made no progress; waiting for %s", phase, a.t, a.m.Clock.Ticks, what)
}

func (a *machineActor) check(ctx actor.Context) {
	if a.inFlight > 0 || a.over {
		return
	}
	if !a.ending && len(a.enderIdx) > 0 {
		a.ending, a.inFlight = true, len(a.enderIdx)
		for _, i := range a.enderIdx {
			a.waiting[i] = true
			ctx.Send(a.cores[i], endTick{a.t})
		}
		return
	}
	if a.progress != nil {
		a.progress(a.t)
	}
	if a.t+1 < a.m.Clock.Ticks {
		if err := sim.Interrupt(a.ctx, a.t+1, a.m.Clock.Ticks); err != nil {
			a.stopped = err // the cores finish their last tick first
			a.finish(ctx)
			return
		}
		a.startTick(ctx, a.t+1)
		return
	}
	a.finish(ctx)
}

func (a *machineActor) finish(ctx actor.Context) {
	if len(a.cores) == 0 {
		a.end(a.stopped)
		return
	}
	for _, pid := range a.cores {
		ctx.Send(pid, finish{})
	}
}

// coreActor drives one core.
type coreActor struct {
	c      *core.Core
	idx    int
	parent *actor.PID
	dir    *directory
	t      uint32
}

// where names the core, its application and its tick, for errors.
func (a *coreActor) where() string {
	return fmt.Sprintf("core (%d, %d, %d) %s running %s, tick %d", a.c.Chip.X, a.c.Chip.Y, a.c.P, a.c.Label, a.c.App.Name(), a.t)
}

func (a *coreActor) Receive(ctx actor.Context) {
	defer guard(ctx, a.parent, a.where)
	switch msg := ctx.Message().(type) {
	case tick:
		a.t = msg.t
		a.send(ctx, a.c.Tick(msg.t), a.idx)
	case endTick:
		a.send(ctx, a.c.EndTick(msg.t), a.idx)
	case deliver:
		a.c.Deliver(msg.t, msg.pkts)
		ctx.Send(a.parent, progress{-1, -1})
	case dmaDone:
		if msg.err != "" {
			ctx.Send(a.parent, failed{errors.New(msg.err)})
			return
		}
		r, err := a.c.DMADone(&msg.tr)
		if err != nil {
			ctx.Send(a.parent, failed{err})
			return
		}
		a.send(ctx, r, -1)
	case finish:
		a.c.Finish()
		ctx.Send(a.parent, done{})
	}
}

// send reports the unit of work done and the ones started, then starts them:
// the packets to the chip's router, the transfers to its SDRAM.
func (a *coreActor) send(ctx actor.Context, r core.Ready, idx int) {
	k := len(r.Transfers)
	if len(r.Packets) > 0 {
		k++
	}
	ctx.Send(a.parent, progress{k - 1, idx})
	if len(r.Packets) > 0 {
		pkts := append([]packets.Packet(nil), r.Packets...)
		ctx.Send(a.dir.router(a.c.Chip), batch{a.t, sim.Hop{Chip: a.c.Chip, From: router.FromLocal, T: a.t, Pkts: pkts}})
	}
	for _, tr := range r.Transfers {
		ctx.Send(a.dir.sdram(a.c.Chip), dma{p: a.c.P, tr: tr})
	}
}

// sdramActor serves one chip's SDRAM: each transfer is done in the order it
// arrives and completes as a message back to its core.
type sdramActor struct {
	mem    *sdram.Memory
	parent *actor.PID
	dir    *directory
}

func (s *sdramActor) Receive(ctx actor.Context) {
	defer guard(ctx, s.parent, func() string { return "SDRAM of chip " + s.mem.Chip.String() })
	msg, ok := ctx.Message().(dma)
	if !ok {
		return
	}
	var e string
	if err := s.mem.Do(msg.p, &msg.tr); err != nil {
		e = err.Error()
	}
	// One unit done (the request), one started (its completion): no report.
	ctx.Send(s.dir.core(s.mem.Chip, msg.p), dmaDone{tr: msg.tr, err: e})
}

// msg0 is the tick of the batch a router is handling.
func msg0(ctx actor.Context) uint32 {
	if b, ok := ctx.Message().(batch); ok {
		return b.t
	}
	return 0
}

// routerActor drives one chip's router.
type routerActor struct {
	chip   machine.XY
	f      *sim.Fabric
	parent *actor.PID
	dir    *directory

	links []sim.Hop
	to    []int
	pkts  [][]packets.Packet
}

func (r *routerActor) Receive(ctx actor.Context) {
	defer guard(ctx, r.parent, func() string { return fmt.Sprintf("router of chip %v, tick %d", r.chip, msg0(ctx)) })
	msg, ok := ctx.Message().(batch)
	if !ok {
		return
	}
	r.links, r.to, r.pkts = r.links[:0], r.to[:0], r.pkts[:0]
	err := r.f.Switch(msg.hop, func(h sim.Hop) { r.links = append(r.links, h) },
		func(_ machine.XY, p int, ps []packets.Packet) error {
			r.to, r.pkts = append(r.to, p), append(r.pkts, ps)
			return nil
		})
	if err != nil {
		ctx.Send(r.parent, failed{err})
		return
	}
	ctx.Send(r.parent, progress{len(r.links) + len(r.to) - 1, -1})
	for _, h := range r.links {
		ctx.Send(r.dir.router(h.Chip), batch{msg.t, h})
	}
	for i, p := range r.to {
		ctx.Send(r.dir.core(r.chip, p), deliver{msg.t, r.pkts[i]})
	}
}
