package connectors

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spinnsim/spinnsim/network"
)

// The expected values are sPyNNaker's formulas evaluated with scipy 1.10.1:
// get_probable_maximum_selected(total, n, p, chance) =
// binom.ppf(1.0 - chance/float(total), n, p).
func TestMaxPerPost(t *testing.T) {
	list := []network.ListEntry{{Pre: 0, Post: 1}, {Pre: 1, Post: 1}, {Pre: 2, Post: 1}, {Pre: 0, Post: 0}, {Pre: 2, Post: 3}}
	cases := []struct {
		name        string
		c           network.Connector
		nPre, nPost int
		samePop     bool
		want        int
	}{
		{"all_to_all", network.Connector{Type: network.AllToAll, AllowSelf: true}, 10, 7, false, 10},
		// sPyNNaker's AllToAll returns n_pre_neurons whatever allow_self_connections says.
		{"all_to_all_no_self", network.Connector{Type: network.AllToAll}, 10, 10, true, 10},
		{"one_to_one", network.Connector{Type: network.OneToOne}, 10, 10, false, 1},
		// binom.ppf(1 - 1e-4/(100*100), 100, 0.1) = 30.
		{"fixed_probability_0.1_100x100", network.Connector{Type: network.FixedProbability, PConnect: 0.1}, 100, 100, false, 30},
		// binom.ppf(1 - 1e-4/(1000*50), 1000, 0.05) = 95.
		{"fixed_probability_0.05_1000x50", network.Connector{Type: network.FixedProbability, PConnect: 0.05}, 1000, 50, false, 95},
		{"fixed_probability_0", network.Connector{Type: network.FixedProbability, PConnect: 0}, 100, 100, false, 0},
		// p = 1 becomes u0.32's largest value: binom.ppf(1 - 1e-8, 100, 0.9999999997671694) = 100.
		{"fixed_probability_1", network.Connector{Type: network.FixedProbability, PConnect: 1}, 100, 100, false, 100},
		{"fixed_probability_0.5_10x10", network.Connector{Type: network.FixedProbability, PConnect: 0.5}, 10, 10, false, 10},
		{"fixed_number_pre", network.Connector{Type: network.FixedNumberPre, N: 7}, 20, 30, false, 7},
		// ceil(binom.ppf(1 - 1e-5/(100*100), 100, 1/100)) = 11, whatever n is.
		{"fixed_number_post_100x100", network.Connector{Type: network.FixedNumberPost, N: 5}, 100, 100, false, 11},
		{"fixed_number_post_100x100_n50", network.Connector{Type: network.FixedNumberPost, N: 50}, 100, 100, false, 11},
		// ceil(binom.ppf(1 - 1e-5/(1000*10), 1000, 1/10)) = 161.
		{"fixed_number_post_1000x10", network.Connector{Type: network.FixedNumberPost, N: 1}, 1000, 10, false, 161},
		{"fixed_number_post_5x1", network.Connector{Type: network.FixedNumberPost, N: 1}, 5, 1, false, 5},
		// binom.ppf(1 - 0.01/1000, 1000, 1/100) = 26.
		{"fixed_total_number_1000", network.Connector{Type: network.FixedTotalNumber, N: 1000}, 50, 100, false, 26},
		// binom.ppf(1 - 0.01/50, 50, 1/10) = 14.
		{"fixed_total_number_50", network.Connector{Type: network.FixedTotalNumber, N: 50}, 10, 10, false, 14},
		// binom.ppf(1 - 0.01/10000, 10000, 1/1000) = 28.
		{"fixed_total_number_10000", network.Connector{Type: network.FixedTotalNumber, N: 10000}, 1000, 1000, false, 28},
		{"fixed_total_number_1", network.Connector{Type: network.FixedTotalNumber, N: 1}, 1, 1, false, 1},
		{"fixed_total_number_0", network.Connector{Type: network.FixedTotalNumber, N: 0}, 10, 10, false, 0},
		{"from_list", network.Connector{Type: network.FromList, List: list}, 3, 4, false, 3},
		{"from_list_empty", network.Connector{Type: network.FromList}, 3, 4, false, 0},
		{"unknown", network.Connector{Type: "CSAConnector"}, 3, 4, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, MaxPerPost(c.c, c.nPre, c.nPost, c.samePop))
		})
	}
}

// Where the estimate is an exact count, it matches what Build makes.
func TestMaxPerPostMatchesBuild(t *testing.T) {
	for _, c := range []network.Connector{
		{Type: network.AllToAll, AllowSelf: true},
		{Type: network.OneToOne},
		{Type: network.FixedNumberPre, N: 4},
		{Type: network.FromList, List: []network.ListEntry{{Pre: 0, Post: 2}, {Pre: 3, Post: 2}, {Pre: 1, Post: 0}}},
	} {
		out := build(t, c, static(1, 1), 6, 6, false, 1)
		assert.Equal(t, MaxIncoming(out), MaxPerPost(c, 6, 6, false), c.Type)
	}
}

// The FixedProbability estimate bounds the real per-post count: over 200
// seeds of 100×100 at p = 0.1 no post neuron gets more than 30.
func TestMaxPerPostBoundsFixedProbability(t *testing.T) {
	c := network.Connector{Type: network.FixedProbability, PConnect: 0.1, AllowSelf: true}
	bound := MaxPerPost(c, 100, 100, false)
	for seed := range uint64(200) {
		out := build(t, c, static(1, 1), 100, 100, false, seed)
		assert.LessOrEqual(t, MaxIncoming(out), bound, "seed %d", seed)
	}
}
