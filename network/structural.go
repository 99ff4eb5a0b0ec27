package network

import (
	"fmt"
	"math"
)

// Structural plasticity (synaptic rewiring) as sPyNNaker's
// StructuralMechanismSTDP and StructuralMechanismStatic define it: a post
// neuron has s_max slots for synapses from the structural projections into
// its population; f_rew times a second (per population) a slot is drawn, and
// an empty slot may form a synapse (partner selection, then the formation
// rule), a full one may lose its synapse (the elimination rule). The
// mathematics is in kernels/structural.go; this file reads the rule.

// Rule types of a structural synapse.
const (
	RandomSelection            = "RandomSelection"
	LastNeuronSelection        = "LastNeuronSelection"
	DistanceDependentFormation = "DistanceDependentFormation"
	RandomByWeightElimination  = "RandomByWeightElimination"
)

// Defaults, as sPyNNaker's classes have them (the newest version and the
// 2021 one agree): SynapseDynamicsStructuralCommon (DEFAULT_F_REW 10^4,
// DEFAULT_S_MAX 32, DEFAULT_INITIAL_WEIGHT 0, DEFAULT_INITIAL_DELAY 1 ms),
// SynapseDynamicsStructuralSTDP/Static (with_replacement true),
// LastNeuronSelection (spike_buffer_size 64), DistanceDependentFormation
// (p_form_forward 0.16, sigma_form_forward 2.5, p_form_lateral 1,
// sigma_form_lateral 1) and RandomByWeightElimination (prob_elim_depressed
// 0.0245, prob_elim_potentiated 1.36e-4; threshold has no default).
const (
	DefaultFRew             = 1e4 // Hz
	DefaultSMax             = 32
	DefaultInitialWeight    = 0.0 // nA
	DefaultInitialDelay     = 1.0 // ms
	DefaultWithReplacement  = true
	DefaultSpikeBufferSize  = 64
	DefaultPFormForward     = 0.16
	DefaultSigmaFormForward = 2.5
	DefaultPFormLateral     = 1.0
	DefaultSigmaFormLateral = 1.0
	DefaultProbElimDep      = 0.0245
	DefaultProbElimPot      = 1.36e-4
)

// StructuralRule is the rewiring rule of a structural projection
// (StructuralMechanismSTDP or StructuralMechanismStatic). The projection's
// connector gives the initial connections (with the synapse's weight and
// delay); rewiring then forms and eliminates synapses during the run.
//
//	field            unit  default  meaning
//	FRew             Hz    10^4     rewiring attempts per second per post population
//	SMax             1     32       synapse slots per post neuron (its largest fan-in
//	                                from the structural projections into it)
//	InitialWeight    nA    0        weight of a newly formed synapse
//	InitialDelayLow  ms    1        delay of a newly formed synapse; when High > Low
//	InitialDelayHigh ms    1        it is drawn in [Low, High) whole timesteps
//	WithReplacement  -     true     a synapse may form where one already exists
//
// Every structural projection into one population has the same FRew, SMax,
// InitialWeight, initial delay, WithReplacement and partner selection (they
// are one rule per population on the chip); formation and elimination may
// differ per projection.
type StructuralRule struct {
	PartnerSelection PartnerSelection
	Formation        Formation
	Elimination      Elimination

	FRew                              float64 // Hz, > 0
	SMax                              int     // ≥ 1
	InitialWeight                     float64 // nA, ≥ 0
	InitialDelayLow, InitialDelayHigh float64 // ms, one timestep ≤ Low ≤ High; equal for a single number
	WithReplacement                   bool
}

// PartnerSelection chooses the pre neuron of a formation attempt:
// RandomSelection draws a structural pre population, then one of its
// neurons, at random; LastNeuronSelection draws one of the spikes that
// arrived in the previous timestep (at most SpikeBufferSize are kept).
type PartnerSelection struct {
	Type            string // RandomSelection or LastNeuronSelection
	SpikeBufferSize int    // LastNeuronSelection: spikes kept per timestep (default 64)
}

// Formation is a DistanceDependentFormation: pre and post neurons sit on a
// GridX × GridY torus, and a synapse forms with probability
// p·exp(−d²/(2σ²)), d² the squared toroidal distance in grid steps.
// Forward is for a projection between two populations, Lateral for one from a
// population to itself.
type Formation struct {
	Type                           string // DistanceDependentFormation
	GridX, GridY                   int    // positive; GridX·GridY = the post population's size
	PFormForward, SigmaFormForward float64
	PFormLateral, SigmaFormLateral float64
}

// Elimination is a RandomByWeightElimination: a synapse whose weight is below
// Threshold is removed with probability ProbDepressed per attempt, any other
// with probability ProbPotentiated.
type Elimination struct {
	Type            string  // RandomByWeightElimination
	Threshold       float64 // nA, ≥ 0
	ProbDepressed   float64 // [0, 1]
	ProbPotentiated float64 // [0, 1]
}

// structural reads the keys of a structural synapse into syn. The STDP form
// also reads timing_dependence and weight_dependence (into syn.Timing and
// syn.WeightDep, as STDPMechanism). It reports whether the STDP rules are
// valid (true for the static form) and whether the structural rule is.
func (c *checker) structural(o *object, syn *Synapse, x *projCtx) (stdpOK, structOK bool) {
	r := &StructuralRule{}
	stdpOK = true
	if syn.Type == StructuralMechanismSTDP {
		stdpOK = c.stdpRules(o, syn)
	}

	var ok [8]bool
	if n := o.get("partner_selection"); n != nil {
		r.PartnerSelection, ok[0] = c.partnerSelection(n, o.at("partner_selection"))
	} else {
		o.missing("partner_selection")
	}
	if n := o.get("formation"); n != nil {
		r.Formation, ok[1] = c.formation(n, o.at("formation"), x)
	} else {
		o.missing("formation")
	}
	if n := o.get("elimination"); n != nil {
		r.Elimination, ok[2] = c.elimination(n, o.at("elimination"))
	} else {
		o.missing("elimination")
	}
	r.FRew, ok[3] = o.num("f_rew", DefaultFRew, positive)
	if ok[3] && x.h > 0 {
		if msg := checkRewiringRate(r.FRew, x.h); msg != "" {
			c.add(o.place("f_rew"), o.at("f_rew"), "%s", msg)
			ok[3] = false
		}
	}
	r.SMax, ok[4] = o.integer("s_max", DefaultSMax, 1, maxCount)
	r.InitialWeight, ok[5] = o.num("initial_weight", DefaultInitialWeight, nonNegative)
	r.InitialDelayLow, r.InitialDelayHigh, ok[6] = c.initialDelay(o, x)
	r.WithReplacement, ok[7] = o.boolean("with_replacement", DefaultWithReplacement)
	structOK = true
	for _, b := range ok {
		structOK = structOK && b
	}
	syn.Structural = r
	return stdpOK, structOK
}

// checkRewiringRate checks that f_rew gives a schedule the chip can count:
// sPyNNaker writes, as a 32-bit word, either the number of attempts per tick
// (when the rewiring period 1/f_rew is shorter than a timestep) or the number
// of ticks between attempts.
func checkRewiringRate(fRew, hMs float64) string {
	pRew := 1 / fRew // s
	hUs := hMs * 1000
	var n float64
	if pRew*1000 < hMs {
		n = math.Trunc(hUs / (pRew * 1e6))
		if n > maxCount {
			return fmt.Sprintf("is too high: %g rewiring attempts per timestep (at most %d)", n, maxCount)
		}
		return ""
	}
	n = math.Trunc(pRew * 1e6 / hUs)
	if n > maxCount {
		return fmt.Sprintf("is too low: one rewiring attempt every %g timesteps (at most %d)", n, maxCount)
	}
	return ""
}

// partnerSelection reads {"type": "RandomSelection"} or
// {"type": "LastNeuronSelection", "spike_buffer_size": 64}.
func (c *checker) partnerSelection(n *node, path string) (PartnerSelection, bool) {
	var ps PartnerSelection
	o := c.object(n, path)
	if o == nil {
		return ps, false
	}
	t, ok := o.reqEnum("type", "unknown partner selection", RandomSelection, LastNeuronSelection)
	if !ok {
		o.ignoreRest()
		return ps, false
	}
	ps.Type = t
	if t == LastNeuronSelection {
		ps.SpikeBufferSize, ok = o.integer("spike_buffer_size", DefaultSpikeBufferSize, 1, maxCount)
	}
	o.done()
	return ps, ok
}

// formation reads a DistanceDependentFormation. grid is required here
// (sPyNNaker's default, [16, 16], would have to match the population's size
// anyway) and its product must be the post population's size.
func (c *checker) formation(n *node, path string, x *projCtx) (Formation, bool) {
	var f Formation
	o := c.object(n, path)
	if o == nil {
		return f, false
	}
	t, ok := o.reqEnum("type", "unknown formation rule", DistanceDependentFormation)
	if !ok {
		o.ignoreRest()
		return f, false
	}
	f.Type = t
	var oks [5]bool
	if gn := o.get("grid"); gn != nil {
		f.GridX, f.GridY, oks[0] = c.grid(gn, o.at("grid"), x)
	} else {
		o.missing("grid")
	}
	f.PFormForward, oks[1] = o.num("p_form_forward", DefaultPFormForward, probability)
	f.SigmaFormForward, oks[2] = o.num("sigma_form_forward", DefaultSigmaFormForward, positive)
	f.PFormLateral, oks[3] = o.num("p_form_lateral", DefaultPFormLateral, probability)
	f.SigmaFormLateral, oks[4] = o.num("sigma_form_lateral", DefaultSigmaFormLateral, positive)
	o.done()
	return f, oks[0] && oks[1] && oks[2] && oks[3] && oks[4]
}

// grid reads [x, y]: two positive integers whose product is the post
// population's size (every post neuron has a place on the grid, and no place
// is empty).
func (c *checker) grid(n *node, path string, x *projCtx) (gx, gy int, ok bool) {
	items, ok := c.array(n, path)
	if !ok {
		return 0, 0, false
	}
	if len(items) != 2 {
		c.add(n, path, "must be [x, y], two positive integers, not %d numbers", len(items))
		return 0, 0, false
	}
	vx, okX := c.integer(items[0], indexPath(path, 0), 1, maxCount)
	vy, okY := c.integer(items[1], indexPath(path, 1), 1, maxCount)
	if !okX || !okY {
		return 0, 0, false
	}
	if x.post != nil && vx*vy != int64(x.post.Size) {
		c.add(n, path, "is %d × %d = %d places but %q has %d neurons: the grid's x·y must be the post population's size",
			vx, vy, vx*vy, x.post.Label, x.post.Size)
		return int(vx), int(vy), false
	}
	return int(vx), int(vy), true
}

// elimination reads a RandomByWeightElimination; threshold is required (as in
// sPyNNaker).
func (c *checker) elimination(n *node, path string) (Elimination, bool) {
	var e Elimination
	o := c.object(n, path)
	if o == nil {
		return e, false
	}
	t, ok := o.reqEnum("type", "unknown elimination rule", RandomByWeightElimination)
	if !ok {
		o.ignoreRest()
		return e, false
	}
	e.Type = t
	var oks [3]bool
	e.Threshold, oks[0] = o.reqNum("threshold", nonNegative)
	e.ProbDepressed, oks[1] = o.num("prob_elim_depressed", DefaultProbElimDep, probability)
	e.ProbPotentiated, oks[2] = o.num("prob_elim_potentiated", DefaultProbElimPot, probability)
	o.done()
	return e, oks[0] && oks[1] && oks[2]
}

// initialDelay reads initial_delay: a number (ms) or [low, high], each at
// least one timestep, low ≤ high. The default, 1 ms, must be at least one
// timestep too.
func (c *checker) initialDelay(o *object, x *projCtx) (lo, hi float64, ok bool) {
	n := o.get("initial_delay")
	path := o.at("initial_delay")
	if n == nil {
		if x.h > 1+1e-9 {
			c.add(o.n, path, "is required here: the default, %g ms, is less than one timestep (%g ms)", DefaultInitialDelay, x.h)
			return DefaultInitialDelay, DefaultInitialDelay, false
		}
		return DefaultInitialDelay, DefaultInitialDelay, true
	}
	switch n.kind {
	case kindNumber:
		d, ok := c.number(n, path)
		if ok {
			ok = c.checkDelay(n, path, d, x)
		}
		return d, d, ok
	case kindArray:
	default:
		c.wrongType(n, path, "a number or [low, high]")
		return 0, 0, false
	}
	items := n.items
	if len(items) != 2 {
		c.add(n, path, "must be a number or [low, high], not %d numbers", len(items))
		return 0, 0, false
	}
	lp, hp := indexPath(path, 0), indexPath(path, 1)
	lo, okLo := c.number(items[0], lp)
	hi, okHi := c.number(items[1], hp)
	okLo = okLo && c.checkDelay(items[0], lp, lo, x)
	okHi = okHi && c.checkDelay(items[1], hp, hi, x)
	if okLo && okHi && hi < lo {
		c.add(items[1], hp, "must be >= low (%g)", lo)
		okHi = false
	}
	return lo, hi, okLo && okHi
}

// checkInitialFanIn checks, for the connectors whose fan-in is known before
// the run, that no post neuron starts with more than s_max synapses (the
// post-to-pre table has s_max slots per neuron; sPyNNaker stops with "Too
// many initial connections per incoming neuron"). Random connectors are
// checked when the connections are drawn.
func (c *checker) checkInitialFanIn(n *node, path string, conn Connector, x *projCtx, sMax int) {
	if x.pre == nil || x.post == nil || conn.Type == "" {
		return
	}
	fanIn := 0
	switch conn.Type {
	case AllToAll:
		fanIn = x.pre.Size
		if x.samePop && !conn.AllowSelf {
			fanIn--
		}
	case OneToOne:
		fanIn = 1
	case FixedNumberPre:
		fanIn = conn.N
	case FromList:
		count := make(map[int]int)
		for _, e := range conn.List {
			count[e.Post]++
			fanIn = max(fanIn, count[e.Post])
		}
	}
	if fanIn > sMax {
		c.add(n, path, "gives a post neuron %d initial synapses but s_max is %d: a structural projection starts with at most s_max synapses per post neuron",
			fanIn, sMax)
	}
}

// structuralRules checks what ties structural projections together. sPyNNaker
// runs one rewiring rule per post population and refuses, or silently
// merges, some mixtures; these are its rules, made explicit:
//   - one structural projection per (pre, post) pair of populations
//     (sPyNNaker: "Only one Projection between each pair of Populations can
//     use structural plasticity");
//   - all structural projections into one population share f_rew, s_max,
//     initial_weight, initial_delay (sPyNNaker's is_same_as), and
//     with_replacement and the partner selection with its parameters (the
//     chip holds one of each per population; sPyNNaker keeps the first
//     projection's without a word);
//   - a StructuralMechanismStatic projection shares its post population with
//     no plastic projection (sPyNNaker would merge them into one structural
//     STDP rule that rewires the static synapses as plastic ones);
//   - a population with a structural projection in has one synapse core per
//     slice (sPyNNaker: a structural synapse core is the only one).
//
// Formation and elimination may differ between projections into one
// population: the chip keeps them per pre population.
func (c *checker) structuralRules(projs []Projection, infos []projInfo, pops []Population, byLabel map[string]int) {
	firstPair := make(map[[2]string]int) // (pre, post) → first structural projection
	first := make(map[string]int)        // post → first structural projection with a valid rule
	plastic := make(map[string]int)      // post → first plastic projection
	for i := range projs {
		p, info := &projs[i], &infos[i]
		if info.postOK && info.syn.typeOK && p.Synapse.IsPlastic() {
			if _, seen := plastic[p.Post]; !seen {
				plastic[p.Post] = i
			}
		}
	}
	for i := range projs {
		p, info := &projs[i], &infos[i]
		if !info.postOK || !info.syn.typeOK || !p.Synapse.IsStructural() {
			continue
		}
		typePath := keyPath(keyPath(info.path, "synapse"), "type")
		typeNode := placeIn(info.syn.n, "type")
		if j, dup := firstPair[[2]string{p.Pre, p.Post}]; dup && p.Pre != "" {
			c.add(typeNode, typePath, "makes a second structural projection from %q to %q (also %s): only one projection between a pair of populations may rewire",
				p.Pre, p.Post, infos[j].path)
		} else {
			firstPair[[2]string{p.Pre, p.Post}] = i
		}
		if j, ok := plastic[p.Post]; ok && p.Synapse.Type == StructuralMechanismStatic {
			c.add(typeNode, typePath, "is StructuralMechanismStatic but %s into %q is plastic (%s): a population with a plastic projection in rewires only through StructuralMechanismSTDP (sPyNNaker would merge the two rules and rewire these static synapses as plastic ones)",
				infos[j].path, p.Post, projs[j].Synapse.Type)
		}
		if k, ok := byLabel[p.Post]; ok && pops[k].SynapseCores > 1 {
			c.add(info.postNode, keyPath(info.path, "post"), "%q has a splitter with %d synapse cores, but a population with a structural projection in takes exactly one (sPyNNaker: a structural synapse core is the only one of its slice)",
				p.Post, pops[k].SynapseCores)
		}
		if !info.syn.structOK {
			continue
		}
		j, seen := first[p.Post]
		if !seen {
			first[p.Post] = i
			continue
		}
		r, q := p.Synapse.Structural, projs[j].Synapse.Structural
		mismatch := func(key string) {
			c.add(placeIn(info.syn.n, key), keyPath(keyPath(info.path, "synapse"), key),
				"differs from %s's, which also rewires %q: all structural projections into one population must share f_rew, s_max, initial_weight, initial_delay, with_replacement and partner_selection",
				infos[j].path, p.Post)
		}
		if r.FRew != q.FRew {
			mismatch("f_rew")
		}
		if r.SMax != q.SMax {
			mismatch("s_max")
		}
		if r.InitialWeight != q.InitialWeight {
			mismatch("initial_weight")
		}
		if r.InitialDelayLow != q.InitialDelayLow || r.InitialDelayHigh != q.InitialDelayHigh {
			mismatch("initial_delay")
		}
		if r.WithReplacement != q.WithReplacement {
			mismatch("with_replacement")
		}
		if r.PartnerSelection != q.PartnerSelection {
			mismatch("partner_selection")
		}
	}
}
