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
}

// deliveries are the packets of one tick for each core of the chip, kept
// until the core's next command takes them.
type deliveries struct {
	t     uint32
	valid bool
	pkts  [machine.CoresPerChip][]packets.Packet
}

// hops are the batches a router sent in one tick.
type hops struct {
	t     uint32
	valid bool
	hops  []*hop
	n     int
}

// routerActor drives one chip: its router, and the steps of every phase on
// its cores. In phase t it first ends tick t−1 on its split synapse cores
// (if any), then sends every core the command of the phase with the
// packets that reached it for that command, and waits for its chip's
// count to run out. It switches the packets its cores send and the batches
// its neighbours send as they come: packets for its own cores wait until
// their next command; packets for other chips go on as batches.
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
	enders int

	cur  phase     // the phase it runs
	step phaseKind // what its cores are busy with (idle: nothing)

	// moves counts the messages the router has handled (the watchdog's
	// measure of progress; the router alone writes it).
	moves atomic.Uint64

	acc     [2]deliveries // by tick parity
	out     [2]hops       // by tick parity
	sw      sim.Out
	batches []*hop // the batches to send, reused
}

func newRouterActor(s *shared, ci int) *routerActor {
	return &routerActor{s: s, ci: ci, xy: s.f.Chip(ci)}
}

func (r *routerActor) addCore(a *coreActor) {
	a.bit = 1 << len(r.local)
	lc := &localCore{p: a.c.P, bit: a.bit, ender: a.c.EndsTicks(), a: a}
	r.local = append(r.local, lc)
	if lc.ender {
		r.enders++
	}
}

func (r *routerActor) where() string { return fmt.Sprintf("router of chip %v, tick %d", r.xy, r.cur.t) }

func (r *routerActor) Receive(ctx actor.Context) {
	defer guard(ctx, r.s.machine, r.where)
	r.moves.Store(r.moves.Load() + 1)
	switch msg := ctx.Message().(type) {
	case phaseMsg:
		r.cur = *msg.p
		if r.enders > 0 && r.cur.t > 0 {
			r.command(ctx, endTick, r.cur.t-1)
			return
		}
		r.phaseCommand(ctx)
	case chipDone:
		// Switch what the cores sent. Our unit of work is held until the
		// last step is done: then it passes to the batches, if any.
		hs := r.batches[:0]
		for _, lc := range r.local {
			if len(lc.out.pkts) > 0 {
				hs = r.route(r.cur.t, router.FromLocal, lc.out.pkts, hs)
				lc.out.pkts = lc.out.pkts[:0]
			}
		}
		r.batches = hs
		if r.step == endTick {
			if len(hs) > 0 {
				r.s.count.Add(int64(len(hs)))
				r.send(ctx, hs)
			}
			r.phaseCommand(ctx)
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

// phaseCommand sends every core the command of the current phase.
func (r *routerActor) phaseCommand(ctx actor.Context) {
	if r.cur.kind == finishRun {
		last := uint32(0)
		if r.cur.t > 0 {
			last = r.cur.t - 1
		}
		r.command(ctx, finishRun, last)
		return
	}
	r.command(ctx, runTick, r.cur.t)
}

// command sends a command to the cores it concerns (endTick: the synapse
// cores; the others: every core), with the packets each has waiting.
func (r *routerActor) command(ctx actor.Context, kind phaseKind, t uint32) {
	var busy uint32
	for _, lc := range r.local {
		if kind != endTick || lc.ender {
			busy |= lc.bit
		}
	}
	r.step = kind
	r.chip.step.Store(int32(kind))
	r.chip.busy.Store(busy)
	for _, lc := range r.local {
		if kind == endTick && !lc.ender {
			continue
		}
		c := &lc.cmds[lc.next]
		lc.next = (lc.next + 1) % len(lc.cmds)
		c.kind, c.t, c.pkts, c.out = kind, t, nil, &lc.out
		switch {
		case kind == runTick && !lc.ender && t > 0:
			c.pkts = r.waiting(t-1, lc.p)
		case kind == endTick, kind == finishRun && !lc.ender:
			c.pkts = r.waiting(t, lc.p)
		}
		ctx.Send(r.s.cores[r.ci][lc.p], commandMsg{c})
	}
}

// waiting returns the packets of tick t that reached core p.
func (r *routerActor) waiting(t uint32, p int) []packets.Packet {
	d := &r.acc[t&1]
	if !d.valid || d.t != t {
		return nil
	}
	return d.pkts[p]
}

// route switches packets of tick t arriving from a link or a core of the
// chip: those for its cores wait for their next command; those for other
// chips are put in batches, which it appends to hs for send.
func (r *routerActor) route(t uint32, from int, pkts []packets.Packet, hs []*hop) []*hop {
	r.sw.Reset()
	r.s.f.Switch(r.ci, from, t, pkts, &r.sw)
	if cs := r.sw.UsedCores(); cs != 0 {
		d := &r.acc[t&1]
		if !d.valid || d.t != t {
			for p := range d.pkts {
				d.pkts[p] = d.pkts[p][:0]
			}
			d.t, d.valid = t, true
		}
		for ; cs != 0; cs &= cs - 1 {
			p := bits.TrailingZeros32(cs)
			d.pkts[p] = append(d.pkts[p], r.sw.Cores[p]...)
		}
	}
	links := r.sw.UsedLinks()
	if links == 0 {
		return hs
	}
	o := &r.out[t&1]
	if !o.valid || o.t != t {
		o.t, o.valid, o.n = t, true, 0
	}
	for ; links != 0; links &= links - 1 {
		l := machine.Link(bits.TrailingZeros32(links))
		if o.n == len(o.hops) {
			o.hops = append(o.hops, &hop{})
		}
		h := o.hops[o.n]
		o.n++
		h.t, h.from, h.to = t, int(l.Opposite()), r.s.f.Neighbour(r.ci, l)
		h.pkts = append(h.pkts[:0], r.sw.Links[l]...)
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
