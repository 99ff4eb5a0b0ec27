package mapping

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/network"
)

// Limits of what one host run keeps in memory. A SpiNN-5 board holds about
// 200 thousand neurons and tens of millions of synapses; these limits are
// the emulator's, not the machine's, and say so when they are hit.
const (
	MaxNeurons  = 5_000_000
	MaxSynapses = 50_000_000
	// MaxRecordedV is the number of membrane-potential samples (neurons that
	// record v × ticks) a run may keep.
	MaxRecordedV = 200_000_000
	// MaxLUTEntries bounds an exponential lookup table: 16 KiB of DTCM.
	MaxLUTEntries = 8192
	// MaxConcentration is the largest dopamine step an s4.11 half-word holds.
	MaxConcentration = 16.0
)

// checkLimits rejects, before anything is built, networks that would not
// fit the host or a core: it estimates sizes from the file alone.
func checkLimits(net *network.Network) error {
	var errs []error
	neurons := 0.0
	for i := range net.Populations {
		p := &net.Populations[i]
		neurons += float64(p.Size)
		if p.RecordV && float64(p.Size)*float64(net.Ticks()) > MaxRecordedV {
			errs = append(errs, errAt(fmt.Sprintf("populations[%d].record", i),
				"recording v of %d neurons for %d ticks keeps %.3g samples, more than the %d spinnsim keeps", p.Size, net.Ticks(), float64(p.Size)*float64(net.Ticks()), MaxRecordedV))
		}
	}
	if neurons > MaxNeurons {
		errs = append(errs, errAt("populations", "%.0f neurons in all, more than the %d spinnsim runs", neurons, MaxNeurons))
	}
	synapses := 0.0
	for i := range net.Projections {
		pr := &net.Projections[i]
		path := fmt.Sprintf("projections[%d]", i)
		nPre := float64(net.Populations[net.Population(pr.Pre)].Size)
		nPost := float64(net.Populations[net.Population(pr.Post)].Size)
		synapses += expectedSynapses(pr.Connector, nPre, nPost)
		s := &pr.Synapse
		lut := func(field string, tau float64, shift uint32) {
			if n := kernels.ExpLUTSize(tau, net.TimestepMs, shift); n > MaxLUTEntries {
				errs = append(errs, errAt(path+".synapse."+field,
					"%v ms needs an exponential table of %.3g entries, more than a core keeps (%d)", tau, n, MaxLUTEntries))
			}
		}
		switch s.Type {
		case network.STDPMechanism:
			lut("timing_dependence.tau_plus", s.Timing.TauPlus, 0)
			lut("timing_dependence.tau_minus", s.Timing.TauMinus, 0)
		case network.Neuromodulation:
			lut("tau_c", s.TauC, kernels.TauCShift)
			lut("tau_d", s.TauD, kernels.TauDShift)
			if s.Weight.IsConstant() && math.Abs(s.Weight.Const) >= MaxConcentration {
				errs = append(errs, errAt(path+".synapse.weight",
					"a dopamine step of %v does not fit SpiNNaker's s4.11 (it must be below %v)", s.Weight.Const, MaxConcentration))
			}
		}
	}
	if synapses > MaxSynapses {
		errs = append(errs, errAt("projections", "about %.3g synapses in all, more than the %d spinnsim keeps", synapses, MaxSynapses))
	}
	return errors.Join(errs...)
}

// expectedSynapses estimates how many connections a connector makes
// (generously for random ones).
func expectedSynapses(c network.Connector, nPre, nPost float64) float64 {
	switch c.Type {
	case network.AllToAll:
		return nPre * nPost
	case network.OneToOne:
		return nPre
	case network.FixedProbability:
		n := nPre * nPost
		mean := c.PConnect * n
		return mean + 5*math.Sqrt(mean*(1-c.PConnect))
	case network.FixedNumberPre:
		return float64(c.N) * nPost
	case network.FixedNumberPost:
		return float64(c.N) * nPre
	case network.FixedTotalNumber:
		return float64(c.N)
	}
	return float64(len(c.List))
}
