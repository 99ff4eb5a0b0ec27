package network

import "math"

// Plasticity rule types (TimingRule.Type, WeightRule.Type).
const (
	SpikePairRule                  = "SpikePairRule"
	SpikeNearestPairRule           = "SpikeNearestPairRule"
	AdditiveWeightDependence       = "AdditiveWeightDependence"
	MultiplicativeWeightDependence = "MultiplicativeWeightDependence"
)

// Defaults of the plasticity rules: PyNN's SpikePairRule and weight
// dependences as sPyNNaker defines them, and sPyNNaker's Neuromodulation.
const (
	defaultTauPlus, defaultTauMinus = 20.0, 20.0
	defaultAPlus, defaultAMinus     = 0.01, 0.01
	defaultWMin, defaultWMax        = 0.0, 1.0
	defaultTauC, defaultTauD        = 1000.0, 200.0
)

// projCtx is what a projection's synapse and connector checks need to know.
type projCtx struct {
	h        float64     // timestep (ms); 0 when it is itself invalid
	pre      *Population // nil when pre does not name a population
	post     *Population // nil when post does not name a population
	samePop  bool        // pre and post are the same population
	receptor string      // "" when receptor_type is invalid
	synType  string      // "" when the synapse type is invalid
}

// synInfo is what the cross-projection rules need to know about a synapse.
type synInfo struct {
	n      *node // the synapse object; nil when the projection has none
	typeOK bool
	// sharedOK is true when every parameter that must agree across projections
	// into one population (the STDP rules; tau_c, tau_d, w_min, w_max) is valid.
	sharedOK bool
	// structOK is true for a structural synapse whose rule (StructuralRule)
	// is valid throughout.
	structOK bool
}

// synapse checks a projection's synapse. Without one, a projection has PyNN's
// default: a StaticSynapse of weight 0 and delay one timestep.
func (c *checker) synapse(n *node, path string, x *projCtx) (Synapse, synInfo) {
	syn := Synapse{Type: StaticSynapse, Delay: Value{Const: x.defaultDelay()}}
	info := synInfo{n: n, typeOK: true, sharedOK: true}
	if n == nil {
		return syn, info
	}
	info.typeOK = false
	o := c.object(n, path)
	if o == nil {
		return syn, info
	}
	tn := o.get("type")
	if tn == nil {
		o.missing("type")
		o.ignoreRest()
		return syn, info
	}
	t, ok := c.enum(tn, o.at("type"), "unknown synapse type", StaticSynapse, STDPMechanism, Neuromodulation,
		StructuralMechanismSTDP, StructuralMechanismStatic)
	if !ok {
		o.ignoreRest() // the keys of an unknown type cannot be judged
		return syn, info
	}
	syn.Type, info.typeOK = t, true
	x.synType = t

	switch t {
	case StaticSynapse:
	case STDPMechanism:
		info.sharedOK = c.stdpRules(o, &syn)
	case Neuromodulation:
		var ok [4]bool
		syn.TauC, ok[0] = o.num("tau_c", defaultTauC, positive)
		syn.TauD, ok[1] = o.num("tau_d", defaultTauD, positive)
		syn.WMin, syn.WMax, ok[2], ok[3] = c.weightBounds(o)
		info.sharedOK = ok[0] && ok[1] && ok[2] && ok[3]
	case StructuralMechanismSTDP, StructuralMechanismStatic:
		info.sharedOK, info.structOK = c.structural(o, &syn, x)
	}
	if wn := o.get("weight"); wn != nil {
		syn.Weight, _ = c.weight(wn, o.at("weight"), x)
	}
	if dn := o.get("delay"); dn != nil {
		syn.Delay, _ = c.delay(dn, o.at("delay"), x)
	}
	o.done()
	return syn, info
}

// defaultDelay is PyNN's default delay: the simulator's minimum, one timestep.
func (x *projCtx) defaultDelay() float64 {
	if x.h > 0 {
		return x.h
	}
	return 1.0
}

// timingRule reads a SpikePairRule or sPyNNaker's SpikeNearestPairRule over
// PyNN's defaults (the same for both). PyNN puts no sign on A_plus and
// A_minus, nor do we.
func (c *checker) timingRule(n *node, path string) (*TimingRule, bool) {
	o := c.object(n, path)
	if o == nil {
		return nil, false
	}
	t, ok := o.reqEnum("type", "unknown timing rule", SpikePairRule, SpikeNearestPairRule)
	if !ok {
		o.ignoreRest()
		return nil, false
	}
	r := &TimingRule{Type: t}
	var ok1, ok2, ok3, ok4 bool
	r.TauPlus, ok1 = o.num("tau_plus", defaultTauPlus, positive)
	r.TauMinus, ok2 = o.num("tau_minus", defaultTauMinus, positive)
	r.APlus, ok3 = o.num("A_plus", defaultAPlus)
	r.AMinus, ok4 = o.num("A_minus", defaultAMinus)
	o.done()
	return r, ok1 && ok2 && ok3 && ok4
}

// weightRule reads an additive or multiplicative weight dependence.
func (c *checker) weightRule(n *node, path string) (*WeightRule, bool) {
	o := c.object(n, path)
	if o == nil {
		return nil, false
	}
	t, ok := o.reqEnum("type", "unknown weight dependence", AdditiveWeightDependence, MultiplicativeWeightDependence)
	if !ok {
		o.ignoreRest()
		return nil, false
	}
	r := &WeightRule{Type: t}
	var ok1, ok2 bool
	r.WMin, ok1 = o.num("w_min", defaultWMin)
	r.WMax, ok2 = o.num("w_max", defaultWMax)
	if ok1 && ok2 && r.WMax < r.WMin {
		ok2 = false
		c.add(o.place("w_max"), o.at("w_max"), "must be >= w_min (%g)", r.WMin)
	}
	o.done()
	return r, ok1 && ok2
}

// weightBounds reads Neuromodulation's w_min and w_max: both ≥ 0 (sPyNNaker's
// rule) and w_max ≥ w_min.
func (c *checker) weightBounds(o *object) (wMin, wMax float64, okMin, okMax bool) {
	wMin, okMin = o.num("w_min", defaultWMin, nonNegative)
	wMax, okMax = o.num("w_max", defaultWMax, nonNegative)
	if okMin && okMax && wMax < wMin {
		okMax = false
		c.add(o.place("w_max"), o.at("w_max"), "must be >= w_min (%g)", wMin)
	}
	return wMin, wMax, okMin, okMax
}

// weight reads a weight: a number or a distribution. A constant is a
// magnitude (see magnitude); what a distribution draws is the connector's to
// handle.
func (c *checker) weight(n *node, path string, x *projCtx) (Value, bool) {
	v, ok := c.value(n, path)
	if ok && v.IsConstant() {
		v.Const, ok = c.magnitude(n, path, v.Const, x.receptor)
	}
	return v, ok
}

// magnitude turns a constant weight into a magnitude: the receptor gives the
// sign. A negative weight on an inhibitory projection is PyNN's convention for
// current-based synapses and is taken as its magnitude; on any other receptor
// it is an error.
func (c *checker) magnitude(n *node, path string, w float64, receptor string) (float64, bool) {
	switch {
	case w == 0:
		return 0, true // no -0
	case w > 0:
		return w, true
	case receptor == Inhibitory:
		return -w, true
	case receptor == "":
		return w, false // the receptor's own problem is reported
	default:
		c.add(n, path, "must be >= 0 for receptor_type %q (weights are magnitudes; only an inhibitory projection may give a negative weight, taken as its magnitude)", receptor)
		return w, false
	}
}

// delay reads a delay: a number or a distribution. A constant must be at least
// one timestep (sPyNNaker's minimum delay); a Neuromodulation synapse's delay
// is fixed at one timestep. What a distribution draws is the connector's to
// handle (it rounds draws to whole timesteps).
func (c *checker) delay(n *node, path string, x *projCtx) (Value, bool) {
	v, ok := c.value(n, path)
	if !ok {
		return v, false
	}
	if x.synType == Neuromodulation && !v.IsConstant() {
		c.add(n, path, "must be one timestep (%g ms): a Neuromodulation synapse's delay is fixed", x.defaultDelay())
		return v, false
	}
	if v.IsConstant() {
		return v, c.checkDelay(n, path, v.Const, x)
	}
	return v, true
}

// checkDelay checks a constant delay against the timestep.
func (c *checker) checkDelay(n *node, path string, d float64, x *projCtx) bool {
	if x.h <= 0 {
		return true // the timestep's own problem is reported
	}
	ticks := d / x.h
	switch {
	case x.synType == Neuromodulation && math.Abs(ticks-1) > 1e-9:
		c.add(n, path, "must be one timestep (%g ms): a Neuromodulation synapse's delay is fixed", x.h)
		return false
	case ticks < 1-1e-9:
		c.add(n, path, "must be >= one timestep (%g ms)", x.h)
		return false
	}
	return true
}

// value reads a number or a distribution as PyNN's RandomDistribution names
// them: {"distribution": "uniform", "low", "high"},
// {"distribution": "normal", "mu", "sigma"} or
// {"distribution": "normal_clipped", "mu", "sigma", "low", "high"} (low and
// high default to -∞ and +∞; draws outside are drawn again, so [low, high]
// must hold at least minClippedMass of the distribution).
func (c *checker) value(n *node, path string) (Value, bool) {
	switch n.kind {
	case kindNumber:
		v, ok := c.number(n, path)
		return Value{Const: v}, ok
	case kindObject:
	default:
		c.wrongType(n, path, "a number or a distribution")
		return Value{}, false
	}
	o := c.object(n, path)
	d, ok := o.reqEnum("distribution", "unknown distribution", DistUniform, DistNormal, DistNormalClipped)
	if !ok {
		o.ignoreRest()
		return Value{}, false
	}
	v := Value{Distribution: d}
	var ok1, ok2 bool
	switch d {
	case DistUniform:
		v.Low, ok1 = o.reqNum("low")
		v.High, ok2 = o.reqNum("high")
		if ok1 && ok2 && v.High <= v.Low {
			c.add(o.place("high"), o.at("high"), "must be > low (%g)", v.Low)
			ok2 = false
		}
	case DistNormal:
		v.Mu, ok1 = o.reqNum("mu")
		v.Sigma, ok2 = o.reqNum("sigma", nonNegative)
	case DistNormalClipped:
		v.Mu, ok1 = o.reqNum("mu")
		v.Sigma, ok2 = o.reqNum("sigma", nonNegative)
		var okL, okH bool
		v.Low, okL = o.num("low", math.Inf(-1))
		v.High, okH = o.num("high", math.Inf(1))
		switch {
		case !ok1 || !ok2 || !okL || !okH:
			ok2 = false
		case v.High < v.Low:
			c.add(o.place("high"), o.at("high"), "must be >= low (%g)", v.Low)
			ok2 = false
		case ClippedMass(v) < minClippedMass:
			c.add(n, path, "[low, high] = [%g, %g] holds %.3g%% of the normal distribution (mu %g, sigma %g); draws outside are drawn again, so it must hold at least %g%%",
				v.Low, v.High, 100*ClippedMass(v), v.Mu, v.Sigma, 100*minClippedMass)
			ok2 = false
		}
	}
	o.done()
	return v, ok1 && ok2
}

// minClippedMass is the least share of a normal distribution that
// normal_clipped's [low, high] must hold: at most 100 draws a value on
// average.
const minClippedMass = 0.01

// ClippedMass is the probability that a draw of normal_clipped's underlying
// normal distribution falls in [low, high] (1 or 0 when sigma is 0).
func ClippedMass(v Value) float64 {
	if v.Sigma == 0 {
		if v.Mu >= v.Low && v.Mu <= v.High {
			return 1
		}
		return 0
	}
	z := func(x float64) float64 { return (x - v.Mu) / (v.Sigma * math.Sqrt2) }
	above := func(x float64) float64 { return 0.5 * math.Erfc(z(x)) }  // P(X > x)
	below := func(x float64) float64 { return 0.5 * math.Erfc(-z(x)) } // P(X < x)
	switch {
	case v.Low >= v.Mu: // both bounds in the upper tail: no cancellation
		return above(v.Low) - above(v.High)
	case v.High <= v.Mu:
		return below(v.High) - below(v.Low)
	}
	return 1 - below(v.Low) - above(v.High)
}

// stdpRules reads the required timing_dependence and weight_dependence of an
// STDP form (STDPMechanism, StructuralMechanismSTDP) into syn and reports
// whether both are valid.
func (c *checker) stdpRules(o *object, syn *Synapse) bool {
	var tOK, wOK bool
	if tn := o.get("timing_dependence"); tn != nil {
		syn.Timing, tOK = c.timingRule(tn, o.at("timing_dependence"))
	} else {
		o.missing("timing_dependence")
	}
	if wn := o.get("weight_dependence"); wn != nil {
		syn.WeightDep, wOK = c.weightRule(wn, o.at("weight_dependence"))
	} else {
		o.missing("weight_dependence")
	}
	return tOK && wOK
}
