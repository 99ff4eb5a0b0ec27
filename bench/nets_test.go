package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
)

// A small network of the dense family maps to what it describes: every
// post neuron has exactly K plastic synapses from its own population's
// stimuli, the reward reaches every post neuron, and the rewards come
// every RewardEveryMs from half of it on.
func TestDenseNetwork(t *testing.T) {
	d := Dense{P: 3, N: 40, K: 7, RateHz: 20, RewardEveryMs: 100, DurationMs: 350, Seed: 5, RecordWeights: true}
	net, err := network.Parse([]byte(d.JSON()), d.Name())
	require.NoError(t, err)
	assert.Equal(t, "dense_P3_N40_K7", net.Name)
	require.Len(t, net.Populations, 1+2*d.P)
	assert.Equal(t, []float64{50, 150, 250}, net.Populations[0].SpikeTimes[0])
	m, err := mapping.Map(net)
	require.NoError(t, err)
	for i := range d.P {
		assert.Equal(t, d.N*d.K, m.Synapses[2*i], "plastic%d", i)
		assert.Equal(t, d.N, m.Synapses[2*i+1], "reward%d", i)
		// Read the plastic weights back: K per post neuron, each from
		// a distinct pre neuron, all at the initial weight.
		pre := map[int]map[int]bool{}
		for _, s := range m.Slices[net.Population(net.Projections[2*i].Post)] {
			for _, syn := range s.Syn {
				for _, w := range syn.Weights(2 * i) {
					post := s.Lo + w.Post
					if pre[post] == nil {
						pre[post] = map[int]bool{}
					}
					assert.False(t, pre[post][w.Pre], "pre %d twice onto %d", w.Pre, post)
					pre[post][w.Pre] = true
					assert.InDelta(t, d.Weight(), w.Weight, d.Weight()/100)
				}
			}
		}
		require.Len(t, pre, d.N)
		for post, ps := range pre {
			assert.Len(t, ps, d.K, "post %d", post)
		}
	}
}

// The idle board fills every application core of a SpiNN-5 board with one
// neuron.
func TestIdleBoard(t *testing.T) {
	net, err := network.Parse([]byte(IdleBoard(768, 5)), "idle")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	assert.Len(t, m.Cores, 768)
	assert.Len(t, m.Routers, 48)
	perChip := map[[2]int]int{}
	for _, c := range m.Cores {
		perChip[[2]int{c.Chip.X, c.Chip.Y}]++
	}
	assert.Len(t, perChip, 48)
	for chip, n := range perChip {
		assert.Equal(t, 16, n, "chip %v", chip)
	}
}
