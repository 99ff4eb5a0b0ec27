package core

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/packets"
)

// plasticFloatCore is a float neuron core of n neurons firing on their own
// (i_offset), with rows plastic rows onto every neuron (row r with delay
// 1 + r%3) and a reward row onto all of them.
func plasticFloatCore(t *testing.T, n, rows int, q kernels.Quirks) *engine[float64, float64] {
	cfg := testNeuronConfig(n, true, &PlasticConfig{
		Pair: kernels.PairRule{TauPlus: 20, TauMinus: 20, APlus: 0.1, AMinus: 0.02, WMin: 0, WMax: 20},
		NM:   &kernels.NeuromodParams{TauC: 100, TauD: 20, WMin: 0, WMax: 20}})
	cfg.Params.IOffset = 1.2
	cfg.Quirks = q
	app, err := NewNeuronCore(cfg)
	require.NoError(t, err)
	var syns []SourceSynapse
	for r := 0; r < rows; r++ {
		for p := 0; p < n; p++ {
			syns = append(syns, SourceSynapse{Row: int32(r), Post: uint16(p), Kind: Plastic, Weight: 0.5, Delay: uint32(1 + r%3)})
		}
	}
	s := app.(Synapses)
	require.NoError(t, s.AddSource(0x10000, 0xFFFF0000, 0, rows, syns))
	var rew []SourceSynapse
	for p := 0; p < n; p++ {
		rew = append(rew, SourceSynapse{Row: 0, Post: uint16(p), Kind: Neuromodulatory, Weight: 0.02, Delay: 1})
	}
	require.NoError(t, s.AddSource(0x20000, 0xFFFF0000, 0, 1, rew))
	return app.(*combinedCore[float64, float64]).syn
}

// runPlastic drives the core for ticks ticks: row r spikes with probability
// 0.05·(r+1)/rows a tick, except the last row, whose first spike comes in
// the second half (its first update reads the history from the start); a
// reward burst every 50 ticks. It returns the largest history held at any
// time.
func runPlastic(e *engine[float64, float64], ticks int, seed uint64, rows int) int {
	rng := rand.New(rand.NewPCG(seed, 1))
	var cnt Counters
	longest := 0
	for t := uint32(0); t < uint32(ticks); t++ {
		// The neuron update: post spikes of t.
		for n := range e.n {
			if rng.Float64() < 0.08 {
				e.postSpike(n, t)
			}
		}
		var pkts []packets.Packet
		for row := 0; row < rows; row++ {
			p := 0.05 * float64(row+1) / float64(rows)
			if row == rows-1 && int(t) < ticks/2 {
				p = 0
			}
			if rng.Float64() < p {
				pkts = append(pkts, packets.Multicast(0x10000|uint32(row)))
			}
		}
		if t%50 < 5 {
			pkts = append(pkts, packets.Multicast(0x20000))
		}
		e.receive(t, pkts, &cnt)
		for i := range e.hist {
			longest = max(longest, e.hist[i].Len())
		}
	}
	return longest
}

// Pruning the float histories changes nothing: every weight and
// eligibility is bit for bit what it is with every event kept, while the
// histories stay short (the rows spike every 20–200 ticks, so a history
// needs about their longest gap's events), where keeping everything grows
// without end.
func TestFloatHistoryPruning(t *testing.T) {
	const n, rows, ticks = 8, 6, 20000
	pruned := plasticFloatCore(t, n, rows, 0)
	pr := pruned.rules[Neuromodulatory].(dopamineFloat).p
	pr.every, pr.limit = 1, 1 // at every event: the closest it can cut
	kept := plasticFloatCore(t, n, rows, 0)
	// Never prune (the post spikes' closure shares the pruner).
	kept.rules[Neuromodulatory].(dopamineFloat).p.limit = 1 << 40
	lp := runPlastic(pruned, ticks, 7, rows)
	lk := runPlastic(kept, ticks, 7, rows)
	assert.Greater(t, lk, 2000, "every event kept")
	assert.Less(t, lp, 200, "pruned to what the rows can still read")
	require.Equal(t, len(kept.mats), len(pruned.mats))
	changed := 0
	for mi := range kept.mats {
		assert.Equal(t, kept.mats[mi].state, pruned.mats[mi].state)
		assert.Equal(t, kept.mats[mi].preTime, pruned.mats[mi].preTime)
		for _, s := range kept.mats[mi].state {
			if s[0] != 0.5 {
				changed++
			}
		}
	}
	assert.Greater(t, changed, n*rows/2, "the weights did learn")
	last := kept.mats[0].rowStart[rows-1]
	assert.NotEqual(t, 0.5, kept.mats[0].state[last][0], "the late row learnt too")
	t.Logf("longest history: %d pruned, %d kept", lp, lk)
}

// Plain STDP in float prunes its histories too, and gives what the kernel
// gives with every event kept (replayed here event by event in the order
// the engine processes them).
func TestFloatHistoryPruningPlainSTDP(t *testing.T) {
	const n, rows, ticks = 6, 5, 20000
	rule := kernels.PairRule{TauPlus: 20, TauMinus: 20, APlus: 0.01, AMinus: 0.012, WMin: 0, WMax: 5}
	for _, nearest := range []bool{false, true} {
		rule.Nearest = nearest
		cfg := testNeuronConfig(n, true, &PlasticConfig{Pair: rule})
		app, err := NewNeuronCore(cfg)
		require.NoError(t, err)
		var syns []SourceSynapse
		for r := 0; r < rows; r++ {
			for p := 0; p < n; p++ {
				syns = append(syns, SourceSynapse{Row: int32(r), Post: uint16(p), Kind: Plastic, Weight: 2.5, Delay: uint32(1 + r%3)})
			}
		}
		require.NoError(t, app.(Synapses).AddSource(0x10000, 0xFFFF0000, 0, rows, syns))
		e := app.(*combinedCore[float64, float64]).syn

		k := kernels.NewSTDPFloat(rule, 1)
		hist := make([]kernels.HistoryFloat, n)
		for i := range hist {
			hist[i] = k.NewHistory()
		}
		w := make([][]float64, rows)
		for r := range w {
			w[r] = make([]float64, n)
			for p := range w[r] {
				w[r][p] = 2.5
			}
		}
		tlp, rlp := make([]uint32, rows), make([]float64, rows)

		rng := rand.New(rand.NewPCG(5, 6))
		var cnt Counters
		longest := 0
		for tk := uint32(0); tk < ticks; tk++ {
			for p := range n {
				if rng.Float64() < 0.06 {
					e.postSpike(p, tk)
					k.PostSpike(&hist[p], tk)
				}
			}
			var pkts []packets.Packet
			for r := range rows {
				if rng.Float64() < 0.04*float64(r+1)/rows {
					pkts = append(pkts, packets.Multicast(0x10000|uint32(r)))
					for p := range n {
						k.Synapse(&w[r][p], uint32(1+r%3), tlp[r], rlp[r], tk, &hist[p])
					}
					rlp[r], tlp[r] = k.PreTrace(rlp[r], tlp[r], tk), tk
				}
			}
			e.receive(tk, pkts, &cnt)
			for i := range e.hist {
				longest = max(longest, e.hist[i].Len())
			}
		}
		m := &e.mats[0]
		for r := range rows {
			for p := range n {
				require.Equal(t, w[r][p], m.weight[m.rowStart[r]+int32(p)], "nearest %v, row %d, post %d", nearest, r, p)
			}
		}
		assert.Less(t, longest, 300, "nearest %v", nearest)
		assert.Greater(t, hist[0].Len(), 1000, "the replay kept everything")
	}
}
