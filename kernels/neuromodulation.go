package kernels

import (
	"errors"
	"math"
)

// Neuromodulation: dopamine-modulated STDP (Izhikevich 2007, "Solving the
// distal reward problem through linkage of STDP and dopamine signaling",
// Cerebral Cortex 17:2443), as sPyNNaker implements it (Mikaitis et al. 2018,
// Front. Neurosci. 12:105). Reference: spynnaker-neuromodulation.md §1.
//
// Each plastic synapse holds a weight w and an eligibility trace C; each post
// neuron holds a dopamine level D:
//
//	dC/dt = −C/τc + STDP(τ),   dD/dt = −D/τd + reward/punishment spikes,
//	dw/dt = C·D.
//
// Between two events C and D decay exponentially, so the weight change over
// an interval of length Δ that starts with C_c, D_c is exact:
// ∫ C_c e^{−s/τc} D_c e^{−s/τd} ds = C_c·D_c·K·(e^{−Δ/τc} e^{−Δ/τd} − 1), with
// K = −1/(1/τc + 1/τd). There is no learning rate: w is in nA.
//
// Updates are deferred as on SpiNNaker: post spikes and dopamine only append
// to a 16-entry history per post neuron (entry 0 a permanent dummy, at most
// 15 real events kept); a synapse's w and C change only when a pre spike of
// its row is processed, walking the history events in the window
// (t_lastpre − d, t − d], each taken at its delayed time τ + d. C is clamped
// to the weight rule's [w_min, w_max] (so it never goes negative), w to the
// Neuromodulation's [w_min, w_max].
//
// Parameters (PyNN/sPyNNaker, Neuromodulation): tau_c ms 1000, tau_d ms 200,
// weight (the dopamine step) 0, w_min 0, w_max 1.
//
// Fixed point: traces, D and table values s4.11; w and C s16.15 while updated,
// stored as uint16 shifted right by the ring-buffer shift k; τc and τd tables
// with shifts 4 and 2; the quirks Q1–Q5 of the reference reproduced. Float:
// exact exponentials, float64 state, every history event used at its delayed
// time with its own kind (no Q3, Q4, Q5).

// HistorySize is MAX_POST_SYNAPTIC_EVENTS: entry 0 is a dummy, so 15 real
// events are kept.
const HistorySize = 16

// Shifts of the τc and τd tables (LOOKUP_TAU_C_SHIFT, LOOKUP_TAU_D_SHIFT).
const (
	TauCShift = 4
	TauDShift = 2
)

// NeuromodParams are a Neuromodulation's parameters in user units.
type NeuromodParams struct {
	TauC, TauD float64
	WMin, WMax float64
}

// Concentration is the dopamine step of a Neuromodulation weight in s4.11:
// rint(|w|·2048), kept to 16 bits as the host packs it.
func Concentration(w float64) S411 {
	return S411(uint16(int64(math.RoundToEven(math.Abs(w) * 2048))))
}

// History is one post neuron's post-spike and dopamine history: entry 0 is
// a permanent dummy (time 0, traces 0), at most HistorySize−1 real events
// follow, oldest first. T is S411 in fixed point, float64 in float.
type History[T S411 | float64] struct {
	count   uint32 // entries in use, the dummy included (count_minus_one + 1)
	markers uint32 // bit i: entry i is a dopamine event
	times   [HistorySize]uint32
	d       [HistorySize]T // dopamine trace D
	o       [HistorySize]T // post trace o
}

// HistoryFixed and HistoryFloat are the histories of the two arithmetics.
type (
	HistoryFixed = History[S411]
	HistoryFloat = History[float64]
)

// NewHistoryFixed returns a history holding only the dummy entry.
func NewHistoryFixed() HistoryFixed { return HistoryFixed{count: 1} }

// NewHistoryFloat returns a history holding only the dummy entry.
func NewHistoryFloat() HistoryFloat { return HistoryFloat{count: 1} }

// Len is the number of real events held.
func (h *History[T]) Len() int { return int(h.count) - 1 }

// push appends an event; when the history is full, the oldest real event
// (entry 1) is lost and the markers shift with their entries.
func (h *History[T]) push(t uint32, o, d T, dopamine bool) {
	i := h.count
	if i == HistorySize {
		copy(h.times[1:], h.times[2:])
		copy(h.d[1:], h.d[2:])
		copy(h.o[1:], h.o[2:])
		h.markers >>= 1
		i = HistorySize - 1
	} else {
		h.count++
	}
	h.times[i], h.o[i], h.d[i] = t, o, d
	if dopamine {
		h.markers |= 1 << i
	} else {
		h.markers &^= 1 << i
	}
}

// window finds the events of a pre spike's window: entries first…stop−1
// have raw times in (begin, end]; prev = first−1 is the newest entry at or
// before begin (the dummy, 0, when none is kept).
func (h *History[T]) window(begin, end uint32) (prev, stop uint32) {
	stop = h.count
	i := h.count - 1
	for h.times[i] > end {
		stop = i
		i--
	}
	for h.times[i] > begin {
		i--
	}
	return i, stop
}

// delayedWindow is the window (t_lastpre − d, t − d] of raw history times,
// each end clamped at 0.
func delayedWindow(tlp, t, d uint32) (begin, end uint32) {
	if tlp >= d {
		begin = tlp - d
	}
	if t >= d {
		end = t - d
	}
	return begin, end
}

// ErrNearestNeuromod: sPyNNaker has no neuromodulated build of the nearest
// pair rule (only SpikePairRule).
var ErrNearestNeuromod = errors.New("neuromodulation needs SpikePairRule, not SpikeNearestPairRule")

// NeuromodFixed is the shared part of neuromodulated STDP on one core, in
// fixed point: tables, constants and the ring-buffer shift of each synapse type.
type NeuromodFixed struct {
	Pair           PairRuleFixed
	TauC, TauD     ExpLUT
	K              S1615
	NMWMin, NMWMax S1615
	Shift          [NumSynapseTypes]uint32
	// Trace, when set, sees every step of every synapse update (for
	// debugging and tests; nil in normal runs).
	Trace func(Step)
}

// Step is one step of a synapse update, in raw fixed-point units: an event
// of the window taken at its delayed time (Kind "post" or "dopamine"), or
// the closing interval up to the pre spike (Kind "pre").
type Step struct {
	Kind   string
	Time   uint32   // delayed time of the event, or the pre spike's tick
	Ec, Ed S411     // decays of C and D over the interval before it
	D      S411Wide // dopamine level at the start of that interval
	DW     S1615    // weight change over the interval
	C      S1615    // eligibility after the step
	W      S1615    // weight after the step
}

// NewNeuromodFixed builds the tables and constants the host writes.
func NewNeuromodFixed(pair PairRule, nm NeuromodParams, hMs float64, shift [NumSynapseTypes]uint32) (*NeuromodFixed, error) {
	if pair.Nearest {
		return nil, ErrNearestNeuromod
	}
	p, err := NewPairRuleFixed(pair, hMs)
	if err != nil {
		return nil, err
	}
	r := &NeuromodFixed{Pair: p, Shift: shift,
		TauC: NewExpLUT(nm.TauC, hMs, TauCShift), TauD: NewExpLUT(nm.TauD, hMs, TauDShift)}
	if r.K, err = ToS1615(1 / -(1/nm.TauC + 1/nm.TauD)); err != nil {
		return nil, err
	}
	if r.NMWMin, err = ToS1615(nm.WMin); err != nil {
		return nil, err
	}
	if r.NMWMax, err = ToS1615(nm.WMax); err != nil {
		return nil, err
	}
	return r, nil
}

// PostSpike records a post spike of the neuron at tick t.
func (r *NeuromodFixed) PostSpike(h *HistoryFixed, t uint32) {
	l := h.count - 1
	dt := t - h.times[l]
	o := Mul16(h.o[l], r.Pair.TauMinus.Decay(dt)) + S411One
	d := Mul16(h.d[l], r.TauD.Decay(dt))
	h.push(t, S411(o), S411(d), false)
}

// Dopamine records a reward (c > 0) or punishment (c < 0) of concentration c
// (s4.11) arriving at tick t. D is stored as an S411 (int16) and wraps (Q5).
func (r *NeuromodFixed) Dopamine(h *HistoryFixed, t uint32, c S411) {
	l := h.count - 1
	dt := t - h.times[l]
	o := Mul16(h.o[l], r.Pair.TauMinus.Decay(dt))
	d := Mul16(h.d[l], r.TauD.Decay(dt)) + S411Wide(c)
	h.push(t, S411(o), S411(d), true)
}

// interval gives, for an interval of dt ticks that starts with dopamine dc
// and eligibility c, the decays of C and D over it and the weight change
// (ed and dw are 0 when there is no dopamine, and D's table is not read).
// The weight change is the closed-form integral, in the chip's order of
// operations: M(ec, ed) − 1, then F(C, D), F(·, ·), and A(·, K).
func (r *NeuromodFixed) interval(dt uint32, dc S411Wide, c S1615) (ec, ed S411, dw S1615) {
	ec = r.TauC.Decay(dt)
	if dc != 0 {
		ed = r.TauD.Decay(dt)
		md := Mul16(ec, ed) - S411One
		mtd := MulAccumS411(MulAccumS411(c, dc), md)
		dw = MulAccum(mtd, r.K)
	}
	return ec, ed, dw
}

// Synapse updates one plastic synapse for a pre spike processed at tick t.
// state holds the stored (weight, eligibility) half-words; typ is its synapse
// type, d its dendritic delay in ticks; tlp and rlp are the row's previous pre
// spike time and the pre trace just after it. It returns the new weight word,
// which the caller adds to the ring buffer at t + d.
func (r *NeuromodFixed) Synapse(state *[2]uint16, typ int, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed) uint16 {
	k := r.Shift[typ]
	w := S1615(state[0]) << k
	c := S1615(state[1]) << k

	i, stop := h.window(delayedWindow(tlp, t, d))
	first := i + 1
	count := h.count
	// Q3: the chip aligns the dopamine markers to the newest entry, right
	// only when no kept event is newer than the window's end.
	markers := h.markers >> (count - (stop - first))

	valid := i > 0
	tc := tlp
	var dc S411Wide
	var oPrev S411
	var tauPrev uint32
	if valid {
		// Q4: the undelayed time of the entry before the window.
		dc = Mul16(h.d[i], r.TauD.Decay(tlp-h.times[i]))
		oPrev, tauPrev = h.o[i], h.times[i]
	}
	for j := first; j < stop; j++ {
		tj := h.times[j] + d
		ec, ed, dw := r.interval(tj-tc, dc, c)
		w += dw
		c = MulAccumS411(c, S411Wide(ec))
		post := markers&1 == 0
		if post && tj > tlp {
			c = r.Pair.potentiate(c, Mul16(rlp, r.Pair.TauPlus.Decay(tj-tlp)))
		}
		markers >>= 1
		if r.Trace != nil {
			kind := "dopamine"
			if post {
				kind = "post"
			}
			r.Trace(Step{Kind: kind, Time: tj, Ec: ec, Ed: ed, D: dc, DW: dw, C: c, W: w})
		}
		dc, oPrev, tauPrev, tc = S411Wide(h.d[j]), h.o[j], h.times[j], tj
		valid = true
	}
	if valid {
		ec, ed, dw := r.interval(t-tc, dc, c)
		w += dw
		c = MulAccumS411(c, S411Wide(ec))
		c = r.Pair.depress(c, Mul16(oPrev, r.Pair.TauMinus.Decay(t-(tauPrev+d))))
		if r.Trace != nil {
			r.Trace(Step{Kind: "pre", Time: t, Ec: ec, Ed: ed, D: dc, DW: dw, C: c, W: w})
		}
	}
	if w < r.NMWMin {
		w = r.NMWMin
	} else if w > r.NMWMax {
		w = r.NMWMax
	}
	state[0] = uint16(w >> k)
	state[1] = uint16(c >> k)
	return state[0]
}

// NeuromodFloat is neuromodulated STDP in float64.
type NeuromodFloat struct {
	Pair PairRuleFloat
	NeuromodParams
	K  float64
	Hm float64 // timestep, ms
}

// NewNeuromodFloat derives the float constants.
func NewNeuromodFloat(pair PairRule, nm NeuromodParams, hMs float64) *NeuromodFloat {
	return &NeuromodFloat{Pair: PairRuleFloat{pair}, NeuromodParams: nm,
		K: 1 / -(1/nm.TauC + 1/nm.TauD), Hm: hMs}
}

func (r *NeuromodFloat) decay(dt uint32, tau float64) float64 {
	return math.Exp(-float64(dt) * r.Hm / tau)
}

// interval gives the decay of C over an interval of dt ticks that starts
// with dopamine dc and eligibility c, and the exact weight change over it.
func (r *NeuromodFloat) interval(dt uint32, dc, c float64) (ec, dw float64) {
	ec = r.decay(dt, r.TauC)
	if dc != 0 {
		dw = c * dc * r.K * (ec*r.decay(dt, r.TauD) - 1)
	}
	return ec, dw
}

// PreTrace is the pre trace just after a pre spike at t.
func (r *NeuromodFloat) PreTrace(rlp float64, tlp, t uint32) float64 {
	return r.Pair.PreTrace(rlp, tlp, t, r.Hm)
}

// PostSpike records a post spike at tick t.
func (r *NeuromodFloat) PostSpike(h *HistoryFloat, t uint32) {
	l := h.count - 1
	dt := t - h.times[l]
	h.push(t, h.o[l]*r.decay(dt, r.Pair.TauMinus)+1, h.d[l]*r.decay(dt, r.TauD), false)
}

// Dopamine records a dopamine step c (negative for punishment) at tick t.
func (r *NeuromodFloat) Dopamine(h *HistoryFloat, t uint32, c float64) {
	l := h.count - 1
	dt := t - h.times[l]
	h.push(t, h.o[l]*r.decay(dt, r.Pair.TauMinus), h.d[l]*r.decay(dt, r.TauD)+c, true)
}

// Synapse is NeuromodFixed.Synapse in float64: state holds (w, C) in nA.
func (r *NeuromodFloat) Synapse(state *[2]float64, d uint32, tlp uint32, rlp float64, t uint32, h *HistoryFloat) float64 {
	w, c := state[0], state[1]
	i, stop := h.window(delayedWindow(tlp, t, d))
	first := i + 1
	valid := i > 0
	tc := tlp
	var dc, oPrev float64
	if valid {
		// Decay D from the delayed time of the entry to the last pre spike.
		dc, oPrev = h.d[i], h.o[i]
		if at := h.times[i] + d; tlp > at {
			dc *= r.decay(tlp-at, r.TauD)
		}
	}
	tauPrevD := h.times[i] + d
	for j := first; j < stop; j++ {
		tj := h.times[j] + d
		ec, dw := r.interval(tj-tc, dc, c)
		w += dw
		c *= ec
		if h.markers&(1<<j) == 0 && tj > tlp {
			c = r.Pair.potentiate(c, rlp*r.decay(tj-tlp, r.Pair.TauPlus))
		}
		dc, oPrev, tauPrevD, tc = h.d[j], h.o[j], tj, tj
		valid = true
	}
	if valid {
		ec, dw := r.interval(t-tc, dc, c)
		w += dw
		c *= ec
		c = r.Pair.depress(c, oPrev*r.decay(t-tauPrevD, r.Pair.TauMinus))
	}
	w = math.Min(math.Max(w, r.WMin), r.WMax)
	state[0], state[1] = w, c
	return w
}
