package mapping

import (
	"math/bits"
	"slices"

	"github.com/spinnsim/spinnsim/core"
)

// allocateKeys gives every slice a routing key and mask, in fields of fixed
// width across the network as sPyNNaker's zoned allocator makes them:
//
//	| population | slice | neuron |
//
// so that the slices of a population share a prefix and their routes merge
// well under compression. When the three fields need more than 32 bits, the
// population field is dropped and slices are numbered across the network
// (| slice | neuron |). Either way keys grow with (population, slice,
// neuron), the order in which cores process the packets of a tick.
// Delay-extension cores come after every population, one population field
// per source population with them; when there are any, the neuron field
// has three more bits, for the stage.
func allocateKeys(m *Mapped) error {
	if len(m.Slices) == 0 {
		return nil
	}
	// Delay-extension cores take key fields of their own after the
	// populations' (a population field per source population with them),
	// with the stage in extra neuron bits.
	var delayed [][]*Slice
	var delays []*DelaySlice
	maxAtoms, maxSlices, nSlices := 1, 1, 0
	for _, ss := range m.Slices {
		maxSlices = max(maxSlices, len(ss))
		nSlices += len(ss)
		var ds []*Slice
		for _, s := range ss {
			maxAtoms = max(maxAtoms, s.Hi-s.Lo)
			if s.Delay != nil {
				ds = append(ds, &s.Delay.Slice)
				delays = append(delays, s.Delay)
			}
		}
		if len(ds) > 0 {
			delayed = append(delayed, ds)
			nSlices += len(ds)
		}
	}
	atomBits := bits.Len(uint(maxAtoms - 1))
	stageBits := 0
	if len(delays) > 0 {
		stageBits = bits.Len(uint(core.MaxDelayStages - 1))
	}
	for _, d := range delays {
		d.AtomBits = atomBits
	}
	all := append(slices.Clip(m.Slices), delayed...)
	keyBits := atomBits + stageBits
	sliceBits := bits.Len(uint(maxSlices - 1))
	popBits := bits.Len(uint(len(all) - 1))
	mask := ^uint32(0) << keyBits
	if popBits+sliceBits+keyBits <= 32 {
		for pi, ss := range all {
			for si, s := range ss {
				s.Key = uint32(pi)<<(sliceBits+keyBits) | uint32(si)<<keyBits
				s.Mask = mask
			}
		}
		return nil
	}
	if bits.Len(uint(max(nSlices, 1)-1))+keyBits > 32 {
		return errAt("populations", "%d cores of up to %d neurons need more than 32 key bits", nSlices, maxAtoms)
	}
	id := uint32(0)
	for _, ss := range all {
		for _, s := range ss {
			s.Key, s.Mask = id<<keyBits, mask
			id++
		}
	}
	return nil
}
