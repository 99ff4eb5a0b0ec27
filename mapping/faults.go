package mapping

import (
	"errors"
	"hash/fnv"
	"slices"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
)

// ChipDrops are the injected packet losses of one chip: the fraction of the
// packets arriving at its router, and of those it sends on each link.
type ChipDrops struct {
	Router float64
	Link   [machine.NumLinks]float64
}

// RouterSite is FaultDrop's site for a drop at a router (links are 0…5).
const RouterSite = machine.NumLinks

// FaultDrop decides whether a packet of key sent in tick t is lost at a
// site (a link of chip c, or its router) that drops the fraction f. The
// decision is a hash of the run's seed, the site, the tick and the key, so
// it does not depend on the order in which packets or hops are handled: the
// same seed drops the same packets with either driver and any number of
// threads. (Packets with the same key in the same tick at the same site are
// lost or kept together.)
func (m *Mapped) FaultDrop(c machine.XY, site int, t, key uint32, f float64) bool {
	x := m.faultSeed ^ uint64(c.X)<<48 ^ uint64(c.Y)<<40 ^ uint64(site)<<32
	x ^= uint64(t)*0x9E3779B97F4A7C15 ^ uint64(key)*0xC2B2AE3D27D4EB4F
	// splitmix64's finaliser.
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return float64(x>>11)/(1<<53) < f
}

// applyFaults checks the faults section against the machine and sets up the
// drops and the cores' deaths.
func applyFaults(net *network.Network, m *Mapped) error {
	f := net.Faults
	if f == nil {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte("faults"))
	m.faultSeed = net.Seed*0x9E3779B97F4A7C15 ^ h.Sum64()
	var errs []error
	m.Drops = map[machine.XY]*ChipDrops{}
	for _, d := range f.Drops {
		c := machine.XY{X: d.X, Y: d.Y}
		if !m.Machine.HasChip(c) {
			errs = append(errs, errAt(d.Path, "chip %v is not on this %s machine of %d board(s)", c, m.Machine.Board, m.Machine.Boards))
			continue
		}
		cd := m.Drops[c]
		if cd == nil {
			cd = &ChipDrops{}
			m.Drops[c] = cd
		}
		if d.Link == "" {
			cd.Router = d.Fraction
			continue
		}
		l := machine.Link(slices.Index(network.LinkNames, d.Link))
		if _, ok := m.Machine.Neighbour(c, l); !ok {
			errs = append(errs, errAt(d.Path, "chip %v has no live %s link", c, d.Link))
			continue
		}
		cd.Link[l] = d.Fraction
	}
	for _, k := range f.Kills {
		c := machine.XY{X: k.X, Y: k.Y}
		found := false
		for _, co := range m.Cores {
			if co.Chip == c && co.P == k.P {
				tick, ok := m.Clock.Before(k.AtMs)
				co.Killed, co.KillTick, found = ok, tick, true
			}
		}
		if !found {
			errs = append(errs, errAt(k.Path, "core %d of chip %v runs nothing in this mapping (see -map-only's report for the placements)", k.P, c))
		}
	}
	return errors.Join(errs...)
}
