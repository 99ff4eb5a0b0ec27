package mapping

import (
	"errors"
	"fmt"
	"math"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/network"
)

// load builds every core's application.
func load(net *network.Network, m *Mapped, conns [][]connectors.Synapse, groups map[pair][]core.SourceSynapse) error {
	m.Shift = make([][kernels.NumSynapseTypes]uint32, len(net.Populations))
	var errs []error
	incoming := map[[2]int][]pair{} // (dstPop, dst) → pairs
	for _, p := range sortedPairs(groups) {
		k := [2]int{p.dstPop, p.dst}
		incoming[k] = append(incoming[k], p)
	}
	for pi := range net.Populations {
		p := &net.Populations[pi]
		path := fmt.Sprintf("populations[%d]", pi)
		var plastic *core.PlasticConfig
		if !p.IsSource() {
			var err error
			if plastic, err = plasticRule(net, pi); err != nil {
				errs = append(errs, err)
				continue
			}
			k, err := shifts(net, pi, conns)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			m.Shift[pi] = k
		}
		for si, s := range m.Slices[pi] {
			n := s.Hi - s.Lo
			s.Rec = core.NewRecorder(n, p.RecordSpikes, p.RecordV)
			var app core.Application
			switch p.CellType {
			case network.SpikeSourceArray:
				ticks := make([][]uint32, n)
				for i := range ticks {
					for _, t := range p.SpikeTimes[s.Lo+i] {
						if tk, ok := m.Clock.Before(t); ok {
							ticks[i] = append(ticks[i], tk)
						}
					}
				}
				app = core.NewSpikeSourceArray(s.Key, ticks, s.Rec)
			case network.SpikeSourcePoisson:
				start, end := make([]uint32, n), make([]uint32, n)
				for i := range start {
					// Active over [start, start + duration), clipped to the run.
					start[i], end[i] = m.Clock.Ticks, m.Clock.Ticks
					if tk, ok := m.Clock.Before(p.StartMs); ok {
						start[i] = tk
					}
					if tk, ok := m.Clock.Before(p.StartMs + p.DurationMs); ok {
						end[i] = tk
					}
				}
				rng := Stream(net.Seed, fmt.Sprintf("poisson/%s/%d", p.Label, s.Lo))
				app = core.NewSpikeSourcePoisson(s.Key, p.Rates[s.Lo:s.Hi], start, end, net.TimestepMs, rng, s.Rec)
			default:
				nc, err := neuronCore(net, m, pi, s, plastic, incoming[[2]int{pi, si}], groups)
				var rb *core.RingBufferError
				if errors.As(err, &rb) {
					return &shrinkError{pop: pi, err: err}
				}
				if err != nil {
					errs = append(errs, errAt(path, "%v", err))
					continue
				}
				s.Neurons, app = nc, nc
			}
			c, err := core.New(s.Chip, s.P, fmt.Sprintf("%s[%d:%d]", p.Label, s.Lo, s.Hi), app)
			if err != nil {
				var me *core.MemoryError
				if errors.As(err, &me) && !p.IsSource() {
					return &shrinkError{pop: pi, err: err}
				}
				errs = append(errs, errAt(path, "%v", err))
				continue
			}
			s.Core = c
			m.Cores = append(m.Cores, c)
		}
	}
	return errors.Join(errs...)
}

func neuronCore(net *network.Network, m *Mapped, pi int, s *Slice, plastic *core.PlasticConfig, in []pair, groups map[pair][]core.SourceSynapse) (*core.NeuronCore, error) {
	p := &net.Populations[pi]
	n := s.Hi - s.Lo
	cfg := core.NeuronConfig{
		N: n, Float: net.Arithmetic == network.ArithmeticFloat, HMs: net.TimestepMs, Key: s.Key,
		Params: kernels.IFCurrExpParams{Cm: p.IF.Cm, TauM: p.IF.TauM, TauRefrac: p.IF.TauRefrac,
			TauSynE: p.IF.TauSynE, TauSynI: p.IF.TauSynI, VRest: p.IF.VRest, VReset: p.IF.VReset,
			VThresh: p.IF.VThresh, IOffset: p.IF.IOffset},
		V0: fill(n, p.Init.V), IExc0: fill(n, p.Init.IsynExc), IInh0: fill(n, p.Init.IsynInh),
		Shift: m.Shift[pi], MaxDelay: 1, Plastic: plastic, Rec: s.Rec,
	}
	for _, cs := range net.CurrentSources {
		if cs.InjectInto == p.Label {
			cfg.DC = append(cfg.DC, kernels.NewDCSource(cs.Amplitude, cs.StartMs, cs.StopMs, net.TimestepMs))
		}
	}
	for _, pr := range in {
		for _, syn := range groups[pr] {
			cfg.MaxDelay = max(cfg.MaxDelay, syn.Delay)
		}
	}
	nc, err := core.NewNeuronCore(cfg)
	if err != nil {
		return nil, err
	}
	for _, pr := range in {
		src := m.Slices[pr.srcPop][pr.src]
		if err := nc.AddSource(src.Key, src.Mask, src.Lo, src.Hi-src.Lo, groups[pr]); err != nil {
			return nil, fmt.Errorf("synapses from %s: %w", net.Populations[pr.srcPop].Label, err)
		}
	}
	return nc, nil
}

func fill(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// plasticRule returns the neuromodulated STDP rule of a population's plastic
// projections, or nil when it has none. sPyNNaker merges every plastic
// projection into a population into one rule, so they must agree.
func plasticRule(net *network.Network, pi int) (*core.PlasticConfig, error) {
	label := net.Populations[pi].Label
	var first *network.Synapse
	firstIdx := -1
	var nm *network.Synapse
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Post != label {
			continue
		}
		switch pr.Synapse.Type {
		case network.STDPMechanism:
			if first == nil {
				first, firstIdx = &pr.Synapse, j
			} else if *first.Timing != *pr.Synapse.Timing || *first.WeightDep != *pr.Synapse.WeightDep {
				return nil, errAt(fmt.Sprintf("projections[%d].synapse", j),
					"every STDPMechanism projection into %q must use the same timing and weight rules as projections[%d] (sPyNNaker merges them into one rule)", label, firstIdx)
			}
		case network.Neuromodulation:
			if nm == nil {
				nm = &pr.Synapse
			}
		}
	}
	if first == nil {
		return nil, nil
	}
	if nm == nil {
		return nil, errAt(fmt.Sprintf("projections[%d].synapse", firstIdx),
			"STDPMechanism without a Neuromodulation (reward/punishment) projection into %q is not supported yet: spinnsim runs neuromodulated STDP", label)
	}
	t, w := first.Timing, first.WeightDep
	return &core.PlasticConfig{
		Pair: kernels.PairRule{TauPlus: t.TauPlus, TauMinus: t.TauMinus, APlus: t.APlus, AMinus: t.AMinus,
			WMin: w.WMin, WMax: w.WMax, Multiplicative: w.Type == "MultiplicativeWeightDependence"},
		NM: kernels.NeuromodParams{TauC: nm.TauC, TauD: nm.TauD, WMin: nm.WMin, WMax: nm.WMax},
	}, nil
}

// spikesPerTick is how many spikes per tick sPyNNaker assumes a source
// population may send (reference §1.7).
func spikesPerTick(p *network.Population, hMs float64) float64 {
	if p.CellType != network.SpikeSourcePoisson {
		return 1 // SpikeSourceArray and neurons: max(1, 30 Hz · h)
	}
	n := 1
	for _, r := range p.Rates {
		n = max(n, kernels.PoissonSpikesPerTick(r, hMs))
	}
	return float64(n)
}

// MaxShift is the largest ring-buffer shift: a uint16 word shifted by more
// no longer fits an s16.15.
const MaxShift = 15

// shifts computes a neuron population's ring-buffer shift per synapse type.
func shifts(net *network.Network, pi int, conns [][]connectors.Synapse) ([kernels.NumSynapseTypes]uint32, error) {
	var total, biggest [kernels.NumSynapseTypes]float64
	constant := [kernels.NumSynapseTypes]bool{true, true}
	label := net.Populations[pi].Label
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Post != label || pr.Synapse.Type == network.Neuromodulation {
			continue
		}
		typ := kernels.SynExc
		if pr.Receptor == network.Inhibitory {
			typ = kernels.SynInh
		}
		wmax := 0.0
		for _, c := range conns[j] {
			wmax = max(wmax, math.Abs(c.Weight))
		}
		if pr.Synapse.Type == network.STDPMechanism {
			wmax = max(wmax, pr.Synapse.WeightDep.WMax)
		}
		if !pr.Synapse.Delay.IsConstant() {
			constant[typ] = false
		}
		pre := net.Population(pr.Pre)
		nPre := net.Populations[pre].Size
		nConn := connectors.MaxPerPost(pr.Connector, nPre, net.Populations[pi].Size, pre == pi)
		total[typ] += spikesPerTick(&net.Populations[pre], net.TimestepMs) * wmax * float64(nConn)
		biggest[typ] = max(biggest[typ], wmax)
	}
	var k [kernels.NumSynapseTypes]uint32
	for t := range k {
		b := total[t]
		if constant[t] {
			b = max(b, biggest[t])
		}
		k[t] = kernels.RingBufferShift(b)
		if k[t] > MaxShift {
			return k, errAt(fmt.Sprintf("populations[%d]", pi),
				"its %s input can reach %.4g nA in one tick (spikes per tick × largest weight × connections per neuron, summed over projections), which needs a ring-buffer shift of %d, more than %d: the weights or rates are too large for SpiNNaker's 16-bit ring buffers",
				[2]string{"excitatory", "inhibitory"}[t], b, k[t], MaxShift)
		}
	}
	return k, nil
}
