package router

import (
	"fmt"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/packets"
)

// FromLocal is the arrival "link" of a packet sent by a core on this chip.
const FromLocal = -1

// Counters are the router's multicast diagnostic counts.
//
// Every MC packet handed to Route is counted once as LocalMC or ExternalMC
// and once as Routed, DefaultRouted or LocalDropped, so
// LocalMC+ExternalMC == Routed+DefaultRouted+LocalDropped.
type Counters struct {
	LocalMC       uint64 // MC packets from a core on this chip (diagnostic counter 0)
	ExternalMC    uint64 // MC packets that arrived on a link (counter 1)
	Routed        uint64 // MC packets that matched a table entry
	DefaultRouted uint64 // link arrivals with no entry, sent straight through (user counter 2)
	LocalDropped  uint64 // local packets with no entry, dropped (user counter 3)
	Dumped        uint64 // MC packets dumped because an output stayed blocked (counter 8), see Dump
	FaultDropped  uint64 // MC packets lost to an injected fault at the router or on one of its outgoing links
}

// Router is the multicast router of one chip.
type Router struct {
	Chip     machine.XY
	Table    Table
	Counters Counters
}

// New returns a router for chip with an empty table and zero counters.
func New(chip machine.XY) *Router { return &Router{Chip: chip} }

// Route decides where a multicast packet goes. from is the arrival link
// (machine.Link as int, 0..5) or FromLocal for a packet sent by a core on
// this chip.
//
//   - If the key matches a table entry, the first matching entry's route is
//     returned (Routed).
//   - Otherwise a packet from a link is default-routed straight through to
//     the opposite link (DefaultRouted).
//   - Otherwise (a local packet with no entry) the packet is dropped: Route
//     returns ok == false (LocalDropped).
//
// Packets of other types are not routed here: Route returns (0, false) and
// counts nothing. Route does not allocate. It panics if from is neither
// FromLocal nor a link id, which is a bug in the caller.
func (r *Router) Route(p packets.Packet, from int) (Route, bool) {
	return r.route(p, from, nil)
}

// Memo remembers the last entry a router matched when no earlier entry
// shares a key with it: a key that matches that entry has it as its first
// match, so a run of packets of one source (a core's spikes come in key
// order) is routed without searching the table. It also remembers the last
// key that matched no entry, on the bits of the table's masks: a key equal
// to it there matches none either, so a run of packets that the router
// sends on by default (no entry on this chip) is not searched for again.
// The zero Memo is empty. A Memo belongs to one router's table as it is:
// start a new one when the table changes.
type Memo struct {
	key, mask uint32
	route     Route
	ok        bool
	missKey   uint32 // the last key that matched nothing, ANDed with the table's union of masks
	missOK    bool
}

// RouteMemo is Route, remembering in m what it may reuse for the next
// packet. It routes and counts exactly as Route does.
func (r *Router) RouteMemo(p packets.Packet, from int, m *Memo) (Route, bool) {
	return r.route(p, from, m)
}

func (r *Router) route(p packets.Packet, from int, m *Memo) (Route, bool) {
	if from < FromLocal || from >= machine.NumLinks {
		panic(fmt.Sprintf("router %v: packet arrived from %d, want FromLocal or a link 0..5", r.Chip, from))
	}
	if p.Type != packets.MC {
		return 0, false
	}
	local := from == FromLocal
	if local {
		r.Counters.LocalMC++
	} else {
		r.Counters.ExternalMC++
	}
	if m != nil && m.ok && p.Key&m.mask == m.key {
		r.Counters.Routed++
		return m.route, true
	}
	if m == nil || !m.missOK || p.Key&r.Table.union != m.missKey {
		if route, i, ok := r.Table.Lookup(p.Key); ok {
			r.Counters.Routed++
			if m != nil && r.Table.alone[i] {
				m.key, m.mask, m.route, m.ok = r.Table.keys[i], r.Table.masks[i], route, true
			}
			return route, true
		}
		if m != nil {
			m.missKey, m.missOK = p.Key&r.Table.union, true
		}
	}
	if local {
		r.Counters.LocalDropped++
		return 0, false
	}
	r.Counters.DefaultRouted++
	return 1 << uint(machine.Link(from).Opposite()), true
}

// Dump records that an MC packet was dropped because one of its outputs
// stayed blocked; the caller models blocking and calls this when it drops.
func (r *Router) Dump() { r.Counters.Dumped++ }
