package sim

import (
	"context"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
)

// Driver runs a mapped machine from tick 0 to the end. progress, when not
// nil, is called after every tick. The driver checks ctx at every tick
// boundary: once it is done, the run stops before the next tick starts, the
// cores finish what they received (as at the end of a run, so the machine
// can be read back as a run of the ticks done), and Run returns an error
// wrapping *Interrupted.
type Driver interface {
	Run(ctx context.Context, m *mapping.Mapped, progress func(t uint32)) error
}

// Sequential runs every core and router on the calling goroutine, in the
// order of the mapping: the reference the actor driver is checked against.
type Sequential struct{}

// Run implements Driver.
func (Sequential) Run(ctx context.Context, m *mapping.Mapped, progress func(t uint32)) error {
	f := NewFabric(m)
	bufs := make([][]packets.Packet, len(m.Cores))
	var queue []Hop
	var stopped error
	for t := uint32(0); t < m.Clock.Ticks; t++ {
		if stopped = Interrupt(ctx, t, m.Clock.Ticks); stopped != nil {
			break
		}
		for i, c := range m.Cores {
			bufs[i] = c.Tick(t, bufs[i][:0])
			if len(bufs[i]) > 0 {
				queue = append(queue, Hop{Chip: c.Chip, From: router.FromLocal, Pkts: bufs[i]})
			}
		}
		for len(queue) > 0 {
			h := queue[0]
			queue = queue[1:]
			f.Switch(h, func(n Hop) { queue = append(queue, n) },
				func(c *core.Core, ps []packets.Packet) { c.Deliver(t, ps) })
		}
		queue = queue[:0]
		if progress != nil {
			progress(t)
		}
	}
	for _, c := range m.Cores {
		c.Finish()
	}
	return stopped
}
