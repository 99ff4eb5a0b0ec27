package sim

import (
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
)

// Driver runs a mapped machine from tick 0 to the end. progress, when not
// nil, is called after every tick.
type Driver interface {
	Run(m *mapping.Mapped, progress func(t uint32)) error
}

// Sequential runs every core and router on the calling goroutine, in the
// order of the mapping: the reference the actor driver is checked against.
type Sequential struct{}

// Run implements Driver.
func (Sequential) Run(m *mapping.Mapped, progress func(t uint32)) error {
	f := NewFabric(m)
	bufs := make([][]packets.Packet, len(m.Cores))
	var queue []Hop
	m.Clock.Run(func(t uint32) {
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
	})
	for _, c := range m.Cores {
		c.Finish()
	}
	return nil
}
