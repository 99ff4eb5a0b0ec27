package core

import (
	"fmt"

	"github.com/spinnsim/spinnsim/kernels"
)

// Structural plasticity on a core that holds synapses: the rewiring of
// sPyNNaker's synaptogenesis (topographic_map_impl.c; reference
// spynnaker-neuromodulation.md §4; the mathematics and its quirks are in
// kernels/structural.go). At the start of each tick, before any packet of
// the tick is processed, the core makes the attempts its schedule asks for:
// draw a post neuron (the population's shared seed), one of its s_max slots
// (the core's local seed), then either form a synapse from a chosen partner
// (an empty slot) or try to eliminate the one the slot names. Formations
// append a synapse to the pre neuron's row, eliminations move the row's last
// synapse into the hole, as the chip does. Structural rows have a fixed
// capacity, as sPyNNaker pads them.
//
// A row's rule does not change: a structural synapse is static or plastic
// (STDP, neuromodulated or not) like the population's other plastic ones,
// and a formed synapse starts with the initial weight and, under
// neuromodulation, eligibility 0.

// StructuralConfig is the rewiring of one slice.
type StructuralConfig struct {
	Pres            []StructuralPre // one per structural projection into the population
	SMax            int
	WithReplacement bool
	Schedule        kernels.RewiringSchedule
	LastNeuron      int // > 0: LastNeuronSelection keeping this many spikes a tick; 0: RandomSelection
	Formation       kernels.DistanceDependentFormation
	Elimination     kernels.RandomByWeightElimination
	PopAtoms        int // the post population's size
	Lo              int // the slice's first neuron in it
	Shared, Local   kernels.JKISS
}

// StructuralPre is one structural projection into the slice.
type StructuralPre struct {
	Proj             int
	Lateral          bool    // the pre population is the post population
	Type             int     // synapse type of the synapses it forms
	InitialWeight    float64 // nA
	DelayLo, DelayHi uint32  // ticks, of formed synapses
	Slices           []StructuralSlice
}

// StructuralSlice is one slice of a structural pre population.
type StructuralSlice struct {
	Key, Mask uint32
	Lo, N     int // first neuron in its population, atoms
}

// RewiringEvent is one formation or elimination.
type RewiringEvent struct {
	Tick      uint32
	Proj      int
	Pre, Post int // neuron indices in their populations
	Formation bool
}

// spikeRef is a received spike as LastNeuronSelection keeps it.
type spikeRef struct {
	pop, sub uint16
	neuron   uint32
}

// rewireOps is what differs between the arithmetics in an attempt.
type rewireOps[W Word, T Trace] interface {
	selectRandom(rng *kernels.JKISS, sliceAtoms [][]uint32) (pop, sub, neuron uint32)
	selectLast(b *kernels.LastSpikes[spikeRef], t uint32, rng *kernels.JKISS) (spikeRef, bool)
	form(pre, post int, lateral bool, rng *kernels.JKISS) bool
	// eliminate decides for synapse j of matrix m: the weight it reads is
	// the arithmetic's business (the chip reads the eligibility half-word
	// under neuromodulation).
	eliminate(m *matrix[W, T], j int32, typ int, rng *kernels.JKISS) bool
	delay(rng *kernels.JKISS, lo, hi uint32) uint32
}

// rewirer is a core's rewiring state.
type rewirer[W Word, T Trace] struct {
	cfg        StructuralConfig
	ops        rewireOps[W, T]
	clock      kernels.RewiringClock
	table      *kernels.PostToPre
	mats       [][]int32 // [pre][slice] → engine matrix index, −1 until added
	sliceAtoms [][]uint32
	initWeight []W // per pre, the stored initial weight
	last       *kernels.LastSpikes[spikeRef]
	ready      bool

	Events                  []RewiringEvent
	Formations, Elimination []uint64 // per pre
}

func newRewirer[W Word, T Trace](cfg StructuralConfig, ops rewireOps[W, T], ar arith[W, T], n int) (*rewirer[W, T], error) {
	rw := &rewirer[W, T]{cfg: cfg, ops: ops, clock: kernels.RewiringClock{RewiringSchedule: cfg.Schedule},
		table: kernels.NewPostToPre(n, cfg.SMax), Formations: make([]uint64, len(cfg.Pres)), Elimination: make([]uint64, len(cfg.Pres))}
	if cfg.LastNeuron > 0 {
		rw.last = kernels.NewLastSpikes[spikeRef](cfg.LastNeuron)
	}
	for _, p := range cfg.Pres {
		var ms []int32
		var atoms []uint32
		for _, s := range p.Slices {
			ms = append(ms, -1)
			atoms = append(atoms, uint32(s.N))
		}
		rw.mats = append(rw.mats, ms)
		rw.sliceAtoms = append(rw.sliceAtoms, atoms)
		w, err := ar.word(p.InitialWeight, p.Type)
		if err != nil {
			return nil, fmt.Errorf("initial_weight: %w", err)
		}
		rw.initWeight = append(rw.initWeight, w)
	}
	return rw, nil
}

// source finds the structural pre population and slice of a key.
func (rw *rewirer[W, T]) source(key uint32) (pre, sub int, ok bool) {
	for i, p := range rw.cfg.Pres {
		for j, s := range p.Slices {
			if s.Key == key {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// start fills the post-to-pre table from the initial rows.
func (rw *rewirer[W, T]) start(e *engine[W, T]) error {
	initial := make([][]kernels.PostToPreEntry, e.n)
	for pi, ms := range rw.mats {
		for si, mi := range ms {
			if mi < 0 {
				return fmt.Errorf("no rows from slice %d of structural projection %d", si, rw.cfg.Pres[pi].Proj)
			}
			m := &e.mats[mi]
			for r := range m.rows() {
				lo, hi := m.span(r)
				for j := lo; j < hi; j++ {
					n, _, _ := e.lay.unpack(m.control[j])
					initial[n] = append(initial[n], kernels.PostToPreEntry{Pop: uint8(pi), Sub: uint8(si), Neuron: uint16(r)})
				}
			}
		}
	}
	for n, es := range initial {
		if err := rw.table.Init(n, es); err != nil {
			return fmt.Errorf("structural projection: %w (a connector may not start a neuron with more synapses than s_max)", err)
		}
	}
	rw.ready = true
	return nil
}

// received records a spike from a structural source for LastNeuronSelection.
func (rw *rewirer[W, T]) received(t uint32, ent *popEntry, neuron uint32) {
	if rw.last != nil && ent.spPre >= 0 {
		rw.last.Received(t, spikeRef{uint16(ent.spPre), uint16(ent.spSub), neuron})
	}
}

// rewire runs the attempts of tick t.
func (rw *rewirer[W, T]) rewire(e *engine[W, T], t uint32, c *Counters) error {
	if !rw.ready {
		return fmt.Errorf("rewiring before the rows were loaded")
	}
	cfg := &rw.cfg
	for range rw.clock.Attempts() {
		post, mine := kernels.DrawPost(&cfg.Shared, uint32(cfg.PopAtoms), uint32(cfg.Lo), uint32(cfg.Lo+e.n-1))
		if !mine {
			continue
		}
		c.RewiringAttempts++
		slot := rw.table.Slot(int(post), kernels.DrawSlot(&cfg.Local, uint32(cfg.SMax)))
		if slot.Empty() {
			rw.formation(e, t, int(post), slot)
		} else {
			rw.elimination(e, t, int(post), slot)
		}
	}
	return nil
}

func (rw *rewirer[W, T]) formation(e *engine[W, T], t uint32, post int, slot *kernels.PostToPreEntry) {
	cfg := &rw.cfg
	var pop, sub, neuron uint32
	if rw.last != nil {
		s, ok := rw.ops.selectLast(rw.last, t, &cfg.Local)
		if !ok {
			return
		}
		pop, sub, neuron = uint32(s.pop), uint32(s.sub), s.neuron
	} else {
		pop, sub, neuron = rw.ops.selectRandom(&cfg.Local, rw.sliceAtoms)
	}
	pre := &cfg.Pres[pop]
	m := &e.mats[rw.mats[pop][sub]]
	row := int(neuron)
	lo, hi := m.span(row)
	if int(hi-lo) >= cfg.SMax || hi == m.rowStart[row+1] {
		return
	}
	if !cfg.WithReplacement {
		for j := lo; j < hi; j++ {
			if n, _, _ := e.lay.unpack(m.control[j]); n == post {
				return
			}
		}
	}
	preID := pre.Slices[sub].Lo + row
	if !rw.ops.form(preID, cfg.Lo+post, pre.Lateral, &cfg.Local) {
		return
	}
	d := rw.ops.delay(&cfg.Local, pre.DelayLo, pre.DelayHi)
	m.control[hi] = e.lay.pack(post, pre.Type, d)
	m.proj[hi] = int32(pre.Proj)
	if m.state != nil {
		m.state[hi] = [2]W{rw.initWeight[pop], 0}
	} else {
		m.weight[hi] = rw.initWeight[pop]
	}
	m.rowLen[row]++
	*slot = kernels.PostToPreEntry{Pop: uint8(pop), Sub: uint8(sub), Neuron: uint16(row)}
	rw.Formations[pop]++
	rw.Events = append(rw.Events, RewiringEvent{Tick: t, Proj: pre.Proj, Pre: preID, Post: cfg.Lo + post, Formation: true})
}

func (rw *rewirer[W, T]) elimination(e *engine[W, T], t uint32, post int, slot *kernels.PostToPreEntry) {
	cfg := &rw.cfg
	pre := &cfg.Pres[slot.Pop]
	m := &e.mats[rw.mats[slot.Pop][slot.Sub]]
	row := int(slot.Neuron)
	lo, hi := m.span(row)
	j := lo
	for ; j < hi; j++ {
		if n, _, _ := e.lay.unpack(m.control[j]); n == post {
			break
		}
	}
	if j == hi {
		return
	}
	_, typ, _ := e.lay.unpack(m.control[j])
	if !rw.ops.eliminate(m, j, typ, &cfg.Local) {
		return
	}
	last := hi - 1
	m.control[j], m.proj[j] = m.control[last], m.proj[last]
	if m.state != nil {
		m.state[j] = m.state[last]
	} else {
		m.weight[j] = m.weight[last]
	}
	m.rowLen[row]--
	rw.Elimination[slot.Pop]++
	rw.Events = append(rw.Events, RewiringEvent{Tick: t, Proj: pre.Proj, Pre: pre.Slices[slot.Sub].Lo + row, Post: cfg.Lo + post})
	*slot = kernels.PostToPreEntry{Neuron: kernels.EmptySlot}
}

// fixedRewire makes the chip's decisions, quirks included: the halved grid
// reciprocal in formation, and under neuromodulated STDP the eligibility
// half-word read as the weight in elimination.
type fixedRewire struct {
	f  kernels.FormationFixed
	el [kernels.NumSynapseTypes]kernels.EliminationFixed
	nm bool
}

func newFixedRewire(cfg StructuralConfig, scale [kernels.NumSynapseTypes]float64, nm bool) *fixedRewire {
	r := &fixedRewire{f: cfg.Formation.Fixed(), nm: nm}
	for t := range r.el {
		r.el[t] = cfg.Elimination.Fixed(scale[t])
	}
	return r
}

func (r *fixedRewire) selectRandom(rng *kernels.JKISS, atoms [][]uint32) (uint32, uint32, uint32) {
	return kernels.RandomSelection(rng, atoms)
}
func (r *fixedRewire) selectLast(b *kernels.LastSpikes[spikeRef], t uint32, rng *kernels.JKISS) (spikeRef, bool) {
	return b.Choose(t, rng)
}
func (r *fixedRewire) form(pre, post int, lateral bool, rng *kernels.JKISS) bool {
	return r.f.Form(r.f.SquaredDistance(uint32(pre), uint32(post)), lateral, rng)
}
func (r *fixedRewire) eliminate(m *matrix[uint16, kernels.S411], j int32, typ int, rng *kernels.JKISS) bool {
	w := uint16(0)
	switch {
	case m.state != nil && r.nm:
		w = m.state[j][1] // the chip's row lookup returns the eligibility word
	case m.state != nil:
		w = m.state[j][0]
	default:
		w = m.weight[j]
	}
	return r.el[typ].Eliminate(w, rng)
}
func (r *fixedRewire) delay(rng *kernels.JKISS, lo, hi uint32) uint32 {
	return kernels.DrawDelay(rng, lo, hi)
}

// floatRewire makes the decisions as evidently intended: the row-major grid,
// exact probabilities, and the synapse's real weight in elimination.
type floatRewire struct {
	f  kernels.DistanceDependentFormation
	el kernels.RandomByWeightElimination
}

func (r *floatRewire) selectRandom(rng *kernels.JKISS, atoms [][]uint32) (uint32, uint32, uint32) {
	return kernels.RandomSelectionFloat(rng, atoms)
}
func (r *floatRewire) selectLast(b *kernels.LastSpikes[spikeRef], t uint32, rng *kernels.JKISS) (spikeRef, bool) {
	return b.ChooseFloat(t, rng)
}
func (r *floatRewire) form(pre, post int, lateral bool, rng *kernels.JKISS) bool {
	return r.f.Form(r.f.SquaredDistance(pre, post), lateral, rng)
}
func (r *floatRewire) eliminate(m *matrix[float64, float64], j int32, _ int, rng *kernels.JKISS) bool {
	w := 0.0
	if m.state != nil {
		w = m.state[j][0]
	} else {
		w = m.weight[j]
	}
	return r.el.Eliminate(w, rng)
}
func (r *floatRewire) delay(rng *kernels.JKISS, lo, hi uint32) uint32 {
	return kernels.DrawDelayFloat(rng, lo, hi)
}
