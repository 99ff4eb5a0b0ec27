package core

import (
	"math"
	"unsafe"

	"github.com/spinnsim/spinnsim/kernels"
)

// Synapse dynamics: what a row does when its pre-synaptic neuron spikes.
// One rule per kind of row, each in both arithmetics, with the kernels of
// package kernels doing the mathematics:
//
//	static                    add each weight to the ring buffer at t + d
//	STDP                      update each weight (kernels.STDPFixed/Float:
//	                          SpikePairRule or SpikeNearestPairRule ×
//	                          Additive or Multiplicative), then add it
//	neuromodulated STDP       update each (weight, eligibility) pair
//	                          (kernels.NeuromodFixed/Float), then add the weight
//	dopamine                  append a reward or punishment event to each
//	                          target's history (reward and punishment rows)
//
// The engine calls a rule once per row; the loop over the row's synapses is
// the rule's, with no interface call or allocation per synapse.

// rowRule processes one row of a matrix for a pre spike at tick t and
// returns the number of synapses it touched.
type rowRule[W Word, T Trace] interface {
	process(e *engine[W, T], m *matrix[W, T], row int, t uint32, c *Counters) int
	// twoWords reports whether a synapse keeps (weight, eligibility).
	twoWords() bool
}

// arith is what differs between the arithmetics outside the rules: how the
// host stores a weight and reads it back, and how a ring-buffer slot
// travels through SDRAM between a synapse core and its neuron core.
type arith[W Word, T Trace] interface {
	adder[W]                            // a ring-buffer slot's additions summed (ring_buffer.go)
	word(w float64, typ int) (W, error) // a static or plastic weight (nA) as stored
	step(w float64) W                   // a signed dopamine step as stored
	value(w W, typ int) float64         // a stored weight read back (nA)
	stepValue(w W) float64              // a stored dopamine step read back (its size)
	blockWords(entries int) int         // SDRAM words of a slot of so many entries
	encode(dst []uint32, slot []W)      // a slot into its SDRAM block
	sum(dst []W, blocks [][]uint32)     // blocks summed as the neuron core sums them
}

// fixedArith: weights are uint16 words at the type's weight scale
// 2^(15−k); a slot travels as uint16 lanes, two to a 32-bit word (entry 2i
// in the low half), and the neuron core adds the blocks as 32-bit words, so
// that a carry out of a low lane spills into the high lane and nothing
// saturates (reference spynnaker-neuromodulation.md §5).
type fixedArith struct {
	scale [kernels.NumSynapseTypes]float64
}

func newFixedArith(shift [kernels.NumSynapseTypes]uint32) fixedArith {
	var a fixedArith
	for t := range a.scale {
		a.scale[t] = kernels.WeightScale(shift[t])
	}
	return a
}

func (a fixedArith) word(w float64, typ int) (uint16, error) { return weightWord(w, a.scale[typ]) }

func (fixedArith) step(w float64) uint16 {
	c := kernels.Concentration(w)
	if w < 0 {
		c = -c
	}
	return uint16(c)
}

func (a fixedArith) value(w uint16, typ int) float64 { return float64(w) / a.scale[typ] }
func (fixedArith) stepValue(w uint16) float64 {
	return math.Abs(float64(int16(w)) / kernels.S411One)
}
func (fixedArith) blockWords(entries int) int { return (entries + 1) / 2 }

func (fixedArith) encode(dst []uint32, slot []uint16) {
	// Whole pairs of entries, then the odd one out (if any) alone in its
	// word's low half.
	pairs := min(len(dst), len(slot)/2)
	if w := wordsOf(slot[:2*pairs]); w != nil {
		copy(dst, w) // the pairs as they lie in memory
	} else {
		words, two := dst[:pairs], slot[:2*pairs]
		for i := range words {
			words[i] = uint32(two[2*i]) | uint32(two[2*i+1])<<16
		}
	}
	if pairs < len(dst) {
		dst[pairs] = uint32(slot[2*pairs])
	}
}

func (fixedArith) sum(dst []uint16, blocks [][]uint32) {
	// As 32-bit words (a low half-word's carry goes into the high one, as
	// the neuron core's adds do), block by block for the common counts,
	// straight into dst's pairs where they lie as words; an odd last entry
	// takes its word's low half.
	pairs := len(dst) / 2
	words := (len(dst) + 1) / 2
	out := wordsOf(dst[:2*pairs])
	put := func(k int, w uint32) {
		if k < pairs && out != nil {
			out[k] = w
			return
		}
		dst[2*k] = uint16(w)
		if 2*k+1 < len(dst) {
			dst[2*k+1] = uint16(w >> 16)
		}
	}
	switch len(blocks) {
	case 1:
		b0 := blocks[0][:words]
		if out != nil {
			copy(out, b0)
			if pairs < words {
				put(pairs, b0[pairs])
			}
			return
		}
		for k, w := range b0 {
			put(k, w)
		}
	case 2:
		b0, b1 := blocks[0][:words], blocks[1][:words]
		for k := range b0 {
			put(k, b0[k]+b1[k])
		}
	case 3:
		b0, b1, b2 := blocks[0][:words], blocks[1][:words], blocks[2][:words]
		for k := range b0 {
			put(k, b0[k]+b1[k]+b2[k])
		}
	default:
		for k := range words {
			var w uint32
			for _, b := range blocks {
				w += b[k]
			}
			put(k, w)
		}
	}
}

// littleEndian: the host keeps a word's low half-word first, as the chip
// does, so a slot's pairs of entries lie in memory as the block's words.
var littleEndian = func() bool {
	x := uint32(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// wordsOf views an even run of half-words as the 32-bit words they make,
// entry 2i in the low half of word i, on a little-endian host when the run
// is aligned to 4 bytes; nil otherwise (the caller then packs the words).
func wordsOf(h []uint16) []uint32 {
	if !littleEndian || len(h) == 0 || uintptr(unsafe.Pointer(&h[0]))%4 != 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&h[0])), len(h)/2)
}

// floatArith: weights in nA; a slot travels as float64 values, two words
// each, summed in float64 in the order of the synapse cores.
type floatArith struct{}

func (floatArith) word(w float64, _ int) (float64, error) { return w, nil }
func (floatArith) step(w float64) float64                 { return w }
func (floatArith) value(w float64, _ int) float64         { return w }
func (floatArith) stepValue(w float64) float64            { return math.Abs(w) }
func (floatArith) blockWords(entries int) int             { return 2 * entries }

func (floatArith) encode(dst []uint32, slot []float64) {
	for i, v := range slot {
		b := math.Float64bits(v)
		dst[2*i], dst[2*i+1] = uint32(b), uint32(b>>32)
	}
}

func (floatArith) sum(dst []float64, blocks [][]uint32) {
	for i := range dst {
		var s float64
		for k, b := range blocks {
			v := math.Float64frombits(uint64(b[2*i]) | uint64(b[2*i+1])<<32)
			if k == 0 {
				s = v
			} else {
				s += v
			}
		}
		dst[i] = s
	}
}

type staticFixed struct{}

func (staticFixed) twoWords() bool { return false }
func (staticFixed) process(e *engine[uint16, kernels.S411], m *matrix[uint16, kernels.S411], row int, t uint32, c *Counters) int {
	lo, hi := m.span(row)
	control := m.control[lo:hi]
	weight := m.weight[lo:hi][:len(control)]
	// A control word is | delay | type | index |: its low bits are the
	// entry in the slot. addFixed, its choice of path made once a row, and
	// ringBuffer.add written out (it is over the inliner's budget), with
	// what it reads in locals, which the stores would otherwise make the
	// loop reload.
	rb := &e.ring
	msk, sh := rb.msk, rb.sh
	entry := uint16(1)<<sh - 1
	if rb.direct == nil {
		queue, limit := rb.queue, rb.limit
		for j, ctl := range control {
			s := (t + uint32(ctl)>>sh) & msk
			q := &queue[s]
			if len(*q) >= limit {
				rb.fold(s)
			}
			*q = append(*q, ringAdd[uint16]{w: weight[j], i: ctl & entry})
		}
		return int(hi - lo)
	}
	ring := rb.direct
	for j, ctl := range control {
		i := (t+uint32(ctl)>>sh)&msk<<sh | uint32(ctl&entry)
		var saturated bool
		if ring[i], saturated = addSaturating(ring[i], weight[j]); saturated {
			c.WeightSaturated++
		}
	}
	return int(hi - lo)
}

type staticFloat struct{}

func (staticFloat) twoWords() bool { return false }
func (staticFloat) process(e *engine[float64, float64], m *matrix[float64, float64], row int, t uint32, _ *Counters) int {
	lo, hi := m.span(row)
	for j := lo; j < hi; j++ {
		n, typ, d := e.lay.unpack(m.control[j])
		addFloat(&e.ring, t+d, e.lay.entry(n, typ), m.weight[j])
	}
	return int(hi - lo)
}

// stdpFixed is plain STDP: the row header's pre trace and time, and each
// synapse's weight updated by the rule before it is added.
type stdpFixed struct{ k *kernels.STDPFixed }

func (stdpFixed) twoWords() bool { return false }
func (r stdpFixed) process(e *engine[uint16, kernels.S411], m *matrix[uint16, kernels.S411], row int, t uint32, c *Counters) int {
	lo, hi := m.span(row)
	tlp, rlp := m.preTime[row], m.preTrace[row]
	for j := lo; j < hi; j++ {
		n, typ, d := e.lay.unpack(m.control[j])
		w := r.k.Synapse(&m.weight[j], typ, d, tlp, rlp, t, &e.hist[n])
		addFixed(&e.ring, t+d, e.lay.entry(n, typ), w, c)
	}
	m.preTrace[row] = r.k.PreTrace(rlp, tlp, t)
	m.preTime[row] = t
	return int(hi - lo)
}

type stdpFloat struct{ k *kernels.STDPFloat }

func (stdpFloat) twoWords() bool { return false }
func (r stdpFloat) process(e *engine[float64, float64], m *matrix[float64, float64], row int, t uint32, _ *Counters) int {
	lo, hi := m.span(row)
	tlp, rlp := m.preTime[row], m.preTrace[row]
	for j := lo; j < hi; j++ {
		n, typ, d := e.lay.unpack(m.control[j])
		w := r.k.Synapse(&m.weight[j], d, tlp, rlp, t, &e.hist[n])
		addFloat(&e.ring, t+d, e.lay.entry(n, typ), w)
	}
	m.preTrace[row] = r.k.PreTrace(rlp, tlp, t)
	m.preTime[row] = t
	return int(hi - lo)
}

// neuromodFixed is neuromodulated STDP: each synapse's (weight,
// eligibility) updated by the rule and the dopamine history.
type neuromodFixed struct{ k *kernels.NeuromodFixed }

func (neuromodFixed) twoWords() bool { return true }
func (r neuromodFixed) process(e *engine[uint16, kernels.S411], m *matrix[uint16, kernels.S411], row int, t uint32, c *Counters) int {
	lo, hi := m.span(row)
	tlp, rlp := m.preTime[row], m.preTrace[row]
	if r.k.Trace != nil {
		for j := lo; j < hi; j++ {
			n, typ, d := e.lay.unpack(m.control[j])
			w := r.k.Synapse(&m.state[j], typ, d, tlp, rlp, t, &e.hist[n])
			addFixed(&e.ring, t+d, e.lay.entry(n, typ), w, c)
		}
	} else {
		for j := lo; j < hi; j++ {
			n, typ, d := e.lay.unpack(m.control[j])
			w := r.k.SynapseUntraced(&m.state[j], r.k.Shift[typ], d, tlp, rlp, t, &e.hist[n])
			addFixed(&e.ring, t+d, e.lay.entry(n, typ), w, c)
		}
	}
	m.preTrace[row] = r.k.Pair.PreTrace(rlp, tlp, t)
	m.preTime[row] = t
	return int(hi - lo)
}

type neuromodFloat struct{ k *kernels.NeuromodFloat }

func (neuromodFloat) twoWords() bool { return true }
func (r neuromodFloat) process(e *engine[float64, float64], m *matrix[float64, float64], row int, t uint32, _ *Counters) int {
	lo, hi := m.span(row)
	tlp, rlp := m.preTime[row], m.preTrace[row]
	for j := lo; j < hi; j++ {
		n, typ, d := e.lay.unpack(m.control[j])
		w := r.k.Synapse(&m.state[j], d, tlp, rlp, t, &e.hist[n])
		addFloat(&e.ring, t+d, e.lay.entry(n, typ), w)
	}
	m.preTrace[row] = r.k.PreTrace(rlp, tlp, t)
	m.preTime[row] = t
	return int(hi - lo)
}

// dopamineFixed appends a reward or punishment event (the row's signed
// step, s4.11) to the history of each target. No delay applies.
type dopamineFixed struct{ k *kernels.NeuromodFixed }

func (dopamineFixed) twoWords() bool { return false }
func (r dopamineFixed) process(e *engine[uint16, kernels.S411], m *matrix[uint16, kernels.S411], row int, t uint32, _ *Counters) int {
	lo, hi := m.span(row)
	for j := lo; j < hi; j++ {
		r.k.Dopamine(&e.hist[m.control[j]], t, kernels.S411(int16(m.weight[j])))
	}
	return int(hi - lo)
}

type dopamineFloat struct {
	k *kernels.NeuromodFloat
	p *historyPruner // nil with the chip's history capacity
}

func (dopamineFloat) twoWords() bool { return false }
func (r dopamineFloat) process(e *engine[float64, float64], m *matrix[float64, float64], row int, t uint32, _ *Counters) int {
	lo, hi := m.span(row)
	for j := lo; j < hi; j++ {
		r.k.Dopamine(&e.hist[m.control[j]], t, m.weight[j])
	}
	if r.p != nil {
		r.p.added(int(hi-lo), t)
	}
	return int(hi - lo)
}
