package mapping

import (
	"errors"
	"fmt"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/network"
)

// quirks are the chip behaviours the network switches on in float (none in
// fixed, which has them all).
func quirks(net *network.Network) (kernels.Quirks, error) {
	if net.Arithmetic != network.ArithmeticFloat {
		return 0, nil
	}
	q, err := kernels.ParseQuirks(net.FloatQuirks)
	if err != nil {
		return 0, errAt("float_quirks", "%v", err)
	}
	return q, nil
}

// traces asks the cores that hold each traced synapse to sample it. A
// synapse the connector did not make is an error at its place in the file.
func traces(net *network.Network, m *Mapped) error {
	var errs []error
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Trace == nil {
			continue
		}
		every := pr.Trace.EveryTicks(net.TimestepMs)
		ss := m.Slices[net.Population(pr.Post)]
		seen := map[[2]int]bool{}
		for k, syn := range pr.Trace.Synapses {
			if seen[syn] {
				continue // listed twice: traced once
			}
			seen[syn] = true
			pre, post := syn[0], syn[1]
			s := ss[sliceOf(ss, post)]
			found := false
			for _, holder := range s.Syn {
				found = found || core.TraceSynapse(holder, j, pre, post-s.Lo, every)
			}
			if !found {
				errs = append(errs, errAt(fmt.Sprintf("projections[%d].trace.synapses[%d]", j, k),
					"no synapse from %s neuron %d to %s neuron %d to trace: the connector did not connect them",
					pr.Pre, pre, pr.Post, post))
			}
		}
	}
	return errors.Join(errs...)
}
