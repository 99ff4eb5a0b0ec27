package connectors

import (
	"fmt"
	"math"
	"math/big"
	"sort"
)

// precisePrec is the mantissa size, in bits, of the sums that settle close
// calls.
const precisePrec = 256

// tailSlack is how far (in natural log units) below the target probability a
// binomial tail must be before BinomPPF leaves it out of its sums: e^-36 is
// about 2.3e-16 of the target, below what a float64 comparison resolves.
const tailSlack = 36

// BinomPPF is the quantile (percent-point) function of the binomial
// distribution, as scipy.stats.binom.ppf(q, n, p) gives it: the smallest k in
// 0..n with P(X ≤ k) ≥ q for X ~ Binomial(n, p), where P(X ≤ k) is taken as
// a float64 (correctly rounded), as scipy computes and compares it. As in
// scipy, q = 0 gives -1 and q = 1 gives n (the ends of the support, whatever
// p is).
//
// The rounding matters only near 1: for q = 1 − 2e-13 (n = 10000,
// p = 0.6414127668477589) the exact P(X ≤ 6759) is 2.2e-17 short of q, less
// than half a float64 step there, so scipy, and this, answer 6759 where exact
// arithmetic would answer 6760. Exact ties (binom.ppf(0.5, 7, 0.5) = 3, where
// P(X ≤ 3) is exactly 1/2) come out as in scipy too.
//
// How: probabilities are computed in float64 from logs (math.Lgamma) and
// summed from the small end of the tail that decides the answer: the lower
// tail P(X ≤ k) against q when q ≤ 1/2, the upper tail P(X > k) against
// 1 − q (exact in float64 for q ≥ 1/2) when q > 1/2, so q = 1 − 1e-12 is
// resolved as finely as q = 1e-12. Tails below e^-36 of the target are
// skipped, so the cost is a few standard deviations' worth of terms whatever
// n is. A sum too close to its target for its float64 error to decide
// (relative 1e-12 plus the rounding error of the log-space terms, which grows
// with n, plus one float64 step at the target) is summed again in 256-bit
// floating point and rounded as scipy's would be.
//
// Checked against scipy 1.10.1 on 10,000 random cases (n up to 10⁶, 1 − q
// down to 10⁻¹⁵, and the sizes sPyNNaker's n_conn_max estimates use): it
// differs in 5, all with 1 − q < 3e-15, where scipy's own float64 distribution
// function (Boost's) is off by more than a float64 step. Comparing the exact
// P(X ≤ k) with q instead differs from scipy in 111 of 3,000 such cases.
//
// It panics when q or p is outside [0, 1] (or NaN) or n < 0.
func BinomPPF(q float64, n int, p float64) int {
	if !(q >= 0 && q <= 1) || !(p >= 0 && p <= 1) || n < 0 {
		panic(fmt.Sprintf("connectors: BinomPPF(%v, %d, %v): arguments out of range", q, n, p))
	}
	switch {
	case q == 0:
		return -1
	case q == 1:
		return n
	case n == 0 || p == 0:
		return 0
	case p == 1:
		return n
	}
	b := newBinomial(n, p)
	if q > 0.5 {
		return b.upperQuantile(q)
	}
	return b.lowerQuantile(q)
}

// binomial holds the constants of Binomial(n, p) for 0 < p < 1, n ≥ 1.
type binomial struct {
	n            int
	p            float64
	lgN1         float64 // lgamma(n+1)
	logP, logQ   float64 // log p, log(1-p)
	mode         int     // floor((n+1)p), capped at n: pmf rises up to it and falls after it
	oddsP, oddsQ float64 // p/(1-p) and (1-p)/p
	relTol       float64 // relative error bound of float64 tail sums
}

func newBinomial(n int, p float64) binomial {
	lg, _ := math.Lgamma(float64(n) + 1)
	mode := int(math.Floor(float64(n+1) * p))
	if mode > n {
		mode = n
	}
	logP, logQ := math.Log(p), math.Log1p(-p)
	// Each log pmf adds terms as large as about 2·lgamma(n+1) + n·|log p| +
	// n·|log(1−p)|, each with an error of a few ulps; exp turns that absolute
	// error into a relative one. 64 ulps of that size, plus 1e-12 for the
	// summation, is a generous bound.
	scale := 2*lg + float64(n)*(math.Abs(logP)+math.Abs(logQ))
	return binomial{
		n: n, p: p, lgN1: lg,
		logP: logP, logQ: logQ,
		mode:   mode,
		oddsP:  p / (1 - p),
		oddsQ:  (1 - p) / p,
		relTol: 1e-12 + 64*0x1p-52*scale,
	}
}

// logPMF is log P(X = k).
func (b *binomial) logPMF(k int) float64 {
	lk, _ := math.Lgamma(float64(k) + 1)
	lnk, _ := math.Lgamma(float64(b.n-k) + 1)
	return b.lgN1 - lk - lnk + float64(k)*b.logP + float64(b.n-k)*b.logQ
}

func (b *binomial) pmf(k int) float64 { return math.Exp(b.logPMF(k)) }

// logUpperBound bounds log P(X > j) for j ≥ mode. Beyond the mode each term
// is at most r = pmf(j+1)/pmf(j) times the one before (the ratios fall as j
// grows), so P(X > j) ≤ pmf(j)·r/(1−r).
func (b *binomial) logUpperBound(j int) float64 {
	r := float64(b.n-j) / float64(j+1) * b.oddsP
	if r >= 1 {
		return math.Inf(1)
	}
	if r == 0 {
		return math.Inf(-1)
	}
	return b.logPMF(j) + math.Log(r) - math.Log1p(-r)
}

// logLowerBound bounds log P(X < j) for j ≤ mode, the mirror image of
// logUpperBound with s = pmf(j−1)/pmf(j).
func (b *binomial) logLowerBound(j int) float64 {
	s := float64(j) / float64(b.n-j+1) * b.oddsQ
	if s >= 1 {
		return math.Inf(1)
	}
	if s == 0 {
		return math.Inf(-1)
	}
	return b.logPMF(j) + math.Log(s) - math.Log1p(-s)
}

// upperQuantile is the quantile for 1/2 < q < 1: the smallest k with
// float64(1 − P(X > k)) ≥ q.
func (b *binomial) upperQuantile(q float64) int {
	alpha := 1 - q // exact: q ≥ 1/2
	// float64(1 − u) ≥ q holds for u ≤ alpha and fails for u > alpha plus a
	// float64 step at 1; between, and within the sums' error, it takes the
	// precise sum.
	band := b.relTol*alpha + 0x1p-53
	limit := math.Log(alpha) - tailSlack
	// The first j at or above the mode whose upper tail is negligible; j = n
	// always is (its upper tail is empty).
	j0 := b.mode + sort.Search(b.n-b.mode, func(i int) bool {
		return b.logUpperBound(b.mode+i) <= limit
	})
	// k meets the rule (P(X > j0) is negligible); step down while k−1 does.
	// acc is P(X > k), summed from the top down (small terms first).
	acc := 0.0
	k := j0
	var exact *preciseUpper
	for k > 0 {
		next := acc + b.pmf(k) // P(X > k−1)
		var ok bool
		switch {
		case next <= alpha-band:
			ok = true
		case next > alpha+band:
			ok = false
		default:
			if exact == nil {
				exact = b.newPreciseUpper()
			}
			ok = exact.cdfAtLeast(k-1, q)
		}
		if !ok {
			break
		}
		acc = next
		k--
	}
	return k
}

// lowerQuantile is the quantile for 0 < q ≤ 1/2: the smallest k with
// float64(P(X ≤ k)) ≥ q.
func (b *binomial) lowerQuantile(q float64) int {
	band := b.relTol*q + (q - math.Nextafter(q, 0))
	limit := math.Log(q) - tailSlack
	// The last j at or below the mode whose lower tail P(X < j) is
	// negligible; j = 0 always is.
	j0 := max(sort.Search(b.mode+1, func(j int) bool {
		return j > 0 && b.logLowerBound(j) > limit
	})-1, 0)
	acc := 0.0 // P(X ≤ k), summed from the bottom up.
	var exact *preciseLower
	for k := j0; k < b.n; k++ {
		acc += b.pmf(k)
		switch {
		case acc >= q+band:
			return k
		case acc < q-band:
		default:
			if exact == nil {
				exact = b.newPreciseLower()
			}
			if exact.cdfAtLeast(k, q) {
				return k
			}
		}
	}
	return b.n
}

func bigFloat(x float64) *big.Float {
	return new(big.Float).SetPrec(precisePrec).SetFloat64(x)
}

// bigPow is x^k by repeated squaring.
func bigPow(x *big.Float, k int) *big.Float {
	r := bigFloat(1)
	sq := new(big.Float).SetPrec(precisePrec).Set(x)
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			r.Mul(r, sq)
		}
		sq.Mul(sq, sq)
	}
	return r
}

// preciseLower is P(X ≤ k) summed in 256-bit floating point from
// P(X = 0) = (1−p)^n up, each term from the one before by the ratio
// (n−j)/(j+1) · p/(1−p) (p and 1−p are exact at this precision). It moves up
// only, so one quantile search sums each term once.
type preciseLower struct {
	n         int
	k         int        // sum = P(X ≤ k)
	sum, term *big.Float // term = P(X = k)
	odds      *big.Float // p/(1−p)
}

func (b *binomial) newPreciseLower() *preciseLower {
	p := bigFloat(b.p)
	pc := new(big.Float).Sub(bigFloat(1), p)
	term := bigPow(pc, b.n)
	return &preciseLower{n: b.n, k: 0, term: term,
		sum: new(big.Float).SetPrec(precisePrec).Set(term), odds: new(big.Float).Quo(p, pc)}
}

// cdfAtLeast reports whether float64(P(X ≤ k)) ≥ q, for k ≥ the last k asked.
func (s *preciseLower) cdfAtLeast(k int, q float64) bool {
	for ; s.k < k; s.k++ {
		s.term.Mul(s.term, s.odds)
		s.term.Mul(s.term, bigFloat(float64(s.n-s.k)))
		s.term.Quo(s.term, bigFloat(float64(s.k+1)))
		s.sum.Add(s.sum, s.term)
	}
	f, _ := s.sum.Float64() // to nearest, ties to even
	return f >= q
}

// preciseUpper is P(X > k), summed from P(X = n) = p^n down in the same way.
// It moves down only.
type preciseUpper struct {
	n         int
	k         int        // sum = P(X > k)
	sum, term *big.Float // term = P(X = k)
	odds      *big.Float // (1−p)/p
}

func (b *binomial) newPreciseUpper() *preciseUpper {
	p := bigFloat(b.p)
	pc := new(big.Float).Sub(bigFloat(1), p)
	return &preciseUpper{n: b.n, k: b.n, sum: bigFloat(0), term: bigPow(p, b.n),
		odds: new(big.Float).Quo(pc, p)}
}

// cdfAtLeast reports whether float64(1 − P(X > k)) ≥ q, for k ≤ the last k
// asked.
func (s *preciseUpper) cdfAtLeast(k int, q float64) bool {
	for ; s.k > k; s.k-- {
		s.sum.Add(s.sum, s.term)
		// P(X = k−1) from P(X = k): × k/(n−k+1) · (1−p)/p.
		s.term.Mul(s.term, s.odds)
		s.term.Mul(s.term, bigFloat(float64(s.k)))
		s.term.Quo(s.term, bigFloat(float64(s.n-s.k+1)))
	}
	cdf := new(big.Float).Sub(bigFloat(1), s.sum)
	f, _ := cdf.Float64() // to nearest, ties to even
	return f >= q
}
