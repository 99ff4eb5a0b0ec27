package network

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// This file finds what the loader accepts but a user probably did not mean:
// a parameter outside its physiological range by orders of magnitude (most
// often a value typed in the wrong unit), and a random weight or delay whose
// draws the machine will change. These are warnings, not errors: a user may
// mean them. They come back in Network.Warnings, each with the JSON path of
// the value, in document order.
//
// The pass reads the JSON tree again rather than the Network, so that only
// values the file gives are judged (a default is never a mistake) and each
// warning points at the value written.

// unitRule is the usual range of a parameter and the unit a value far
// outside it was probably typed in.
type unitRule struct {
	unit     string  // the unit the spec asks for
	lo, hi   float64 // the usual range of |value|, for the message
	below    float64 // 0 < |v| < below: probably typed in unitLow
	unitLow  string  // the larger unit (s for ms, V for mV, µF for nF)
	above    float64 // |v| ≥ above: probably typed in unitHigh
	unitHigh string  // the smaller unit (µs for ms, µV for mV, pA for nA)
}

// Units and their rules. Each wrong unit is a factor of 1000 away.
var (
	capacitance = unitRule{unit: "nF", lo: 0.01, hi: 10, below: 1e-3, unitLow: "µF", above: 100, unitHigh: "pF"}
	membraneTau = unitRule{unit: "ms", lo: 1, hi: 200, below: 0.1, unitLow: "s", above: 1e4, unitHigh: "µs"}
	synapseTau  = unitRule{unit: "ms", lo: 0.1, hi: 100, below: 0.05, unitLow: "s", above: 1e4, unitHigh: "µs"}
	refractory  = unitRule{unit: "ms", lo: 0, hi: 20, below: 0.01, unitLow: "s", above: 1e4, unitHigh: "µs"}
	voltage     = unitRule{unit: "mV", lo: 0, hi: 100, below: 1, unitLow: "V", above: 1000, unitHigh: "µV"}
	current     = unitRule{unit: "nA", lo: 0, hi: 10, above: 100, unitHigh: "pA"}
	stdpTau     = unitRule{unit: "ms", lo: 1, hi: 200, below: 0.1, unitLow: "s", above: 1e5, unitHigh: "µs"}
	traceTau    = unitRule{unit: "ms", lo: 10, hi: 10000, below: 1, unitLow: "s", above: 1e7, unitHigh: "µs"}
	timestep    = unitRule{unit: "ms", lo: 0.01, hi: 10, above: 100, unitHigh: "µs"}
)

// ifCurrExpUnits are the rules for IF_curr_exp's parameters.
var ifCurrExpUnits = map[string]unitRule{
	"cm": capacitance, "tau_m": membraneTau, "tau_refrac": refractory,
	"tau_syn_E": synapseTau, "tau_syn_I": synapseTau,
	"v_rest": voltage, "v_reset": voltage, "v_thresh": voltage, "i_offset": current,
}

// ifCurrExpInitUnits are the rules for IF_curr_exp's initial values.
var ifCurrExpInitUnits = map[string]unitRule{"v": voltage, "isyn_exc": current, "isyn_inh": current}

// check returns a warning about v, or "".
func (u unitRule) check(v float64) string {
	a := math.Abs(v)
	var other string
	var factor float64
	switch {
	case u.below > 0 && a > 0 && a < u.below:
		other, factor = u.unitLow, 1000
	case u.above > 0 && a >= u.above:
		other, factor = u.unitHigh, 0.001
	default:
		return ""
	}
	usual := fmt.Sprintf("%g–%g %s", u.lo, u.hi, u.unit)
	if u.lo == 0 {
		usual = fmt.Sprintf("up to %g %s", u.hi, u.unit)
		if u.unit == "mV" {
			usual = fmt.Sprintf("-%g to +%g mV", u.hi, u.hi/2)
		}
	}
	return fmt.Sprintf("%g %s is far outside the usual range (%s); was it typed in %s? %g %s = %g %s",
		v, u.unit, usual, other, v, other, v*factor, u.unit)
}

// drawEpsilon is the smallest probability of a changed draw worth a warning:
// below it, fewer than one synapse in a million is affected.
const drawEpsilon = 1e-6

// warner collects warnings while it walks the tree.
type warner struct {
	found []located
}

func (w *warner) add(n *node, path, format string, args ...any) {
	w.found = append(w.found, located{n.off, Problem{path, fmt.Sprintf(format, args...)}})
}

// warnings returns the warnings about a file that loaded without problems:
// root is its tree, net what it loaded to.
func warnings(root *node, net *Network) []Problem {
	w := &warner{}
	if n := root.member("timestep_ms"); n != nil {
		w.unit(n, "timestep_ms", timestep)
	}
	if pops := root.member("populations"); pops != nil {
		for i, pn := range pops.items {
			path := indexPath("populations", i)
			w.object(pn.member("parameters"), keyPath(path, "parameters"), ifCurrExpUnits)
			w.object(pn.member("initial_values"), keyPath(path, "initial_values"), ifCurrExpInitUnits)
		}
	}
	if projs := root.member("projections"); projs != nil {
		for i, pn := range projs.items {
			if i < len(net.Projections) {
				w.projection(pn, indexPath("projections", i), &net.Projections[i], net.TimestepMs)
			}
		}
	}
	sort.SliceStable(w.found, func(i, j int) bool { return w.found[i].off < w.found[j].off })
	var out []Problem
	for _, f := range w.found {
		out = append(out, f.p)
	}
	return out
}

// unit checks one number against its rule.
func (w *warner) unit(n *node, path string, u unitRule) {
	if n == nil || n.kind != kindNumber {
		return
	}
	v, err := strconv.ParseFloat(n.text, 64)
	if err != nil {
		return
	}
	if msg := u.check(v); msg != "" {
		w.add(n, path, "%s", msg)
	}
}

// object checks the members of an object that have rules. Only neuron
// parameters have such names, so a spike source's parameters (rate, start)
// pass untouched.
func (w *warner) object(n *node, path string, rules map[string]unitRule) {
	if n == nil || n.kind != kindObject {
		return
	}
	for i, k := range n.keys {
		if u, ok := rules[k]; ok {
			w.unit(n.items[i], keyPath(path, k), u)
		}
	}
}

// projection checks a projection's weights, delays and plasticity
// parameters.
func (w *warner) projection(n *node, path string, p *Projection, h float64) {
	sn := n.member("synapse")
	spath := keyPath(path, "synapse")
	dopamine := p.Receptor == Reward || p.Receptor == Punishment
	if sn != nil {
		if wn := sn.member("weight"); wn != nil && !dopamine { // a dopamine step is not a current
			w.weightUnits(wn, keyPath(spath, "weight"))
		}
		for _, k := range []string{"w_min", "w_max"} {
			w.unit(sn.member(k), keyPath(spath, k), current)
		}
		for _, k := range []string{"tau_c", "tau_d"} {
			w.unit(sn.member(k), keyPath(spath, k), traceTau)
		}
		if tn := sn.member("timing_dependence"); tn != nil {
			for _, k := range []string{"tau_plus", "tau_minus"} {
				w.unit(tn.member(k), keyPath(keyPath(spath, "timing_dependence"), k), stdpTau)
			}
		}
		if wd := sn.member("weight_dependence"); wd != nil {
			for _, k := range []string{"w_min", "w_max"} {
				w.unit(wd.member(k), keyPath(keyPath(spath, "weight_dependence"), k), current)
			}
		}
		if wn := sn.member("weight"); wn != nil && !p.Synapse.Weight.IsConstant() {
			w.weightDraws(wn, keyPath(spath, "weight"), p.Synapse.Weight, p.Receptor)
		}
		if dn := sn.member("delay"); dn != nil && !p.Synapse.Delay.IsConstant() {
			w.delayDraws(dn, keyPath(spath, "delay"), p.Synapse.Delay, h)
		}
	}
	if cn := n.member("connector"); cn != nil && p.Connector.Type == FromList && !dopamine {
		w.listWeights(cn.member("conn_list"), keyPath(keyPath(path, "connector"), "conn_list"), p.Receptor)
	}
}

// weightUnits checks a weight, a number or a distribution, against the
// range of a current.
func (w *warner) weightUnits(n *node, path string) {
	if n.kind == kindNumber {
		w.unit(n, path, current)
		return
	}
	for _, k := range []string{"low", "high", "mu"} { // one warning is enough
		before := len(w.found)
		w.unit(n.member(k), keyPath(path, k), current)
		if len(w.found) > before {
			return
		}
	}
}

// listWeights checks the weights of a FromListConnector's rows: their units
// (the first row out of range stands for the rest) and, on an inhibitory
// projection, their signs.
func (w *warner) listWeights(n *node, path string, receptor string) {
	if n == nil {
		return
	}
	var firstBad *node
	firstPath := ""
	bad, neg, pos := 0, 0, 0
	var firstNeg, firstPos *node
	for i, r := range n.items {
		if len(r.items) != 4 || r.items[2].kind != kindNumber {
			continue
		}
		v, err := strconv.ParseFloat(r.items[2].text, 64)
		if err != nil {
			continue
		}
		if current.check(v) != "" {
			if bad == 0 {
				firstBad, firstPath = r.items[2], indexPath(indexPath(path, i), 2)
			}
			bad++
		}
		switch {
		case v < 0:
			if neg == 0 {
				firstNeg = r.items[2]
			}
			neg++
		case v > 0:
			if pos == 0 {
				firstPos = r.items[2]
			}
			pos++
		}
	}
	if bad > 0 {
		v, _ := strconv.ParseFloat(firstBad.text, 64)
		more := ""
		if bad > 1 {
			more = fmt.Sprintf(" (and %d more rows like it)", bad-1)
		}
		w.add(firstBad, firstPath, "%s%s", current.check(v), more)
	}
	if receptor == Inhibitory && neg > 0 && pos > 0 {
		at := firstNeg
		if firstPos.off > firstNeg.off {
			at = firstPos
		}
		// sPyNNaker refuses such a list: "Weights must be either all positive
		// or all negative" (spynnaker/pyNN/models/neural_projections/
		// connectors/abstract_connector.py, _generate_weights).
		w.add(at, path, "has %d negative and %d positive weights on an inhibitory projection: each is taken as its magnitude; sPyNNaker refuses a list of mixed signs (\"Weights must be either all positive or all negative\")", neg, pos)
	}
}

// weightDraws warns when a weight distribution draws weights of the sign the
// receptor does not take. spinnsim stores every weight as a magnitude, as
// sPyNNaker does: its synapse expander, which generates the synapses of
// every connector spinnsim has except FromList on the machine, takes |w| of
// each draw (rescale_weight in
// neural_modelling/src/synapse_expander/generator_types.h), and its host
// side takes numpy.abs of the weights (_generate_weights in
// spynnaker/pyNN/models/neural_projections/connectors/abstract_connector.py).
// Neither says so; spinnsim does, with the mean the folding gives.
func (w *warner) weightDraws(n *node, path string, v Value, receptor string) {
	neg, pos := signProbabilities(v)
	mean, folded := v.mean(), v.meanMagnitude()
	switch {
	case receptor == Inhibitory && neg > drawEpsilon && pos > drawEpsilon:
		w.add(n, path, "%s draws weights of both signs (%s positive): on an inhibitory projection each draw is taken as its magnitude, as sPyNNaker's synapse expander does, so the mean magnitude is %.4g, not %.4g",
			v.describe(), percent(pos), folded, math.Abs(mean))
	case receptor != Inhibitory && neg > drawEpsilon:
		w.add(n, path, "%s draws negative weights (%s of draws): receptor_type %q gives the sign, and each negative draw is taken as its magnitude, as sPyNNaker's synapse expander does, so the mean weight is %.4g, not %.4g",
			v.describe(), percent(neg), receptor, folded, mean)
	}
}

// delayDraws warns when a delay distribution draws delays below one
// timestep. sPyNNaker raises them to one timestep: on the host it clips them
// to the minimum delay and counts them in provenance
// ("Times_synaptic_delays_got_clipped", _clip_delays in abstract_connector.py),
// and its synapse expander makes a delay below one tick one tick
// (rescale_delay in generator_types.h, get_delay in
// matrix_generators/matrix_generator_common.h). spinnsim does the same
// (package connectors) and says so here.
func (w *warner) delayDraws(n *node, path string, v Value, h float64) {
	if !(h > 0) {
		return
	}
	p := v.probBelow(h)
	if p > drawEpsilon {
		w.add(n, path, "%s draws delays below one timestep (%g ms) in %s of draws: each is raised to one timestep, as sPyNNaker does",
			v.describe(), h, percent(p))
	}
}

// percent writes a probability for a message: "16%", "0.0032%".
func percent(p float64) string {
	return strconv.FormatFloat(p*100, 'g', 2, 64) + "%"
}

// describe writes a distribution as PyNN names it: "normal(mu=0.5, sigma=0.5)".
func (v Value) describe() string {
	switch v.Distribution {
	case DistNormal:
		return fmt.Sprintf("normal(mu=%g, sigma=%g)", v.Mu, v.Sigma)
	case DistUniform:
		return fmt.Sprintf("uniform(low=%g, high=%g)", v.Low, v.High)
	case DistNormalClipped:
		return fmt.Sprintf("normal_clipped(mu=%g, sigma=%g, low=%g, high=%g)", v.Mu, v.Sigma, v.Low, v.High)
	}
	return strconv.FormatFloat(v.Const, 'g', -1, 64)
}

// signProbabilities are the probabilities that a draw of v is negative and
// positive.
func signProbabilities(v Value) (neg, pos float64) {
	neg = v.probBelow(0)
	return neg, 1 - neg - v.probZero()
}

// probBelow is the probability that a draw of v is less than x.
func (v Value) probBelow(x float64) float64 {
	switch v.Distribution {
	case DistNormal:
		if v.Sigma == 0 {
			return b2f(v.Mu < x)
		}
		return 0.5 * math.Erfc(-(x-v.Mu)/(v.Sigma*math.Sqrt2))
	case DistUniform:
		return math.Min(1, math.Max(0, (x-v.Low)/(v.High-v.Low)))
	case DistNormalClipped:
		switch {
		case x <= v.Low:
			return 0
		case x > v.High:
			return 1
		case v.Sigma == 0:
			return b2f(v.Mu < x)
		}
		below := v
		below.High = x
		return ClippedMass(below) / ClippedMass(v)
	}
	return b2f(v.Const < x)
}

// clippedPart is ∫ x dP over [a, b] for the normal of v (not normalised):
// μ·(Φ(β) − Φ(α)) + σ·(φ(α) − φ(β)) with α, β the standardised bounds.
func (v Value) clippedPart(a, b float64) float64 {
	phi := func(x float64) float64 {
		if math.IsInf(x, 0) {
			return 0
		}
		z := (x - v.Mu) / v.Sigma
		return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	}
	part := v
	part.Low, part.High = a, b
	return v.Mu*ClippedMass(part) + v.Sigma*(phi(a)-phi(b))
}

// probZero is the probability that a draw is exactly 0 (only a constant or
// a degenerate normal can be).
func (v Value) probZero() float64 {
	switch {
	case v.Distribution == "":
		return b2f(v.Const == 0)
	case (v.Distribution == DistNormal || v.Distribution == DistNormalClipped) && v.Sigma == 0:
		return b2f(v.Mu == 0)
	}
	return 0
}

// mean is the mean of v's draws.
func (v Value) mean() float64 {
	switch v.Distribution {
	case DistNormal:
		return v.Mu
	case DistUniform:
		return (v.Low + v.High) / 2
	case DistNormalClipped:
		if v.Sigma == 0 {
			return v.Mu
		}
		return v.clippedPart(v.Low, v.High) / ClippedMass(v)
	}
	return v.Const
}

// meanMagnitude is the mean of |draw|: for a normal, the folded normal's
// mean σ·√(2/π)·exp(−μ²/2σ²) + μ·(1 − 2Φ(−μ/σ)); for a uniform on [a, b)
// that holds 0, (a² + b²) / 2(b − a).
func (v Value) meanMagnitude() float64 {
	switch v.Distribution {
	case DistNormal:
		if v.Sigma == 0 {
			return math.Abs(v.Mu)
		}
		return v.Sigma*math.Sqrt(2/math.Pi)*math.Exp(-v.Mu*v.Mu/(2*v.Sigma*v.Sigma)) +
			v.Mu*(1-2*v.probBelow(0))
	case DistUniform:
		if v.Low < 0 && v.High > 0 {
			return (v.Low*v.Low + v.High*v.High) / (2 * (v.High - v.Low))
		}
		return math.Abs(v.mean())
	case DistNormalClipped:
		if v.Sigma == 0 || v.Low >= 0 || v.High <= 0 {
			return math.Abs(v.mean())
		}
		return (v.clippedPart(0, v.High) - v.clippedPart(v.Low, 0)) / ClippedMass(v)
	}
	return math.Abs(v.Const)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
