package mapping

import (
	"fmt"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/network"
)

// This file merges Poisson sources into the neuron cores they drive, as
// sPyNNaker's SplitterPoissonDelegate does (reference
// spynnaker-neuromodulation.md §5, "Direct Poisson option"). A
// SpikeSourcePoisson is merged when
//
//   - it has exactly one projection, onto a population of its size that is
//     split into neuron and synapse cores (the SDRAM input is the split's);
//   - the projection is OneToOne, StaticSynapse, excitatory or inhibitory,
//     with a delay of one timestep;
//   - it has no placement of its own, and the slice's chip keeps to 15
//     cores for it (neuron, synapse and direct Poisson cores together).
//
// Its slices then take the target's slicing and sit on the target slices'
// chips; each runs core.NewDirectPoisson, which writes the tick's input
// into an SDRAM block the neuron core sums with its synapse cores'. Its
// spikes never become packets. Options.NoDirectPoisson keeps the packets.

// maxCoresPerSlice is sPyNNaker's limit on the cores of a split slice with
// its direct Poisson sources.
const maxCoresPerSlice = 15

// planDirectPoisson marks the projections whose Poisson sources are merged
// into their targets' neuron cores, and gives each such source its
// target's slicing.
func planDirectPoisson(net *network.Network, opt Options, atoms []int) []bool {
	direct := make([]bool, len(net.Projections))
	if opt.NoDirectPoisson {
		return direct
	}
	out := make([]int, len(net.Populations))
	for j := range net.Projections {
		out[net.Population(net.Projections[j].Pre)]++
	}
	merged := make([]int, len(net.Populations)) // per target population
	for j := range net.Projections {
		pr := &net.Projections[j]
		pre, post := net.Population(pr.Pre), net.Population(pr.Post)
		p, q := &net.Populations[pre], &net.Populations[post]
		ok := p.CellType == network.SpikeSourcePoisson && out[pre] == 1 && p.Placement == nil &&
			p.Size == q.Size && pr.Connector.Type == network.OneToOne &&
			pr.Synapse.Type == network.StaticSynapse &&
			(pr.Receptor == network.Excitatory || pr.Receptor == network.Inhibitory) &&
			pr.Synapse.Delay.IsConstant() && connectors.DelayTicks(pr.Synapse.Delay.Const, net.TimestepMs) == 1 &&
			synapseCores(net, post) > 0 && 1+synapseCores(net, post)+merged[post]+1 <= maxCoresPerSlice
		if ok {
			direct[j] = true
			merged[post]++
			atoms[pre] = atoms[post]
		}
	}
	return direct
}

// attachDirect puts each merged Poisson source's slices with the target
// slices of the same neurons.
func attachDirect(net *network.Network, m *Mapped) {
	for j, ok := range m.direct {
		if !ok {
			continue
		}
		pr := &net.Projections[j]
		src, dst := m.Slices[net.Population(pr.Pre)], m.Slices[net.Population(pr.Post)]
		for k, d := range dst {
			d.Direct = append(d.Direct, src[k])
			src[k].Into = d
		}
	}
}

// loadDirect builds the direct Poisson cores of a split slice s, whose
// neuron core reads their SDRAM blocks (added to inputs).
func loadDirect(net *network.Network, m *Mapped, s *Slice, cfg *core.NeuronConfig) error {
	mem := m.Memory(s.Chip)
	words := core.BlockWords(s.Hi-s.Lo, cfg.Float)
	for _, d := range s.Direct {
		p := &net.Populations[d.Pop]
		j := m.directProj(d.Pop)
		label := fmt.Sprintf("%s[%d:%d]", p.Label, d.Lo, d.Hi)
		id, err := mem.Alloc(label+" direct input", d.P, []int{s.P}, words)
		if err != nil {
			return err
		}
		cfg.Inputs = append(cfg.Inputs, id)
		d.Rec = core.NewRecorder(d.Hi-d.Lo, core.Record{Spikes: p.RecordSpikes})
		typ := kernels.SynExc
		if net.Projections[j].Receptor == network.Inhibitory {
			typ = kernels.SynInh
		}
		app, err := core.NewDirectPoisson(core.DirectPoissonConfig{
			Source: poissonSource(net, m, p, d), N: s.Hi - s.Lo, Float: cfg.Float, Shift: cfg.Shift,
			Weights: m.directWeights[j][s.Lo:s.Hi], Type: typ, Proj: j, PreLo: d.Lo, Out: id,
		})
		if err != nil {
			return err
		}
		c, err := core.New(s.Chip, d.P, label, app)
		if err != nil {
			return err
		}
		d.Core = c
		m.Cores = append(m.Cores, c)
		s.Syn = append(s.Syn, app)
	}
	return nil
}

// directProj is the projection of merged Poisson population pi.
func (m *Mapped) directProj(pi int) int {
	for j, ok := range m.direct {
		if ok && m.Net.Population(m.Net.Projections[j].Pre) == pi {
			return j
		}
	}
	return -1
}
