package router

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/spinnsim/spinnsim/machine"
)

// Route is the 24-bit route word of an MC table entry: bits 0..5 select
// links E, NE, N, W, SW, S and bits 6..23 select physical cores 0..17.
type Route uint32

// Route word layout.
const (
	coreShift = machine.NumLinks

	// LinkMask selects the six link bits of a route.
	LinkMask Route = 1<<machine.NumLinks - 1
	// CoreMask selects the eighteen core bits of a route.
	CoreMask Route = (1<<machine.CoresPerChip - 1) << coreShift
	// ValidMask selects every bit a route may use.
	ValidMask = LinkMask | CoreMask
)

// LinkRoute returns the route that sends a packet out on link l. It panics
// if l is not a valid link.
func LinkRoute(l machine.Link) Route {
	if !l.Valid() {
		panic(fmt.Sprintf("router: invalid link %d", int(l)))
	}
	return 1 << uint(l)
}

// CoreRoute returns the route that delivers a packet to physical core p of
// this chip. It panics if p is not in 0..17.
func CoreRoute(p int) Route {
	if p < 0 || p >= machine.CoresPerChip {
		panic(fmt.Sprintf("router: core %d out of range 0..%d", p, machine.CoresPerChip-1))
	}
	return 1 << uint(coreShift+p)
}

// HasLink reports whether r sends packets out on link l.
func (r Route) HasLink(l machine.Link) bool {
	return l.Valid() && r&(1<<uint(l)) != 0
}

// HasCore reports whether r delivers packets to physical core p.
func (r Route) HasCore(p int) bool {
	return p >= 0 && p < machine.CoresPerChip && r&(1<<uint(coreShift+p)) != 0
}

// Links returns the links r selects, in ascending order.
func (r Route) Links() []machine.Link {
	out := make([]machine.Link, 0, bits.OnesCount32(uint32(r&LinkMask)))
	for l := range machine.Link(machine.NumLinks) {
		if r.HasLink(l) {
			out = append(out, l)
		}
	}
	return out
}

// Cores returns the physical cores r selects, in ascending order.
func (r Route) Cores() []int {
	out := make([]int, 0, bits.OnesCount32(uint32(r&CoreMask)))
	for p := range machine.CoresPerChip {
		if r.HasCore(p) {
			out = append(out, p)
		}
	}
	return out
}

// String lists the selected links and cores, e.g. "E+NE+core1+core17", or
// "none" for the empty route. Bits outside ValidMask are shown in hex.
func (r Route) String() string {
	var parts []string
	for _, l := range r.Links() {
		parts = append(parts, l.String())
	}
	for _, p := range r.Cores() {
		parts = append(parts, "core"+strconv.Itoa(p))
	}
	if extra := r &^ ValidMask; extra != 0 {
		parts = append(parts, fmt.Sprintf("0x%08x", uint32(extra)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}
