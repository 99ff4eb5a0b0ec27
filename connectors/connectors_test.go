package connectors

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/network"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

func static(w, d float64) network.Synapse {
	return network.Synapse{Type: network.StaticSynapse,
		Weight: network.Value{Const: w}, Delay: network.Value{Const: d}}
}

func ptr(x float64) *float64 { return &x }

func sortedBySynapse(a, b Synapse) int {
	return comparePairs(pair{int32(a.Pre), int32(a.Post), 0}, pair{int32(b.Pre), int32(b.Post), 0})
}

// build is Build at a 1 ms timestep with a 16-tick ring buffer.
func build(t *testing.T, c network.Connector, syn network.Synapse, nPre, nPost int, samePop bool, seed uint64) []Synapse {
	t.Helper()
	out, err := Build(c, syn, nPre, nPost, samePop, 1.0, 16, newRNG(seed))
	require.NoError(t, err)
	require.True(t, slices.IsSortedFunc(out, sortedBySynapse), "output sorted by pre, post")
	return out
}

func TestAllToAll(t *testing.T) {
	c := network.Connector{Type: network.AllToAll, AllowSelf: true}
	out := build(t, c, static(0.5, 1), 3, 4, false, 1)
	require.Len(t, out, 12)
	assert.Equal(t, Synapse{Pre: 0, Post: 0, Weight: 0.5, DelayTicks: 1}, out[0])
	assert.Equal(t, Synapse{Pre: 2, Post: 3, Weight: 0.5, DelayTicks: 1}, out[11])

	// The same population with self connections.
	assert.Len(t, build(t, c, static(0.5, 1), 5, 5, true, 1), 25)

	// Without them: i→i left out, and only on the same population.
	c.AllowSelf = false
	out = build(t, c, static(0.5, 1), 5, 5, true, 1)
	require.Len(t, out, 20)
	for _, s := range out {
		assert.NotEqual(t, s.Pre, s.Post)
	}
	assert.Equal(t, 4, MaxIncoming(out))
	assert.Len(t, build(t, c, static(0.5, 1), 5, 5, false, 1), 25, "different populations: all pairs")
}

func TestAllToAllNeedsNoRNG(t *testing.T) {
	out, err := Build(network.Connector{Type: network.AllToAll, AllowSelf: true}, static(1, 2), 2, 2, false, 1, 16, nil)
	require.NoError(t, err)
	assert.Len(t, out, 4)
}

func TestOneToOne(t *testing.T) {
	c := network.Connector{Type: network.OneToOne}
	out := build(t, c, static(2, 3), 4, 4, false, 1)
	require.Len(t, out, 4)
	for i, s := range out {
		assert.Equal(t, Synapse{Pre: i, Post: i, Weight: 2, DelayTicks: 3}, s)
	}
	// allow_self_connections does not apply to OneToOne.
	assert.Len(t, build(t, network.Connector{Type: network.OneToOne}, static(2, 3), 4, 4, true, 1), 4)
}

// OneToOne between populations of different sizes connects the first
// min(n_pre, n_post) pairs, as PyNN does: 5 → 10 and 23 → 100 (and back).
func TestOneToOneDifferentSizes(t *testing.T) {
	for _, sz := range [][2]int{{5, 10}, {23, 100}, {10, 5}, {100, 23}} {
		out := build(t, network.Connector{Type: network.OneToOne}, static(1, 1), sz[0], sz[1], false, 1)
		n := min(sz[0], sz[1])
		require.Len(t, out, n, "%d → %d", sz[0], sz[1])
		for i, s := range out {
			assert.Equal(t, [2]int{i, i}, [2]int{s.Pre, s.Post})
		}
	}
}

func TestFixedProbability(t *testing.T) {
	c := network.Connector{Type: network.FixedProbability, PConnect: 0.1, AllowSelf: true}
	out := build(t, c, static(1, 1), 100, 100, false, 42)
	// Binomial(10000, 0.1): mean 1000, sigma 30.
	mean, sigma := 1000.0, math.Sqrt(10000*0.1*0.9)
	assert.InDelta(t, mean, float64(len(out)), 4*sigma, "count %d", len(out))
	// No pair twice.
	assert.False(t, hasDuplicatePairs(out))

	assert.Equal(t, out, build(t, c, static(1, 1), 100, 100, false, 42), "same seed, same synapses")
	assert.NotEqual(t, out, build(t, c, static(1, 1), 100, 100, false, 43), "another seed, other synapses")
}

// Each pair is connected independently: every row and column gets about
// p·n connections, not all at one end.
func TestFixedProbabilityUniformOverPairs(t *testing.T) {
	c := network.Connector{Type: network.FixedProbability, PConnect: 0.3, AllowSelf: true}
	out := build(t, c, static(1, 1), 200, 200, false, 7)
	perPre := make([]int, 200)
	perPost := make([]int, 200)
	for _, s := range out {
		perPre[s.Pre]++
		perPost[s.Post]++
	}
	sigma := math.Sqrt(200 * 0.3 * 0.7)
	for i := range 200 {
		assert.InDelta(t, 60, perPre[i], 5*sigma, "pre %d", i)
		assert.InDelta(t, 60, perPost[i], 5*sigma, "post %d", i)
	}
}

func TestFixedProbabilityEdges(t *testing.T) {
	c := network.Connector{Type: network.FixedProbability, PConnect: 0, AllowSelf: true}
	assert.Empty(t, build(t, c, static(1, 1), 10, 10, false, 1))
	c.PConnect = 1
	assert.Len(t, build(t, c, static(1, 1), 10, 10, false, 1), 100)
	c.AllowSelf = false
	out := build(t, c, static(1, 1), 10, 10, true, 1)
	assert.Len(t, out, 90)
	c.PConnect = 0.5
	for _, s := range build(t, c, static(1, 1), 30, 30, true, 1) {
		assert.NotEqual(t, s.Pre, s.Post)
	}
	c.PConnect = 1.5
	_, err := Build(c, static(1, 1), 10, 10, false, 1, 16, newRNG(1))
	assert.ErrorContains(t, err, "p_connect")
}

func hasDuplicatePairs(out []Synapse) bool {
	for i := 1; i < len(out); i++ {
		if out[i].Pre == out[i-1].Pre && out[i].Post == out[i-1].Post {
			return true
		}
	}
	return false
}

func TestFixedNumberPre(t *testing.T) {
	c := network.Connector{Type: network.FixedNumberPre, N: 7, AllowSelf: true}
	out := build(t, c, static(1, 1), 20, 30, false, 3)
	require.Len(t, out, 7*30)
	perPost := map[int]map[int]bool{}
	for _, s := range out {
		if perPost[s.Post] == nil {
			perPost[s.Post] = map[int]bool{}
		}
		assert.False(t, perPost[s.Post][s.Pre], "pre %d twice into post %d", s.Pre, s.Post)
		perPost[s.Post][s.Pre] = true
	}
	require.Len(t, perPost, 30)
	for post, pres := range perPost {
		assert.Len(t, pres, 7, "post %d", post)
	}
	assert.Equal(t, out, build(t, c, static(1, 1), 20, 30, false, 3))

	// n = all pre neurons without replacement: every pair.
	c.N = 20
	assert.Len(t, build(t, c, static(1, 1), 20, 30, false, 3), 600)
}

func TestFixedNumberPreWithReplacement(t *testing.T) {
	c := network.Connector{Type: network.FixedNumberPre, N: 50, WithReplacement: true, AllowSelf: true}
	out := build(t, c, static(1, 1), 10, 8, false, 5)
	require.Len(t, out, 400)
	counts := map[int]int{}
	for _, s := range out {
		counts[s.Post]++
	}
	for post := range 8 {
		assert.Equal(t, 50, counts[post])
	}
	// 50 draws from 10: duplicates are certain.
	assert.True(t, hasDuplicatePairs(out))
}

func TestFixedNumberPreNoSelf(t *testing.T) {
	c := network.Connector{Type: network.FixedNumberPre, N: 9, AllowSelf: false}
	out := build(t, c, static(1, 1), 10, 10, true, 9)
	require.Len(t, out, 90)
	for _, s := range out {
		assert.NotEqual(t, s.Pre, s.Post)
	}
	// 10 distinct pre neurons other than itself do not exist.
	c.N = 10
	_, err := Build(c, static(1, 1), 10, 10, true, 1, 16, newRNG(1))
	assert.ErrorContains(t, err, "only 9 pre neurons")
}

func TestFixedNumberPost(t *testing.T) {
	c := network.Connector{Type: network.FixedNumberPost, N: 3, AllowSelf: false}
	out := build(t, c, static(1, 1), 12, 12, true, 11)
	require.Len(t, out, 36)
	counts := map[int]int{}
	for _, s := range out {
		counts[s.Pre]++
		assert.NotEqual(t, s.Pre, s.Post)
	}
	for pre := range 12 {
		assert.Equal(t, 3, counts[pre])
	}
	assert.False(t, hasDuplicatePairs(out))

	c.N = 13
	_, err := Build(c, static(1, 1), 12, 12, false, 1, 16, newRNG(1))
	assert.ErrorContains(t, err, "FixedNumberPostConnector")
}

func TestFixedTotalNumber(t *testing.T) {
	c := network.Connector{Type: network.FixedTotalNumber, N: 50, AllowSelf: true}
	out := build(t, c, static(1, 1), 10, 10, false, 13)
	require.Len(t, out, 50)
	assert.False(t, hasDuplicatePairs(out), "without replacement: distinct pairs")

	c.WithReplacement = true
	c.N = 500
	out = build(t, c, static(1, 1), 10, 10, false, 13)
	assert.Len(t, out, 500)

	// All pairs but i→i.
	c = network.Connector{Type: network.FixedTotalNumber, N: 90, AllowSelf: false}
	out = build(t, c, static(1, 1), 10, 10, true, 13)
	require.Len(t, out, 90)
	for _, s := range out {
		assert.NotEqual(t, s.Pre, s.Post)
	}
	assert.False(t, hasDuplicatePairs(out))

	c.N = 91
	_, err := Build(c, static(1, 1), 10, 10, true, 1, 16, newRNG(1))
	assert.ErrorContains(t, err, "only 90 pairs")
}

// A sparse draw without replacement (Floyd's algorithm) stays distinct too.
func TestFixedTotalNumberSparse(t *testing.T) {
	c := network.Connector{Type: network.FixedTotalNumber, N: 1000, AllowSelf: true}
	out := build(t, c, static(1, 1), 300, 300, false, 17)
	require.Len(t, out, 1000)
	assert.False(t, hasDuplicatePairs(out))
}

func TestFromList(t *testing.T) {
	c := network.Connector{Type: network.FromList, List: []network.ListEntry{
		{Pre: 2, Post: 0, Weight: ptr(0.25), Delay: ptr(3)},
		{Pre: 0, Post: 1},
		{Pre: 0, Post: 1, Weight: ptr(-0.75), Delay: ptr(2.4)}, // duplicate pair; negative weight → magnitude
		{Pre: 1, Post: 1, Weight: ptr(4)},                      // weight only
		{Pre: 1, Post: 0, Delay: ptr(5)},                       // delay only
	}}
	out := build(t, c, static(1.5, 2), 3, 2, false, 1)
	assert.Equal(t, []Synapse{
		{Pre: 0, Post: 1, Weight: 1.5, DelayTicks: 2},
		{Pre: 0, Post: 1, Weight: 0.75, DelayTicks: 2},
		{Pre: 1, Post: 0, Weight: 1.5, DelayTicks: 5},
		{Pre: 1, Post: 1, Weight: 4, DelayTicks: 2},
		{Pre: 2, Post: 0, Weight: 0.25, DelayTicks: 3},
	}, out)
	assert.Equal(t, 3, MaxIncoming(out))
}

func TestFromListOutOfRange(t *testing.T) {
	c := network.Connector{Type: network.FromList, List: []network.ListEntry{{Pre: 0, Post: 0}, {Pre: 0, Post: 5}}}
	_, err := Build(c, static(1, 1), 3, 5, false, 1, 16, nil)
	assert.ErrorContains(t, err, "row 1: post 5 is outside the post population (size 5)")
}

func TestFromListRowDelayTooLong(t *testing.T) {
	c := network.Connector{Type: network.FromList, List: []network.ListEntry{{Pre: 0, Post: 0, Delay: ptr(40)}}}
	_, err := Build(c, static(1, 1), 1, 1, false, 1, 16, nil)
	require.ErrorIs(t, err, ErrDelayTooLong)
	assert.ErrorContains(t, err, "row 0")
	assert.ErrorContains(t, err, "delay 40 ms")
}

func TestUniformWeights(t *testing.T) {
	syn := static(0, 1)
	syn.Weight = network.Value{Distribution: network.DistUniform, Low: 0.5, High: 1.5}
	c := network.Connector{Type: network.AllToAll, AllowSelf: true}
	out := build(t, c, syn, 100, 100, false, 21)
	sum := 0.0
	for _, s := range out {
		require.GreaterOrEqual(t, s.Weight, 0.5)
		require.LessOrEqual(t, s.Weight, 1.5)
		sum += s.Weight
	}
	// Mean of 10000 U(0.5, 1.5) draws: 1 ± 4·(1/√12)/100.
	assert.InDelta(t, 1.0, sum/float64(len(out)), 4/math.Sqrt(12)/100)
	assert.Equal(t, out, build(t, c, syn, 100, 100, false, 21))
}

func TestNegativeDrawsAreMagnitudes(t *testing.T) {
	syn := static(0, 1)
	syn.Weight = network.Value{Distribution: network.DistUniform, Low: -2, High: -1}
	out := build(t, network.Connector{Type: network.AllToAll, AllowSelf: true}, syn, 20, 20, false, 1)
	for _, s := range out {
		assert.True(t, s.Weight >= 1 && s.Weight <= 2, "weight %v", s.Weight)
	}
	syn.Weight = network.Value{Distribution: network.DistNormal, Mu: 0, Sigma: 1}
	// N(0, 1) draws: about half are negative, and all come out as magnitudes.
	distinct := map[float64]bool{}
	for _, s := range build(t, network.Connector{Type: network.AllToAll, AllowSelf: true}, syn, 20, 20, false, 1) {
		assert.GreaterOrEqual(t, s.Weight, 0.0)
		distinct[s.Weight] = true
	}
	assert.Greater(t, len(distinct), 390)
	// A negative constant (PyNN's inhibitory convention) too.
	out = build(t, network.Connector{Type: network.OneToOne}, static(-3, 1), 2, 2, false, 1)
	assert.Equal(t, 3.0, out[0].Weight)
}

func TestDelayRounding(t *testing.T) {
	cases := []struct {
		delay, timestep float64
		want            int
	}{
		{1, 1, 1},
		{1.5, 1, 2},  // half to even
		{2.5, 1, 2},  // half to even
		{3.5, 1, 4},  // half to even
		{2.49, 1, 2}, // nearest
		{0.4, 1, 1},  // at least one tick
		{0.5, 1, 1},  // rounds to 0, raised to 1
		{0.25, 0.1, 2},
		{0.35, 0.1, 4},
		{0.3, 0.1, 3},
		{0.15, 0.1, 2}, // 0.15·10 = 1.5 → 2, as sPyNNaker; 0.15/0.1 would give 1.4999999999999998 → 1
		{16, 1, 16},    // the limit itself
		{1.6, 0.1, 16},
	}
	for _, c := range cases {
		out, err := Build(network.Connector{Type: network.OneToOne}, static(1, c.delay), 1, 1, false, c.timestep, 16, nil)
		require.NoError(t, err, "delay %v at %v", c.delay, c.timestep)
		assert.Equal(t, c.want, out[0].DelayTicks, "delay %v ms at %v ms", c.delay, c.timestep)
	}
}

func TestDelayTooLong(t *testing.T) {
	_, err := Build(network.Connector{Type: network.OneToOne}, static(1, 17), 1, 1, false, 1, 16, nil)
	require.ErrorIs(t, err, ErrDelayTooLong)
	assert.ErrorContains(t, err, "delay 17 ms")
	assert.ErrorContains(t, err, "maximum of 16 ticks")
	assert.ErrorContains(t, err, "delay extensions")

	// A drawn delay past the limit.
	syn := static(1, 1)
	syn.Delay = network.Value{Distribution: network.DistUniform, Low: 1, High: 40}
	_, err = Build(network.Connector{Type: network.AllToAll, AllowSelf: true}, syn, 10, 10, false, 1, 16, newRNG(1))
	require.ErrorIs(t, err, ErrDelayTooLong)
	assert.ErrorContains(t, err, "maximum of 16 ticks (16 ms)")

	// Within the limit, drawn delays are whole ticks in [1, 16].
	syn.Delay = network.Value{Distribution: network.DistUniform, Low: 0.1, High: 15.4}
	out, err := Build(network.Connector{Type: network.AllToAll, AllowSelf: true}, syn, 30, 30, false, 1, 16, newRNG(1))
	require.NoError(t, err)
	seen := map[int]bool{}
	for _, s := range out {
		require.True(t, s.DelayTicks >= 1 && s.DelayTicks <= 15, "ticks %d", s.DelayTicks)
		seen[s.DelayTicks] = true
	}
	assert.Len(t, seen, 15)
}

// Weights and delays are drawn in output order, after the pairs: the same
// seed gives the same connections whatever the weight distribution.
func TestPairsIndependentOfValueDraws(t *testing.T) {
	c := network.Connector{Type: network.FixedProbability, PConnect: 0.2, AllowSelf: true}
	a := build(t, c, static(1, 1), 50, 50, false, 99)
	syn := static(1, 1)
	syn.Weight = network.Value{Distribution: network.DistNormal, Mu: 1, Sigma: 0.1}
	b := build(t, c, syn, 50, 50, false, 99)
	require.Len(t, b, len(a))
	for i := range a {
		assert.Equal(t, a[i].Pre, b[i].Pre)
		assert.Equal(t, a[i].Post, b[i].Post)
	}
}

func TestBadArguments(t *testing.T) {
	all := network.Connector{Type: network.AllToAll, AllowSelf: true}
	_, err := Build(network.Connector{Type: "DistanceDependentProbabilityConnector"}, static(1, 1), 2, 2, false, 1, 16, nil)
	assert.ErrorContains(t, err, "unknown connector type")
	_, err = Build(all, static(1, 1), 2, 3, true, 1, 16, nil)
	assert.ErrorContains(t, err, "same population")
	_, err = Build(all, static(1, 1), 2, 2, false, 0, 16, nil)
	assert.ErrorContains(t, err, "timestep")
	_, err = Build(all, static(1, 1), 2, 2, false, 1, 0, nil)
	assert.ErrorContains(t, err, "maximum delay")
	_, err = Build(network.Connector{Type: network.FixedNumberPre, N: -1}, static(1, 1), 2, 2, false, 1, 16, newRNG(1))
	assert.ErrorContains(t, err, "n = -1")
	_, err = Build(network.Connector{Type: network.FixedProbability, PConnect: 0.5}, static(1, 1), 2, 2, false, 1, 16, nil)
	assert.ErrorIs(t, err, errNoRNG)
	syn := static(1, 1)
	syn.Weight = network.Value{Distribution: "lognormal"}
	_, err = Build(all, syn, 2, 2, false, 1, 16, newRNG(1))
	assert.ErrorContains(t, err, "unknown distribution")
}

func BenchmarkBuild(b *testing.B) {
	cases := []struct {
		name string
		c    network.Connector
	}{
		{"all_to_all", network.Connector{Type: network.AllToAll, AllowSelf: true}},
		{"fixed_probability=0.1", network.Connector{Type: network.FixedProbability, PConnect: 0.1, AllowSelf: true}},
		{"fixed_number_pre=100", network.Connector{Type: network.FixedNumberPre, N: 100, AllowSelf: true}},
	}
	syn := static(1, 1)
	syn.Weight = network.Value{Distribution: network.DistUniform, Low: 0, High: 1}
	for _, c := range cases {
		b.Run(c.name+"/neurons=1000", func(b *testing.B) {
			rng := newRNG(1)
			n := 0
			for b.Loop() {
				out, err := Build(c.c, syn, 1000, 1000, false, 1, 16, rng)
				if err != nil {
					b.Fatal(err)
				}
				n += len(out)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "synapses/s")
		})
	}
}

// sortPairs gives exactly what a stable sort by (pre, post) gives,
// duplicates in their generation order.
func TestSortPairsIsStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for trial := range 50 {
		nPre := 1 + rng.IntN(40)
		ps := make([]pair, rng.IntN(500))
		for i := range ps {
			ps[i] = pair{pre: int32(rng.IntN(nPre)), post: int32(rng.IntN(30)), row: int32(i)}
		}
		want := slices.Clone(ps)
		slices.SortStableFunc(want, comparePairs)
		assert.Equal(t, want, sortPairs(ps, nPre), "trial %d", trial)
	}
}

// sortBelow gives what slices.Sort gives, for values spread over ranges
// narrower and wider than its buckets, with and without duplicates, and
// for inputs too small to be bucketed.
func TestSortBelow(t *testing.T) {
	rng := newRNG(9)
	for _, c := range []struct{ n, m int }{
		{100, 50}, {1 << 16, 3}, {1 << 16, 1000}, {200_000, 1 << 20}, {300_000, 4_276_624}, {70_000, 1 << 40},
	} {
		a := make([]int, c.n)
		for i := range a {
			a[i] = rng.IntN(c.m)
		}
		want := slices.Clone(a)
		slices.Sort(want)
		sortBelow(a, c.m)
		require.Equal(t, want, a, "n %d, m %d", c.n, c.m)
	}
}

func BenchmarkSortBelow(b *testing.B) {
	// The microcircuit's largest projection at S = K = 0.1: 454,932 of
	// 2068 × 2068 pairs.
	const n, m = 454_932, 2068 * 2068
	rng := newRNG(10)
	src := make([]int, n)
	for i := range src {
		src[i] = rng.IntN(m)
	}
	a := make([]int, n)
	for _, f := range []struct {
		name string
		sort func([]int)
	}{{"slices.Sort", slices.Sort[[]int]}, {"sortBelow", func(a []int) { sortBelow(a, m) }}} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				copy(a, src)
				f.sort(a)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "M/s")
		})
	}
}

// Floyd's algorithm with its chosen numbers in a bit set (sample, for
// ranges up to 64 Ki) draws the very numbers it draws with them in a map,
// as it did before: the same draws, the same duplicates replaced.
func TestSampleFloydBitSetMatchesMap(t *testing.T) {
	floydMap := func(rng *rand.Rand, m, n int) []int {
		out := make([]int, 0, n)
		chosen := map[int]struct{}{}
		for j := m - n; j < m; j++ {
			v := rng.IntN(j + 1)
			if _, dup := chosen[v]; dup {
				v = j
			}
			chosen[v] = struct{}{}
			out = append(out, v)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct{ m, n int }{{10, 2}, {1000, 100}, {1000, 249}, {65536, 5000}, {64*1024 + 1, 300}} {
		for seed := range uint64(5) {
			got := sample(newRNG(seed), c.m, c.n, false)
			require.Equal(t, floydMap(newRNG(seed), c.m, c.n), got, "m %d, n %d, seed %d", c.m, c.n, seed)
		}
	}
}
