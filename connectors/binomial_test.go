package connectors

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Values from scipy 1.10.1 (Debian's python3-scipy), binom.ppf(q, n, p),
// with q written as Python evaluates it. The first one was also checked with
// exact rational arithmetic (Python fractions, math.comb): for
// X ~ Binomial(100, 0.1), P(X ≤ 22) = 0.99988584… < 0.9999 and
// P(X ≤ 23) = 0.99996036… ≥ 0.9999, so the quantile is 23, not 22.
func TestBinomPPFScipy(t *testing.T) {
	cases := []struct {
		q    float64
		n    int
		p    float64
		want int
	}{
		{0.9999, 100, 0.1, 23},
		{0.9999, 5, 0.0, 0},
		{0.9999, 5, 1.0, 5},
		{0.5, 10, 0.5, 5},
		{0.1, 1000, 0.3, 281},
		{1e-06, 1000, 0.3, 233},
		{0.99, 1, 0.5, 1},
		{0.999999, 1000000, 0.001, 1154},
		{0.25, 100000, 0.5, 49893},
		{1 - 1e-4/10000, 100, 0.1, 30},
		{1 - 1e-5/10000, 100, 0.01, 11},
		{1 - 0.01/1000, 1000, 0.01, 26},
		{1 - 0.01/50, 50, 0.1, 14},
		{0.9999, 10, 0.99, 10},
		{1 - 1e-4/(1000*1000), 1000, 0.05, 99},
		{1 - 1e-4/(10000*10000), 10000, 0.5, 5352},
		{0.3, 7, 0.2, 1},
		// P(X ≤ 6759) is 2.2e-17 below q exactly, but rounds to q in float64.
		{0.9999999999998, 10000, 0.6414127668477589, 6759},
		// Exact ties and near ties.
		{0.5, 7, 0.5, 3},
		{0.01, 2, 0.9, 1},
		{0.0, 10, 0.3, -1},
		{1.0, 10, 0.3, 10},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("q=%v/n=%d/p=%v", c.q, c.n, c.p), func(t *testing.T) {
			assert.Equal(t, c.want, BinomPPF(c.q, c.n, c.p))
		})
	}
}

// exactPPF is the quantile by exact rational arithmetic: the smallest k with
// float64(P(X ≤ k)) ≥ q, where p and q are the exact values of the float64s
// and the distribution function is rounded to the nearest float64, as scipy
// compares it.
func exactPPF(q float64, n int, p float64) int {
	pr := new(big.Rat).SetFloat64(p)
	one := big.NewRat(1, 1)
	pc := new(big.Rat).Sub(one, pr)
	cdf := new(big.Rat)
	for k := 0; k <= n; k++ {
		term := new(big.Rat).SetInt(new(big.Int).Binomial(int64(n), int64(k)))
		for range k {
			term.Mul(term, pr)
		}
		for range n - k {
			term.Mul(term, pc)
		}
		cdf.Add(cdf, term)
		if f, _ := cdf.Float64(); f >= q {
			return k
		}
	}
	return n
}

// Both branches (lower tail for q ≤ 1/2, upper tail above) against exact
// arithmetic on a grid, including quantiles far out in either tail and q one
// float64 step below 1.
func TestBinomPPFExact(t *testing.T) {
	qs := []float64{1e-15, 1e-9, 1e-4, 0.01, 0.2, 0.4999, 0.5, 0.5001, 0.8, 0.99,
		0.9999, 1 - 1e-9, 1 - 1e-12, 1 - 0x1p-53}
	for _, n := range []int{1, 2, 7, 20, 41} {
		for _, p := range []float64{0.001, 0.1, 0.37, 0.5, 0.9, 0.999} {
			for _, q := range qs {
				assert.Equal(t, exactPPF(q, n, p), BinomPPF(q, n, p), "q=%v n=%d p=%v", q, n, p)
			}
		}
	}
}

// Exact ties: q equal to a value of the distribution function. For p = 1/2
// every P(X ≤ k) is a dyadic rational, exact in float64, and scipy returns k
// (binom.ppf(0.5, 7, 0.5) = 3).
func TestBinomPPFTies(t *testing.T) {
	for _, n := range []int{1, 7, 16, 41} {
		cdf := new(big.Rat)
		for k := 0; k < n; k++ {
			term := new(big.Rat).SetFrac(new(big.Int).Binomial(int64(n), int64(k)), new(big.Int).Lsh(big.NewInt(1), uint(n)))
			cdf.Add(cdf, term)
			q, exact := cdf.Float64()
			if !exact {
				continue
			}
			assert.Equal(t, k, BinomPPF(q, n, 0.5), "n=%d q=P(X<=%d)=%v", n, k, q)
		}
	}
}

func TestBinomPPFPanicsOutOfRange(t *testing.T) {
	assert.Panics(t, func() { BinomPPF(1.5, 10, 0.5) })
	assert.Panics(t, func() { BinomPPF(0.5, -1, 0.5) })
	assert.Panics(t, func() { BinomPPF(0.5, 10, -0.1) })
}

func BenchmarkBinomPPF(b *testing.B) {
	for _, n := range []int{100, 10000, 1000000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				BinomPPF(1-1e-4/float64(n)/float64(n), n, 0.1)
			}
		})
	}
}
