package sim

import (
	"context"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sdram"
)

// Driver runs a mapped machine from tick 0 to the end. progress, when not
// nil, is called after every tick. A cancelled ctx stops the run at the
// next tick boundary with an *Interrupted error.
type Driver interface {
	Run(ctx context.Context, m *mapping.Mapped, progress func(t uint32)) error
}

// Sequential runs every core, router and SDRAM on the calling goroutine, in
// the order of the mapping: the reference the actor driver is checked
// against.
type Sequential struct{}

// Run implements Driver. Each tick t: every core's timer tick (with the DMA
// transfers it starts served at once, and their completions handed back);
// every packet routed hop by hop to its cores; then the end of tick t on the
// cores that end their ticks.
func (Sequential) Run(ctx context.Context, m *mapping.Mapped, progress func(t uint32)) error {
	f := NewFabric(m)
	var queue []Hop
	var err error
	var t uint32
	// handle routes a core's packets and serves its transfers.
	var handle func(c *core.Core, r core.Ready)
	handle = func(c *core.Core, r core.Ready) {
		if len(r.Packets) > 0 {
			queue = append(queue, Hop{Chip: c.Chip, From: router.FromLocal, T: t, Pkts: append([]packets.Packet(nil), r.Packets...)})
		}
		trs := append([]sdram.Transfer(nil), r.Transfers...)
		for i := range trs {
			if e := m.Memory(c.Chip).Do(c.P, &trs[i]); e != nil {
				err = e
				return
			}
			r2, e := c.DMADone(&trs[i])
			if e != nil {
				err = e
				return
			}
			handle(c, r2)
		}
	}
	var enders []*core.Core
	for _, c := range m.Cores {
		if c.EndsTicks() {
			enders = append(enders, c)
		}
	}
	for t = 0; t < m.Clock.Ticks; t++ {
		if err := Interrupt(ctx, t, m.Clock.Ticks); err != nil {
			for _, c := range m.Cores {
				c.Finish()
			}
			return err
		}
		for _, c := range m.Cores {
			handle(c, c.Tick(t))
		}
		for len(queue) > 0 && err == nil {
			h := queue[0]
			queue = queue[1:]
			err = f.Switch(h, func(n Hop) { queue = append(queue, n) },
				func(chip machine.XY, p int, ps []packets.Packet) error { return f.Deliver(chip, p, t, ps) })
		}
		queue = queue[:0]
		for _, c := range enders {
			handle(c, c.EndTick(t))
		}
		if err != nil {
			return err
		}
		if progress != nil {
			progress(t)
		}
	}
	for _, c := range m.Cores {
		c.Finish()
	}
	return nil
}
