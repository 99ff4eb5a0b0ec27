package sim

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
)

// Results reads a finished run back from the machine, as the host does,
// with the samples the cores recorded still in their buffers: those of the
// whole run when no [Recording] took them out.
func Results(m *mapping.Mapped, wallSeconds float64) *output.Run {
	return results(m, wallSeconds, nil)
}

func results(m *mapping.Mapped, wallSeconds float64, rc *Recording) *output.Run {
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
		r.Machine.RouterEntriesMaxGenerated = max(r.Machine.RouterEntriesMaxGenerated, len(m.Uncompressed[rt.Chip]))
	}
	for pi := range net.Populations {
		p := &net.Populations[pi]
		op := output.Population{Label: p.Label, CellType: p.CellType, Size: p.Size,
			RecordSpikes: p.RecordSpikes, RecordV: p.RecordV}
		if p.RecordV {
			op.V = rc.samples(m.Slices[pi], p.Size, core.V)
		}
		if p.RecordGsynExc {
			op.GsynExc = rc.samples(m.Slices[pi], p.Size, core.GsynExc)
		}
		if p.RecordGsynInh {
			op.GsynInh = rc.samples(m.Slices[pi], p.Size, core.GsynInh)
		}
		for _, s := range m.Slices[pi] {
			op.SpikeCount += s.Rec.Total()
			for i := 0; i < s.Hi-s.Lo; i++ {
				if p.RecordSpikes {
					for _, t := range s.Rec.SpikeTimes[i] {
						op.Spikes = append(op.Spikes, output.Spike{Neuron: int32(s.Lo + i), Tick: t})
					}
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
		if pr.Synapse.IsStructural() {
			op.Structural = true
			post := net.Population(pr.Post)
			r.Populations[post].Structural = true
			for _, s := range m.Slices[post] {
				for _, syn := range s.Syn {
					for _, e := range syn.Rewiring() {
						if e.Proj != j {
							continue
						}
						if e.Formation {
							op.Formations++
							r.Populations[post].Formations++
						} else {
							op.Eliminations++
							r.Populations[post].Eliminations++
						}
						if net.Populations[post].RecordRewiring {
							r.Rewiring = append(r.Rewiring, output.Rewiring{Population: pr.Post, Projection: pr.Label,
								Tick: int(e.Tick), Pre: e.Pre, Post: e.Post, Formation: e.Formation})
						}
					}
				}
			}
		}
		r.Projections = append(r.Projections, op)
		if pr.Receptor == network.Reward || pr.Receptor == network.Punishment {
			r.Markers = append(r.Markers, markers(m, pr))
		}
	}
	// Rewiring in time order, then by population and projection (file order).
	popIdx, projIdx := map[string]int{}, map[string]int{}
	for i := range net.Populations {
		popIdx[net.Populations[i].Label] = i
	}
	for i := range net.Projections {
		projIdx[net.Projections[i].Label] = i
	}
	slices.SortStableFunc(r.Rewiring, func(a, b output.Rewiring) int {
		return cmp.Or(cmp.Compare(a.Tick, b.Tick), cmp.Compare(popIdx[a.Population], popIdx[b.Population]),
			cmp.Compare(projIdx[a.Projection], projIdx[b.Projection]))
	})
	for i := range r.Populations {
		r.Populations[i].RecordRewiring = net.Populations[i].RecordRewiring
	}
	r.Provenance = provenance(m)
	r.Warnings = append(historyLosses(m, &r.Provenance), warnings(m)...)
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
		k := c.FinalCounters()
		pv.Cores = append(pv.Cores, output.CoreProvenance{
			Core: [3]int{c.Chip.X, c.Chip.Y, c.P}, Application: c.App.Name(), Label: c.Label,
			SpikesSent: k.SpikesSent, PacketsReceived: k.PacketsReceived, SynapticEvents: k.SynapticEvents,
			PacketsDropped: k.PacketsDropped, DopamineEvents: k.DopamineEvents, WeightSaturated: k.WeightSaturated,
			PostEvents: k.PostEvents, DMAReads: k.DMAReads, DMAWrites: k.DMAWrites,
			RewiringAttempts: k.RewiringAttempts, InputWraps: k.InputWraps, MembraneWraps: k.MembraneWraps,
			PacketsLost: k.PacketsLost, DelayedSpikes: k.DelayedSpikes, DelaySaturated: k.DelaySaturated,
		})
		if c.Killed {
			tick := c.KillTick
			pv.Cores[len(pv.Cores)-1].KilledAtTick = &tick
		}
		pv.PacketsSent += k.SpikesSent
		pv.PacketsDropped += k.PacketsDropped
	}
	for _, r := range m.Routers {
		k := r.Counters
		if k.LocalMC+k.ExternalMC+k.FaultDropped == 0 && r.Table.Len() == 0 {
			continue
		}
		pv.Routers = append(pv.Routers, output.RouterProvenance{
			Chip: [2]int{r.Chip.X, r.Chip.Y}, Entries: r.Table.Len(), LocalMC: k.LocalMC, ExternalMC: k.ExternalMC,
			Routed: k.Routed, DefaultRouted: k.DefaultRouted, Dropped: k.Dumped, LocalDropped: k.LocalDropped,
			FaultDropped: k.FaultDropped,
		})
		pv.PacketsDropped += k.Dumped + k.LocalDropped + k.FaultDropped
	}
	return pv
}

// warnings name the populations whose fixed-point arithmetic wrapped or
// saturated during the run, with the counts: faithful to the chip, but
// rarely what the model meant.
func warnings(m *mapping.Mapped) []string {
	var ws []string
	for pi, ss := range m.Slices {
		var k core.Counters
		for _, s := range ss {
			add := func(c *core.Core) {
				if c == nil {
					return
				}
				f := c.FinalCounters()
				k.MembraneWraps += f.MembraneWraps
				k.InputWraps += f.InputWraps
				k.WeightSaturated += f.WeightSaturated
			}
			add(s.Core)
			for _, sc := range s.SynCores {
				add(sc.Core)
			}
		}
		label := m.Net.Populations[pi].Label
		var lostDelayed uint64
		for _, s := range ss {
			if s.Delay != nil && s.Delay.Core != nil {
				lostDelayed += s.Delay.Core.Counters.DelaySaturated
			}
		}
		if lostDelayed > 0 {
			ws = append(ws, fmt.Sprintf("population %s: its delay-extension cores lost %d spikes to counters already at 255 (more than 255 spikes of one neuron in a tick)", label, lostDelayed))
		}
		if k.MembraneWraps > 0 {
			ws = append(ws, fmt.Sprintf("population %s: the membrane update wrapped around 32 bits %d times: in fixed point the chip computes on without saturating, so a neuron driven far beyond its range shows nonsense (a membrane potential of thousands of mV, few spikes); check its weights, i_offset, current sources and units", label, k.MembraneWraps))
		}
		if k.InputWraps > 0 {
			ws = append(ws, fmt.Sprintf("population %s: the synaptic input current wrapped around 32 bits %d times (fixed point does not saturate it)", label, k.InputWraps))
		}
		if k.WeightSaturated > 0 {
			ws = append(ws, fmt.Sprintf("population %s: %d ring-buffer adds saturated at 0xFFFF: input arriving in one tick was cut (the ring-buffer shift is chosen for the expected input, and more arrived)", label, k.WeightSaturated))
		}
	}
	var lost uint64
	var where []string
	for _, r := range m.Routers {
		if n := r.Counters.FaultDropped; n > 0 {
			lost += n
			where = append(where, fmt.Sprintf("chip (%d, %d): %d", r.Chip.X, r.Chip.Y, n))
		}
	}
	if lost > 0 {
		ws = append(ws, fmt.Sprintf("%d multicast packets were dropped by injected faults (%s); provenance.json has the counts per router", lost, strings.Join(where, ", ")))
	}
	for _, c := range m.Cores {
		if c.Killed {
			ws = append(ws, fmt.Sprintf("core (%d, %d, %d) %s was killed by an injected fault at tick %d; %d packets reached it afterwards and were lost",
				c.Chip.X, c.Chip.Y, c.P, c.Label, c.KillTick, c.Counters.PacketsLost))
		}
	}
	return ws
}
