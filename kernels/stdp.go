package kernels

// Plain STDP: PyNN's STDPMechanism without Neuromodulation, with the timing
// rule SpikePairRule or SpikeNearestPairRule and the weight dependence
// AdditiveWeightDependence or MultiplicativeWeightDependence, as sPyNNaker's
// "mad" (Morrison) synapse dynamics runs it (Morrison, Diesmann & Gerstner
// 2008, Biol. Cybern. 98:459). Reference: spynnaker-stdp.md (§1 the chip, §3
// the quirks P1–P13, §4 worked values).
//
// Equations. A pre spike at T_pre and a post spike at T_post (both taken
// after their delays, see Timing) with Δ = T_post − T_pre pair as
//
//	Δ > 0 (pre then post): w ← Pot(w, x+),  x+ = e^{−Δ/τ+}
//	Δ ≤ 0 (post then pre): w ← Dep(w, x−),  x− = e^{+Δ/τ−}
//
// SpikePairRule pairs all to all, through traces: the pre trace r jumps by 1
// at each pre spike and decays with τ+, the post trace o jumps by 1 at each
// post spike and decays with τ−. A post event at T_j is potentiated once,
// with r just after the previous pre spike t_lp: x+ = r·e^{−(T_j − t_lp)/τ+};
// a pre spike at t is depressed once, with o of the newest earlier post
// event T_prev: x− = o·e^{−(t − T_prev)/τ−}.
//
// SpikeNearestPairRule has no traces: x+ = e^{−Δ/τ+} for the first post event
// after a pre spike only; x− = e^{−Δ/τ−} with the newest post event before the
// pre spike (reused if no post spike came in between).
//
// Weight dependences (g, the global weight scale, is 1 for the current-based
// neurons spinnsim runs):
//
//	Additive:       Pot(w, x) = min(w + A+·x, w_max),  Dep(w, x) = max(w − A−·x, w_min)
//	Multiplicative: Pot(w, x) = w + (w_max − w)·A+·x,  Dep(w, x) = w − (w − w_min)·A−·x
//
// The additive clamp is applied after every single event (sPyNNaker ≥ 7, the
// current rule of reference §1.7), so potentiation above w_max is lost
// before the depression of the same pre spike; multiplicative has no clamp.
//
// Timing, as on SpiNNaker (deferred, pre-spike driven): a post spike only
// appends an event to its neuron's 16-entry history (HistoryFixed or
// HistoryFloat, entry 0 a dummy, 15 real events kept: quirk P6). A synapse
// changes only when a pre spike of its row is processed at tick t: with d
// the synapse's dendritic delay (= the back-propagation delay) and t_lp the
// previous pre spike of the row, the post events with raw times τ in
// (t_lp − d, t − d] (each end clamped at 0) are taken at their delayed times
// τ + d, oldest first, each potentiating against t_lp; then one depression
// pairs t with the newest event at or before t − d (none if only the dummy
// is left). A post event whose delayed time equals t is therefore depressed
// with the full amount (Δt = 0, quirk P4) and never potentiated by t.
// Pairings with post spikes after the last pre spike are not applied yet
// (P11).

// STDPFixed is plain STDP in SpiNNaker's fixed point, bit for bit, shared by
// every plastic synapse into one post population on a core (sPyNNaker allows
// one rule per post population): the τ± tables, the weight-rule words and
// the ring-buffer shift of each synapse type. The model, its equations and
// timing are described at the top of stdp.go.
//
// Arithmetic (reference §1.2–§1.8): tables L[i] = ⌊2048·e^{−i·h/τ}⌋, zero
// past their end; traces and amounts s4.11 (int16 traces wrap above 15.99,
// P7); M(a, b) = (low16(a)·low16(b)) >> 11; the weight W = word << k in
// s16.15 while a synapse is updated; F(a, x) = ⌊a·x/2048⌋, A(a, b) =
// ⌊a·b/2^15⌋; A± rounded to s16.15 (0.01 → 328, P2); the new word is
// uint16(W >> k) (floor, P1, P13).
//
//	pair:     r = M(r_lp, L+(t − t_lp)) + 2048 at each pre spike (row header),
//	          o = M(o_l, L−(t − t_l)) + 2048 at each post spike (history),
//	          x+ = M(r_lp, L+(Δ)),  x− = M(o_prev, L−(Δ));
//	nearest:  x+ = L+(Δ), zeroed (Pot still runs) when the previous window
//	          event's *undelayed* time is after t_lp (P10); x− = L−(Δ);
//	Additive:       Pot = min(W + F(A+, x), w_max),  Dep = max(W − F(A−, x), w_min);
//	Multiplicative: Pot = W + F(A(w_max − W, A+), x), Dep = W − F(A(W − w_min, A−), x).
//
// Parameters and the words the host writes (w in nA, g = 1):
//
//	PyNN name  unit  default  on chip
//	tau_plus   ms    20       table L+ (shift 0), 154 entries at τ 20, h 1
//	tau_minus  ms    20       table L− (shift 0)
//	A_plus     –     0.01     s16.15, 328
//	A_minus    –     0.01     s16.15, 328
//	w_min      nA    0        s16.15, 0
//	w_max      nA    1        s16.15, 32768
//
// sPyNNaker sources followed (neural_modelling/src/neuron/plasticity/stdp/):
// synapse_dynamics_stdp_mad_impl.c (the per-synapse update),
// synapse_dynamics_stdp_common.h, maths.h, stdp_typedefs.h, post_events.h,
// timing_dependence/timing_pair_impl.{h,c}, timing_nearest_pair_impl.{h,c},
// weight_dependence/weight_additive_one_term_impl.{h,c},
// weight_multiplicative_impl.{h,c},
// synapse_structure/synapse_structure_weight_impl.h; the host side in
// spynnaker/pyNN/models/neuron/synapse_dynamics/synapse_dynamics_stdp.py and
// spynnaker/pyNN/models/neuron/plasticity/stdp/common.py (tables).
type STDPFixed struct {
	Pair  PairRuleFixed
	Shift [NumSynapseTypes]uint32 // ring-buffer left shift k per synapse type
	// Trace, when set, sees every step of every synapse update (for
	// debugging and tests; nil in normal runs).
	Trace func(STDPStep)
}

// STDPStep is one step of a plain STDP synapse update in raw fixed-point
// units: a potentiation by a window event ("pot", Time its delayed time) or
// the depression at the pre spike ("dep", Time the pre spike's tick).
type STDPStep struct {
	Kind string
	Time uint32
	Dt   uint32   // Δ used for the table lookup
	X    S411Wide // amount (0 when nearest pair zeroes it)
	W    S1615    // weight after the step
}

// NewSTDPFixed builds the tables and converts the constants as the host
// does; shift holds the ring-buffer left shift of each synapse type.
func NewSTDPFixed(rule PairRule, hMs float64, shift [NumSynapseTypes]uint32) (*STDPFixed, error) {
	p, err := NewPairRuleFixed(rule, hMs)
	if err != nil {
		return nil, err
	}
	return &STDPFixed{Pair: p, Shift: shift}, nil
}

// PreTrace is the row header's trace after a pre spike at t, given the header
// (tlp, rlp) of the previous one: M(rlp, L+(t − tlp)) + 2048 for the pair
// rule (2048 for the first pre spike, whose header is zero); nearest pair
// keeps no trace and returns 0.
func (r *STDPFixed) PreTrace(rlp S411, tlp, t uint32) S411 {
	if r.Pair.Nearest {
		return 0
	}
	return r.Pair.PreTrace(rlp, tlp, t)
}

// PostSpike appends a post spike at tick t to the neuron's history: with the
// pair rule's post trace o = M(o_l, L−(t − t_l)) + 2048 (t_l, o_l the newest
// entry, possibly the dummy), or with the time only for nearest pair.
func (r *STDPFixed) PostSpike(h *HistoryFixed, t uint32) {
	var o S411Wide
	if !r.Pair.Nearest {
		l := h.count - 1
		o = Mul16(h.o[l], r.Pair.TauMinus.Decay(t-h.times[l])) + S411One
	}
	h.push(t, S411(o), 0, false)
}

// Synapse updates one plastic synapse for a pre spike processed at tick t
// and returns its new weight word, which is also stored in *w. typ is the
// synapse type (for the shift), d the dendritic delay in ticks (= the
// back-propagation delay), (tlp, rlp) the row header before this spike, h the
// post neuron's history. The caller adds the word to ring-buffer slot t + d.
func (r *STDPFixed) Synapse(w *uint16, typ int, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed) uint16 {
	k := r.Shift[typ]
	*w = uint16(r.advance(S1615(*w)<<k, d, tlp, rlp, t, h, true) >> k)
	return *w
}

// Peek is the word the synapse would store if its deferred update ran now,
// at the end of tick t, without a pre spike: the potentiation by every post
// event up to t − d, no depression. It changes nothing.
func (r *STDPFixed) Peek(w uint16, typ int, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed) uint16 {
	k := r.Shift[typ]
	return uint16(r.advance(S1615(w)<<k, d, tlp, rlp, t, h, false) >> k)
}

// advance is the update of a synapse of weight x (s16.15): potentiation by
// the window's events and, for a pre spike (pre), its depression.
func (r *STDPFixed) advance(x S1615, d uint32, tlp uint32, rlp S411, t uint32, h *HistoryFixed, pre bool) S1615 {
	begin, end := delayedWindow(tlp, t, d)
	prev, stop := h.window(begin, end)
	if pre {
		h.markUsed(end)
	}
	trace := pre && r.Trace != nil
	tauPrev, oPrev := h.times[prev], h.o[prev] // undelayed
	for j := prev + 1; j < stop; j++ {
		tau := h.times[j]
		tj := tau + d
		// Δ > 0 always holds by the window's construction; test it as the
		// chip does.
		if dt := tj - tlp; dt > 0 {
			var m S411Wide
			if r.Pair.Nearest {
				// Zeroed unless first after t_lp, judged against the
				// undelayed τ_prev (P10); Pot still runs (its clamp).
				if tj-tauPrev >= dt {
					m = S411Wide(r.Pair.TauPlus.Decay(dt))
				}
			} else {
				m = Mul16(rlp, r.Pair.TauPlus.Decay(dt))
			}
			x = r.Pair.potentiate(x, m)
			if trace {
				r.Trace(STDPStep{Kind: "pot", Time: tj, Dt: dt, X: m, W: x})
			}
		}
		tauPrev, oPrev = tau, h.o[j]
	}
	if pre && (prev > 0 || stop > prev+1) {
		// prev is valid: a real event at or before t − d is held (the
		// entry before the window, or the window's newest event).
		dt := t - (tauPrev + d)
		l := r.Pair.TauMinus.Decay(dt)
		m := S411Wide(l)
		if !r.Pair.Nearest {
			m = Mul16(oPrev, l)
		}
		x = r.Pair.depress(x, m)
		if trace {
			r.Trace(STDPStep{Kind: "dep", Time: t, Dt: dt, X: m, W: x})
		}
	}
	return x
}

// STDPFloat is plain STDP in float64: the model at the top of stdp.go with
// the same windows, delays and deferral as STDPFixed (so a Δt = 0 pair is
// depression with the full amount, P4), exact exponentials e^{−Δ·h/τ} (no
// end of table), A± and bounds as given, float64 traces that never wrap,
// and the additive clamp after every event:
//
//	pair:     r = r_lp·e^{−(t − t_lp)h/τ+} + 1,  o = o_l·e^{−(t − t_l)h/τ−} + 1,
//	          x+ = r_lp·e^{−Δ·h/τ+},  x− = o_prev·e^{−Δ·h/τ−};
//	nearest:  x+ = e^{−Δ·h/τ+} for the first window event only, x− = e^{−Δ·h/τ−};
//	weights:  Pot and Dep of the top of stdp.go, applied one event after another.
//
// The history has no capacity: every post event since a synapse's previous
// pre spike is used (the chip's 15, P6, is QuirkHistoryCapacity). Of the
// Quirks, lut_staircase (the τ± tables' ends), history_capacity and
// int16_wrap (r and o, P7) apply to plain STDP; the others concern
// dopamine only.
//
// Nearest pair differs from the chip in two places, both the model's intent:
// a post event potentiates only if the previous event's *delayed* time is at
// or before t_lp (no P10); and the "pre trace" is 1 after any pre spike (a
// trace reset to 1, not accumulated) and 0 before the first, so post spikes
// before the first pre spike are not potentiated against a pre spike at tick
// 0 (which the chip does, its header being zero).
//
// Multiplicative differs from sPyNNaker's integration-test formulas, which
// scale every pairing by the *initial* weight's distance to its bound; here,
// as on the chip, each pairing sees the weight the previous one left.
//
// Parameters (used as given, w in nA):
//
//	PyNN name  unit  default
//	tau_plus   ms    20
//	tau_minus  ms    20
//	A_plus     –     0.01   (nA for Additive)
//	A_minus    –     0.01   (nA for Additive)
//	w_min      nA    0
//	w_max      nA    1
//
// Sources: as STDPFixed.
type STDPFloat struct {
	Pair        PairRuleFloat
	Hm          float64 // timestep, ms
	Quirks      Quirks
	plus, minus floatDecay
}

// NewSTDPFloat derives the float constants, with no quirks.
func NewSTDPFloat(rule PairRule, hMs float64) *STDPFloat { return NewSTDPFloatQuirks(rule, hMs, 0) }

// NewSTDPFloatQuirks derives the float constants with the chip's quirks q.
func NewSTDPFloatQuirks(rule PairRule, hMs float64, q Quirks) *STDPFloat {
	stair := q.Has(QuirkLUTStaircase)
	return &STDPFloat{Pair: PairRuleFloat{rule}, Hm: hMs, Quirks: q,
		plus: newFloatDecay(rule.TauPlus, hMs, 0, stair), minus: newFloatDecay(rule.TauMinus, hMs, 0, stair)}
}

// NewHistory returns an empty history for a post neuron, with the chip's
// capacity when QuirkHistoryCapacity is on.
func (r *STDPFloat) NewHistory() HistoryFloat { return NewHistoryFloatQuirks(r.Quirks) }

func (r *STDPFloat) store(x float64) float64 {
	if r.Quirks&QuirkInt16Wrap != 0 {
		return wrap16(x)
	}
	return x
}

// PreTrace is the row header's trace after a pre spike at t: r·e^{−(t−tlp)h/τ+}
// + 1 for the pair rule; 1 for nearest pair (the header's "a pre spike has
// happened"; the caller stores it like the pair rule's trace).
func (r *STDPFloat) PreTrace(rlp float64, tlp, t uint32) float64 {
	if r.Pair.Nearest {
		return 1
	}
	return r.store(rlp*r.plus.at(t-tlp) + 1)
}

// PostSpike appends a post spike at tick t: o = o_l·e^{−(t−t_l)h/τ−} + 1 for
// the pair rule, the time only for nearest pair.
func (r *STDPFloat) PostSpike(h *HistoryFloat, t uint32) {
	var o float64
	if !r.Pair.Nearest {
		l := h.log.last()
		o = r.store(l.o*r.minus.at(t-l.t) + 1)
	}
	if ev, ok := h.log.append(event{t: t, o: o}); ok && ev.t > h.used {
		h.lost[0]++
	}
}

// Synapse is STDPFixed.Synapse in float64: *w is the weight in nA.
func (r *STDPFloat) Synapse(w *float64, d uint32, tlp uint32, rlp float64, t uint32, h *HistoryFloat) float64 {
	*w = r.advance(*w, d, tlp, rlp, t, h, true)
	return *w
}

// Peek is the weight the synapse would have if its deferred update ran now,
// at the end of tick t, without a pre spike: the potentiation by every post
// event up to t − d, no depression. It changes nothing.
func (r *STDPFloat) Peek(w float64, d uint32, tlp uint32, rlp float64, t uint32, h *HistoryFloat) float64 {
	return r.advance(w, d, tlp, rlp, t, h, false)
}

func (r *STDPFloat) advance(x float64, d uint32, tlp uint32, rlp float64, t uint32, h *HistoryFloat, pre bool) float64 {
	begin, end := delayedWindow(tlp, t, d)
	if pre {
		h.markUsed(end)
	}
	ev := h.log.ev
	prev, stop := h.log.window(begin, end)
	valid := prev >= h.log.lo
	var tauPrevD uint32
	var oPrev float64
	if valid {
		tauPrevD, oPrev = ev[prev].t+d, ev[prev].o
	}
	for j := prev + 1; j < stop; j++ {
		tj := ev[j].t + d
		m := rlp * r.plus.at(tj-tlp)
		if r.Pair.Nearest && j > prev+1 {
			// Not the first post event after t_lp: every window event
			// but the first is delayed after t_lp.
			m = 0
		}
		x = r.Pair.potentiate(x, m)
		tauPrevD, oPrev = tj, ev[j].o
		valid = true
	}
	if valid && pre {
		m := r.minus.at(t - tauPrevD)
		if !r.Pair.Nearest {
			m *= oPrev
		}
		x = r.Pair.depress(x, m)
	}
	return x
}
