package network

// neuromodulationRules checks what ties projections together through their
// post population. sPyNNaker merges the synapse dynamics of every projection
// into one population and refuses some mixtures; these are its rules, except
// that the order of projections in the file does not matter:
//   - reward and punishment need a Neuromodulation synapse, and a
//     Neuromodulation synapse needs reward or punishment;
//   - a population that takes neuromodulation has at least one plastic
//     projection in, STDPMechanism or StructuralMechanismSTDP (dopamine acts
//     on plastic synapses);
//   - all plastic projections into one population have the same timing and
//     weight rules (sPyNNaker: "Synapse dynamics must match exactly when
//     using multiple edges to the same population");
//   - all Neuromodulation projections into one population have the same
//     tau_c, tau_d, w_min and w_max.
//
// Weights and delays may differ between projections in every case.
func (c *checker) neuromodulationRules(projs []Projection, infos []projInfo) {
	plastic := make(map[string]bool)  // post populations with a plastic projection in
	firstSTDP := make(map[string]int) // post → first plastic projection with valid rules
	for i := range projs {
		p, info := &projs[i], &infos[i]
		if !info.postOK || !info.syn.typeOK || !p.Synapse.IsPlastic() {
			continue
		}
		plastic[p.Post] = true
		if !info.syn.sharedOK {
			continue
		}
		j, seen := firstSTDP[p.Post]
		if !seen {
			firstSTDP[p.Post] = i
			continue
		}
		if *p.Synapse.Timing != *projs[j].Synapse.Timing {
			c.sharedMismatch(info, "timing_dependence", infos[j].path, p.Post, plasticKinds, "timing and weight rules")
		}
		if *p.Synapse.WeightDep != *projs[j].Synapse.WeightDep {
			c.sharedMismatch(info, "weight_dependence", infos[j].path, p.Post, plasticKinds, "timing and weight rules")
		}
	}

	firstNM := make(map[string]int) // post → first Neuromodulation projection with valid parameters
	for i := range projs {
		p, info := &projs[i], &infos[i]
		isNM := info.syn.typeOK && p.Synapse.Type == Neuromodulation
		isDopamine := info.receptorOK && (p.Receptor == Reward || p.Receptor == Punishment)
		receptorPath := keyPath(info.path, "receptor_type")
		receptorAt := info.receptorNode
		if receptorAt == nil {
			receptorAt = info.n
		}
		switch {
		case isDopamine && info.syn.typeOK && !isNM:
			c.add(receptorAt, receptorPath, "%q needs a Neuromodulation synapse, not a %s", p.Receptor, p.Synapse.Type)
		case isNM && info.receptorOK && !isDopamine:
			c.add(receptorAt, receptorPath, "must be %q or %q for a Neuromodulation synapse, not %q", Reward, Punishment, p.Receptor)
		}
		if (isNM || isDopamine) && info.postOK && !plastic[p.Post] {
			c.add(info.postNode, keyPath(info.path, "post"),
				"%q has no plastic projection in (STDPMechanism or StructuralMechanismSTDP): neuromodulation needs plastic synapses to act on", p.Post)
		}
		if !isNM || !info.postOK || !info.syn.sharedOK {
			continue
		}
		j, seen := firstNM[p.Post]
		if !seen {
			firstNM[p.Post] = i
			continue
		}
		q := &projs[j].Synapse
		for _, f := range []struct {
			key      string
			mine, at float64
		}{
			{"tau_c", p.Synapse.TauC, q.TauC},
			{"tau_d", p.Synapse.TauD, q.TauD},
			{"w_min", p.Synapse.WMin, q.WMin},
			{"w_max", p.Synapse.WMax, q.WMax},
		} {
			if f.mine != f.at {
				c.add(placeIn(info.syn.n, f.key), keyPath(keyPath(info.path, "synapse"), f.key),
					"is %g but %s into %q has %g: all Neuromodulation projections into one population must share tau_c, tau_d, w_min and w_max",
					f.mine, infos[j].path, p.Post, f.at)
			}
		}
	}
}

// plasticKinds names the synapse types whose projections into one population
// share their STDP rules.
const plasticKinds = "plastic (STDPMechanism and StructuralMechanismSTDP)"

// sharedMismatch reports a synapse parameter that must agree with an earlier
// projection into the same population.
func (c *checker) sharedMismatch(info *projInfo, key, firstPath, post, synType, what string) {
	c.add(placeIn(info.syn.n, key), keyPath(keyPath(info.path, "synapse"), key),
		"differs from %s's, which also goes into %q: all %s projections into one population must share their %s",
		firstPath, post, synType, what)
}

// placeIn is the node of key in object n, or n itself when the key is absent.
func placeIn(n *node, key string) *node {
	if m := n.member(key); m != nil {
		return m
	}
	return n
}
