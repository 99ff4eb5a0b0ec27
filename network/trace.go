package network

import "math"

// Trace asks for a projection's synapses to be traced over time (traces.csv,
// traces.png): their weight, eligibility and the post neuron's dopamine
// level, sampled every EveryMs.
type Trace struct {
	Synapses [][2]int // [pre, post] neuron indices
	EveryMs  float64  // sampling period, a whole number of timesteps
}

// trace checks a projection's trace object: synapses, a non-empty list of
// [pre, post] indices in range, and every_ms (default: the timestep), a
// whole number of timesteps. Only plastic synapses change, so only they can
// be traced.
func (c *checker) trace(n *node, path string, x *projCtx, syn *Synapse, typeOK bool) *Trace {
	o := c.object(n, path)
	if o == nil {
		return nil
	}
	tr := &Trace{EveryMs: x.h}
	if typeOK && !syn.IsPlastic() {
		c.add(n, path, "only a plastic synapse (STDPMechanism or StructuralMechanismSTDP) can be traced: a %s does not change", syn.Type)
		o.ignoreRest()
		return nil
	}
	if sn := o.get("synapses"); sn == nil {
		o.missing("synapses")
	} else if rows, ok := c.array(sn, o.at("synapses")); ok {
		if len(rows) == 0 {
			c.add(sn, o.at("synapses"), "must list at least one [pre, post] pair")
		}
		for i, r := range rows {
			rp := indexPath(o.at("synapses"), i)
			cells, ok := c.array(r, rp)
			if !ok {
				continue
			}
			if len(cells) != 2 {
				c.add(r, rp, "must be [pre, post], not %d numbers", len(cells))
				continue
			}
			pre, preOK := c.index(cells[0], indexPath(rp, 0), x.pre)
			post, postOK := c.index(cells[1], indexPath(rp, 1), x.post)
			if preOK && postOK {
				tr.Synapses = append(tr.Synapses, [2]int{pre, post})
			}
		}
	}
	if en := o.get("every_ms"); en != nil {
		if v, ok := c.number(en, o.at("every_ms"), positive); ok {
			tr.EveryMs = v
			if h := x.h; h > 0 {
				k := v / h
				if math.Abs(k-math.Round(k)) > 1e-9*k || math.Round(k) < 1 {
					c.add(en, o.at("every_ms"), "must be a whole number of timesteps (%g ms)", h)
				}
			}
		}
	}
	o.done()
	return tr
}

// EveryTicks is the sampling period in ticks.
func (t *Trace) EveryTicks(hMs float64) uint32 {
	return uint32(math.Max(1, math.Round(t.EveryMs/hMs)))
}
