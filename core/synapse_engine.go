package core

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/packets"
)

// engine is the synapse engine of a core that holds synapses (a combined
// neuron core, or a split population's synapse core), in one arithmetic:
// the master population table that finds a packet's rows by key, the rows
// themselves, the ring buffers the rows add their weights into, and the
// post-synaptic history (post spikes and dopamine) that plastic rows read.
//
// What a row does is its rule's business (synapse_dynamics.go): static,
// STDP (a timing rule × a weight dependence) or neuromodulated STDP for the
// synapses, dopamine for reward and punishment rows. The engine only finds
// rows and owns the state they share.
//
// Ring buffers are sPyNNaker's: | slot | type | neuron |, with 2^delayBits
// slots of one tick each; the slot of tick t is read (or handed to the
// neuron core) at t and cleared. 2^k slots hold delays up to 2^k ticks: a
// spike of tick t with delay 2^k lands in the slot of t, which was read and
// cleared at t. The host keeps a ring of more than two slots as each slot's
// additions (ring_buffer.go).
type engine[W Word, T Trace] struct {
	n     int
	lay   layout
	ar    arith[W, T]
	rules [numKinds]rowRule[W, T] // nil: no rows of that kind allowed

	ring ringBuffer[W]
	hist []kernels.History[T]
	post func(h *kernels.History[T], t uint32) // records a post spike; nil without plastic rows

	tbl    []popEntry
	keys   []uint32 // tbl's keys, in order: lookup's binary search reads 4 bytes an entry
	mats   []matrix[W, T]
	maxRow int

	// A split population's synapse core receives its neuron core's spikes
	// (key loopKey, mask loopMask) as post-synaptic events.
	loop              bool
	loopKey, loopMask uint32

	rw    *rewirer[W, T] // structural plasticity; nil without
	trace *tracer        // traced synapses (traces.go); nil: none

	// spikes holds a tick's spikes that have rows, between finding their
	// rows and processing them (receive); it grows to the busiest tick.
	spikes []spikeRow
	sink   uint32 // what touchRows read, kept so that its loads stay
}

// spikeRow is a received spike's master population table entry and row,
// and how many times its row is processed.
type spikeRow struct {
	ent    *popEntry
	row    int
	repeat uint32
}

func newEngine[W Word, T Trace](n int, maxDelay uint32, ar arith[W, T], rules [numKinds]rowRule[W, T],
	post func(h *kernels.History[T], t uint32), newHistory func() kernels.History[T]) (*engine[W, T], error) {
	e := &engine[W, T]{n: n, lay: newLayout(n), ar: ar, rules: rules, post: post}
	delayBits := DelayBits(maxDelay)
	total := delayBits + e.lay.typeBits + e.lay.indexBits
	if total > MaxRingBufferBits {
		return nil, &RingBufferError{Delay: maxDelay, N: n, Bits: total}
	}
	e.ring = newRingBuffer(delayBits, e.lay.typeBits+e.lay.indexBits, adder[W](ar))
	if post != nil {
		e.hist = make([]kernels.History[T], n)
		for i := range e.hist {
			e.hist[i] = newHistory()
		}
	}
	return e, nil
}

// slotEntries is the number of ring-buffer entries in one slot: every type,
// and 2^indexBits neurons of each.
func (e *engine[W, T]) slotEntries() int { return 1 << e.ring.sh }

// slot returns the entries of tick t's slot and clears it (they are the
// engine's until the next slot is read); saturations go to c.
func (e *engine[W, T]) slot(t uint32, c *Counters) []W {
	return e.ring.take(t, c)
}

// input is tick t's slot as per-type views of the core's neurons, read and
// cleared as slot does.
func (e *engine[W, T]) input(t uint32, c *Counters) Input[W] {
	return inputOf(e.slot(t, c), e.lay, e.n)
}

// pending adds the saturations of the ring-buffer additions to slots not
// yet read (Core.FinalCounters).
func (e *engine[W, T]) pending(k *Counters) {
	k.WeightSaturated += e.ring.pendingSaturations()
}

func inputOf[W Word](slot []W, l layout, n int) Input[W] {
	var in Input[W]
	for typ := range in {
		lo := typ << l.indexBits
		in[typ] = slot[lo : lo+n]
	}
	return in
}

// addSource adds the rows of one source slice (key/mask, nRows neurons whose
// first has global index preLo). Synapses may come in any order.
func (e *engine[W, T]) addSource(key, mask uint32, preLo, nRows int, syns []SourceSynapse, dl *Delayed) error {
	if e.lookup(key) != nil || e.loop && key&e.loopMask == e.loopKey {
		return fmt.Errorf("key %#x added twice", key)
	}
	ent := popEntry{key: key, mask: mask, mats: [numKinds]int32{-1, -1, -1, -1}, spPre: -1, spSub: -1}
	// Sorted in place (the mapping hands its copy over): a stable sort by
	// row keeps each row's synapses in the order given.
	byRow := func(a, b SourceSynapse) int { return cmp.Compare(a.Row, b.Row) }
	if !slices.IsSortedFunc(syns, byRow) {
		slices.SortStableFunc(syns, byRow)
	}
	structural := false
	if e.rw != nil {
		if pre, sub, ok := e.rw.source(key); ok {
			ent.spPre, ent.spSub, structural = int16(pre), int16(sub), true
		}
	}
	for kind := range numKinds {
		m, err := e.buildMatrix(kind, preLo, nRows, syns, structural)
		if err != nil {
			return err
		}
		if m == nil {
			continue
		}
		if dl != nil {
			m.rowBits, m.stageLen, m.delayedN = uint8(dl.AtomBits), dl.StageLen, int32(dl.N)
		}
		e.mats = append(e.mats, *m)
		ent.mats[kind] = int32(len(e.mats) - 1)
		if kind == Structural {
			e.rw.mats[ent.spPre][ent.spSub] = ent.mats[kind]
		}
	}
	for _, kind := range processOrder {
		if mi := ent.mats[kind]; mi >= 0 {
			ent.order[ent.nOrder] = mi
			ent.nOrder++
		}
	}
	// Keep the table sorted by key: insert in place (no full sort per source).
	i, _ := slices.BinarySearchFunc(e.tbl, ent.key, func(a popEntry, k uint32) int { return cmp.Compare(a.key, k) })
	e.tbl = slices.Insert(e.tbl, i, ent)
	e.keys = slices.Insert(e.keys, i, ent.key)
	return nil
}

// lookup finds the master population table entry of a key (entries
// sorted by key, non-overlapping), or nil.
func (e *engine[W, T]) lookup(key uint32) *popEntry {
	if i := e.find(key, 0); i >= 0 {
		return &e.tbl[i]
	}
	return nil
}

// find is the index of the entry of a key, or −1: the last entry whose key
// is not above it, if the key matches it under its mask. The search
// gallops forward from entry from when the key is not below that entry's:
// a tick's packets come in key order, so each search starts at the last
// one's entry and reads the keys next to it, which are in the cache,
// instead of halving the whole table from its middle.
func (e *engine[W, T]) find(key uint32, from int) int {
	keys := e.keys
	lo, hi := 0, len(keys) // the answer is the last index in [lo−1, hi) with keys ≤ key
	if from < len(keys) && keys[from] <= key {
		lo, hi = from+1, len(keys)
		for step := 1; lo+step-1 < len(keys); step <<= 1 {
			if keys[lo+step-1] > key {
				hi = lo + step - 1
				break
			}
			lo += step
		}
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] <= key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i := lo - 1
	if i < 0 || key&e.tbl[i].mask != keys[i] {
		return -1
	}
	return i
}

// processOrder is the order in which a packet's rows are processed.
var processOrder = [numKinds]Kind{Plastic, Structural, Static, Neuromodulatory}

var kindNames = [numKinds]string{"static", "plastic", "neuromodulation", "structural"}

// buildMatrix builds the rows of one kind from a source slice; nil when it
// has none. The rows of a structural source are built even when empty, with
// room for s_max synapses each (more if its initial rows are longer).
func (e *engine[W, T]) buildMatrix(kind Kind, preLo, nRows int, syns []SourceSynapse, structural bool) (*matrix[W, T], error) {
	if kind == Structural && !structural {
		for _, s := range syns {
			if s.Kind == Structural {
				return nil, fmt.Errorf("structural synapses from a source that is not a structural projection's")
			}
		}
		return nil, nil
	}
	m := &matrix[W, T]{kind: kind, rule: e.rules[kind], preLo: preLo, rowStart: make([]int32, nRows+1)}
	maxDelay := e.ring.msk + 1
	for _, s := range syns {
		if s.Kind != kind {
			continue
		}
		if m.rule == nil {
			return nil, fmt.Errorf("%s synapses onto a core without a rule for them", kindNames[kind])
		}
		if s.Row < 0 || int(s.Row) >= nRows || int(s.Post) >= e.n {
			return nil, fmt.Errorf("synapse %d->%d outside the slices", s.Row, s.Post)
		}
		if kind != Neuromodulatory && (s.Delay < 1 || s.Delay > maxDelay) {
			return nil, fmt.Errorf("delay %d ticks outside 1..%d", s.Delay, maxDelay)
		}
		m.rowStart[s.Row+1]++
		m.proj = append(m.proj, int32(s.Proj))
		switch kind {
		case Neuromodulatory:
			m.control = append(m.control, uint16(s.Post))
			m.weight = append(m.weight, e.ar.step(s.Weight))
			continue
		default:
			m.control = append(m.control, e.lay.pack(int(s.Post), int(s.Type), s.Delay))
		}
		w, err := e.ar.word(s.Weight, int(s.Type))
		if err != nil {
			return nil, err
		}
		if m.rule.twoWords() {
			m.state = append(m.state, [2]W{w, 0})
		} else {
			m.weight = append(m.weight, w)
		}
	}
	if kind == Structural {
		return e.padStructural(m, nRows), nil
	}
	if len(m.proj) == 0 {
		return nil, nil
	}
	m.compactProj()
	for r := range nRows {
		e.maxRow = max(e.maxRow, int(m.rowStart[r+1]))
		m.rowStart[r+1] += m.rowStart[r]
	}
	if kind == Plastic {
		m.preTime = make([]uint32, nRows)
		m.preTrace = make([]T, nRows)
	}
	return m, nil
}

// padStructural spaces a structural matrix's rows (m.rowStart still holds
// each row's count) by their capacity.
func (e *engine[W, T]) padStructural(m *matrix[W, T], nRows int) *matrix[W, T] {
	capacity := e.rw.cfg.SMax
	for r := range nRows {
		capacity = max(capacity, int(m.rowStart[r+1]))
	}
	e.maxRow = max(e.maxRow, capacity)
	old := *m
	m.rowLen = make([]int32, nRows)
	m.control = make([]uint16, nRows*capacity)
	m.proj = make([]int32, nRows*capacity)
	if old.state != nil || m.rule.twoWords() {
		m.state = make([][2]W, nRows*capacity)
	} else {
		m.weight = make([]W, nRows*capacity)
	}
	src := int32(0)
	for r := range nRows {
		n := old.rowStart[r+1]
		m.rowLen[r] = n
		dst := int32(r * capacity)
		m.rowStart[r] = dst
		copy(m.control[dst:dst+n], old.control[src:src+n])
		copy(m.proj[dst:dst+n], old.proj[src:src+n])
		if m.state != nil {
			copy(m.state[dst:dst+n], old.state[src:src+n])
		} else {
			copy(m.weight[dst:dst+n], old.weight[src:src+n])
		}
		src += n
	}
	m.rowStart[nRows] = int32(nRows * capacity)
	m.preTime = make([]uint32, nRows)
	m.preTrace = make([]T, nRows)
	return m
}

// receive processes the packets of tick t, sorted by key: first the post
// spikes of its own neuron core (a split synapse core), so that they enter
// the history at t before any row of t is processed, as on a combined core
// whose neuron update comes first; then the row of each packet's source
// neuron, plastic before static before neuromodulation.
func (e *engine[W, T]) receive(t uint32, pkts []packets.Packet, c *Counters) {
	if e.loop {
		for _, p := range pkts {
			if p.Key&e.loopMask == e.loopKey {
				e.postSpike(int(p.Key&^e.loopMask), t)
				c.PostEvents++
			}
		}
	}
	spikes := e.spikes[:0]
	// The last packet's entry: sorted packets of one source slice share
	// it, and the next source's is found from it onward.
	var ent *popEntry
	at := 0
	for _, p := range pkts {
		if e.loop && p.Key&e.loopMask == e.loopKey {
			continue
		}
		if ent == nil || p.Key&ent.mask != ent.key {
			i := e.find(p.Key, at)
			if i < 0 {
				ent = nil
				c.PacketsDropped++
				continue
			}
			ent, at = &e.tbl[i], i
		}
		// An MCPL packet from a delay-extension core carries how many
		// spikes of the neuron it stands for: the row is processed that
		// many times, as sPyNNaker's spike processing does.
		repeat := uint32(1)
		if p.HasPayload {
			repeat = p.Payload
		}
		spikes = append(spikes, spikeRow{ent: ent, row: int(p.Key &^ ent.mask), repeat: repeat})
	}
	e.spikes = spikes
	e.touchRows(spikes)
	for _, s := range spikes {
		for r := s.repeat; r > 0; r-- {
			e.processRow(t, s.ent, s.row, c)
		}
	}
}

// touchRows reads the start and the first words (control and weight) of
// every row the tick's spikes will process, before any is processed. The
// loads of different rows do not wait for each other, so their cache misses
// overlap instead of coming one after another as the rows are processed
// (the weight's too: 4 % of the run at S = K = 0.4): on a large network
// whose cores' matrices do not stay in the cache between their ticks (the
// microcircuit), these misses were most of a row's time. The chip overlaps
// them too: its DMA engine fetches the next row while the core processes
// the current one. It changes nothing.
func (e *engine[W, T]) touchRows(spikes []spikeRow) {
	if len(spikes) < 2 {
		return
	}
	var sink uint32
	for _, s := range spikes {
		for _, mi := range s.ent.order[:s.ent.nOrder] {
			m := &e.mats[mi]
			if s.row >= m.rows() {
				continue
			}
			if lo, hi := m.span(s.row); lo < hi {
				sink += uint32(m.control[lo])
				if m.weight != nil {
					sink += uint32(m.weight[lo])
				} else if m.state != nil {
					sink += uint32(m.state[lo][0])
				}
			}
		}
	}
	e.sink = sink
}

// processRow processes the rows of a source's neuron (every kind) for one
// spike of tick t.
func (e *engine[W, T]) processRow(t uint32, ent *popEntry, row int, c *Counters) {
	if e.rw != nil {
		e.rw.received(t, ent, uint32(row))
	}
	for _, mi := range ent.order[:ent.nOrder] {
		m := &e.mats[mi]
		if row >= m.rows() {
			continue
		}
		n := uint64(m.rule.process(e, m, row, t, c))
		if m.kind == Neuromodulatory {
			c.DopamineEvents += n
		} else {
			c.SynapticEvents += n
		}
	}
}

// loaded finishes loading: the rewirer's post-to-pre table.
func (e *engine[W, T]) loaded() error {
	if e.rw == nil {
		return nil
	}
	return e.rw.start(e)
}

// rewiring returns the rewiring events so far.
func (e *engine[W, T]) rewiring() []RewiringEvent {
	if e.rw == nil {
		return nil
	}
	return e.rw.Events
}

// startTick runs the work a core does at the start of tick t, before any
// packet of t: the rewiring attempts of structural plasticity.
func (e *engine[W, T]) startTick(t uint32, c *Counters) error {
	if e.rw == nil {
		return nil
	}
	return e.rw.rewire(e, t, c)
}

// postSpike records a post spike of neuron n at tick t for the plastic rows.
func (e *engine[W, T]) postSpike(n int, t uint32) {
	if e.post != nil {
		e.post(&e.hist[n], t)
	}
}

// Weight is one synapse as read back by the host.
type Weight struct {
	Pre, Post  int // pre global index, post index within the slice
	Weight     float64
	DelayTicks uint32
}

// weights reads back the synapses of projection proj as the host does:
// stored weight words divided by the weight scale of their type (fixed), or
// the float weights; a neuromodulation synapse reads back its step's size.
func (e *engine[W, T]) weights(proj int) []Weight {
	var ws []Weight
	for mi := range e.mats {
		m := &e.mats[mi]
		for r := range m.rows() {
			lo, hi := m.span(r)
			for j := lo; j < hi; j++ {
				if int(m.projOf(j)) != proj {
					continue
				}
				x := Weight{Pre: m.preLo + r, DelayTicks: 1}
				extra := uint32(0)
				if m.stageLen > 0 {
					x.Pre = m.preLo + r&(1<<m.rowBits-1)
					extra = uint32(r>>m.rowBits+1) * m.stageLen
				}
				if m.kind == Neuromodulatory {
					x.Post = int(m.control[j])
					x.Weight = e.ar.stepValue(m.weight[j])
					ws = append(ws, x)
					continue
				}
				n, typ, d := e.lay.unpack(m.control[j])
				x.Post, x.DelayTicks = n, d+extra
				if m.state != nil {
					x.Weight = e.ar.value(m.state[j][0], typ)
				} else {
					x.Weight = e.ar.value(m.weight[j], typ)
				}
				ws = append(ws, x)
			}
		}
	}
	return ws
}

// memory is an estimate of the DTCM the engine needs in sPyNNaker's binary:
// ring buffers, the master population table, two DMA row buffers and the
// post histories.
func (e *engine[W, T]) memory() int {
	d := 2*e.ring.words + 16*len(e.tbl) + 2*(12+8*e.maxRow)
	if e.post != nil {
		d += e.n * (8 + kernels.HistorySize*8)
	}
	if e.rw != nil {
		d += 4*len(e.rw.table.Slots) + 64*len(e.rw.cfg.Pres)
		if e.rw.last != nil {
			d += 16 * e.rw.cfg.LastNeuron
		}
	}
	return d
}
