package core

import (
	"github.com/spinnsim/spinnsim/kernels"
)

// Traces of plastic synapses over time, for debugging plasticity (the
// network file's "trace" on a projection). A traced synapse is sampled at
// the end of every tick that is a multiple of its period: the end of tick t
// is once the neuron update of t has recorded its post spikes and the rows
// of the spikes sent in t have been processed, so a pre spike at t shows in
// the sample of t. A sample holds what the core holds (the weight and
// eligibility as stored at the last pre spike, the dopamine level of the
// post neuron's newest history event) and what the rule would give if the
// synapse were updated then (kernels' Peek: every event up to t − d taken
// in, the integral and decays run to t, no pairing with a pre spike at t).
//
// A combined core samples tick t when its timer tick t+1 starts (its
// packets of t are processed then), a synapse core at the end of its tick
// t; the last tick of the run is sampled by FinishTraces. The sampling reads
// the state only: a traced run gives the same spikes and weights as an
// untraced one.

// TraceSample is one sample of a traced synapse. Weights and eligibility
// are in nA; the dopamine level in the units of the Neuromodulation's
// weight.
type TraceSample struct {
	Proj int
	Pre  int // pre neuron's index in its population
	Post int // post neuron's index within the core's slice
	Tick uint32
	// Neuromodulated: the synapse has an eligibility trace and its post
	// neuron a dopamine level (otherwise those fields are 0).
	Neuromodulated bool
	Weight         float64
	Eligibility    float64
	Level          float64
	WeightNow      float64
	EligibilityNow float64
	LevelNow       float64
}

// tracedSynapse is one synapse to sample: found again in its row at every
// sample, so that rows changed by rewiring are followed.
type tracedSynapse struct {
	proj, pre, post int
	mat, row        int
	every           uint32
}

// tracer is an engine's traced synapses and their samples.
type tracer struct {
	syns    []tracedSynapse
	samples []TraceSample
	next    uint32 // the first tick not yet sampled
}

// TraceSynapse asks the core that holds synapses s to sample the plastic
// synapse of projection proj from pre neuron pre (index in its population)
// to post neuron post (index within the core's slice) every every ticks.
// It reports whether the core holds that synapse (the first one, if the
// connector made several).
func TraceSynapse(s Synapses, proj, pre, post int, every uint32) bool {
	switch c := s.(type) {
	case *combinedCore[uint16, kernels.S411]:
		return addTrace(c.syn, proj, pre, post, every)
	case *combinedCore[float64, float64]:
		return addTrace(c.syn, proj, pre, post, every)
	case *synapseCore[uint16, kernels.S411]:
		return addTrace(c.syn, proj, pre, post, every)
	case *synapseCore[float64, float64]:
		return addTrace(c.syn, proj, pre, post, every)
	}
	return false
}

func addTrace[W Word, T Trace](e *engine[W, T], proj, pre, post int, every uint32) bool {
	for mi := range e.mats {
		m := &e.mats[mi]
		if m.kind != Plastic || pre < m.preLo || pre >= m.preLo+m.srcN() {
			continue
		}
		if _, ok := m.rule.(peeker[W, T]); !ok {
			continue
		}
		// A delay extension's matrix has a row per stage of the neuron.
		row := -1
		for r := pre - m.preLo; r < m.rows() && row < 0; r += 1 << m.rowBits {
			if find(e, m, r, proj, post) >= 0 {
				row = r
			}
			if m.stageLen == 0 {
				break
			}
		}
		if row < 0 {
			continue
		}
		if e.trace == nil {
			e.trace = &tracer{}
		}
		e.trace.syns = append(e.trace.syns, tracedSynapse{proj: proj, pre: pre, post: post, mat: mi, row: row, every: max(every, 1)})
		return true
	}
	return false
}

// find is the index of the first synapse of a row of projection proj onto
// post neuron n, or −1.
func find[W Word, T Trace](e *engine[W, T], m *matrix[W, T], row, proj, n int) int {
	for j := m.rowStart[row]; j < m.rowStart[row+1]; j++ {
		if int(m.projOf(j)) == proj {
			if p, _, _ := e.lay.unpack(m.control[j]); p == n {
				return int(j)
			}
		}
	}
	return -1
}

// traced takes the samples due once tick t has ended.
func (e *engine[W, T]) traced(t uint32) {
	tr := e.trace
	if tr == nil || t < tr.next {
		return
	}
	tr.next = t + 1
	for _, ts := range tr.syns {
		if t%ts.every != 0 {
			continue
		}
		m := &e.mats[ts.mat]
		j := find(e, m, ts.row, ts.proj, ts.post)
		if j < 0 {
			continue // eliminated
		}
		s := m.rule.(peeker[W, T]).peek(e, m, ts.row, j, t)
		s.Proj, s.Pre, s.Post, s.Tick = ts.proj, ts.pre, ts.post, t
		tr.samples = append(tr.samples, s)
	}
}

// FinishTraces takes the samples of the run's last tick, lastTick, that the
// core has not taken yet, and returns every sample of the core's traced
// synapses, in the order taken.
func FinishTraces(s Synapses, lastTick uint32) []TraceSample {
	switch c := s.(type) {
	case *combinedCore[uint16, kernels.S411]:
		return finishTraces(c.syn, lastTick)
	case *combinedCore[float64, float64]:
		return finishTraces(c.syn, lastTick)
	case *synapseCore[uint16, kernels.S411]:
		return finishTraces(c.syn, lastTick)
	case *synapseCore[float64, float64]:
		return finishTraces(c.syn, lastTick)
	}
	return nil
}

func finishTraces[W Word, T Trace](e *engine[W, T], lastTick uint32) []TraceSample {
	if e.trace == nil {
		return nil
	}
	e.traced(lastTick)
	return e.trace.samples
}

// peeker is a plastic rule that can say what a synapse holds and what an
// update now would give it.
type peeker[W Word, T Trace] interface {
	peek(e *engine[W, T], m *matrix[W, T], row, j int, t uint32) TraceSample
}

func (r stdpFixed) peek(e *engine[uint16, kernels.S411], m *matrix[uint16, kernels.S411], row, j int, t uint32) TraceSample {
	n, typ, d := e.lay.unpack(m.control[j])
	now := r.k.Peek(m.weight[j], typ, d, m.preTime[row], m.preTrace[row], t, &e.hist[n])
	return TraceSample{Weight: e.ar.value(m.weight[j], typ), WeightNow: e.ar.value(now, typ)}
}

func (r stdpFloat) peek(e *engine[float64, float64], m *matrix[float64, float64], row, j int, t uint32) TraceSample {
	n, _, d := e.lay.unpack(m.control[j])
	now := r.k.Peek(m.weight[j], d, m.preTime[row], m.preTrace[row], t, &e.hist[n])
	return TraceSample{Weight: m.weight[j], WeightNow: now}
}

func (r neuromodFixed) peek(e *engine[uint16, kernels.S411], m *matrix[uint16, kernels.S411], row, j int, t uint32) TraceSample {
	n, typ, d := e.lay.unpack(m.control[j])
	h := &e.hist[n]
	st := m.state[j]
	w, c, level := r.k.Peek(st, typ, d, m.preTime[row], m.preTrace[row], t, h)
	return TraceSample{Neuromodulated: true,
		Weight: e.ar.value(st[0], typ), Eligibility: e.ar.value(st[1], typ), Level: float64(h.Level()) / kernels.S411One,
		WeightNow: e.ar.value(w, typ), EligibilityNow: e.ar.value(c, typ), LevelNow: float64(level) / kernels.S411One}
}

func (r neuromodFloat) peek(e *engine[float64, float64], m *matrix[float64, float64], row, j int, t uint32) TraceSample {
	n, _, d := e.lay.unpack(m.control[j])
	h := &e.hist[n]
	st := m.state[j]
	w, c, level := r.k.Peek(st, d, m.preTime[row], m.preTrace[row], t, h)
	return TraceSample{Neuromodulated: true, Weight: st[0], Eligibility: st[1], Level: h.Level(),
		WeightNow: w, EligibilityNow: c, LevelNow: level}
}
