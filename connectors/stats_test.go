package connectors

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/network"
)

func TestMaxProbable(t *testing.T) {
	normal := network.Value{Distribution: network.DistNormal, Mu: 1, Sigma: 0.5}
	// 1 − 0.01/100 = 1 − 1e-4: z = 3.7190.
	assert.InDelta(t, 1+0.5*3.719016, MaxProbable(normal, 100), 1e-5)
	assert.InDelta(t, 1-0.5*3.719016, MinProbable(normal, 100), 1e-5)
	assert.InDelta(t, 1+0.5*3.719016, MaxMagnitude(normal, 100), 1e-5)

	uniform := network.Value{Distribution: network.DistUniform, Low: 2, High: 4}
	assert.InDelta(t, 4-2*1e-4, MaxProbable(uniform, 100), 1e-12)
	assert.InDelta(t, 2+2*1e-4, MinProbable(uniform, 100), 1e-12)

	// Clipped far out, the clipped and the plain normal agree; clipped
	// close, the bound is the maximum.
	wide := network.Value{Distribution: network.DistNormalClipped, Mu: 1, Sigma: 0.5, Low: math.Inf(-1), High: math.Inf(1)}
	assert.InDelta(t, MaxProbable(normal, 1e6), MaxProbable(wide, 1e6), 1e-9)
	assert.InDelta(t, MinProbable(normal, 1e6), MinProbable(wide, 1e6), 1e-9)
	tight := network.Value{Distribution: network.DistNormalClipped, Mu: 1, Sigma: 0.5, Low: 0.9, High: 1.2}
	mx := MaxProbable(tight, 1e6)
	assert.LessOrEqual(t, mx, 1.2)
	assert.Greater(t, mx, 1.199)
	assert.GreaterOrEqual(t, MinProbable(tight, 1e6), 0.9)
	// The microcircuit's delays: mean 1.5 ms, sd 0.75, in [0.1, 12.8]: of
	// the clipped distribution, 0.01/n lies above the maximum of n draws.
	d := network.Value{Distribution: network.DistNormalClipped, Mu: 1.5, Sigma: 0.75, Low: 0.1, High: 12.8}
	x := MaxProbable(d, 2e7)
	above := func(x float64) float64 { return 0.5 * math.Erfc((x-1.5)/(0.75*math.Sqrt2)) }
	assert.InEpsilon(t, 0.01/2e7, (above(x)-above(12.8))/network.ClippedMass(d), 1e-6)
	assert.InDelta(t, 6.09, x, 0.01)
	assert.Equal(t, 3.0, MaxProbable(network.Value{Const: 3}, 10))
	assert.Equal(t, 3.0, MaxMagnitude(network.Value{Const: -3}, 10))
}

// normal_clipped draws are redrawn, not clamped: none lies outside
// [low, high] and none piles up at a bound; their mean is the truncated
// normal's.
func TestNormalClippedDraws(t *testing.T) {
	v := network.Value{Distribution: network.DistNormalClipped, Mu: 1.5, Sigma: 0.75, Low: 0.1, High: 12.8}
	rng := newRNG(3)
	n := 200000
	sum, atLow := 0.0, 0
	for range n {
		x, err := draw(v, rng)
		require.NoError(t, err)
		require.True(t, x >= 0.1 && x <= 12.8, "%v", x)
		sum += x
		if x < 0.15 {
			atLow++
		}
	}
	// Truncated normal mean: mu + sigma·φ(α)/(1 − Φ(α)), α = (0.1 − 1.5)/0.75.
	alpha := (0.1 - 1.5) / 0.75
	phi := math.Exp(-alpha*alpha/2) / math.Sqrt(2*math.Pi)
	want := 1.5 + 0.75*phi/(1-0.5*math.Erfc(-alpha/math.Sqrt2))
	assert.InDelta(t, want, sum/float64(n), 0.01)
	// P(0.1 ≤ X < 0.15)/mass ≈ 0.0048: no pile-up (a clamp would put 3% there).
	assert.Less(t, float64(atLow)/float64(n), 0.007)

	// A plain normal delay clamps short draws to one tick (3% at 0.1 ms
	// for the microcircuit's delays); normal_clipped at low = 0.1 does not.
	syn := network.Synapse{Type: network.StaticSynapse, Weight: network.Value{Const: 1}, Delay: v}
	c := network.Connector{Type: network.AllToAll, AllowSelf: true}
	out, err := Build(c, syn, 300, 300, false, 0.1, 200, newRNG(4))
	require.NoError(t, err)
	one := 0
	for _, s := range out {
		if s.DelayTicks == 1 {
			one++
		}
	}
	// P(X < 0.15 | X ≥ 0.1) for the truncated normal: about 0.5%.
	assert.Less(t, float64(one)/float64(len(out)), 0.007)
}

func TestExpectedAndCouldConnect(t *testing.T) {
	fp := network.Connector{Type: network.FixedProbability, PConnect: 0.1, AllowSelf: true}
	assert.Equal(t, 1000.0, Expected(fp, 100, 100, false))
	noSelf := network.Connector{Type: network.AllToAll}
	assert.Equal(t, 90.0, Expected(noSelf, 10, 10, true))
	assert.Equal(t, 5.0, Expected(network.Connector{Type: network.OneToOne}, 5, 10, false))
	assert.Equal(t, 23.0, Expected(network.Connector{Type: network.OneToOne}, 100, 23, false))

	o2o := network.Connector{Type: network.OneToOne}
	assert.True(t, CouldConnect(o2o, 23, 100, false, 0, 23, 0, 50))
	assert.False(t, CouldConnect(o2o, 23, 100, false, 0, 23, 50, 100), "posts 50–99 have no partner")
	assert.False(t, CouldConnect(o2o, 100, 23, false, 50, 100, 0, 23))
	assert.True(t, CouldConnect(o2o, 100, 100, false, 10, 20, 15, 30))
	assert.False(t, CouldConnect(o2o, 100, 100, false, 10, 20, 20, 30))
	assert.False(t, CouldConnect(noSelf, 10, 10, true, 3, 4, 3, 4), "only the left-out self connection")
	assert.True(t, CouldConnect(noSelf, 10, 10, true, 3, 5, 3, 5))
	assert.False(t, CouldConnect(network.Connector{Type: network.FixedProbability}, 10, 10, false, 0, 10, 0, 10), "p = 0")
	list := network.Connector{Type: network.FromList, List: []network.ListEntry{{Pre: 3, Post: 7}}}
	assert.True(t, CouldConnect(list, 10, 10, false, 0, 5, 5, 10))
	assert.False(t, CouldConnect(list, 10, 10, false, 5, 10, 5, 10))
}

// The probable maximum row length bounds the rows that Build makes (for a
// fixed seed), and is not wildly above them.
func TestMaxRowBoundsBuiltRows(t *testing.T) {
	cases := []network.Connector{
		{Type: network.FixedProbability, PConnect: 0.05, AllowSelf: true},
		{Type: network.FixedNumberPre, N: 40, AllowSelf: true},
		{Type: network.FixedNumberPost, N: 40, AllowSelf: true},
		{Type: network.FixedTotalNumber, N: 20000, WithReplacement: true, AllowSelf: true},
		{Type: network.AllToAll, AllowSelf: true},
		{Type: network.OneToOne},
	}
	const nPre, nPost, slice = 400, 1000, 256
	for _, c := range cases {
		t.Run(c.Type, func(t *testing.T) {
			out := build(t, c, static(1, 1), nPre, nPost, false, 9)
			rows := map[[2]int]int{}
			most := 0
			for _, s := range out {
				k := [2]int{s.Pre, s.Post / slice}
				rows[k]++
				most = max(most, rows[k])
			}
			est := MaxRow(c, nPre, nPost, false, slice)
			assert.LessOrEqual(t, most, est)
			assert.LessOrEqual(t, est, 2*most+8, "estimate %d, longest row %d", est, most)
		})
	}
}
