package mapping

import (
	"math/bits"
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
func allocateKeys(m *Mapped) error {
	if len(m.Slices) == 0 {
		return nil
	}
	maxAtoms, maxSlices, nSlices := 1, 1, 0
	for _, ss := range m.Slices {
		maxSlices = max(maxSlices, len(ss))
		nSlices += len(ss)
		for _, s := range ss {
			maxAtoms = max(maxAtoms, s.Hi-s.Lo)
		}
	}
	atomBits := bits.Len(uint(maxAtoms - 1))
	sliceBits := bits.Len(uint(maxSlices - 1))
	popBits := bits.Len(uint(len(m.Slices) - 1))
	mask := ^uint32(0) << atomBits
	if popBits+sliceBits+atomBits <= 32 {
		for pi, ss := range m.Slices {
			for si, s := range ss {
				s.Key = uint32(pi)<<(sliceBits+atomBits) | uint32(si)<<atomBits
				s.Mask = mask
			}
		}
		return nil
	}
	if bits.Len(uint(max(nSlices, 1)-1))+atomBits > 32 {
		return errAt("populations", "%d cores of up to %d neurons need more than 32 key bits", nSlices, maxAtoms)
	}
	id := uint32(0)
	for _, ss := range m.Slices {
		for _, s := range ss {
			s.Key, s.Mask = id<<atomBits, mask
			id++
		}
	}
	return nil
}
