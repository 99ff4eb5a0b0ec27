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

// What a run says about its learning: the post-synaptic history's losses
// (provenance and a warning) and the traced synapses.

// historyLosses fills the cores' and the plastic projections' history
// counts into pv (whose Cores are in the order of m.Cores) and returns the
// warning they call for, naming every post population whose histories lost
// events before any pre spike used them, with its counts.
func historyLosses(m *mapping.Mapped, pv *output.Provenance) []string {
	net := m.Net
	for i, c := range m.Cores {
		if s, ok := c.App.(core.Synapses); ok {
			l, _ := core.HistoryLosses(s)
			pv.Cores[i].HistoryEvictedPost, pv.Cores[i].HistoryEvictedDopamine = l.Post, l.Dopamine
		}
	}
	pv.Projections = []output.ProjectionProvenance{}
	lost := make([]core.HistoryLoss, len(net.Populations)) // per post population
	for j := range net.Projections {
		pr := &net.Projections[j]
		if !pr.Synapse.IsPlastic() {
			continue
		}
		pp := output.ProjectionProvenance{Label: pr.Label, Post: pr.Post}
		post := net.Population(pr.Post)
		for _, s := range m.Slices[post] {
			for _, syn := range s.Syn {
				_, per := core.HistoryLosses(syn)
				pp.HistoryEvictedPost += per[j].Post
				pp.HistoryEvictedDopamine += per[j].Dopamine
			}
		}
		pv.Projections = append(pv.Projections, pp)
	}
	for pi := range net.Populations {
		for _, s := range m.Slices[pi] {
			for _, syn := range s.Syn {
				l, _ := core.HistoryLosses(syn)
				lost[pi].Post += l.Post
				lost[pi].Dopamine += l.Dopamine
			}
		}
	}
	var lines []string
	for pi, l := range lost {
		if l.Total() > 0 {
			lines = append(lines, fmt.Sprintf("  %s: %d events (%d post spikes, %d reward or punishment events)",
				net.Populations[pi].Label, l.Total(), l.Post, l.Dopamine))
		}
	}
	if lines == nil {
		return nil
	}
	what := "SpiNNaker's post-synaptic history overflowed"
	if net.Arithmetic == network.ArithmeticFloat {
		what = "the post-synaptic history overflowed (float with the history_capacity quirk)"
	}
	return []string{what + ": post and dopamine events were evicted before any pre-synaptic spike used them, " +
		"so the chip silently lost part of the learning signal of these populations:\n" + strings.Join(lines, "\n") + "\n" +
		"Each neuron's history keeps only its 15 newest post and dopamine events (sPyNNaker's compile-time " +
		"MAX_POST_SYNAPTIC_EVENTS = 16), and a plastic synapse takes them in only when its pre neuron fires. " +
		"provenance.json counts them per core and per projection; -arith float shows the learning without this limit."}
}

// traces collects the traced synapses' samples, in the order of the
// projections, then pre, post.
func traces(m *mapping.Mapped) []output.SynapseTrace {
	net := m.Net
	last := m.Clock.Ticks - 1
	var out []output.SynapseTrace
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Trace == nil {
			continue
		}
		byPair := map[[2]int]*output.SynapseTrace{}
		var list []*output.SynapseTrace
		for _, s := range m.Slices[net.Population(pr.Post)] {
			for _, syn := range s.Syn {
				for _, x := range core.FinishTraces(syn, last) {
					if x.Proj != j {
						continue
					}
					k := [2]int{x.Pre, s.Lo + x.Post}
					tr := byPair[k]
					if tr == nil {
						tr = &output.SynapseTrace{Projection: pr.Label, Pre: k[0], Post: k[1], Neuromodulated: x.Neuromodulated}
						byPair[k] = tr
						list = append(list, tr)
					}
					tr.Samples = append(tr.Samples, output.TraceSample{Tick: int(x.Tick),
						Weight: x.Weight, Eligibility: x.Eligibility, Dopamine: x.Level,
						WeightNow: x.WeightNow, EligibilityNow: x.EligibilityNow, DopamineNow: x.LevelNow})
				}
			}
		}
		slices.SortFunc(list, func(a, b *output.SynapseTrace) int {
			return cmp.Or(cmp.Compare(a.Pre, b.Pre), cmp.Compare(a.Post, b.Post))
		})
		for _, tr := range list {
			out = append(out, *tr)
		}
	}
	return out
}
