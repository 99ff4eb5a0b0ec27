package sim

import (
	"fmt"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
)

// Hop is a batch of packets arriving at a router: from a link (the arrival
// port, 0…5) or from a core of the chip (router.FromLocal).
type Hop struct {
	Chip machine.XY
	From int
	T    uint32 // the tick the packets were sent in
	Pkts []packets.Packet
}

// Fabric knows where every core and router is and how chips are linked.
type Fabric struct {
	m     *mapping.Mapped
	cores map[machine.XY]*[machine.CoresPerChip]*core.Core
}

// NewFabric indexes a mapped machine.
func NewFabric(m *mapping.Mapped) *Fabric {
	f := &Fabric{m: m, cores: map[machine.XY]*[machine.CoresPerChip]*core.Core{}}
	for _, c := range m.Cores {
		a := f.cores[c.Chip]
		if a == nil {
			a = new([machine.CoresPerChip]*core.Core)
			f.cores[c.Chip] = a
		}
		a[c.P] = c
	}
	return f
}

// Core returns the core p of a chip, or nil.
func (f *Fabric) Core(c machine.XY, p int) *core.Core {
	if a := f.cores[c]; a != nil {
		return a[p]
	}
	return nil
}

// Router returns the router of a chip.
func (f *Fabric) Router(c machine.XY) *router.Router { return f.m.Router(c) }

// Deliver hands packets that reached core p of a chip during tick t to it.
func (f *Fabric) Deliver(chip machine.XY, p int, t uint32, pkts []packets.Packet) error {
	c := f.Core(chip, p)
	if c == nil {
		return fmt.Errorf("packets delivered to core %d of chip %v, which runs nothing", p, chip)
	}
	c.Deliver(t, pkts)
	return nil
}

// Switch routes a batch through one router. For every link the packets go
// out on it calls link with the neighbouring chip's arriving batch; for
// every local core, deliver with that core's packets. Packets routed to a
// link with no live chip behind it, or to a core that runs nothing, are
// dropped and counted as dumped. The batches handed out are fresh slices;
// order within a batch is kept. The first error deliver returns stops it.
func (f *Fabric) Switch(h Hop, link func(Hop), deliver func(chip machine.XY, p int, pkts []packets.Packet) error) error {
	r := f.m.Router(h.Chip)
	drops := f.m.Drops[h.Chip]
	var outL [machine.NumLinks][]packets.Packet
	var outC [machine.CoresPerChip][]packets.Packet
	for _, p := range h.Pkts {
		if drops != nil && drops.Router > 0 && f.m.FaultDrop(h.Chip, mapping.RouterSite, h.T, p.Key, drops.Router) {
			r.Counters.FaultDropped++
			continue
		}
		rt, ok := r.Route(p, h.From)
		if !ok {
			continue
		}
		for l := range machine.NumLinks {
			if !rt.HasLink(machine.Link(l)) {
				continue
			}
			if drops != nil && drops.Link[l] > 0 && f.m.FaultDrop(h.Chip, l, h.T, p.Key, drops.Link[l]) {
				r.Counters.FaultDropped++
				continue
			}
			outL[l] = append(outL[l], p)
		}
		if rt>>machine.NumLinks == 0 {
			continue
		}
		for c := range machine.CoresPerChip {
			if rt.HasCore(c) {
				outC[c] = append(outC[c], p)
			}
		}
	}
	for l, ps := range outL {
		if len(ps) == 0 {
			continue
		}
		n, ok := f.m.Machine.Neighbour(h.Chip, machine.Link(l))
		if !ok {
			r.Counters.Dumped += uint64(len(ps))
			continue
		}
		link(Hop{Chip: n, From: int(machine.Link(l).Opposite()), T: h.T, Pkts: ps})
	}
	for p, ps := range outC {
		if len(ps) == 0 {
			continue
		}
		if f.Core(h.Chip, p) == nil {
			r.Counters.Dumped += uint64(len(ps))
			continue
		}
		if err := deliver(h.Chip, p, ps); err != nil {
			return err
		}
	}
	return nil
}
