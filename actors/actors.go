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
// again until the payload has been consumed (a command's, by the next
// command; a batch's, by the end of its phase; a transfer's, when it comes
// back), so that boxing a message into protoactor's
// interface does not allocate.
type (
	// phaseMsg, machine → router: start phase *p on the chip's cores.
	phaseMsg struct{ p *phase }
	// commandMsg, router → core: run a tick or a window of ticks, end a
	// tick or finish, with the packets that reached the core (or, for a
	// window, its inbox), and the outbox the core puts the packets it
	// sends in.
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
	runTick                    // the timer tick of t (after the packets of t−1), on a lockstep stage
	endTick                    // the end of tick t (split synapse cores)
	finishRun                  // the packets of the last tick t, then stop
	runSpan                    // the timer ticks t … t+n−1, each after the packets of the tick before
)

// phase is a phase of the run: tick t of a lockstep stage, ticks
// [t, t+n) of a stage that runs ahead, or the finish after tick t−1 (t is
// then the number of ticks that ran). seq numbers the phases.
type phase struct {
	kind  phaseKind
	t, n  uint32
	stage int
	seq   uint64
}

// command is a router's order to one of its cores, with the packets that
// reached the core for it to take first (runTick: those of tick t−1;
// endTick and finishRun: those of tick t, for finishRun the last tick; a
// span takes those of each tick before the one it runs from in) and the
// router's outbox for the core, which the core fills with the packets it
// sends and hands back by counting itself off its chip.
type command struct {
	kind phaseKind
	t, n uint32
	pkts []packets.Packet
	in   *inbox
	out  *outbox
}

// outbox is the packets a core sent in a step of a phase, tick by tick:
// ticks[k] were sent in tick ticks[k] and end at ends[k].
type outbox struct {
	pkts  []packets.Packet
	ticks []uint32
	ends  []int
}

func (o *outbox) reset() { o.pkts, o.ticks, o.ends = o.pkts[:0], o.ticks[:0], o.ends[:0] }

// add appends packets sent in tick t.
func (o *outbox) add(t uint32, pkts []packets.Packet) {
	if len(pkts) == 0 {
		return
	}
	o.pkts = append(o.pkts, pkts...)
	if k := len(o.ticks) - 1; k >= 0 && o.ticks[k] == t {
		o.ends[k] = len(o.pkts)
		return
	}
	o.ticks = append(o.ticks, t)
	o.ends = append(o.ends, len(o.pkts))
}

// hop is a batch of packets of tick t arriving at the router of chip to
// over link from, sent in phase seq.
type hop struct {
	t        uint32
	seq      uint64
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
// phase (a tick, or a window of ticks that cores run in one command) may go
// without any progress before the run fails, naming what the phase waits
// for (default DefaultWatchdog; negative: never).
type Driver struct {
	Workers  int
	Logger   *slog.Logger
	Watchdog time.Duration
}

// DefaultWatchdog is the default time a phase may make no progress.
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

// planOf orders the cores into stages (a variable so that a test can give
// a plan that misses a dependency).
var planOf = sim.Plan

// stopAll stops a failing actor instead of restarting it: a panic is a
// broken invariant, and the machine actor reports it.
var stopAll = actor.NewOneForOneStrategy(0, 0, func(any) actor.Directive { return actor.StopDirective })

// guard turns a panic into a failure report, naming where it happened.
func guard(ctx actor.Context, parent *actor.PID, where func() string) {
	if r := recover(); r != nil {
		ctx.Send(parent, failed{fmt.Errorf("%s: panic: %v", where(), r)})
	}
}

// machineActor spawns the others and keeps the clock. It runs the machine
// in windows of sim.MaxRunAhead ticks, and each window stage by stage, in
// the order of the plan (sim.Plan): a stage that runs ahead in one phase,
// a lockstep stage in a phase per tick. A phase is over when the count of
// work in it, kept by the routers (see routerActor), reaches zero. After
// the window's last phase it calls the progress callback for each of the
// window's ticks; then the next window starts, or, after the last (or an
// interruption, which it looks for between windows), the finish phase, in
// which the cores process the packets of the last tick.
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
	stages  [][]int      // the chips with cores in each stage
	lock    []bool       // whether each stage is lockstep
	count   atomic.Int64 // work in the current phase: routers not done and batches in flight
	phases  [2]phase     // by the parity of the phase's number
	n       uint64       // number of the current phase
	cur     atomic.Pointer[phase]
	t0, t1  uint32 // the window
	stopped error  // the interruption, reported once the cores have finished
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
		a.window(ctx, 0)
	case phaseDone:
		p := a.cur.Load()
		switch {
		case p.kind == finishRun:
			a.end(a.stopped)
		case p.kind == runTick && p.t+1 < a.t1:
			a.start(ctx, phase{kind: runTick, t: p.t + 1, stage: p.stage}, a.stages[p.stage])
		case p.stage+1 < len(a.stages):
			a.stage(ctx, p.stage+1)
		default:
			if a.progress != nil {
				for t := a.t0; t < a.t1; t++ {
					a.progress(t)
				}
			}
			a.window(ctx, a.t1)
		}
	case failed:
		a.end(msg.err)
	}
}

// window starts the window of ticks from t0, or the finish phase if t0 is
// the end or the run is interrupted.
func (a *machineActor) window(ctx actor.Context, t0 uint32) {
	if len(a.active) == 0 {
		a.end(sim.Interrupt(a.ctx, t0, a.m.Clock.Ticks))
		return
	}
	if t0 < a.m.Clock.Ticks {
		a.stopped = sim.Interrupt(a.ctx, t0, a.m.Clock.Ticks) // the cores finish their last tick first
	}
	if t0 >= a.m.Clock.Ticks || a.stopped != nil {
		a.start(ctx, phase{kind: finishRun, t: t0}, a.active)
		return
	}
	a.t0, a.t1 = t0, min(t0+sim.MaxRunAhead, a.m.Clock.Ticks)
	a.stage(ctx, 0)
}

// stage starts stage s of the window.
func (a *machineActor) stage(ctx actor.Context, s int) {
	if a.lock[s] {
		a.start(ctx, phase{kind: runTick, t: a.t0, stage: s}, a.stages[s])
		return
	}
	a.start(ctx, phase{kind: runSpan, t: a.t0, n: a.t1 - a.t0, stage: s}, a.stages[s])
}

// start sends phase ph to the routers of chips.
func (a *machineActor) start(ctx actor.Context, ph phase, chips []int) {
	p := &a.phases[a.n&1]
	a.n++
	ph.seq = a.n
	*p = ph
	a.cur.Store(p)
	a.count.Store(int64(len(chips)))
	for _, ci := range chips {
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
	plan := planOf(a.m)
	stageOf := make([]int, len(a.m.Cores))
	a.stages, a.lock = make([][]int, len(plan)), make([]bool, len(plan))
	in := make([]int, nChips) // the last stage each chip was counted in, +1
	for s, st := range plan {
		a.lock[s] = st.Lockstep
		for _, i := range st.Cores {
			stageOf[i] = s
			ci, _ := a.f.Index(a.m.Cores[i].Chip)
			if in[ci] != s+1 {
				in[ci] = s + 1
				a.stages[s] = append(a.stages[s], ci)
			}
		}
	}
	var routers []*routerActor
	for ci := range nChips {
		r := newRouterActor(shared, ci, len(plan))
		routers = append(routers, r)
		shared.routers[ci] = ctx.Spawn(a.props(ci, func() actor.Actor { return r }))
		mem := &sdramActor{s: shared, ci: ci, mem: a.f.Memory(ci)}
		shared.memory[ci] = ctx.Spawn(a.props(ci, func() actor.Actor { return mem }))
		if a.f.Cores(ci) > 0 {
			a.active = append(a.active, ci)
		}
	}
	for i, c := range a.m.Cores {
		ci, _ := a.f.Index(c.Chip)
		ca := &coreActor{s: shared, c: c, ci: ci, chip: &routers[ci].chip}
		shared.cores[ci][c.P] = ctx.Spawn(a.props(ci, func() actor.Actor { return ca }))
		routers[ci].addCore(ca, stageOf[i])
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
	return int(p.seq)
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
	what, it := fmt.Sprintf("tick %d", p.t), "it"
	switch {
	case p.kind == finishRun:
		what = fmt.Sprintf("finish after tick %d", p.t)
	case p.kind == runSpan && p.n > 1:
		what, it = fmt.Sprintf("ticks %d to %d", p.t, p.t+p.n-1), "them"
	case waiting > 0 && ending == waiting && p.t > 0:
		what = fmt.Sprintf("end of tick %d", p.t-1)
	}
	detail := fmt.Sprintf("%d unit(s) of work (routers and packet batches) still in flight", a.count.Load())
	if waiting > 0 {
		detail = fmt.Sprintf("%d core(s) that have not finished %s: %s", waiting, it, strings.Join(names, ", "))
	}
	return fmt.Errorf("watchdog: %s of %d made no progress; waiting for %s", what, a.m.Clock.Ticks, detail)
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
