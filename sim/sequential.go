package sim

import (
	"context"
	"math/bits"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sdram"
)

// Driver runs a mapped machine from tick 0 to the end. progress, when not
// nil, is called once for every tick, in order, once every core has run it
// (a driver may have run the cores up to MaxRunAhead−1 ticks further by
// then, and between two calls every core is quiet). A cancelled ctx stops
// the run at a tick boundary (the next, or the end of the window of ticks
// the driver is running) with an *Interrupted error.
type Driver interface {
	Run(ctx context.Context, m *mapping.Mapped, progress func(t uint32)) error
}

// Sequential runs every core, router and SDRAM on the calling goroutine, in
// the order of the mapping: the reference the actor driver is checked
// against.
type Sequential struct{}

// hop is a batch of packets waiting at a router: packets [lo, hi) of the
// tick's packet store, arriving at chip from a link or a core (from).
type hop struct {
	chip, from int
	lo, hi     int
}

// sequentialRun is the state of one run. Its buffers are reused from tick
// to tick, so that a run in steady state does not allocate.
type sequentialRun struct {
	m     *mapping.Mapped
	f     *Fabric
	chip  []int            // chip index of every core of m.Cores
	pkts  []packets.Packet // the tick's packets in flight, hop by hop
	queue []hop
	out   Out
	trs   []sdram.Transfer // a stack of transfers being served
	err   error
}

// Run implements Driver. Each tick t: every core's timer tick (with the DMA
// transfers it starts served at once, and their completions handed back);
// every packet routed hop by hop to its cores; then the end of tick t on the
// cores that end their ticks (whose packets, if any, travel in tick t+1).
func (Sequential) Run(ctx context.Context, m *mapping.Mapped, progress func(t uint32)) error {
	s := &sequentialRun{m: m, f: NewFabric(m), chip: make([]int, len(m.Cores))}
	var enders []int
	for i, c := range m.Cores {
		s.chip[i], _ = s.f.Index(c.Chip)
		if c.EndsTicks() {
			enders = append(enders, i)
		}
	}
	finish := func() {
		for _, c := range m.Cores {
			c.Finish()
		}
	}
	for t := uint32(0); t < m.Clock.Ticks; t++ {
		if err := Interrupt(ctx, t, m.Clock.Ticks); err != nil {
			finish()
			return err
		}
		for i, c := range m.Cores {
			s.handle(c, s.chip[i], c.Tick(t))
		}
		s.route(t)
		for _, i := range enders {
			s.handle(m.Cores[i], s.chip[i], m.Cores[i].EndTick(t))
		}
		if s.err != nil {
			return s.err
		}
		if progress != nil {
			progress(t)
		}
	}
	finish()
	return nil
}

// handle queues a core's packets at its router and serves its transfers,
// handing each completion back to the core at once.
func (s *sequentialRun) handle(c *core.Core, ci int, r core.Ready) {
	if s.err != nil {
		return
	}
	if len(r.Packets) > 0 {
		lo := len(s.pkts)
		s.pkts = append(s.pkts, r.Packets...)
		s.queue = append(s.queue, hop{chip: ci, from: router.FromLocal, lo: lo, hi: len(s.pkts)})
	}
	if len(r.Transfers) == 0 {
		return
	}
	// r's slices are valid until the core's next event, which DMADone is:
	// keep the transfers on a stack of our own.
	base := len(s.trs)
	s.trs = append(s.trs, r.Transfers...)
	for i := base; i < len(s.trs) && s.err == nil; i++ {
		if err := s.f.Memory(ci).Do(c.P, &s.trs[i]); err != nil {
			s.err = err
			break
		}
		r2, err := c.DMADone(&s.trs[i])
		if err != nil {
			s.err = err
			break
		}
		s.handle(c, ci, r2)
	}
	clear(s.trs[base:]) // drop the references to the transfers' data
	s.trs = s.trs[:base]
}

// route moves every queued packet hop by hop to the cores it reaches, which
// receive it as a packet of tick t.
func (s *sequentialRun) route(t uint32) {
	for qi := 0; qi < len(s.queue); qi++ {
		h := s.queue[qi]
		s.out.Reset()
		s.f.Switch(h.chip, h.from, t, s.pkts[h.lo:h.hi], &s.out)
		for ls := s.out.UsedLinks(); ls != 0; ls &= ls - 1 {
			l := machine.Link(bits.TrailingZeros32(ls))
			lo := len(s.pkts)
			s.pkts = append(s.pkts, s.out.Links[l]...)
			s.queue = append(s.queue, hop{chip: s.f.Neighbour(h.chip, l), from: int(l.Opposite()), lo: lo, hi: len(s.pkts)})
		}
		for cs := s.out.UsedCores(); cs != 0; cs &= cs - 1 {
			p := bits.TrailingZeros32(cs)
			s.f.Core(h.chip, p).Deliver(t, s.out.Cores[p])
		}
	}
	s.queue, s.pkts = s.queue[:0], s.pkts[:0]
}
