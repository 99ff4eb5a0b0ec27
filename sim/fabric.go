package sim

import (
	"math/bits"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sdram"
)

// Fabric knows where every core, router and SDRAM is and how chips are
// linked. Chips are numbered by their index in the mapping's Routers
// (sorted by (x, y)); the drivers address chips by that index, so that
// switching a packet needs no map lookup.
type Fabric struct {
	m     *mapping.Mapped
	chips []fabricChip
	index map[machine.XY]int
}

// fabricChip is one live chip: its router, SDRAM, cores and neighbours.
type fabricChip struct {
	xy     machine.XY
	router *router.Router
	mem    *sdram.Memory
	cores  [machine.CoresPerChip]*core.Core
	links  [machine.NumLinks]int32 // index of the chip over each link; −1: none (no live chip or link)
	nCores int
	drops  *mapping.ChipDrops // injected packet losses; nil: none
}

// NewFabric indexes a mapped machine.
func NewFabric(m *mapping.Mapped) *Fabric {
	f := &Fabric{m: m, chips: make([]fabricChip, len(m.Routers)), index: make(map[machine.XY]int, len(m.Routers))}
	for i, r := range m.Routers {
		f.index[r.Chip] = i
		f.chips[i] = fabricChip{xy: r.Chip, router: r, mem: m.Memory(r.Chip), drops: m.Drops[r.Chip]}
	}
	for i := range f.chips {
		c := &f.chips[i]
		for l := range machine.NumLinks {
			c.links[l] = -1
			if n, ok := m.Machine.Neighbour(c.xy, machine.Link(l)); ok {
				if j, ok := f.index[n]; ok {
					c.links[l] = int32(j)
				}
			}
		}
	}
	for _, c := range m.Cores {
		ch := &f.chips[f.index[c.Chip]]
		ch.cores[c.P] = c
		ch.nCores++
	}
	return f
}

// Chips is the number of live chips.
func (f *Fabric) Chips() int { return len(f.chips) }

// Index returns the index of a chip.
func (f *Fabric) Index(c machine.XY) (int, bool) {
	i, ok := f.index[c]
	return i, ok
}

// Chip returns the coordinates of chip i.
func (f *Fabric) Chip(i int) machine.XY { return f.chips[i].xy }

// Core returns core p of chip i, or nil.
func (f *Fabric) Core(i, p int) *core.Core { return f.chips[i].cores[p] }

// Cores is the number of cores of chip i that run something.
func (f *Fabric) Cores(i int) int { return f.chips[i].nCores }

// Memory returns the SDRAM of chip i.
func (f *Fabric) Memory(i int) *sdram.Memory { return f.chips[i].mem }

// Router returns the router of chip i.
func (f *Fabric) Router(i int) *router.Router { return f.chips[i].router }

// Neighbour returns the index of the chip reached from chip i over link l,
// or −1 when no live chip is there.
func (f *Fabric) Neighbour(i int, l machine.Link) int { return int(f.chips[i].links[l]) }

// Out is what one switch sends on: the packets for each link and for each
// core of the chip, in arrival order. Reuse it: Reset keeps the buffers.
type Out struct {
	Links [machine.NumLinks][]packets.Packet
	Cores [machine.CoresPerChip][]packets.Packet
	// used has bit l (links) or NumLinks+p (cores) set when the list is
	// not empty.
	used uint32
}

// Reset empties every list, keeping their buffers.
func (o *Out) Reset() {
	for u := o.used; u != 0; u &= u - 1 {
		i := bits.TrailingZeros32(u)
		if i < machine.NumLinks {
			o.Links[i] = o.Links[i][:0]
		} else {
			o.Cores[i-machine.NumLinks] = o.Cores[i-machine.NumLinks][:0]
		}
	}
	o.used = 0
}

// UsedLinks returns a bit mask of the links with packets to send.
func (o *Out) UsedLinks() uint32 { return o.used & (1<<machine.NumLinks - 1) }

// UsedCores returns a bit mask of the cores with packets delivered.
func (o *Out) UsedCores() uint32 { return o.used >> machine.NumLinks }

// Switch routes packets arriving at the router of chip i (from a link, the
// arrival port 0…5, or from a core of the chip, router.FromLocal) and
// appends each to the lists of out it goes to. Packets routed to a link
// with no live chip behind it, or to a core that runs nothing, are dropped
// and counted as dumped. It does not allocate once out's buffers have grown.
//
// t is the tick the packets were sent in: an injected fault (Mapped.Drops)
// decides from it, the place and the key whether a packet is lost.
func (f *Fabric) Switch(i, from int, t uint32, pkts []packets.Packet, out *Out) {
	c := &f.chips[i]
	r := c.router
	d := c.drops
	var memo router.Memo
	if d == nil {
		// No fault here: a run of packets with one route (a core's spikes,
		// one source's keys) is appended to each of its outputs at once.
		// A packet the router drops has the empty route.
		lo := 0
		var run router.Route
		for j, p := range pkts {
			rt, _ := r.RouteMemo(p, from, &memo)
			if j > lo && rt != run {
				c.deliver(run, pkts[lo:j], out)
				lo = j
			}
			run = rt
		}
		if lo < len(pkts) {
			c.deliver(run, pkts[lo:], out)
		}
		return
	}
	// Injected faults: each packet alone, its lost links taken off its
	// route before it is delivered as a run of one.
	for j, p := range pkts {
		if d.Router > 0 && f.m.FaultDrop(c.xy, mapping.RouterSite, t, p.Key, d.Router) {
			r.Counters.FaultDropped++
			continue
		}
		rt, _ := r.RouteMemo(p, from, &memo)
		for ls := uint32(rt & router.LinkMask); ls != 0; ls &= ls - 1 {
			l := bits.TrailingZeros32(ls)
			if c.links[l] >= 0 && d.Link[l] > 0 && f.m.FaultDrop(c.xy, l, t, p.Key, d.Link[l]) {
				r.Counters.FaultDropped++
				rt &^= router.LinkRoute(machine.Link(l))
			}
		}
		c.deliver(rt, pkts[j:j+1], out)
	}
}

// deliver appends a run of packets that the chip's router routed alike to
// the outputs of out, dumping them (counted once each) on a link with no
// live chip behind it or to a core that runs nothing.
func (c *fabricChip) deliver(rt router.Route, run []packets.Packet, out *Out) {
	n := uint64(len(run))
	for ls := uint32(rt & router.LinkMask); ls != 0; ls &= ls - 1 {
		l := bits.TrailingZeros32(ls)
		if c.links[l] < 0 {
			c.router.Counters.Dumped += n
			continue
		}
		out.Links[l] = append(out.Links[l], run...)
		out.used |= 1 << l
	}
	for cs := uint32(rt&router.CoreMask) >> machine.NumLinks; cs != 0; cs &= cs - 1 {
		p := bits.TrailingZeros32(cs)
		if c.cores[p] == nil {
			c.router.Counters.Dumped += n
			continue
		}
		out.Cores[p] = append(out.Cores[p], run...)
		out.used |= 1 << (machine.NumLinks + p)
	}
}
