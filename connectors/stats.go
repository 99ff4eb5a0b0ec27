package connectors

import (
	"math"

	"github.com/spinnsim/spinnsim/network"
)

// Statistics of a projection that the mapping needs before, or instead of,
// generating its synapses: which slices may connect, how many synapses to
// expect, how long a row may get, and the largest weight and delay that the
// draws are likely to give. sPyNNaker's connectors answer the same questions
// (could_connect, get_n_connections_from_pre_vertex_maximum,
// get_weight_maximum, get_delay_maximum) so that it can place, key, route and
// size memory without a synapse in hand; these follow its estimates.

// probableChance is the chance sPyNNaker allows that n draws exceed their
// probable maximum (utility_calls.get_maximum_probable_value, 1/100): the
// quantile taken is 1 − probableChance/n.
const probableChance = 0.01

// rowChance is the chance sPyNNaker allows a row to exceed its probable
// maximum length (get_n_connections_from_pre_vertex_maximum, 1/10000 over
// all the pairs of the projection).
const rowChance = 1e-4

// MaxProbable is the largest value that n draws of v are likely to give:
// the constant itself, or the quantile 1 − 0.01/n of the distribution, and
// never more than the distribution's upper bound (uniform's and
// normal_clipped's high), as sPyNNaker bounds get_maximum_probable_value by
// the distribution's high.
func MaxProbable(v network.Value, n float64) float64 {
	q := probableChance / math.Max(n, 1)
	switch v.Distribution {
	case network.DistUniform:
		return v.Low + (v.High-v.Low)*(1-q)
	case network.DistNormal:
		return v.Mu + v.Sigma*upperZ(q)
	case network.DistNormalClipped:
		if v.Sigma == 0 {
			return v.Mu
		}
		// The quantile of the normal restricted to [low, high]: P(X > x)
		// = P(X > high) + q·mass.
		mass := network.ClippedMass(v)
		x := v.Mu + v.Sigma*upperZ(normalAbove(v, v.High)+q*mass)
		return math.Min(math.Max(x, v.Low), v.High)
	}
	return v.Const
}

// MinProbable is the smallest value that n draws of v are likely to give,
// the mirror of MaxProbable.
func MinProbable(v network.Value, n float64) float64 {
	q := probableChance / math.Max(n, 1)
	switch v.Distribution {
	case network.DistUniform:
		return v.Low + (v.High-v.Low)*q
	case network.DistNormal:
		return v.Mu - v.Sigma*upperZ(q)
	case network.DistNormalClipped:
		if v.Sigma == 0 {
			return v.Mu
		}
		mass := network.ClippedMass(v)
		x := v.Mu - v.Sigma*upperZ(normalBelow(v, v.Low)+q*mass)
		return math.Min(math.Max(x, v.Low), v.High)
	}
	return v.Const
}

// MaxMagnitude is the largest |value| that n draws of v are likely to give:
// weights are stored as magnitudes.
func MaxMagnitude(v network.Value, n float64) float64 {
	return math.Max(math.Abs(MaxProbable(v, n)), math.Abs(MinProbable(v, n)))
}

// upperZ is the standard normal's upper quantile: P(Z > upperZ(q)) = q.
func upperZ(q float64) float64 {
	switch {
	case q <= 0:
		return math.Inf(1)
	case q >= 1:
		return math.Inf(-1)
	}
	return math.Sqrt2 * math.Erfcinv(2*q)
}

// normalAbove is P(X > x) for X ~ N(mu, sigma).
func normalAbove(v network.Value, x float64) float64 {
	return 0.5 * math.Erfc((x-v.Mu)/(v.Sigma*math.Sqrt2))
}

// normalBelow is P(X < x) for X ~ N(mu, sigma).
func normalBelow(v network.Value, x float64) float64 {
	return 0.5 * math.Erfc(-(x-v.Mu)/(v.Sigma*math.Sqrt2))
}

// DelayTicks converts a delay in ms to whole ticks as Build does (rounded
// half to even, at least one tick), without a maximum.
func DelayTicks(ms, timestepMs float64) int {
	t, err := newDelayRounder(timestepMs, math.MaxInt32).ticks(ms)
	if err != nil {
		return math.MaxInt32
	}
	return t
}

// Expected is the expected number of synapses a connector makes between
// populations of nPre and nPost neurons.
func Expected(c network.Connector, nPre, nPost int, samePop bool) float64 {
	pre, post := float64(nPre), float64(nPost)
	pairs := pre * post
	if samePop && !c.AllowSelf && c.Type != network.OneToOne && c.Type != network.FromList {
		pairs -= pre
	}
	switch c.Type {
	case network.AllToAll:
		return pairs
	case network.OneToOne:
		return math.Min(pre, post)
	case network.FixedProbability:
		return c.PConnect * pairs
	case network.FixedNumberPre:
		return float64(c.N) * post
	case network.FixedNumberPost:
		return float64(c.N) * pre
	case network.FixedTotalNumber:
		return float64(c.N)
	}
	return float64(len(c.List))
}

// CouldConnect reports whether the connector may connect a neuron of the
// pre slice [preLo, preHi) to one of the post slice [postLo, postHi): the
// slices are then joined by an edge that is routed and keyed, whether or not
// the draws end up using it (as sPyNNaker's machine edges are). FromList is
// the caller's to count from its rows.
func CouldConnect(c network.Connector, nPre, nPost int, samePop bool, preLo, preHi, postLo, postHi int) bool {
	if preHi <= preLo || postHi <= postLo {
		return false
	}
	onlySelf := samePop && !c.AllowSelf && preHi-preLo == 1 && preLo == postLo && preHi == postHi
	switch c.Type {
	case network.AllToAll:
		return !onlySelf
	case network.OneToOne:
		lo, hi := max(preLo, postLo), min(preHi, postHi, nPre, nPost)
		return lo < hi
	case network.FixedProbability:
		return c.PConnect > 0 && !onlySelf
	case network.FixedNumberPre, network.FixedNumberPost, network.FixedTotalNumber:
		return c.N > 0 && !onlySelf
	case network.FromList:
		for _, e := range c.List {
			if e.Pre >= preLo && e.Pre < preHi && e.Post >= postLo && e.Post < postHi {
				return true
			}
		}
	}
	return false
}

// MaxRow is the probable maximum number of synapses from one pre neuron onto
// a post slice of postN neurons: the length sPyNNaker gives every row of an
// edge (get_n_connections_from_pre_vertex_maximum), with a chance of 1e-4
// over the projection's pairs that a row is longer. FromList is the caller's
// to count from its rows.
func MaxRow(c network.Connector, nPre, nPost int, samePop bool, postN int) int {
	if nPre <= 0 || nPost <= 0 || postN <= 0 {
		return 0
	}
	pairs := nPre * nPost
	frac := float64(postN) / float64(nPost)
	switch c.Type {
	case network.AllToAll:
		return postN
	case network.OneToOne:
		return 1
	case network.FixedProbability:
		p := math.Min(math.Max(c.PConnect, 0), 1)
		return probableMaximumSelected(pairs, postN, p, rowChance)
	case network.FixedNumberPre:
		// Each post neuron draws n pre neurons: one pre is drawn by each of
		// the slice's posts with probability n/nPre.
		return min(postN, probableMaximumSelected(pairs, postN, math.Min(float64(c.N)/float64(nPre), 1), rowChance))
	case network.FixedNumberPost:
		k := probableMaximumSelected(pairs, c.N, frac, rowChance)
		if !c.WithReplacement {
			k = min(k, postN)
		}
		return k
	case network.FixedTotalNumber:
		k := probableMaximumSelected(pairs, c.N, frac/float64(nPre), rowChance)
		if !c.WithReplacement {
			k = min(k, postN)
		}
		return k
	}
	return 0
}
