package actors

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/sdram"
)

// coreActor drives one core. A command from its router runs the core's
// event (a tick, a span of ticks, an end of tick, or the finish), serving
// the DMA transfers it starts through the chip's SDRAM actor; when the
// last completes, with the packets the core sent in the outbox the command
// came with, the core counts itself off its chip's count. A span runs its
// ticks one after the other, each after the packets of the tick before
// from the core's inbox, and waits for a tick's transfers before the next.
type coreActor struct {
	s    *shared
	c    *core.Core
	ci   int
	chip *chipCount

	bit uint32 // its bit in chip.busy

	kind        phaseKind
	t           uint32     // the tick it runs (or, ending or finishing, the tick after)
	end         uint32     // a span's end: it runs ticks up to end−1
	in          *inbox     // a span's packets
	out         *outbox    // the current command's
	outstanding int        // transfers not yet back
	free        []*dmaSlot // transfer slots not in use
}

// where names the core, its application and its tick, for errors.
func (a *coreActor) where() string {
	return fmt.Sprintf("core (%d, %d, %d) %s running %s, tick %d", a.c.Chip.X, a.c.Chip.Y, a.c.P, a.c.Label, a.c.App.Name(), a.t)
}

func (a *coreActor) Receive(ctx actor.Context) {
	defer guard(ctx, a.s.machine, a.where)
	switch msg := ctx.Message().(type) {
	case commandMsg:
		cmd := msg.c
		a.kind, a.out = cmd.kind, cmd.out
		switch cmd.kind {
		case runTick:
			a.t = cmd.t
			if len(cmd.pkts) > 0 {
				a.c.Deliver(cmd.t-1, cmd.pkts)
			}
			a.handle(ctx, a.c.Tick(cmd.t))
		case runSpan:
			a.t, a.end, a.in = cmd.t, cmd.t+cmd.n, cmd.in
			a.span(ctx)
			return
		case endTick:
			a.t = cmd.t + 1
			if len(cmd.pkts) > 0 {
				a.c.Deliver(cmd.t, cmd.pkts)
			}
			a.handle(ctx, a.c.EndTick(cmd.t))
		case finishRun:
			a.t = cmd.t + 1
			if len(cmd.pkts) > 0 {
				a.c.Deliver(cmd.t, cmd.pkts)
			}
			a.c.Finish()
		}
		a.done(ctx)
	case dmaDone:
		s := msg.s
		a.outstanding--
		a.free = append(a.free, s)
		if s.err != nil {
			ctx.Send(a.s.machine, failed{s.err})
			return
		}
		r, err := a.c.DMADone(&s.tr)
		s.tr = sdram.Transfer{} // drop the reference to the data
		if err != nil {
			ctx.Send(a.s.machine, failed{err})
			return
		}
		a.handle(ctx, r)
		if a.outstanding == 0 && a.kind == runSpan {
			a.t++
			a.span(ctx)
			return
		}
		a.done(ctx)
	}
}

// span runs the span's ticks from a.t until one waits for its transfers
// or the span is over.
func (a *coreActor) span(ctx actor.Context) {
	for ; a.t < a.end; a.t++ {
		if a.t > 0 {
			if pkts := a.in.of(a.t - 1); len(pkts) > 0 {
				a.c.Deliver(a.t-1, pkts)
			}
		}
		a.handle(ctx, a.c.Tick(a.t))
		if a.outstanding > 0 {
			return
		}
	}
	a.done(ctx)
}

// handle keeps the packets of one event, sent in tick a.t, and starts its
// transfers.
func (a *coreActor) handle(ctx actor.Context, r core.Ready) {
	a.out.add(a.t, r.Packets)
	for _, tr := range r.Transfers {
		var s *dmaSlot
		if n := len(a.free); n > 0 {
			s, a.free = a.free[n-1], a.free[:n-1]
		} else {
			s = &dmaSlot{}
		}
		s.p, s.tr, s.err = a.c.P, tr, nil
		a.outstanding++
		ctx.Send(a.s.memory[a.ci], dmaMsg{s})
	}
}

// done counts the core off its chip once no transfer is outstanding.
func (a *coreActor) done(ctx actor.Context) {
	if a.outstanding > 0 {
		return
	}
	if a.chip.busy.And(^a.bit) == a.bit {
		ctx.Send(a.s.routers[a.ci], chipDone{})
	}
}

// sdramActor serves one chip's SDRAM: each transfer is done in the order it
// arrives and goes back to its core.
type sdramActor struct {
	s   *shared
	ci  int
	mem *sdram.Memory
}

func (m *sdramActor) Receive(ctx actor.Context) {
	defer guard(ctx, m.s.machine, func() string { return "SDRAM of chip " + m.mem.Chip.String() })
	msg, ok := ctx.Message().(dmaMsg)
	if !ok {
		return
	}
	s := msg.s
	s.err = m.mem.Do(s.p, &s.tr)
	ctx.Send(m.s.cores[m.ci][s.p], dmaDone{s})
}
