package core

import (
	"fmt"
	"math"
	"math/bits"
)

// Synaptic rows, laid out as SpiNNaker keeps them (reference
// spinnaker-machine.md §5.5): for each source slice, one contiguous row per
// pre-synaptic neuron, found through a master population table sorted by
// key. No per-synapse objects or maps.
//
//   - static rows: per synapse a 16-bit control word | delay | type | index |
//     and a weight;
//   - plastic rows: a pre-synaptic header (time and trace of the row's last
//     pre spike), per synapse a control word and its plastic state (the
//     weight; the weight and eligibility under neuromodulation);
//   - neuromodulation rows: per target the post index and the signed
//     dopamine step (negative for punishment).

// Kind is a synapse's kind.
type Kind uint8

// Kinds of synapse.
const (
	Static Kind = iota
	Plastic
	Neuromodulatory
	// Structural synapses belong to a structural projection: static or
	// plastic as the population's rule, in rows of fixed capacity that
	// rewiring grows and shrinks.
	Structural
	numKinds
)

// MaxRingBufferBits caps the ring buffer's index bits (delay + type + neuron),
// so that it fits DTCM (sPyNNaker's MAX_RING_BUFFER_BITS).
const MaxRingBufferBits = 14

// RingBufferError says a core's ring buffer cannot hold its delays.
type RingBufferError struct {
	Delay uint32 // ticks
	N     int    // neurons on the core
	Bits  uint32 // ring-buffer index bits needed
}

func (e *RingBufferError) Error() string {
	return fmt.Sprintf("a delay of %d ticks onto %d neurons needs %d ring-buffer bits, more than %d",
		e.Delay, e.N, e.Bits, MaxRingBufferBits)
}

// DelayBits is the number of ring-buffer slot bits that hold delays up to d
// ticks: 2^k slots hold delays up to 2^k (sPyNNaker's max_support_delay).
func DelayBits(d uint32) uint32 {
	if d <= 1 {
		return 0
	}
	return uint32(bits.Len32(d - 1))
}

// MaxDirectDelay is the longest delay the ring buffer of a core of n
// neurons holds with every index bit it has (sPyNNaker's max_support_delay
// when delays need more): 2^(14 − type bits − index bits) ticks, 32 for
// 256 neurons. Longer delays go through a delay-extension core.
// A core of more than 8192 neurons holds no delay at all (0).
func MaxDirectDelay(n int) uint32 {
	l := newLayout(n)
	if l.typeBits+l.indexBits >= MaxRingBufferBits {
		return 0
	}
	return 1 << (MaxRingBufferBits - l.typeBits - l.indexBits)
}

// Delayed says that a source's rows come from a delay-extension core: row
// (s−1)<<AtomBits | i holds the synapses of the source slice's neuron i
// whose delay is s·StageLen ticks longer than the remainder stored in them.
// The host reads them back with their whole delay.
type Delayed struct {
	AtomBits int
	StageLen uint32
	N        int // the source slice's neurons
}

// layout packs | delay | type | index | into a 16-bit control word.
type layout struct {
	indexBits, typeBits uint32
	indexMask, typeMask uint32
}

func newLayout(n int) layout {
	ib := uint32(bits.Len(uint(n - 1)))
	return layout{indexBits: ib, typeBits: 1, indexMask: 1<<ib - 1, typeMask: 1}
}

func (l layout) pack(index, typ int, delay uint32) uint16 {
	return uint16(delay<<(l.indexBits+l.typeBits)) | l.entry(index, typ)
}

// entry is a neuron's entry of a type in a ring-buffer slot: a control
// word's low bits.
func (l layout) entry(index, typ int) uint16 {
	return uint16(typ<<l.indexBits | index)
}

func (l layout) unpack(c uint16) (index, typ int, delay uint32) {
	w := uint32(c)
	return int(w & l.indexMask), int(w >> l.indexBits & l.typeMask), w >> (l.indexBits + l.typeBits)
}

// SourceSynapse is one synapse from a source slice onto a core's neurons, as
// the mapping hands it over.
//
// It is 24 bytes: the mapping holds one for every synapse of the network
// while it loads the cores. A core has at most 8192 neurons (14 ring-buffer
// bits, one of them the synapse type), so Post fits 16 bits.
type SourceSynapse struct {
	Weight float64 // nA magnitude; for neuromodulation, the signed dopamine step
	Row    int32   // pre neuron within the source slice (delayed sources: stage and neuron, Delayed)
	Delay  uint32  // ticks ≥ 1
	Proj   int32   // projection index, for read-back
	Post   uint16  // post neuron within this core's slice
	Kind   Kind
	Type   uint8 // kernels.SynExc or SynInh (static and plastic)
}

// matrix is the rows of one source slice for one kind of synapse, and the
// rule that processes them: a row belongs to one projection's kind, so the
// rule is chosen once per row, never per synapse.
type matrix[W Word, T Trace] struct {
	kind Kind
	rule rowRule[W, T]
	// proj is the projection of each synapse (for read-back only), or nil
	// when they all belong to projOne (most matrices: 4 bytes a synapse
	// saved).
	proj     []int32
	projOne  int32
	rowStart []int32 // len rows+1
	rowLen   []int32 // structural rows: synapses in use (rowStart spaces them by capacity); nil otherwise
	preLo    int     // global index of row 0's neuron
	// rowBits and stageLen describe a delay-extension source's rows
	// (Delayed); stageLen is 0 for a direct source.
	rowBits  uint8
	stageLen uint32
	delayedN int32 // the source slice's neurons

	control []uint16 // static and plastic: | delay | type | index |; neuromodulation: post index
	weight  []W      // static and plain STDP: the weight; neuromodulation: the signed step
	state   [][2]W   // neuromodulated STDP: (weight, eligibility)

	preTime  []uint32 // plastic: per row, the last pre spike's tick
	preTrace []T      // plastic: per row, the pre trace just after it
}

func (m *matrix[W, T]) rows() int { return len(m.rowStart) - 1 }

// srcN is the number of neurons of the source slice: its rows, or for a
// delay extension's rows, the neurons of each stage.
func (m *matrix[W, T]) srcN() int {
	if m.stageLen > 0 {
		return int(m.delayedN)
	}
	return m.rows()
}

// projOf is the projection of synapse j.
func (m *matrix[W, T]) projOf(j int32) int32 {
	if m.proj == nil {
		return m.projOne
	}
	return m.proj[j]
}

// compactProj drops the per-synapse projections of a matrix whose synapses
// all belong to one projection (not for structural matrices, whose rows
// gain synapses of any of their projections).
func (m *matrix[W, T]) compactProj() {
	for _, p := range m.proj {
		if p != m.proj[0] {
			return
		}
	}
	m.projOne, m.proj = m.proj[0], nil
}

// span is the synapses [lo, hi) of a row.
func (m *matrix[W, T]) span(row int) (lo, hi int32) {
	lo = m.rowStart[row]
	if m.rowLen != nil {
		return lo, lo + m.rowLen[row]
	}
	return lo, m.rowStart[row+1]
}

// popEntry is a master population table entry: a source slice's key and
// mask and its matrices by kind (-1 where it has none of that kind).
type popEntry struct {
	key, mask uint32
	mats      [numKinds]int32
	// order holds the matrices of mats that exist, in processOrder: a
	// row's kinds are walked without testing the absent ones.
	order  [numKinds]int32
	nOrder uint8
	spPre  int16 // structural pre population index of the source slice, −1 when it is none
	spSub  int16 // its slice index within that population
}

// weightWord converts a weight to its stored uint16 at a scale (host rint).
func weightWord(w, scale float64) (uint16, error) {
	v := math.RoundToEven(math.Abs(w) * scale)
	if v > math.MaxUint16 {
		return 0, fmt.Errorf("weight %v nA does not fit 16 bits at scale %v", w, scale)
	}
	return uint16(v), nil
}
