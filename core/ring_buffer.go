package core

// ringBuffer is a synapse engine's ring buffer: sPyNNaker's | slot | type |
// neuron | array of input words, one slot per tick of delay, which each
// synaptic event adds its weight into at slot t + d, saturating at 0xFFFF in
// fixed point, and whose slot of tick t is read and cleared at t.
//
// A ring of more than maxDirectSlots slots is kept as the additions
// themselves: per slot, the (entry, weight) pairs in the order the rows made
// them, summed into one slot's words when that slot is read (take). The sums
// and the saturations are the chip's, add for add, because each entry
// receives the same additions in the same order; only the moment they are
// summed moves. The reason is the host's cache: a core's slots are all live
// at once (delays spread over them), so on a large network the ring buffers
// of all the cores (4 MB at the microcircuit's scale 0.4) do not stay in the
// cache from one tick of a core to its next, and an addition into the array
// was a cache miss. An addition to a queue is a store at its end, and a slot
// is summed in one slot's words.
//
// A queued saturation is counted when its slot is summed; those of slots
// still unread when a run ends are counted by pendingSaturations, so that a
// run's count is the chip's, which counts them as the adds are made.
//
// A slot's queue holds at most maxQueuedPerEntry additions for each entry
// of the slot: a fuller queue is summed in order into the slot's own words,
// which the next additions continue from (fold), so that a burst cannot
// make the queues grow past nine times the chip's array (288 KB for a
// core's 32 KB) and the sums stay the chip's. A queue keeps its room, so a
// run's steady state allocates nothing; the core's DTCM is still reckoned
// with the chip's array (words).
type ringBuffer[W Word] struct {
	// direct is the chip's array, for a ring of at most maxDirectSlots
	// slots; nil when the ring is kept as queues.
	direct []W
	queue  [][]ringAdd[W] // by slot, the additions in the order made since its last fold; nil when direct
	folds  []ringFold[W]  // by slot, what was folded (apart: the rows touch only queue)
	limit  int            // the most additions a queue holds before it is folded
	sum    []W            // the slot being read: every type, 2^indexBits neurons of each
	msk    uint32         // slots − 1
	sh     uint32         // entries of a slot = 1 << sh
	words  int            // entries of the chip's ring buffer, for its memory
	ar     adder[W]
}

// ringFold is what a slot's folds have summed since it was last taken.
type ringFold[W Word] struct {
	sums   []W    // the folded additions, summed (nil before the first fold)
	folded bool   // sums holds additions not yet taken
	sat    uint64 // saturations among them
}

// maxDirectSlots is the most slots a ring buffer kept as the chip's array
// has. A ring of one or two slots is read and cleared whole every tick or
// every other, so its entries are in the cache when the rows add into them,
// and the array is faster; with more slots it is the queues.
const maxDirectSlots = 2

// maxQueuedPerEntry bounds a slot's queue: that many additions for each of
// the slot's entries (4 bytes an addition in fixed point, against 2 an
// entry in the array).
const maxQueuedPerEntry = 4

// ringAdd is one addition: entry i of its slot (type<<indexBits | neuron)
// and the weight.
type ringAdd[W Word] struct {
	w W
	i uint16
}

// newRingBuffer makes a ring of 2^delayBits slots of 2^slotBits entries,
// kept as the chip's array or as queues (maxDirectSlots), adding in ar.
func newRingBuffer[W Word](delayBits, slotBits uint32, ar adder[W]) ringBuffer[W] {
	return newRingBufferKept(delayBits, slotBits, ar, 1<<delayBits > maxDirectSlots)
}

// newRingBufferKept makes a ring kept as queues or as the array, as asked
// (a test holds the two equal).
func newRingBufferKept[W Word](delayBits, slotBits uint32, ar adder[W], queued bool) ringBuffer[W] {
	rb := ringBuffer[W]{
		sum:   make([]W, 1<<slotBits),
		msk:   1<<delayBits - 1,
		sh:    slotBits,
		words: 1 << (delayBits + slotBits),
		limit: maxQueuedPerEntry << slotBits,
		ar:    ar,
	}
	if queued {
		rb.queue = make([][]ringAdd[W], 1<<delayBits)
		rb.folds = make([]ringFold[W], 1<<delayBits)
	} else {
		rb.direct = make([]W, rb.words)
	}
	return rb
}

// add appends an addition to slot s's queue, folding the queue first if
// it is full.
func (rb *ringBuffer[W]) add(s uint32, a ringAdd[W]) {
	q := &rb.queue[s]
	if len(*q) >= rb.limit {
		rb.fold(s)
	}
	*q = append(*q, a)
}

// fold sums slot s's queue, in order, into the slot's own words.
func (rb *ringBuffer[W]) fold(s uint32) {
	f := &rb.folds[s]
	if f.sums == nil {
		f.sums = make([]W, len(rb.sum))
	}
	f.sat += rb.ar.addAll(f.sums, rb.queue[s])
	rb.queue[s] = rb.queue[s][:0]
	f.folded = true
}

// addFixed adds w to entry i of the slot of tick t, saturating at 0xFFFF
// (counted in c) as the chip does.
func addFixed(rb *ringBuffer[uint16], t uint32, i, w uint16, c *Counters) {
	if rb.direct == nil {
		rb.add(t&rb.msk, ringAdd[uint16]{w: w, i: i})
		return
	}
	k := (t&rb.msk)<<rb.sh | uint32(i)
	var saturated bool
	if rb.direct[k], saturated = addSaturating(rb.direct[k], w); saturated {
		c.WeightSaturated++
	}
}

// addSaturating is the chip's ring-buffer add: a uint16 sum that saturates
// at 0xFFFF, and whether it did.
func addSaturating(x, w uint16) (uint16, bool) {
	if s := uint32(x) + uint32(w); s <= 0xFFFF {
		return uint16(s), false
	}
	return 0xFFFF, true
}

// addFloat adds w to entry i of the slot of tick t.
func addFloat(rb *ringBuffer[float64], t uint32, i uint16, w float64) {
	if rb.direct == nil {
		rb.add(t&rb.msk, ringAdd[float64]{w: w, i: i})
		return
	}
	rb.direct[(t&rb.msk)<<rb.sh|uint32(i)] += w
}

// take returns the slot of tick t summed, and empties it: the returned words
// are the buffer's until the next take. Saturations are added to c.
func (rb *ringBuffer[W]) take(t uint32, c *Counters) []W {
	if rb.direct != nil {
		base := (t & rb.msk) << rb.sh
		slot := rb.direct[base : base+uint32(len(rb.sum))]
		copy(rb.sum, slot)
		clear(slot)
		return rb.sum
	}
	s := t & rb.msk
	if f := &rb.folds[s]; f.folded {
		copy(rb.sum, f.sums)
		clear(f.sums)
		c.WeightSaturated += f.sat
		f.sat, f.folded = 0, false
	} else {
		clear(rb.sum)
	}
	c.WeightSaturated += rb.ar.addAll(rb.sum, rb.queue[s])
	rb.queue[s] = rb.queue[s][:0]
	return rb.sum
}

// pendingSaturations is the number of additions to slots not yet read that
// saturate (or will, as made so far): what the chip would have counted.
// The array counts them as they are made: none are pending.
func (rb *ringBuffer[W]) pendingSaturations() uint64 {
	scratch := make([]W, len(rb.sum))
	var n uint64
	for s, q := range rb.queue {
		f := &rb.folds[s]
		n += f.sat
		if len(q) > 0 {
			clear(scratch)
			if f.folded {
				copy(scratch, f.sums)
			}
			n += rb.ar.addAll(scratch, q)
		}
	}
	return n
}

// adder sums a slot's additions in an arithmetic and returns how many
// saturated.
type adder[W Word] interface {
	addAll(sum []W, adds []ringAdd[W]) uint64
}

// addAll adds as the chip does: a uint16 sum that saturates at 0xFFFF.
func (fixedArith) addAll(sum []uint16, adds []ringAdd[uint16]) uint64 {
	var n uint64
	for _, a := range adds {
		var saturated bool
		if sum[a.i], saturated = addSaturating(sum[a.i], a.w); saturated {
			n++
		}
	}
	return n
}

// addAll adds in float64, in the order made.
func (floatArith) addAll(sum []float64, adds []ringAdd[float64]) uint64 {
	for _, a := range adds {
		sum[a.i] += a.w
	}
	return 0
}
