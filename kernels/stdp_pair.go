package kernels

import "math"

// SpikePairRule with an additive or multiplicative weight dependence: the
// timing and weight rules of an STDPMechanism, shared by plain STDP (stdp.go,
// which adds SpikeNearestPairRule through PairRule.Nearest) and by
// neuromodulated STDP (reference §1.3, §1.6).
//
// Traces: the pre-synaptic trace r jumps by 1 at each pre spike and decays
// with τ+ (all-to-all, accumulating); the post-synaptic trace o jumps by 1 at
// each post spike and decays with τ−. Potentiation at a post event that
// follows a pre spike by Δ adds A+·r·exp(−Δ/τ+); depression at a pre spike
// that follows the last post event by Δ removes A−·o·exp(−Δ/τ−).
//
// Additive weights: the change is A±·g, clamped to [w_min·g, w_max·g] after
// each step. Multiplicative: potentiation (w_max·g − x)·A+, depression
// (x − w_min·g)·A−, no clamp. g, the global weight scale, is 1 for
// current-based neurons.
//
// Parameters (PyNN): tau_plus ms 20, tau_minus ms 20, A_plus 0.01,
// A_minus 0.01, w_min 0, w_max 1.

// PairRule is a SpikePairRule with its weight dependence, in user units.
type PairRule struct {
	TauPlus, TauMinus float64
	APlus, AMinus     float64
	WMin, WMax        float64
	Multiplicative    bool
	// Nearest selects SpikeNearestPairRule (no traces, first post event
	// after a pre spike only); plain STDP only, neuromodulation has none.
	Nearest bool
}

// PairRuleFixed is the rule in fixed point: τ± tables (shift 0) and the
// weight-rule words the host writes.
type PairRuleFixed struct {
	TauPlus, TauMinus ExpLUT
	APlus, AMinus     S1615
	WMin, WMax        S1615
	Multiplicative    bool
	Nearest           bool
}

// NewPairRuleFixed builds the tables and converts the constants.
func NewPairRuleFixed(p PairRule, hMs float64) (PairRuleFixed, error) {
	r := PairRuleFixed{
		TauPlus:        NewExpLUT(p.TauPlus, hMs, 0),
		TauMinus:       NewExpLUT(p.TauMinus, hMs, 0),
		Multiplicative: p.Multiplicative,
		Nearest:        p.Nearest,
	}
	var err error
	for _, c := range []struct {
		dst *S1615
		v   float64
	}{{&r.APlus, p.APlus}, {&r.AMinus, p.AMinus}, {&r.WMin, p.WMin}, {&r.WMax, p.WMax}} {
		if *c.dst, err = ToS1615(c.v); err != nil {
			return r, err
		}
	}
	return r, nil
}

// PreTrace is the pre trace just after a pre spike at t, given the trace rlp
// just after the previous one at tlp: M(r, Lτ+(t − tlp)) + 1.
func (r *PairRuleFixed) PreTrace(rlp S411, tlp, t uint32) S411 {
	return S411(Mul16(rlp, r.TauPlus.Decay(t-tlp)) + S411One)
}

// potentiate applies the potentiation for a decayed pre trace m (s4.11).
func (r *PairRuleFixed) potentiate(x S1615, m S411Wide) S1615 {
	if r.Multiplicative {
		return x + MulAccumS411(MulAccum(r.WMax-x, r.APlus), m)
	}
	x += MulAccumS411(r.APlus, m)
	if x > r.WMax {
		x = r.WMax
	}
	return x
}

// depress applies the depression for a decayed post trace m (s4.11).
func (r *PairRuleFixed) depress(x S1615, m S411Wide) S1615 {
	if r.Multiplicative {
		return x - MulAccumS411(MulAccum(x-r.WMin, r.AMinus), m)
	}
	x -= MulAccumS411(r.AMinus, m)
	if x < r.WMin {
		x = r.WMin
	}
	return x
}

// PairRuleFloat is the rule in float64 with exact exponentials.
type PairRuleFloat struct {
	PairRule
}

// PreTrace is r·exp(−(t − tlp)/τ+) + 1.
func (r *PairRuleFloat) PreTrace(rlp float64, tlp, t uint32, hMs float64) float64 {
	return rlp*math.Exp(-float64(t-tlp)*hMs/r.TauPlus) + 1
}

func (r *PairRuleFloat) potentiate(x, m float64) float64 {
	if r.Multiplicative {
		return x + (r.WMax-x)*r.APlus*m
	}
	return math.Min(x+r.APlus*m, r.WMax)
}

func (r *PairRuleFloat) depress(x, m float64) float64 {
	if r.Multiplicative {
		return x - (x-r.WMin)*r.AMinus*m
	}
	return math.Max(x-r.AMinus*m, r.WMin)
}
