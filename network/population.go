package network

import (
	"math"
	"sort"
)

// popInfo is what the projection checks need to know about a population
// beyond the Population itself.
type popInfo struct {
	labelOK, sizeOK, typeOK bool
}

// populations checks the population list. The returned slices are parallel.
func (c *checker) populations(items []*node, path string) ([]Population, []popInfo) {
	pops := make([]Population, len(items))
	infos := make([]popInfo, len(items))
	first := make(map[string]int, len(items)) // label → index of its first use
	for i, n := range items {
		ip := indexPath(path, i)
		pops[i], infos[i] = c.population(n, ip)
		if !infos[i].labelOK {
			continue
		}
		label := pops[i].Label
		if j, dup := first[label]; dup {
			c.add(n.member("label"), keyPath(ip, "label"), "duplicate label %q (also %s)", label, indexPath(path, j))
			continue
		}
		first[label] = i
	}
	return pops, infos
}

// population checks one population and fills in PyNN's defaults.
func (c *checker) population(n *node, path string) (Population, popInfo) {
	var p Population
	var info popInfo
	o := c.object(n, path)
	if o == nil {
		return p, info
	}
	p.Label, info.labelOK = o.label("label")
	p.Size, info.sizeOK = o.reqInteger("size", 1, maxCount)
	if !info.sizeOK {
		p.Size = 0 // unknown: skip the checks that need it
	}
	p.CellType, info.typeOK = o.reqEnum("cell_type", "unknown cell type", SpikeSourceArray, SpikeSourcePoisson, IFCurrExp)

	params := o.get("parameters")
	switch p.CellType {
	case SpikeSourceArray:
		p.SpikeTimes = c.spikeSourceArray(params, o.at("parameters"), p.Size)
	case SpikeSourcePoisson:
		p.Rates, p.StartMs, p.DurationMs = c.spikeSourcePoisson(params, o.at("parameters"), p.Size)
	case IFCurrExp:
		p.IF = c.ifCurrExp(params, o.at("parameters"))
	}

	initial := o.get("initial_values")
	switch {
	case p.CellType == IFCurrExp:
		p.Init = c.ifCurrExpInit(initial, o.at("initial_values"), p.IF.VRest, p.Size)
	case initial != nil && info.typeOK:
		c.add(initial, o.at("initial_values"), "%s takes no initial_values (it has no state to set)", p.CellType)
	}

	if rn := o.get("record"); rn != nil {
		c.populationRecord(rn, o.at("record"), &p, info.typeOK)
	}
	if sn := o.get("splitter"); sn != nil {
		p.SynapseCores = c.splitter(sn, o.at("splitter"), &p, info.typeOK)
	}
	p.MaxAtomsPerCore, _ = o.integer("max_atoms_per_core", 0, 1, maxCount)
	if pn := o.get("placement"); pn != nil {
		p.Placement = c.placement(pn, o.at("placement"))
	}
	o.done()
	return p, info
}

// spikeSourceArray reads spike_times: one list for every neuron, or one list
// per neuron. PyNN's default is no spikes. Times must be finite and ≥ 0; times
// past the end of the run are allowed (they never fire). Each list is sorted;
// duplicates are kept (the source model decides what two spikes in one tick
// mean). With one list for all neurons, every neuron shares the same slice.
func (c *checker) spikeSourceArray(n *node, path string, size int) [][]float64 {
	times := make([][]float64, size)
	if n == nil {
		return times
	}
	o := c.object(n, path)
	if o == nil {
		return times
	}
	tn := o.get("spike_times")
	o.doneAs("unknown parameter of SpikeSourceArray")
	if tn == nil {
		return times
	}
	tp := o.at("spike_times")
	items, ok := c.array(tn, tp)
	if !ok {
		return times
	}
	perNeuron := false
	for _, it := range items {
		perNeuron = perNeuron || it.kind == kindArray
	}
	if !perNeuron {
		if list, ok := c.spikeList(items, tp); ok {
			for i := range times {
				times[i] = list
			}
		}
		return times
	}
	if size > 0 && len(items) != size {
		c.add(tn, tp, "has %d lists but the population has %d neurons (give one list for all, or one per neuron)", len(items), size)
	}
	for i, it := range items {
		ip := indexPath(tp, i)
		if it.kind != kindArray {
			c.add(it, ip, "must be an array (spike_times is a list of lists), not %s", it.kind.article())
			continue
		}
		if list, ok := c.spikeList(it.items, ip); ok && i < size {
			times[i] = list
		}
	}
	return times
}

// spikeList reads one sorted list of spike times.
func (c *checker) spikeList(items []*node, path string) ([]float64, bool) {
	list := make([]float64, 0, len(items))
	all := true
	for i, it := range items {
		v, ok := c.number(it, indexPath(path, i), nonNegative)
		all = all && ok
		list = append(list, v)
	}
	sort.Float64s(list)
	return list, all
}

// spikeSourcePoisson reads rate (Hz; PyNN's default 1.0; a number, or one per
// neuron), start (ms, default 0) and duration (ms, default +Inf: to the end of
// the run, where PyNN writes 1e10).
func (c *checker) spikeSourcePoisson(n *node, path string, size int) (rates []float64, start, duration float64) {
	rates = make([]float64, size)
	for i := range rates {
		rates[i] = 1.0
	}
	start, duration = 0, math.Inf(1)
	if n == nil {
		return rates, start, duration
	}
	o := c.object(n, path)
	if o == nil {
		return rates, start, duration
	}
	if rn := o.get("rate"); rn != nil {
		rp := o.at("rate")
		switch rn.kind {
		case kindNumber:
			if v, ok := c.number(rn, rp, nonNegative); ok {
				for i := range rates {
					rates[i] = v
				}
			}
		case kindArray:
			if size > 0 && len(rn.items) != size {
				c.add(rn, rp, "has %d rates but the population has %d neurons (give one rate for all, or one per neuron)", len(rn.items), size)
			}
			for i, it := range rn.items {
				if v, ok := c.number(it, indexPath(rp, i), nonNegative); ok && i < size {
					rates[i] = v
				}
			}
		default:
			c.wrongType(rn, rp, "a number or an array of numbers")
		}
	}
	start, _ = o.num("start", 0, nonNegative)
	duration, _ = o.num("duration", math.Inf(1), positive)
	o.doneAs("unknown parameter of SpikeSourcePoisson")
	return rates, start, duration
}

// ifCurrExpParams are IF_curr_exp's parameters: PyNN's names, the field each
// fills and its check. PyNN does not require v_thresh > v_reset, nor do we.
var ifCurrExpParams = []struct {
	name  string
	field func(*IFCurrExpParams) *float64
	rule  rule // nil: any finite number
}{
	{"cm", func(p *IFCurrExpParams) *float64 { return &p.Cm }, positive},
	{"tau_m", func(p *IFCurrExpParams) *float64 { return &p.TauM }, positive},
	{"tau_refrac", func(p *IFCurrExpParams) *float64 { return &p.TauRefrac }, nonNegative},
	{"tau_syn_E", func(p *IFCurrExpParams) *float64 { return &p.TauSynE }, positive},
	{"tau_syn_I", func(p *IFCurrExpParams) *float64 { return &p.TauSynI }, positive},
	{"v_rest", func(p *IFCurrExpParams) *float64 { return &p.VRest }, nil},
	{"v_reset", func(p *IFCurrExpParams) *float64 { return &p.VReset }, nil},
	{"v_thresh", func(p *IFCurrExpParams) *float64 { return &p.VThresh }, nil},
	{"i_offset", func(p *IFCurrExpParams) *float64 { return &p.IOffset }, nil},
}

// ifCurrExp reads IF_curr_exp's parameters over PyNN's defaults.
func (c *checker) ifCurrExp(n *node, path string) IFCurrExpParams {
	p := DefaultIFCurrExp()
	if n == nil {
		return p
	}
	o := c.object(n, path)
	if o == nil {
		return p
	}
	for _, d := range ifCurrExpParams {
		f := d.field(&p)
		var rules []rule
		if d.rule != nil {
			rules = append(rules, d.rule)
		}
		*f, _ = o.num(d.name, *f, rules...)
	}
	o.doneAs("unknown parameter of IF_curr_exp")
	return p
}

// ifCurrExpInit reads initial_values. v defaults to v_rest, as sPyNNaker's
// IF_curr_exp does (PyNN writes -65, which is v_rest's default); the synaptic
// currents default to 0. Each is a number, a list with one value per neuron,
// or a distribution drawn per neuron from the run's seed.
func (c *checker) ifCurrExpInit(n *node, path string, vRest float64, size int) IFCurrExpInit {
	init := IFCurrExpInit{V: Constant(vRest), IsynExc: Constant(0), IsynInh: Constant(0)}
	if n == nil {
		return init
	}
	o := c.object(n, path)
	if o == nil {
		return init
	}
	if vn := o.get("v"); vn != nil {
		init.V = c.initialValue(vn, o.at("v"), size, vRest)
	}
	if vn := o.get("isyn_exc"); vn != nil {
		init.IsynExc = c.initialValue(vn, o.at("isyn_exc"), size, 0)
	}
	if vn := o.get("isyn_inh"); vn != nil {
		init.IsynInh = c.initialValue(vn, o.at("isyn_inh"), size, 0)
	}
	o.doneAs("unknown initial value of IF_curr_exp")
	return init
}

// initialValue reads one initial value: a number, a distribution, or an
// array of one number per neuron. On a problem it returns def for every
// neuron.
func (c *checker) initialValue(n *node, path string, size int, def float64) InitialValue {
	switch n.kind {
	case kindNumber, kindObject, kindArray:
	default:
		c.wrongType(n, path, "a number, a list with one number per neuron, or a distribution")
		return Constant(def)
	}
	if n.kind != kindArray {
		v, ok := c.value(n, path)
		if !ok {
			return Constant(def)
		}
		return InitialValue{Value: v}
	}
	if size > 0 && len(n.items) != size {
		c.add(n, path, "has %d values but the population has %d neurons (give one value for all, one per neuron, or a distribution)", len(n.items), size)
		return Constant(def)
	}
	vals := make([]float64, len(n.items))
	all := true
	for i, it := range n.items {
		v, ok := c.number(it, indexPath(path, i))
		all = all && ok
		vals[i] = v
	}
	if !all || size == 0 {
		return Constant(def)
	}
	return InitialValue{PerNeuron: vals}
}

// MaxSynapseCores is the most synapse cores a split slice may have: with
// its neuron core they must fit the 15 application cores of a chip that the
// mapping can give one population (reference spynnaker-neuromodulation.md §5).
const MaxSynapseCores = 14

// splitter reads {"synapse_cores": N}: the population runs as one neuron
// core and N synapse cores per slice, as sPyNNaker's
// SplitterAbstractPopulationVertexNeuronsSynapses(N).
func (c *checker) splitter(n *node, path string, p *Population, typeOK bool) int {
	o := c.object(n, path)
	if o == nil {
		return 0
	}
	k, ok := o.reqInteger("synapse_cores", 1, MaxSynapseCores)
	o.doneAs("unknown key of the splitter")
	if typeOK && p.IsSource() {
		c.add(n, path, "%s has no synapses to split: only neuron populations take a splitter", p.CellType)
		return 0
	}
	if !ok {
		return 0
	}
	return int(k)
}

// populationRecord reads record: "spikes" (any population), "v", "gsyn_exc"
// and "gsyn_inh" (neurons only).
// Naming a variable twice is harmless, as in PyNN.
func (c *checker) populationRecord(n *node, path string, p *Population, typeOK bool) {
	items, ok := c.array(n, path)
	if !ok {
		return
	}
	for i, it := range items {
		ip := indexPath(path, i)
		v, ok := c.enum(it, ip, "unknown variable", RecordSpikes, RecordV, RecordGsynExc, RecordGsynInh, RecordRewiring)
		switch {
		case !ok:
		case v == RecordSpikes:
			p.RecordSpikes = true
		case typeOK && p.IsSource():
			c.add(it, ip, `%s has no neurons: only neuron populations record %q`, p.CellType, v)
		case v == RecordV:
			p.RecordV = true
		case v == RecordGsynExc:
			p.RecordGsynExc = true
		case v == RecordRewiring:
			p.RecordRewiring = true
		default:
			p.RecordGsynInh = true
		}
	}
}

// placement reads {"x", "y", "p"?}. Whether the chip and core exist on the
// machine is for the mapping to say; only the hardware's own limits are
// checked here.
func (c *checker) placement(n *node, path string) *Placement {
	o := c.object(n, path)
	if o == nil {
		return nil
	}
	var pl Placement
	pl.X, _ = o.reqInteger("x", 0, maxChipCoord)
	pl.Y, _ = o.reqInteger("y", 0, maxChipCoord)
	if pn := o.get("p"); pn != nil {
		if v, ok := c.integer(pn, o.at("p"), 0, maxCore); ok {
			if v == 0 {
				c.add(pn, o.at("p"), "core 0 runs the chip's monitor; pin to a core from 1 to %d", maxCore)
			}
			pl.P, pl.HasP = int(v), true
		}
	}
	o.done()
	return &pl
}
