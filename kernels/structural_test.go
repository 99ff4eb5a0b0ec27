package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The guide's third example (reference §3.3): 7 × 7 grid, forward p 0.16
// σ 0.5, lateral p 1 σ 1, elimination 0.2 / 0.2 at threshold 0.5, weight
// scale 4096 (k = 3).
var guideFormation = DistanceDependentFormation{GridX: 7, GridY: 7,
	PFormForward: 0.16, SigmaFormForward: 0.5, PFormLateral: 1, SigmaFormLateral: 1}

func TestGuideTablesAndEncodings(t *testing.T) {
	f := guideFormation.Fixed()
	assert.Equal(t, []uint16{10485, 1419, 192, 25, 3, 0}, f.FF)
	assert.Equal(t, []uint16{65535, 39748, 24108, 14622, 8869, 5379, 3262, 1978, 1200, 728, 441, 267,
		162, 98, 59, 36, 21, 13, 8, 0}, f.Lat)
	assert.Equal(t, 18, MaxSquaredDistance(7, 7))
	assert.Equal(t, uint32(7), f.GridX)
	assert.Equal(t, uint32(306783378), f.RecipX, "round(2^31/7)")
	assert.Equal(t, f.RecipX, f.RecipY)

	e := RandomByWeightElimination{Threshold: 0.5, ProbDepressed: 0.2, ProbPotentiated: 0.2}.Fixed(4096)
	assert.Equal(t, EliminationFixed{ProbDepressed: 858993459, ProbPotentiated: 858993459, Threshold: 2048}, e)
	assert.Equal(t, uint32(2048), InitialWeightWord(0.5, 4096))
	lo, hi := InitialDelayTicks(10, 10, 1)
	assert.Equal(t, [2]uint32{10, 10}, [2]uint32{lo, hi})
	assert.Equal(t, RewiringSchedule{Fast: true, Count: 10}, NewRewiringSchedule(1e4, 1000))
}

func TestEncodings(t *testing.T) {
	assert.Equal(t, uint32(0), GridReciprocal(1), "1/1 is not an S0.31 value: 0")
	assert.Equal(t, uint32(1<<30), GridReciprocal(2))
	assert.Equal(t, uint32(715827883), GridReciprocal(3), "2^31/3 = 715827882.67, rounded")
	assert.Equal(t, uint32(0xFFFFFFFF), ProbabilityWord(1))
	assert.Equal(t, uint32(0), ProbabilityWord(0))
	assert.Equal(t, uint32(105226698), ProbabilityWord(0.0245), "sPyNNaker's default prob_elim_depressed")
	assert.Equal(t, uint32(584115), ProbabilityWord(1.36e-4), "and prob_elim_potentiated")
	assert.Equal(t, uint32(4095), ThresholdWord(0.49999, 8192), "truncated, not rounded")
	assert.Equal(t, uint32(2), InitialWeightWord(2.5, 1), "half to even")
	assert.Equal(t, uint32(4), InitialWeightWord(3.5, 1))
	lo, hi := InitialDelayTicks(0.3, 2.55, 0.1)
	assert.Equal(t, [2]uint32{3, 25}, [2]uint32{lo, hi}, "truncated ticks")
}

// TestRewiringSchedule: fast and slow modes as sPyNNaker's host computes
// them, and the slow clock's first attempt on the Count-th tick.
func TestRewiringSchedule(t *testing.T) {
	for _, c := range []struct {
		fRew float64
		hUs  uint32
		want RewiringSchedule
	}{
		{1e4, 1000, RewiringSchedule{true, 10}},
		{7000, 1000, RewiringSchedule{true, 7}},
		{3000, 1000, RewiringSchedule{true, 3}},
		{1000, 1000, RewiringSchedule{false, 1}}, // p = h: slow, every tick
		{999, 1000, RewiringSchedule{false, 1}},
		{500, 1000, RewiringSchedule{false, 2}},
		{333.3, 1000, RewiringSchedule{false, 3}},
		{1e4, 100, RewiringSchedule{false, 1}},
		{1e5, 100, RewiringSchedule{true, 10}},
	} {
		assert.Equal(t, c.want, NewRewiringSchedule(c.fRew, c.hUs), "f_rew %g, h %d µs", c.fRew, c.hUs)
	}
	clock := RewiringClock{RewiringSchedule: RewiringSchedule{Count: 3}}
	var at []int
	for tick := range 10 {
		if n := clock.Attempts(); n > 0 {
			require.Equal(t, uint32(1), n)
			at = append(at, tick)
		}
	}
	assert.Equal(t, []int{2, 5, 8}, at)
	fast := RewiringClock{RewiringSchedule: RewiringSchedule{true, 10}}
	assert.Equal(t, uint32(10), fast.Attempts())
	assert.Equal(t, uint32(10), fast.Attempts())
}

// pythonMaxSquaredDistance is sPyNNaker's host loop written out literally:
// pre and post positions over a (gx², gy²) array, the wrap once per axis.
func pythonMaxSquaredDistance(gx, gy int) int {
	best := 0
	for row := range gx * gx {
		for col := range gy * gy {
			var pre, post [2]int
			if gx > 1 {
				pre = [2]int{row / gx, row % gy}
				post = [2]int{col / gx, col % gy}
			} else {
				pre = [2]int{0, row % gy}
				post = [2]int{0, col % gy}
			}
			d2 := 0
			for a, g := range []int{gx, gy} {
				d := pre[a] - post[a]
				if d < 0 {
					d = -d
				}
				if float64(d) > float64(g)*0.5 {
					d -= g
				}
				d2 += d * d
			}
			best = max(best, d2)
		}
	}
	return best
}

func TestMaxSquaredDistance(t *testing.T) {
	for gx := 1; gx <= 9; gx++ {
		for gy := 1; gy <= 9; gy++ {
			require.Equal(t, pythonMaxSquaredDistance(gx, gy), MaxSquaredDistance(gx, gy), "grid %d × %d", gx, gy)
		}
	}
	for _, g := range [][2]int{{2, 13}, {13, 2}, {3, 16}, {16, 3}, {10, 12}, {12, 10}} {
		require.Equal(t, pythonMaxSquaredDistance(g[0], g[1]), MaxSquaredDistance(g[0], g[1]), "grid %v", g)
	}
	assert.Equal(t, 2*50*50, MaxSquaredDistance(100, 100))
	assert.Equal(t, 5000*5000, MaxSquaredDistance(1, 10000))
}

// TestFormationTableLength: the table covers d² up to the length numpy's
// arange gives for sqrt(d²_max)² + 1, zeros dropped, padded to even.
func TestFormationTableLength(t *testing.T) {
	// 2 × 2: d²_max = 2 and sqrt(2)² = 2.0000000000000004, so d² = 0…3.
	tab := FormationTable(2, 2, 1, 10.5)
	require.Len(t, tab, 4)
	for d, q := range tab {
		assert.Equal(t, uint16(math.Exp(-float64(d)/(2*10.5*10.5))*MaxShort), q, "d² = %d", d)
	}
	assert.Equal(t, uint16(65535), tab[0])
	// 7 × 7: d²_max = 18, sqrt(18)² = 17.999999999999996, so d² = 0…18.
	assert.Len(t, FormationTable(7, 7, 1, 100), 20, "19 entries, padded to even")
	assert.Len(t, FormationTable(7, 7, 0, 1), 0, "p = 0: every entry dropped")
	assert.Len(t, FormationTable(1, 5, 1, 1), 6, "d² = 0…4 (sqrt(4)² = 4), 5 entries, padded")
}

// TestFixedGridQuirk: the chip's positions with the halved reciprocal, and
// distances that differ from the intended grid's.
func TestFixedGridQuirk(t *testing.T) {
	f := guideFormation.Fixed()
	for _, c := range []struct{ id, x, y uint32 }{
		// R = 306783378 is just under 2^32/14, so x steps at 15, 29, 43 (not 14, 28, 42).
		{0, 0, 0}, {6, 0, 6}, {7, 0, 7}, {13, 0, 13}, {14, 0, 14}, {15, 1, 8}, {27, 1, 20}, {28, 1, 21},
		{29, 2, 15}, {42, 2, 28}, {48, 3, 27},
	} {
		x, y := f.Coord(c.id)
		assert.Equal(t, [2]uint32{c.x, c.y}, [2]uint32{x, y}, "neuron %d", c.id)
	}
	for _, c := range []struct {
		pre, post     uint32
		fixed, intent int
	}{
		{0, 0, 0, 0},
		{4, 0, 9, 9},    // dy 4 → 4 − 7 wraps in uint32, squares to 9
		{7, 0, 0, 1},    // the chip puts 7 on top of 0; the grid a row below
		{13, 0, 36, 2},  // dy 13 → 6; intended (1, 6) against (0, 0)
		{14, 0, 49, 4},  // dy 14 → 7; intended (2, 0)
		{48, 0, 409, 2}, // (3, 27): dx 3 stays, dy 27 → 20; intended (6, 6)
		{0, 48, 409, 2},
	} {
		assert.Equal(t, uint32(c.fixed), f.SquaredDistance(c.pre, c.post), "fixed d²(%d, %d)", c.pre, c.post)
		assert.Equal(t, c.intent, guideFormation.SquaredDistance(int(c.pre), int(c.post)), "intended d²(%d, %d)", c.pre, c.post)
	}
	// A one-wide axis is 0 on the chip.
	line := DistanceDependentFormation{GridX: 1, GridY: 5, PFormForward: 1, SigmaFormForward: 1}.Fixed()
	x, y := line.Coord(3)
	assert.Equal(t, uint32(0), x)
	assert.Equal(t, uint32(3), y, "id − 5·floor(3·R/2^32) with R = round(2^31/5)")
	assert.Equal(t, uint32(4), line.SquaredDistance(0, 3), "dy 3 > 2 → −2")
}

// TestFormDeterministic: sPyNNaker's deterministic case at the kernel level.
// With formation probability 1 and a spread large enough that every table
// entry is 65535, every (pre, post) pair of a 4-neuron source onto a 2 × 2
// grid forms; at d² = 0 an entry of 65535 always forms; past the table
// nothing forms and no draw is consumed.
func TestFormDeterministic(t *testing.T) {
	f := DistanceDependentFormation{GridX: 2, GridY: 2, PFormForward: 1, SigmaFormForward: 1e9,
		PFormLateral: 1, SigmaFormLateral: 1e9}.Fixed()
	require.Equal(t, []uint16{65535, 65535, 65535, 65535}, f.FF)
	rng := KISSSeed(1, "deterministic")
	for pre := range uint32(4) {
		for post := range uint32(4) {
			for range 1000 {
				require.True(t, f.Form(f.SquaredDistance(pre, post), false, &rng))
				require.True(t, f.Form(f.SquaredDistance(pre, post), true, &rng))
			}
		}
	}
	guide := guideFormation.Fixed()
	before := rng
	assert.False(t, guide.Form(6, false, &rng), "past the forward table")
	assert.False(t, guide.Form(1<<31, true, &rng))
	assert.Equal(t, before, rng, "no draw past the table")
	for range 10000 {
		require.True(t, guide.Form(0, true, &rng), "lateral d² = 0: 65535")
	}
	fl := DistanceDependentFormation{GridX: 2, GridY: 2, PFormForward: 1, SigmaFormForward: 1}
	for range 10000 {
		require.True(t, fl.Form(0, false, &rng), "float: probability 1")
	}
}

// binomialOK reports whether k successes in n trials fit probability p within
// 5 standard deviations (exactly, when p is 0 or 1).
func binomialOK(k, n int, p float64) bool {
	mean := float64(n) * p
	sd := math.Sqrt(float64(n) * p * (1 - p))
	return math.Abs(float64(k)-mean) <= 5*sd+1e-9
}

// chipFormProbability is the exact probability that RandInt(65535) ≤ q for a
// uniform 32-bit output u: u < (q+1)·2^32/65535.
func chipFormProbability(q uint16) float64 {
	if uint32(q) >= MaxShort-1 {
		return 1
	}
	n := math.Ceil(float64(uint64(q)+1) * 0x1p32 / MaxShort)
	return n * 0x1p-32
}

// TestFormationStatistics: over many attempts the formation frequency at each
// squared distance matches the table (fixed) or p·exp(−d²/(2σ²)) (float),
// within binomial bounds (5 sd, fixed seeds). The attempts are drawn as the
// chip draws them: random pre and post neurons of the guide's 7 × 7 grid, d²
// by the chip's (or the intended) geometry, and the decision.
func TestFormationStatistics(t *testing.T) {
	const n = 400000
	for _, lateral := range []bool{false, true} {
		f := guideFormation.Fixed()
		table := f.FF
		if lateral {
			table = f.Lat
		}
		rng := KISSSeed(11, "formation statistics")
		tried := map[uint32]int{}
		formed := map[uint32]int{}
		for range n {
			pre, post := rng.RandInt(49), rng.RandInt(49)
			d := f.SquaredDistance(pre, post)
			tried[d]++
			if f.Form(d, lateral, &rng) {
				formed[d]++
			}
		}
		for d, k := range tried {
			if int(d) >= len(table) {
				assert.Zero(t, formed[d], "d² %d is past the table", d)
				continue
			}
			p := chipFormProbability(table[d])
			assert.True(t, binomialOK(formed[d], k, p), "fixed lateral=%v d²=%d: %d of %d, want p=%.5f", lateral, d, formed[d], k, p)
		}

		rng = KISSSeed(12, "formation statistics float")
		triedF := map[int]int{}
		formedF := map[int]int{}
		for range n {
			pre, post := int(rng.RandInt(49)), int(rng.RandInt(49))
			d := guideFormation.SquaredDistance(pre, post)
			triedF[d]++
			if guideFormation.Form(d, lateral, &rng) {
				formedF[d]++
			}
		}
		require.Len(t, triedF, 10, "the intended 7 × 7 torus has d² in {0,1,2,4,5,8,9,10,13,18}")
		for d, k := range triedF {
			p := guideFormation.Probability(d, lateral)
			assert.True(t, binomialOK(formedF[d], k, p), "float lateral=%v d²=%d: %d of %d, want p=%.5f", lateral, d, formedF[d], k, p)
		}
	}
	// Every table entry on its own, with many trials: an entry q forms with
	// probability ≈ (q+1)/65535 (the "≤"), so even q = 0 forms sometimes.
	rng := KISSSeed(13, "per entry")
	f := FormationFixed{FF: []uint16{65535, 40000, 10485, 1419, 192, 25, 3, 0}}
	for d, q := range f.FF {
		k := 0
		const m = 2000000
		for range m {
			if f.Form(uint32(d), false, &rng) {
				k++
			}
		}
		p := chipFormProbability(q)
		assert.True(t, binomialOK(k, m, p), "entry %d: %d of %d, want p=%.7f", q, k, m, p)
		if q == 0 {
			assert.Positive(t, k, "q = 0 still forms with r = 0")
		}
	}
}

// TestEliminationDeterministic: with elimination probability 1 every synapse
// goes, whatever its weight; with 0 (float) none does.
func TestEliminationDeterministic(t *testing.T) {
	rng := KISSSeed(2, "elimination")
	all := RandomByWeightElimination{Threshold: 0.5, ProbDepressed: 1, ProbPotentiated: 1}
	e := all.Fixed(4096)
	for w := range 1 << 16 {
		require.True(t, e.Eliminate(uint16(w), &rng), "w %d", w)
	}
	for _, w := range []float64{0, 0.49, 0.5, 5} {
		require.True(t, all.Eliminate(w, &rng))
	}
	none := RandomByWeightElimination{Threshold: 0.5}
	for range 100000 {
		require.False(t, none.Eliminate(0.1, &rng))
		require.False(t, none.Eliminate(1, &rng))
	}
}

// TestEliminationStatistics: elimination follows the threshold and its two
// probabilities, within binomial bounds, in both arithmetics. The chip's
// probability for a word P is (P+1)/2^32 (the "≤").
func TestEliminationStatistics(t *testing.T) {
	rule := RandomByWeightElimination{Threshold: 0.5, ProbDepressed: 0.2, ProbPotentiated: 0.05}
	e := rule.Fixed(4096)
	require.Equal(t, uint32(2048), e.Threshold)
	const n = 500000
	rng := KISSSeed(3, "elimination statistics")
	for _, c := range []struct {
		w    uint16
		word uint32
	}{{0, e.ProbDepressed}, {2047, e.ProbDepressed}, {2048, e.ProbPotentiated}, {65535, e.ProbPotentiated}} {
		k := 0
		for range n {
			if e.Eliminate(c.w, &rng) {
				k++
			}
		}
		p := (float64(c.word) + 1) * 0x1p-32
		assert.True(t, binomialOK(k, n, p), "w %d: %d of %d, want %.6f", c.w, k, n, p)
	}
	for _, c := range []struct{ w, p float64 }{{0, 0.2}, {0.4999, 0.2}, {0.5, 0.05}, {3, 0.05}} {
		k := 0
		for range n {
			if rule.Eliminate(c.w, &rng) {
				k++
			}
		}
		assert.True(t, binomialOK(k, n, c.p), "float w %g: %d of %d, want %g", c.w, k, n, c.p)
	}
}

// TestRandomSelection: the chip's ≥ gives the first slice one value of n too
// many and the last one too few; the float selection is uniform over all
// neurons. Three draws either way.
func TestRandomSelection(t *testing.T) {
	slices := [][]uint32{{32, 17}, {5}}
	const n = 600000
	check := func(sel func(*JKISS, [][]uint32) (uint32, uint32, uint32), pSub0 float64) {
		rng := KISSSeed(4, "random selection")
		var pops [2]int
		var subs [2]int
		neurons := make([]int, 32)
		for range n {
			before := rng
			pop, sub, neuron := sel(&rng, slices)
			b := before
			b.Next()
			b.Next()
			b.Next()
			if b != rng || neuron >= slices[pop][sub] {
				t.Fatalf("not three draws, or neuron %d out of slice %d of pop %d", neuron, sub, pop)
			}
			pops[pop]++
			if pop == 0 {
				subs[sub]++
				if sub == 0 {
					neurons[neuron]++
				}
			}
		}
		assert.True(t, binomialOK(pops[0], n, 0.5), "pop 0: %d", pops[0])
		assert.True(t, binomialOK(subs[0], pops[0], pSub0), "sub 0: %d of %d, want %g", subs[0], pops[0], pSub0)
		for i, k := range neurons {
			assert.True(t, binomialOK(k, subs[0], 1.0/32), "neuron %d of sub 0: %d of %d", i, k, subs[0])
		}
	}
	check(RandomSelection, 33.0/49)
	check(RandomSelectionFloat, 32.0/49)
}

// TestLastSpikes: a uniform pick among last tick's spikes, the size limit,
// and the chip's stale buffer after a tick without spikes.
func TestLastSpikes(t *testing.T) {
	b := NewLastSpikes[int](3)
	rng := KISSSeed(5, "last spikes")
	before := rng
	_, ok := b.Choose(1, &rng)
	assert.False(t, ok, "nothing received")
	assert.Equal(t, before, rng, "no draw")

	for _, s := range []int{10, 11, 12, 13} { // 13 is over the size
		b.Received(4, s)
	}
	counts := map[int]int{}
	for range 30000 {
		s, ok := b.Choose(5, &rng)
		require.True(t, ok)
		counts[s]++
	}
	assert.Len(t, counts, 3)
	for s, k := range counts {
		assert.True(t, binomialOK(k, 30000, 1.0/3), "spike %d: %d", s, k)
	}
	_, ok = b.Choose(6, &rng)
	assert.False(t, ok, "tick 5 had no spikes")

	// Tick 5 and 6 see no spikes; at tick 7 the chip still picks from
	// tick 4's buffer (same parity), the float arithmetic does not.
	s, ok := b.Choose(7, &rng)
	assert.True(t, ok, "stale buffer")
	assert.Contains(t, []int{10, 11, 12}, s)
	_, ok = b.ChooseFloat(7, &rng)
	assert.False(t, ok)
	_, ok = b.ChooseFloat(5, &rng)
	assert.True(t, ok)
	b.Received(6, 20)
	s, ok = b.ChooseFloat(7, &rng)
	assert.True(t, ok)
	assert.Equal(t, 20, s)
	b.Received(8, 30) // clears tick 6's buffer
	_, ok = b.Choose(9, &rng)
	assert.True(t, ok)
	s, _ = b.Choose(9, &rng)
	assert.Equal(t, 30, s)
}

func TestDraws(t *testing.T) {
	rng := KISSSeed(6, "draws")
	before := rng
	assert.Equal(t, uint32(10), DrawDelay(&rng, 10, 10))
	assert.NotEqual(t, before, rng, "a draw is consumed even when lo = hi")
	seen := map[uint32]int{}
	seenF := map[uint32]int{}
	for range 10000 {
		seen[DrawDelay(&rng, 3, 6)]++
		seenF[DrawDelayFloat(&rng, 3, 6)]++
	}
	assert.Len(t, seen, 3, "[3, 6): never 6")
	assert.Zero(t, seen[6])
	assert.Len(t, seenF, 4, "[3, 6]")

	shared := KISSSeed(6, SharedSeedName("post"))
	a, b := shared, shared
	hits := 0
	for range 1000 {
		pa, mine := DrawPost(&a, 49, 0, 24)
		pb, mineB := DrawPost(&b, 49, 25, 48)
		require.NotEqual(t, mine, mineB, "exactly one of two slices holds the post neuron")
		if mine {
			require.Less(t, pa, uint32(25))
			hits++
		} else {
			require.Less(t, pb, uint32(24))
		}
	}
	assert.Equal(t, a, b, "every core draws the same")
	assert.True(t, binomialOK(hits, 1000, 25.0/49))
	l := KISSSeed(6, "slot")
	for range 1000 {
		require.Less(t, DrawSlot(&l, 64), uint32(64))
	}
}

func TestPostToPre(t *testing.T) {
	tab := NewPostToPre(2, 4)
	assert.True(t, tab.Slot(1, 3).Empty())
	require.NoError(t, tab.Init(0, []PostToPreEntry{{Pop: 0, Sub: 1, Neuron: 5}, {Neuron: 7}}))
	assert.Equal(t, []PostToPreEntry{{Neuron: EmptySlot}, {Neuron: EmptySlot}, {Sub: 1, Neuron: 5}, {Neuron: 7}}, tab.Row(0),
		"right-aligned")
	err := tab.Init(1, make([]PostToPreEntry, 5))
	assert.ErrorIs(t, err, ErrTooManyInitial)
	*tab.Slot(1, 0) = PostToPreEntry{Pop: 1, Neuron: 3}
	assert.False(t, tab.Row(1)[0].Empty())
	tab.Slot(1, 0).Neuron = EmptySlot
	assert.True(t, tab.Row(1)[0].Empty())
}
