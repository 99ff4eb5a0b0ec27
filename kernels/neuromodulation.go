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
// to a history per post neuron (History); a synapse's w and C change only
// when a pre spike of its row is processed, walking the history events in
// the window (t_lastpre − d, t − d], each taken at its delayed time τ + d. C
// is clamped to the weight rule's [w_min, w_max] (so it never goes
// negative), w to the Neuromodulation's [w_min, w_max].
//
// Parameters (PyNN/sPyNNaker; the pair rule's in stdp_pair.go):
//
//	name    unit               default  meaning
//	tau_c   ms                 1000     eligibility time constant τc
//	tau_d   ms                 200      dopamine time constant τd
//	weight  (dopamine level)   0        the step a reward adds, a punishment takes
//	w_min   nA                 0        lower bound of w
//	w_max   nA                 1        upper bound of w
//
// Fixed point (NeuromodFixed): traces, D and table values s4.11; w and C
// s16.15 while updated, stored as uint16 shifted right by the ring-buffer
// shift k; τc and τd tables with shifts 4 and 2; a 16-entry history; the
// quirks Q1–Q5 of the reference reproduced. Float (NeuromodFloat): the
// equations, exact, with every event since a synapse's last pre spike; any
// of Q1–Q5 can be switched on (Quirks).
//
// sPyNNaker sources followed (neural_modelling/src/neuron/plasticity/stdp/):
// synapse_dynamics_stdp_izhikevich_neuromodulation.c (the updates),
// post_events_with_da.h (the history), synapse_dynamics_stdp_common.h,
// maths.h, stdp_typedefs.h, timing_dependence/timing_pair_impl.{h,c},
// weight_dependence/weight_{additive_one_term,multiplicative}_impl.h; the
// host side in spynnaker/pyNN/models/neuron/synapse_dynamics/
// synapse_dynamics_neuromodulation.py (constants and tables).

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

	// md is M(L_c(Δt), L_d(Δt)) − 1, the factor of a weight change that
	// depends on Δt alone, by Δt >> TauDShift (which also gives Δt >>
	// TauCShift): one lookup instead of two lookups and a product in the
	// update's hot path (SynapseUntraced). Past its end it is −1.
	md []S411
}

// The τc table's index must follow from the τd table's (mdOf).
const _ = uint(TauCShift - TauDShift)

// newMD tabulates M(L_c, L_d) − 1 up to where either table ends.
func newMD(tauC, tauD ExpLUT) []S411 {
	n := min(len(tauD.Values), len(tauC.Values)<<(TauCShift-TauDShift))
	md := make([]S411, n)
	for i := range md {
		md[i] = S411(Mul16(tauC.Values[i>>(TauCShift-TauDShift)], tauD.Values[i]) - S411One)
	}
	return md
}

// mdOf is Mul16(TauC.Decay(dt), TauD.Decay(dt)) − S411One, from md.
func (r *NeuromodFixed) mdOf(dt uint32) S411Wide {
	if i := dt >> TauDShift; i < uint32(len(r.md)) {
		return S411Wide(r.md[i])
	}
	return -S411One
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
	r.md = newMD(r.TauC, r.TauD)
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
	if r.Trace != nil {
		return r.synapseTraced(state, typ, d, tlp, rlp, t, h)
	}
	return r.SynapseUntraced(state, r.Shift[typ], d, tlp, rlp, t, h)
}

// synapseTraced is Synapse with a tracer: every step goes to r.Trace.
func (r *NeuromodFixed) synapseTraced(state *[2]uint16, typ int, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed) uint16 {
	k := r.Shift[typ]
	w, c, _ := r.advance(S1615(state[0])<<k, S1615(state[1])<<k, d, tlp, rlp, t, h, true)
	state[0] = uint16(w >> k)
	state[1] = uint16(c >> k)
	return state[0]
}

// SynapseUntraced is Synapse for a kernel without a tracer (r.Trace nil),
// with the synapse type's ring-buffer shift k: the hot path of the row
// update, a caller checking for the tracer once a row. It is advance for a
// pre spike, kept free of the tracing and peeking branches, with interval
// written out in place; TestNeuromodFixedFastPathMatches keeps the two
// equal bit for bit.
func (r *NeuromodFixed) SynapseUntraced(state *[2]uint16, k uint32, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed) uint16 {
	w, c := S1615(state[0])<<k, S1615(state[1])<<k
	begin, end := delayedWindow(tlp, t, d)
	i, stop := h.window(begin, end)
	h.markUsed(end)
	if i == 0 && stop == 1 {
		state[0] = uint16(r.clampW(w) >> k) // no event at or before t − d: nothing to do
		return state[0]
	}
	first := i + 1
	markers := h.markers >> (h.count - (stop - first)) // Q3
	tc := tlp
	var dc S411Wide
	oPrev, tauPrev := h.o[i], h.times[i]
	// The tables' shifts are constants here (TauCShift, TauDShift, and 0
	// for the pair rule's τ±).
	tauC, tauD, tauPlus := r.TauC.Values, r.TauD.Values, r.Pair.TauPlus.Values
	if i > 0 {
		dc = Mul16(h.d[i], lutAt(tauD, (tlp-h.times[i])>>TauDShift)) // Q4
	}
	for j := first; j < stop; j++ {
		tj := h.times[j] + d
		ec := lutAt(tauC, (tj-tc)>>TauCShift)
		if dc != 0 {
			w += MulAccum(MulAccumS411(MulAccumS411(c, dc), r.mdOf(tj-tc)), r.K)
		}
		c = MulAccumS411(c, S411Wide(ec))
		if markers&1 == 0 && tj > tlp {
			c = r.Pair.potentiate(c, Mul16(rlp, lutAt(tauPlus, tj-tlp)))
		}
		markers >>= 1
		dc, oPrev, tauPrev, tc = S411Wide(h.d[j]), h.o[j], h.times[j], tj
	}
	ec := lutAt(tauC, (t-tc)>>TauCShift)
	if dc != 0 {
		w += MulAccum(MulAccumS411(MulAccumS411(c, dc), r.mdOf(t-tc)), r.K)
	}
	c = MulAccumS411(c, S411Wide(ec))
	c = r.Pair.depress(c, Mul16(oPrev, lutAt(r.Pair.TauMinus.Values, t-(tauPrev+d))))
	state[0] = uint16(r.clampW(w) >> k)
	state[1] = uint16(c >> k)
	return state[0]
}

// clampW clamps w to the Neuromodulation's bounds.
func (r *NeuromodFixed) clampW(w S1615) S1615 {
	return min(max(w, r.NMWMin), r.NMWMax)
}

// Peek is what the synapse would hold if its deferred update ran now, at the
// end of tick t, without a pre spike: every post and dopamine event up to
// t − d taken in, the weight integral and the decays up to t, but no
// depression (there is no pre spike to pair). It returns the words it would
// store and the dopamine level (s4.11) the update sees at t, and changes
// nothing.
func (r *NeuromodFixed) Peek(state [2]uint16, typ int, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed) (w, c uint16, level S411Wide) {
	k := r.Shift[typ]
	wa, ca, level := r.advance(S1615(state[0])<<k, S1615(state[1])<<k, d, tlp, rlp, t, h, false)
	return uint16(wa >> k), uint16(ca >> k), level
}

// advance is the update of §1.6 from the stored w and c: the window's
// events, the closing interval up to t and, for a pre spike (pre), its
// depression; W clamped to the Neuromodulation's bounds. Without pre it
// returns the dopamine level at t and reads the history only.
func (r *NeuromodFixed) advance(w, c S1615, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed, pre bool) (S1615, S1615, S411Wide) {
	begin, end := delayedWindow(tlp, t, d)
	i, stop := h.window(begin, end)
	if pre {
		h.markUsed(end)
	}
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
	trace := pre && r.Trace != nil
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
		if trace {
			kind := "dopamine"
			if post {
				kind = "post"
			}
			r.Trace(Step{Kind: kind, Time: tj, Ec: ec, Ed: ed, D: dc, DW: dw, C: c, W: w})
		}
		dc, oPrev, tauPrev, tc = S411Wide(h.d[j]), h.o[j], h.times[j], tj
		valid = true
	}
	var level S411Wide
	if valid {
		ec, ed, dw := r.interval(t-tc, dc, c)
		w += dw
		c = MulAccumS411(c, S411Wide(ec))
		if pre {
			c = r.Pair.depress(c, Mul16(oPrev, r.Pair.TauMinus.Decay(t-(tauPrev+d))))
		} else {
			level = Mul16(S411(dc), r.TauD.Decay(t-tc))
		}
		if trace {
			r.Trace(Step{Kind: "pre", Time: t, Ec: ec, Ed: ed, D: dc, DW: dw, C: c, W: w})
		}
	}
	if w < r.NMWMin {
		w = r.NMWMin
	} else if w > r.NMWMax {
		w = r.NMWMax
	}
	return w, c, level
}

// NeuromodFloat is neuromodulated STDP in float64: the model's equations
// (top of this file), event-driven and exact, with SpiNNaker's observable
// timing.
//
// Each synapse holds w and C (nA), each post neuron a history of events
// with no capacity (History, float log). A post spike at tick t appends
// (t, o, D) with o ← o·e^{−Δ/τ−} + 1 and D ← D·e^{−Δ/τd}; a reward or
// punishment of step c arriving at t appends (t, o·e^{−Δ/τ−}, D·e^{−Δ/τd}
// ± c), marked dopamine; Δ = t − the newest event's time. The pre trace r
// of a row is r·e^{−(t − t_lp)/τ+} + 1 after each pre spike.
//
// A pre spike at t updates each synapse of its row (dendritic delay d) from
// t_lp, its row's previous pre spike, with every event whose delayed time
// τ + d lies in (t_lp, t], oldest first: over each interval from the
// previous point t_c to the event's time T_j, w += C·D·K·(e^{−Δ/τc}
// e^{−Δ/τd} − 1) and C ← C·e^{−Δ/τc}, with Δ = T_j − t_c and D the level
// after the previous event (decayed from its delayed time to t_lp at the
// start); then a post event adds A+·r_lp·e^{−(T_j − t_lp)/τ+} to C
// (potentiation; Multiplicative: (w_max − C)·A+·…), C clamped to the weight
// rule's [w_min, w_max]. A last interval runs to t, then the pre spike's
// depression takes A−·o_prev·e^{−(t − T_prev)/τ−} off C (o_prev, T_prev of
// the newest event at or before t), C clamped again; w is clamped to the
// Neuromodulation's [w_min, w_max] once. A post event with T_j = t is
// depressed by this pre spike (Δt = 0) and not potentiated by it. Without
// any event at or before t nothing changes.
//
// Differences from the chip (NeuromodFixed) are only its number formats and
// its quirks; each quirk can be switched on (Quirks):
//
//	lut_staircase        decays e^{−(Δt>>s)·2^s·h/τ}, 0 past the table's end
//	history_capacity     the 15 newest events only; a window reaching past
//	                     the oldest starts from nothing (D = 0, no update
//	                     when it is empty)
//	marker_misalignment  event j takes the kind of the event as many places
//	                     newer as there are kept events after the window
//	undelayed_prev       the start level decays from τ_prev, not τ_prev + d
//	int16_wrap           o, D and r wrap into [−16, 16)
//
// Parameters: as NeuromodFixed (tau_c, tau_d, w_min, w_max of the
// Neuromodulation; the pair rule's tau_plus, tau_minus, A_plus, A_minus,
// w_min, w_max; the dopamine step), in ms, nA and per spike, used as given.
// Sources: as NeuromodFixed (sPyNNaker's
// synapse_dynamics_stdp_izhikevich_neuromodulation.c and
// post_events_with_da.h), with the mathematics of Izhikevich 2007.
type NeuromodFloat struct {
	Pair PairRuleFloat
	NeuromodParams
	K      float64
	Hm     float64 // timestep, ms
	Quirks Quirks

	tauC, tauD, tauPlus, tauMinus floatDecay
}

// NewNeuromodFloat derives the float constants, with no quirks.
func NewNeuromodFloat(pair PairRule, nm NeuromodParams, hMs float64) *NeuromodFloat {
	return NewNeuromodFloatQuirks(pair, nm, hMs, 0)
}

// NewNeuromodFloatQuirks derives the float constants with the chip's quirks
// q switched on.
func NewNeuromodFloatQuirks(pair PairRule, nm NeuromodParams, hMs float64, q Quirks) *NeuromodFloat {
	stair := q.Has(QuirkLUTStaircase)
	return &NeuromodFloat{Pair: PairRuleFloat{pair}, NeuromodParams: nm,
		K: 1 / -(1/nm.TauC + 1/nm.TauD), Hm: hMs, Quirks: q,
		tauC:     newFloatDecay(nm.TauC, hMs, TauCShift, stair),
		tauD:     newFloatDecay(nm.TauD, hMs, TauDShift, stair),
		tauPlus:  newFloatDecay(pair.TauPlus, hMs, 0, stair),
		tauMinus: newFloatDecay(pair.TauMinus, hMs, 0, stair),
	}
}

// NewHistory returns an empty history for a post neuron, with the chip's
// capacity when QuirkHistoryCapacity is on.
func (r *NeuromodFloat) NewHistory() HistoryFloat { return NewHistoryFloatQuirks(r.Quirks) }

// store is a trace or level as stored: wrapped into [−16, 16) with
// QuirkInt16Wrap.
func (r *NeuromodFloat) store(x float64) float64 {
	if r.Quirks&QuirkInt16Wrap != 0 {
		return wrap16(x)
	}
	return x
}

// PreTrace is the pre trace just after a pre spike at t.
func (r *NeuromodFloat) PreTrace(rlp float64, tlp, t uint32) float64 {
	return r.store(rlp*r.tauPlus.at(t-tlp) + 1)
}

// PostSpike records a post spike at tick t (at t + 1 with
// ConventionLatePostStamp).
func (r *NeuromodFloat) PostSpike(h *HistoryFloat, t uint32) {
	if r.Quirks&ConventionLatePostStamp == 0 {
		r.record(h, t, false, 0)
		return
	}
	r.commit(h, ^uint32(0))
	h.log.pending, h.log.pendingT = true, t+1
}

// Dopamine records a dopamine step c (negative for punishment) at tick t.
func (r *NeuromodFloat) Dopamine(h *HistoryFloat, t uint32, c float64) {
	r.commit(h, t)
	r.record(h, t, true, c)
}

// commit appends a late-stamped post spike whose time is at or before t.
func (r *NeuromodFloat) commit(h *HistoryFloat, t uint32) {
	if l := h.log; l.pending && l.pendingT <= t {
		l.pending = false
		r.record(h, l.pendingT, false, 0)
	}
}

// record appends an event at t: a post spike, or dopamine of step c.
func (r *NeuromodFloat) record(h *HistoryFloat, t uint32, dopamine bool, c float64) {
	l := h.log.last()
	dt := t - l.t
	e := event{t: t, dopamine: dopamine, o: l.o * r.tauMinus.at(dt), d: l.d*r.tauD.at(dt) + c}
	if !dopamine {
		e.o++
	}
	e.o, e.d = r.store(e.o), r.store(e.d)
	if ev, ok := h.log.append(e); ok && ev.t > h.used {
		h.lost[b2i(ev.dopamine)]++
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// window is the window of raw history times of a pre spike at t: (t_lp − d,
// t − d], or one tick earlier with ConventionZeroLagPotentiates.
func (r *NeuromodFloat) window(tlp, t, d uint32) (begin, end uint32) {
	begin, end = delayedWindow(tlp, t, d)
	if r.Quirks&ConventionZeroLagPotentiates != 0 {
		begin, end = begin-min(begin, 1), end-min(end, 1)
	}
	return begin, end
}

// Synapse updates one synapse for a pre spike at tick t: state holds (w, C)
// in nA, d is the dendritic delay in ticks, (tlp, rlp) the row's previous
// pre spike and the pre trace just after it. It returns the new weight.
func (r *NeuromodFloat) Synapse(state *[2]float64, d uint32, tlp uint32, rlp float64, t uint32, h *HistoryFloat) float64 {
	w, c, _ := r.advance(state[0], state[1], d, tlp, rlp, t, h, true)
	state[0], state[1] = w, c
	return w
}

// Peek is NeuromodFixed.Peek in float: the weight and eligibility the
// synapse would hold if its update ran now, at the end of tick t, without a
// pre spike, and the dopamine level it would see at t. It changes nothing.
func (r *NeuromodFloat) Peek(state [2]float64, d uint32, tlp uint32, rlp float64, t uint32, h *HistoryFloat) (w, c, level float64) {
	return r.advance(state[0], state[1], d, tlp, rlp, t, h, false)
}

func (r *NeuromodFloat) advance(w, c float64, d uint32, tlp uint32, rlp float64, t uint32, h *HistoryFloat, pre bool) (float64, float64, float64) {
	begin, end := r.window(tlp, t, d)
	if r.Quirks&ConventionLatePostStamp != 0 && pre {
		r.commit(h, end)
	}
	if pre {
		h.markUsed(end)
	}
	ev := h.log.ev
	prev, stop := h.log.window(begin, end)
	valid := prev >= h.log.lo
	tc := tlp
	var dc, oPrev float64
	var tauPrevD uint32
	if valid {
		p := &ev[prev]
		dc, oPrev, tauPrevD = p.d, p.o, p.t+d
		at := tauPrevD
		if r.Quirks&QuirkUndelayedPrev != 0 {
			at = p.t // Q4
		}
		if tlp > at {
			dc *= r.tauD.at(tlp - at)
		}
	}
	// Q3: kinds taken this many events later.
	shift := 0
	if r.Quirks&QuirkMarkerMisalignment != 0 {
		shift = len(ev) - stop
	}
	zeroLag := r.Quirks&ConventionZeroLagPotentiates != 0
	for j := prev + 1; j < stop; j++ {
		e := &ev[j]
		tj := e.t + d
		dt := tj - tc
		ec := r.tauC.at(dt)
		if dc != 0 {
			w += c * dc * r.K * (ec*r.tauD.at(dt) - 1)
		}
		c *= ec
		if !ev[j+shift].dopamine && (tj > tlp || zeroLag && tj == tlp) {
			c = r.Pair.potentiate(c, rlp*r.tauPlus.at(tj-tlp))
		}
		dc, oPrev, tauPrevD, tc = e.d, e.o, tj, tj
		valid = true
	}
	var level float64
	if valid {
		dt := t - tc
		ec := r.tauC.at(dt)
		if dc != 0 {
			w += c * dc * r.K * (ec*r.tauD.at(dt) - 1)
		}
		c *= ec
		if pre {
			c = r.Pair.depress(c, oPrev*r.tauMinus.at(t-tauPrevD))
		} else {
			level = dc * r.tauD.at(dt)
		}
	}
	w = math.Min(math.Max(w, r.WMin), r.WMax)
	return w, c, level
}
