package sim

import (
	"cmp"
	"slices"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
)

// Results reads a finished run back from the machine, as the host does.
func Results(m *mapping.Mapped, wallSeconds float64) *output.Run {
	net := m.Net
	h := net.TimestepMs
	r := &output.Run{
		Name: net.Name, Arithmetic: net.Arithmetic, Seed: net.Seed,
		Ticks: int(m.Clock.Ticks), TimestepMs: h, WallSeconds: wallSeconds,
	}
	r.Machine = output.MachineUse{Board: m.Machine.Board, Boards: m.Machine.Boards,
		Chips: m.Machine.NumChips(), CoresUsed: len(m.Cores)}
	for _, rt := range m.Routers {
		r.Machine.RouterEntriesMax = max(r.Machine.RouterEntriesMax, rt.Table.Len())
	}
	for pi := range net.Populations {
		p := &net.Populations[pi]
		op := output.Population{Label: p.Label, CellType: p.CellType, Size: p.Size,
			RecordSpikes: p.RecordSpikes, RecordV: p.RecordV}
		if p.RecordV {
			op.V = make([][]float64, p.Size)
		}
		if p.RecordGsynExc {
			op.GsynExc = make([][]float64, p.Size)
		}
		if p.RecordGsynInh {
			op.GsynInh = make([][]float64, p.Size)
		}
		for _, s := range m.Slices[pi] {
			op.SpikeCount += s.Rec.Total()
			for i := 0; i < s.Hi-s.Lo; i++ {
				if p.RecordSpikes {
					for _, t := range s.Rec.SpikeTimes[i] {
						op.Spikes = append(op.Spikes, output.Spike{Neuron: s.Lo + i, Tick: int(t)})
					}
				}
				if p.RecordV {
					op.V[s.Lo+i] = s.Rec.VTrace[i]
				}
				if p.RecordGsynExc {
					op.GsynExc[s.Lo+i] = s.Rec.ExcTrace[i]
				}
				if p.RecordGsynInh {
					op.GsynInh[s.Lo+i] = s.Rec.InhTrace[i]
				}
			}
		}
		r.Populations = append(r.Populations, op)
	}
	for j := range net.Projections {
		pr := &net.Projections[j]
		op := output.Projection{Label: pr.Label, Synapses: m.Synapses[j], RecordWeight: pr.RecordWeight}
		if pr.RecordWeight {
			for _, s := range m.Slices[net.Population(pr.Post)] {
				holders := s.Syn
				if pr.Synapse.Type == network.Neuromodulation && len(holders) > 1 {
					holders = holders[:1] // every synapse core holds the dopamine rows
				}
				for _, syn := range holders {
					for _, w := range syn.Weights(j) {
						op.Weights = append(op.Weights, output.Weight{Pre: w.Pre, Post: s.Lo + w.Post,
							Weight: w.Weight, DelayMs: float64(w.DelayTicks) * h})
					}
				}
			}
			slices.SortStableFunc(op.Weights, func(a, b output.Weight) int {
				return cmp.Or(cmp.Compare(a.Pre, b.Pre), cmp.Compare(a.Post, b.Post),
					cmp.Compare(a.Weight, b.Weight), cmp.Compare(a.DelayMs, b.DelayMs))
			})
		}
		r.Projections = append(r.Projections, op)
		if pr.Receptor == network.Reward || pr.Receptor == network.Punishment {
			r.Markers = append(r.Markers, markers(m, pr))
		}
	}
	r.Provenance = provenance(m)
	r.Warnings = historyLosses(m, &r.Provenance)
	r.Traces = traces(m)
	return r
}

// markers are the times the reward or punishment source of a projection
// sends: its schedule for a SpikeSourceArray, its recorded spikes otherwise.
func markers(m *mapping.Mapped, pr *network.Projection) output.Marker {
	mk := output.Marker{Label: pr.Label, Kind: pr.Receptor}
	pi := m.Net.Population(pr.Pre)
	p := &m.Net.Populations[pi]
	var ticks []int
	if p.CellType == network.SpikeSourceArray {
		for _, ts := range p.SpikeTimes {
			for _, t := range ts {
				if tk, ok := m.Clock.Before(t); ok {
					ticks = append(ticks, int(tk))
				}
			}
		}
	} else {
		for _, s := range m.Slices[pi] {
			for _, ts := range s.Rec.SpikeTimes {
				for _, t := range ts {
					ticks = append(ticks, int(t))
				}
			}
		}
	}
	slices.Sort(ticks)
	for _, t := range slices.Compact(ticks) {
		mk.TimesMs = append(mk.TimesMs, float64(t)*m.Net.TimestepMs)
	}
	return mk
}

func provenance(m *mapping.Mapped) output.Provenance {
	var pv output.Provenance
	for _, c := range m.Cores {
		k := c.Counters
		pv.Cores = append(pv.Cores, output.CoreProvenance{
			Core: [3]int{c.Chip.X, c.Chip.Y, c.P}, Application: c.App.Name(), Label: c.Label,
			SpikesSent: k.SpikesSent, PacketsReceived: k.PacketsReceived, SynapticEvents: k.SynapticEvents,
			PacketsDropped: k.PacketsDropped, DopamineEvents: k.DopamineEvents, WeightSaturated: k.WeightSaturated,
			PostEvents: k.PostEvents, DMAReads: k.DMAReads, DMAWrites: k.DMAWrites,
		})
		pv.PacketsSent += k.SpikesSent
		pv.PacketsDropped += k.PacketsDropped
	}
	for _, r := range m.Routers {
		k := r.Counters
		if k.LocalMC+k.ExternalMC == 0 && r.Table.Len() == 0 {
			continue
		}
		pv.Routers = append(pv.Routers, output.RouterProvenance{
			Chip: [2]int{r.Chip.X, r.Chip.Y}, Entries: r.Table.Len(), LocalMC: k.LocalMC, ExternalMC: k.ExternalMC,
			Routed: k.Routed, DefaultRouted: k.DefaultRouted, Dropped: k.Dumped, LocalDropped: k.LocalDropped,
		})
		pv.PacketsDropped += k.Dumped + k.LocalDropped
	}
	return pv
}
