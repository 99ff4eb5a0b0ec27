package network

import (
	"math"
	"slices"
)

// Current source types. DCSource is PyNN's; the others PyNN offers are named
// so that a file that uses them gets "not supported yet", not "unknown".
const DCSource = "DCSource"

var unsupportedCurrentSources = []string{"ACSource", "StepCurrentSource", "NoisyCurrentSource"}

// CurrentSource is one entry of current_sources: PyNN's
// DCSource(amplitude, start, stop).inject_into(population).
type CurrentSource struct {
	Label      string  // "" when the file gives none
	Type       string  // DCSource
	Amplitude  float64 // nA (PyNN's default 1.0)
	StartMs    float64 // ms (default 0)
	StopMs     float64 // ms; +Inf when the file leaves it out (PyNN's stop=None: never off)
	InjectInto string  // label of a neuron population
}

// currentSources checks the top-level current_sources list. Every source is
// injected into every neuron of one neuron population. Amplitudes may have
// either sign (PyNN puts none on them); stop, when given, is not before start.
func (c *checker) currentSources(items []*node, path string, pops []Population, infos []popInfo) []CurrentSource {
	byLabel := make(map[string]int, len(pops))
	for i := range pops {
		if _, dup := byLabel[pops[i].Label]; infos[i].labelOK && !dup {
			byLabel[pops[i].Label] = i
		}
	}
	out := make([]CurrentSource, 0, len(items))
	for i, n := range items {
		ip := indexPath(path, i)
		o := c.object(n, ip)
		if o == nil {
			continue
		}
		var s CurrentSource
		if ln := o.get("label"); ln != nil {
			s.Label, _ = o.label("label")
		}
		tn := o.get("type")
		if tn == nil {
			o.missing("type")
			o.ignoreRest()
			continue
		}
		if t, isStr := c.str(tn, o.at("type")); !isStr {
			o.ignoreRest()
			continue
		} else if slices.Contains(unsupportedCurrentSources, t) {
			c.add(tn, o.at("type"), "%s is not supported yet (spinnsim injects DCSource only)", t)
			o.ignoreRest()
			continue
		}
		t, tOK := c.enum(tn, o.at("type"), "unknown current source type", DCSource)
		if !tOK {
			o.ignoreRest()
			continue
		}
		s.Type = t
		var ok1, ok2 bool
		s.Amplitude, ok1 = o.num("amplitude", 1.0)
		s.StartMs, ok2 = o.num("start", 0, nonNegative)
		s.StopMs = math.Inf(1)
		ok3 := true
		if sn := o.get("stop"); sn != nil {
			s.StopMs, ok3 = c.number(sn, o.at("stop"), nonNegative)
			if ok2 && ok3 && s.StopMs < s.StartMs {
				c.add(sn, o.at("stop"), "must be >= start (%g ms)", s.StartMs)
				ok3 = false
			}
		}
		ok := ok1 && ok2 && ok3
		if in := o.get("inject_into"); in == nil {
			o.missing("inject_into")
			ok = false
		} else if label, isStr := c.str(in, o.at("inject_into")); !isStr {
			ok = false
		} else if pi, found := byLabel[label]; !found {
			c.add(in, o.at("inject_into"), "no population is labelled %q", label)
			ok = false
		} else if infos[pi].typeOK && pops[pi].IsSource() {
			c.add(in, o.at("inject_into"), "must be a neuron population: %q is a %s, which has no membrane to inject into", label, pops[pi].CellType)
			ok = false
		} else {
			s.InjectInto = label
		}
		o.done()
		if ok {
			out = append(out, s)
		}
	}
	return out
}
