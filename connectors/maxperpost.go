package connectors

import (
	"math"

	"github.com/spinnsim/spinnsim/network"
)

// u032Max is the largest u0.32 value, (2^32 − 1)/2^32. sPyNNaker's
// FixedProbabilityConnector replaces p_connect = 1 by it (with a warning), as
// the machine-side generator holds the probability as a u0.32.
const u032Max = float64(1<<32-1) / (1 << 32)

// MaxPerPost is the number of connections per post neuron that sPyNNaker's
// ring-buffer scaling assumes for this connector (its "n_conn_max", the
// connector's get_n_connections_to_post_vertex_maximum: the maximum number of
// incoming connections to any one post neuron from this projection, as it
// estimates it). Reference §1.7.
//
// The values are sPyNNaker's own (spynnaker/pyNN/models/neural_projections/
// connectors, 2023), because the ring-buffer shift and so every stored weight
// depend on them. "ppf(q; n, p)" is scipy's binom.ppf (BinomPPF), and
// sPyNNaker's get_probable_maximum_selected(total, n, p, chance) is
// ppf(1 − chance/total; n, p):
//
//   - AllToAll: nPre. sPyNNaker does not subtract the left-out self
//     connection when allow_self_connections is false, so neither does this.
//   - OneToOne: 1.
//   - FixedProbability: ppf(1 − 1e-4/(nPre·nPost); nPre, p_connect). Note the
//     chance is divided by the number of pairs (for 100×100 at p = 0.1 this is
//     30, where ppf(1 − 1e-4) would be 23). p_connect = 1 is taken as
//     u0.32's largest value, as sPyNNaker does.
//   - FixedNumberPre: n.
//   - FixedNumberPost: ceil(ppf(1 − 1e-5/(nPre·nPost); nPre, 1/nPost)). This is
//     the count of one post neuron among nPre draws of one post each: it does
//     not grow with n, so for n > 1 it can be smaller than the real maximum
//     (sPyNNaker's estimate; the ring buffer may then saturate on the
//     machine, and here alike).
//   - FixedTotalNumber: ppf(1 − 0.01/n; n, 1/nPost), 0 for n = 0.
//   - FromList: the largest number of rows with the same post neuron (rows
//     whose post is outside 0..nPost−1 are not counted).
//
// samePop is accepted for symmetry with Build; none of sPyNNaker's estimates
// uses it. An unknown connector type gives 0.
func MaxPerPost(c network.Connector, nPre, nPost int, samePop bool) int {
	_ = samePop
	if nPre <= 0 || nPost <= 0 {
		return 0
	}
	switch c.Type {
	case network.AllToAll:
		return nPre
	case network.OneToOne:
		return 1
	case network.FixedProbability:
		p := c.PConnect
		switch {
		case !(p > 0): // also NaN
			p = 0
		case p >= 1:
			p = u032Max
		}
		return probableMaximumSelected(nPre*nPost, nPre, p, 1.0/10000.0)
	case network.FixedNumberPre:
		return max(c.N, 0)
	case network.FixedNumberPost:
		return probableMaximumSelected(nPre*nPost, nPre, 1/float64(nPost), 1.0/100000.0)
	case network.FixedTotalNumber:
		if c.N <= 0 {
			return 0
		}
		return probableMaximumSelected(c.N, c.N, 1/float64(nPost), 1.0/100.0)
	case network.FromList:
		counts := make([]int, nPost)
		most := 0
		for _, e := range c.List {
			if e.Post >= 0 && e.Post < nPost {
				counts[e.Post]++
				most = max(most, counts[e.Post])
			}
		}
		return most
	default:
		return 0
	}
}

// probableMaximumSelected is sPyNNaker's utility_calls.get_probable_maximum_selected:
// the binomial quantile ppf(1 − chance/nTotalTrials; nTrials, p). q is formed
// in float64 exactly as Python forms it, so the tail BinomPPF works with is
// 1 − q, as in scipy.
func probableMaximumSelected(nTotalTrials, nTrials int, p, chance float64) int {
	if nTotalTrials <= 0 || nTrials <= 0 {
		return 0
	}
	q := 1.0 - chance/float64(nTotalTrials)
	return BinomPPF(math.Max(q, 0), nTrials, math.Min(math.Max(p, 0), 1))
}

// MaxIncoming is the largest number of synapses in syns that share a post
// neuron: the real n_conn_max of a built projection.
func MaxIncoming(syns []Synapse) int {
	counts := map[int]int{}
	most := 0
	for _, s := range syns {
		counts[s.Post]++
		most = max(most, counts[s.Post])
	}
	return most
}
