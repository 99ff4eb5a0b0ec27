package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJKISSKnownValues checks the generator against a published JKISS test
// vector: every 1024th output of the original C implementation from the
// default seed (as listed in Mono's System.Random tests, whose JKISS uses the
// same seed), and the first outputs, re-computed independently with
// arbitrary-precision integers.
func TestJKISSKnownValues(t *testing.T) {
	every1024 := map[int]uint32{
		0: 560241513, 1024: 1281708802, 2048: 1571324528, 3072: 1565809406,
		4096: 1010890569, 32768: 729001311, 64512: 1833282169, 65536: 61543407,
	}
	first := []uint32{560241513, 2602615593, 2542353780, 3322652092, 2306311670, 3473025722, 4103263712, 718504230}
	s := JKISSDefaultSeed
	for i := 0; i <= 65536; i++ {
		u := s.Next()
		if i < len(first) {
			require.Equal(t, first[i], u, "output %d", i)
		}
		if want, ok := every1024[i]; ok {
			require.Equal(t, want, u, "output %d", i)
		}
	}
	// A million outputs on (the same independent re-computation).
	s = JKISSDefaultSeed
	var u uint32
	for range 1000000 {
		u = s.Next()
	}
	assert.Equal(t, uint32(2277673673), u, "output 999999")
	assert.Equal(t, uint32(673823232), s.Next(), "output 1000000")
	assert.Equal(t, JKISS{1467351304, 3043666018, 457773206, 75507403}, s, "state after 1000001 outputs")
}

func TestJKISSValidate(t *testing.T) {
	s := JKISS{1, 0, 0, 0}
	s.Validate()
	assert.Equal(t, JKISS{1, 13031301, 0, 1}, s, "y = 0 replaced, c = 0 becomes 1")
	s = JKISS{1, 2, 3, 698769068 + 5}
	s.Validate()
	assert.Equal(t, JKISS{1, 2, 3, 6}, s)
	s = JKISS{1, 2, 3, math.MaxUint32}
	s.Validate()
	assert.Less(t, s[3], uint32(698769069))
	assert.NotZero(t, s[3])
}

// TestJKISSRandInt: rand_int(m) = floor(m·u/2^32), always in [0, m), and it
// consumes one output even for m = 0 or 1.
func TestJKISSRandInt(t *testing.T) {
	a, b := JKISSDefaultSeed, JKISSDefaultSeed
	for _, m := range []uint32{0, 1, 2, 7, 49, 65535, math.MaxUint32} {
		for range 1000 {
			u := b.Next()
			r := a.RandInt(m)
			require.Equal(t, uint32(uint64(m)*uint64(u)>>32), r)
			if m > 0 {
				require.Less(t, r, m)
			}
		}
	}
	assert.Equal(t, a, b, "one output per draw")
	c := JKISSDefaultSeed
	assert.Equal(t, float64(560241513)/4294967296, c.Float())
}

// TestJKISSUniform: chi-square over 256 equal bins of the top byte and over
// the 49 values of RandInt(49) (the guide's population size), from fixed
// seeds; the bounds are the mean plus 6 standard deviations of the
// chi-square distribution (k−1 degrees of freedom: mean k−1, variance
// 2(k−1)), so a correct generator passes with certainty in practice, and a
// biased one (a stuck bit, a wrong shift) fails by orders of magnitude.
func TestJKISSUniform(t *testing.T) {
	chi2 := func(counts []int, n int) float64 {
		e := float64(n) / float64(len(counts))
		var x float64
		for _, c := range counts {
			d := float64(c) - e
			x += d * d / e
		}
		return x
	}
	bound := func(k int) float64 { return float64(k-1) + 6*math.Sqrt(2*float64(k-1)) }
	const n = 1 << 20
	for _, seed := range []JKISS{JKISSDefaultSeed, KISSSeed(1, "test"), KISSSeed(2, "test")} {
		s := seed
		bytes := make([]int, 256)
		low := make([]int, 256)
		for range n {
			u := s.Next()
			bytes[u>>24]++
			low[u&0xFF]++
		}
		assert.Less(t, chi2(bytes, n), bound(256), "top byte")
		assert.Less(t, chi2(low, n), bound(256), "low byte")
		draws := make([]int, 49)
		for range n {
			draws[s.RandInt(49)]++
		}
		assert.Less(t, chi2(draws, n), bound(49), "RandInt(49)")
	}
}

// TestJKISSNoShortCycle: the state never comes back within ten million
// steps (the generator's period is about 2^127; its x part alone has period
// 2^32), and successive outputs are not correlated at lag one.
func TestJKISSNoShortCycle(t *testing.T) {
	if testing.Short() {
		t.Skip("ten million steps")
	}
	s := KISSSeed(7, "cycle")
	start := s
	var sum, sumLag, prevF float64
	const n = 10_000_000
	for i := range n {
		f := float64(s.Next())*0x1p-32 - 0.5
		if s == start {
			t.Fatalf("state repeats after %d steps", i+1)
		}
		sum += f
		sumLag += f * prevF
		prevF = f
	}
	// Mean 0 ± 1/sqrt(12n); lag-1 product mean 0 ± 1/(12 sqrt(n)); 6 sd.
	assert.Less(t, math.Abs(sum/n), 6/math.Sqrt(12*n))
	assert.Less(t, math.Abs(sumLag/n), 6/(12*math.Sqrt(n)))
}

// TestRewiringSeeds: the same run seed and names give the same seeds, any
// change gives others; every seed is valid.
func TestRewiringSeeds(t *testing.T) {
	sh, lo := RewiringSeeds(1, "post 0", 0)
	sh2, lo2 := RewiringSeeds(1, "post 0", 0)
	assert.Equal(t, sh, sh2)
	assert.Equal(t, lo, lo2)
	assert.NotEqual(t, sh, lo, "shared and local streams differ")

	seen := map[JKISS]string{}
	for _, run := range []uint64{0, 1, 2, 1 << 63} {
		for _, post := range []string{"post 0", "post 1", "a/b"} {
			for _, l := range []int{0, 1, 256} {
				s, loc := RewiringSeeds(run, post, l)
				for _, k := range []JKISS{s, loc} {
					assert.NotZero(t, k[1], "y ≠ 0")
					assert.True(t, k[3] >= 1 && k[3] <= jkissCMax, "c in [1, %d]", jkissCMax)
				}
				name := LocalSeedName(post, l)
				if prev, dup := seen[loc]; dup {
					t.Fatalf("local seed of %s equals %s", name, prev)
				}
				seen[loc] = name
			}
			seen[KISSSeed(run, SharedSeedName(post))] = SharedSeedName(post)
		}
	}
	assert.Equal(t, "rewiring/shared/post 0", SharedSeedName("post 0"))
	assert.Equal(t, "rewiring/local/post 0/49", LocalSeedName("post 0", 49))
}
