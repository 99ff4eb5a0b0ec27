package actors

import (
	"fmt"
	"math/bits"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sim"
)

// chipCount is a chip's record of its cores still busy with the commands
// its router gave them, one bit per core: the router sets the bits before
// it sends the commands, each core clears its own when it has finished (its
// DMA transfers included, its packets in the outbox the command brought),
// and the core that clears the last one tells the router. So the router
// hears once from its chip per step, not once per core, and then takes
// the outboxes back. The watchdog reads the bits to name the cores a stuck
// tick waits for.
type chipCount struct {
	busy atomic.Uint32
	step atomic.Int32 // the kind of the commands (watchdog)
}

// localCore is one core of a router's chip.
type localCore struct {
	p     int
	bit   uint32 // its bit in chipCount.busy
	ender bool
	a     *coreActor // for the watchdog, which names it
	cmds  [4]command // the last commands, in turn: one is read while the next is written
	next  int
	out   outbox // the core's while it runs a command
	in    inbox  // the packets that reached it, by tick
	// taken is one more than the last tick whose packets the core has
	// been given (0: none): a packet of an earlier tick arriving now
	// would be lost, which the plan of stages rules out.
	taken uint32
}

// inbox holds the packets that reached a core, for each of the last ticks
// (a ring by tick: a window of ticks and the one before it). The router
// writes an entry when packets of its tick arrive, and the core reads it
// when it runs the next tick; the plan of stages keeps the two apart, so
// that the core's reads and the router's writes never meet in one entry.
type inbox struct {
	slots [sim.MaxRunAhead + 1]struct {
		t     uint32
		valid bool
		pkts  []packets.Packet
	}
	most int // the most packets an entry has held
}

// of returns the packets of tick t.
func (b *inbox) of(t uint32) []packets.Packet {
	s := &b.slots[t%uint32(len(b.slots))]
	if !s.valid || s.t != t {
		return nil
	}
	return s.pkts
}

// add appends packets of tick t, taking the entry over from an older tick.
func (b *inbox) add(t uint32, pkts []packets.Packet) {
	s := &b.slots[t%uint32(len(b.slots))]
	if !s.valid || s.t != t {
		s.t, s.valid, s.pkts = t, true, s.pkts[:0]
	}
	if n := len(s.pkts) + len(pkts); n > cap(s.pkts) {
		// Grow to twice the most any entry has held, so that the entries reach
		// their size in one step each and a long run stops allocating.
		b.most = max(b.most, n)
		s.pkts = append(make([]packets.Packet, 0, 2*b.most), s.pkts...)
	}
	s.pkts = append(s.pkts, pkts...)
}

// routerActor drives one chip: its router, and the steps of every phase on
// its cores. In a phase it sends a command to each of its cores in the
// phase's stage (a lockstep stage's split synapse cores first end the
// previous tick) and waits for its chip's count to run out. It switches
// the packets its cores send and the batches its neighbours send as they
// come: packets for its own cores wait in their inboxes until a command
// takes them; packets for other chips go on as batches.
//
// The machine's count of work (shared.count) holds one unit for each
// router busy with its phase and one for each batch in flight. A router
// adds the batches it sends before it sends them, gives its own unit back
// when its cores are done, and a batch's unit when it has switched it, so
// the count reaches zero only when the phase is over everywhere, and
// whoever brings it there tells the machine.
type routerActor struct {
	s      *shared
	ci     int
	xy     machine.XY
	chip   chipCount
	local  []*localCore
	byP    [machine.CoresPerChip]*localCore
	stages [][]*localCore // the chip's cores of each stage of the plan
	enders []*localCore   // those of a step's cores that end their ticks

	cur   phase        // the phase it runs
	step  phaseKind    // what its cores are busy with (idle: nothing)
	cores []*localCore // the cores of the current step

	// moves counts the messages the router has handled (the watchdog's
	// measure of progress; the router alone writes it).
	moves atomic.Uint64

	sw      sim.Out
	batches []*hop // the batches to send, reused
	// hops are the batches sent in phase hopSeq, their packets in arena; a
	// phase's batches have all been switched before the next phase
	// starts, so they are reused from then on.
	hops   []*hop
	used   int
	arena  []packets.Packet
	hopSeq uint64
}

func newRouterActor(s *shared, ci int, stages int) *routerActor {
	return &routerActor{s: s, ci: ci, xy: s.f.Chip(ci), stages: make([][]*localCore, stages)}
}

func (r *routerActor) addCore(a *coreActor, stage int) {
	a.bit = 1 << len(r.local)
	lc := &localCore{p: a.c.P, bit: a.bit, ender: a.c.EndsTicks(), a: a}
	r.local = append(r.local, lc)
	r.byP[lc.p] = lc
	r.stages[stage] = append(r.stages[stage], lc)
}

func (r *routerActor) where() string { return fmt.Sprintf("router of chip %v, tick %d", r.xy, r.cur.t) }

func (r *routerActor) Receive(ctx actor.Context) {
	defer guard(ctx, r.s.machine, r.where)
	r.moves.Store(r.moves.Load() + 1)
	switch msg := ctx.Message().(type) {
	case phaseMsg:
		r.cur = *msg.p
		switch r.cur.kind {
		case runSpan:
			r.command(ctx, runSpan, r.cur.t, r.cur.n, r.stages[r.cur.stage])
		case runTick:
			if r.cur.t > 0 && r.endTick(ctx, r.stages[r.cur.stage]) {
				return
			}
			r.command(ctx, runTick, r.cur.t, 1, r.stages[r.cur.stage])
		case finishRun:
			if r.cur.t > 0 && r.endTick(ctx, r.local) {
				return
			}
			r.finish(ctx)
		}
	case chipDone:
		// Switch what the cores sent. Our unit of work is held until the
		// last step is done: then it passes to the batches, if any.
		hs := r.batches[:0]
		for _, lc := range r.cores {
			o := &lc.out
			lo := 0
			for k, t := range o.ticks {
				hs = r.route(t, router.FromLocal, o.pkts[lo:o.ends[k]], hs)
				lo = o.ends[k]
			}
			o.reset()
		}
		r.batches = hs
		if r.step == endTick {
			if len(hs) > 0 {
				r.s.count.Add(int64(len(hs)))
				r.send(ctx, hs)
			}
			if r.cur.kind == finishRun {
				r.finish(ctx)
			} else {
				r.command(ctx, runTick, r.cur.t, 1, r.stages[r.cur.stage])
			}
			return
		}
		r.step = idle
		r.chip.step.Store(int32(idle))
		if len(hs) == 0 {
			r.s.release(ctx, 1)
			return
		}
		r.s.count.Add(int64(len(hs) - 1))
		r.send(ctx, hs)
	case batchMsg:
		// The batch's unit of work passes to the batches it becomes.
		r.newPhase(msg.h.seq)
		hs := r.route(msg.h.t, msg.h.from, msg.h.pkts, r.batches[:0])
		r.batches = hs
		if len(hs) == 0 {
			r.s.release(ctx, 1)
			return
		}
		r.s.count.Add(int64(len(hs) - 1))
		r.send(ctx, hs)
	}
}

// endTick ends tick t−1 of the phase on those of cores that end their
// ticks, and reports whether there were any.
func (r *routerActor) endTick(ctx actor.Context, cores []*localCore) bool {
	r.enders = r.enders[:0]
	for _, lc := range cores {
		if lc.ender {
			r.enders = append(r.enders, lc)
		}
	}
	if len(r.enders) == 0 {
		return false
	}
	r.command(ctx, endTick, r.cur.t-1, 1, r.enders)
	return true
}

// finish sends every core the finish, with the packets of the last tick.
func (r *routerActor) finish(ctx actor.Context) {
	last := uint32(0)
	if r.cur.t > 0 {
		last = r.cur.t - 1
	}
	r.command(ctx, finishRun, last, 1, r.local)
}

// command sends a command to cores, with the packets each has waiting:
// runTick, those of tick t−1 (for the cores that do not end their ticks);
// endTick, and finishRun for the cores that do not end their ticks, those
// of tick t; runSpan, the core's inbox, from which it takes each tick's.
func (r *routerActor) command(ctx actor.Context, kind phaseKind, t, n uint32, cores []*localCore) {
	r.newPhase(r.cur.seq)
	var busy uint32
	for _, lc := range cores {
		busy |= lc.bit
	}
	r.cores = cores
	r.step = kind
	r.chip.step.Store(int32(kind))
	r.chip.busy.Store(busy)
	for _, lc := range r.cores {
		c := &lc.cmds[lc.next]
		lc.next = (lc.next + 1) % len(lc.cmds)
		*c = command{kind: kind, t: t, n: n, out: &lc.out}
		switch {
		case kind == runTick && !lc.ender && t > 0:
			c.pkts = lc.in.of(t - 1)
			lc.taken = t
		case kind == endTick, kind == finishRun && !lc.ender:
			c.pkts = lc.in.of(t)
			lc.taken = t + 1
		case kind == runSpan:
			c.in = &lc.in
			lc.taken = t + n - 1
		}
		ctx.Send(r.s.cores[r.ci][lc.p], commandMsg{c})
	}
}

// newPhase starts reusing the batches when a new phase has begun.
func (r *routerActor) newPhase(seq uint64) {
	if seq != r.hopSeq {
		r.hopSeq, r.used, r.arena = seq, 0, r.arena[:0]
	}
}

// route switches packets of tick t arriving from a link or a core of the
// chip: those for its cores wait in their inboxes; those for other chips
// are put in batches, which it appends to hs for send.
func (r *routerActor) route(t uint32, from int, pkts []packets.Packet, hs []*hop) []*hop {
	r.sw.Reset()
	r.s.f.Switch(r.ci, from, t, pkts, &r.sw)
	for cs := r.sw.UsedCores(); cs != 0; cs &= cs - 1 {
		p := bits.TrailingZeros32(cs)
		lc := r.byP[p]
		if t < lc.taken {
			panic(fmt.Sprintf("packets of tick %d reached core %d (%s) after it had taken that tick's packets: "+
				"the plan of stages missed a dependency", t, p, lc.a.c.Label))
		}
		lc.in.add(t, r.sw.Cores[p])
	}
	for links := r.sw.UsedLinks(); links != 0; links &= links - 1 {
		l := machine.Link(bits.TrailingZeros32(links))
		if r.used == len(r.hops) { // double the batches, in one allocation
			more := make([]hop, max(8, len(r.hops)))
			for k := range more {
				r.hops = append(r.hops, &more[k])
			}
		}
		h := r.hops[r.used]
		r.used++
		h.t, h.seq, h.from, h.to = t, r.hopSeq, int(l.Opposite()), r.s.f.Neighbour(r.ci, l)
		lo := len(r.arena)
		r.arena = append(r.arena, r.sw.Links[l]...)
		h.pkts = r.arena[lo:len(r.arena):len(r.arena)]
		hs = append(hs, h)
	}
	return hs
}

// send sends batches, each to the chip over its link.
func (r *routerActor) send(ctx actor.Context, hs []*hop) {
	for _, h := range hs {
		ctx.Send(r.s.routers[h.to], batchMsg{h})
	}
}
