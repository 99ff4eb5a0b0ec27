package connectors

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/spinnsim/spinnsim/network"
)

// Synapse is one generated connection. Weight is a magnitude in nA (the
// receptor gives the sign), DelayTicks ≥ 1.
type Synapse struct {
	Pre, Post  int
	Weight     float64
	DelayTicks int
}

// pair is a connected (pre, post) before its weight and delay are known; row
// is the FromListConnector row it came from, or -1.
type pair struct {
	pre, post, row int32 // 12 bytes: a projection holds millions while it is built
}

func comparePairs(a, b pair) int {
	if c := cmp.Compare(a.pre, b.pre); c != 0 {
		return c
	}
	return cmp.Compare(a.post, b.post)
}

// sortPairs sorts pairs by pre, then post, keeping the generation order of
// equal pairs: what a stable sort by (pre, post) gives, in linear time for
// the usual case. A counting sort by pre (stable), then a stable sort by
// post of each pre's bucket that is not in order already (most connectors
// generate a pre's posts in order). A general stable sort of a million
// pairs took more than half of the mapping of the dense K=1000 network.
func sortPairs(pairs []pair, nPre int) []pair {
	if slices.IsSortedFunc(pairs, comparePairs) {
		return pairs
	}
	end := make([]int, nPre+1)
	for _, p := range pairs {
		end[int(p.pre)+1]++
	}
	for i := 1; i <= nPre; i++ {
		end[i] += end[i-1]
	}
	out := make([]pair, len(pairs))
	for _, p := range pairs {
		out[end[p.pre]] = p
		end[p.pre]++
	}
	byPost := func(a, b pair) int { return cmp.Compare(a.post, b.post) }
	lo := 0
	for _, hi := range end[:nPre] {
		if b := out[lo:hi]; !slices.IsSortedFunc(b, byPost) {
			slices.SortStableFunc(b, byPost)
		}
		lo = hi
	}
	return out
}

// Build generates the connections of a projection in a deterministic order
// (sorted by pre, then post, then generation order), drawing every random
// choice (which pairs, weights, delays) from rng.
//
// samePop says pre and post are the same population (allow_self_connections
// applies). Delays: value/timestep rounded to nearest (half to even) whole
// ticks, at least 1 tick; a drawn delay larger than maxDelayTicks is an error
// naming the value and the limit (what a core's ring buffer and its delay
// extensions reach), wrapping ErrDelayTooLong. The
// division is done as sPyNNaker does it, value · (1000 / timestep in µs), which
// differs from value / timestep in a few float64 cases (see newDelayRounder).
// Weights drawn from a distribution, and list-row weights, are taken as
// magnitudes (|w|), as sPyNNaker stores weights.
//
// rng may be nil when nothing is random (AllToAll, OneToOne, FromList, or
// FixedProbability with p 0 or 1, with constant weight and delay).
func Build(c network.Connector, syn network.Synapse, nPre, nPost int, samePop bool,
	timestepMs float64, maxDelayTicks int, rng *rand.Rand) ([]Synapse, error) {
	if nPre < 0 || nPost < 0 {
		return nil, fmt.Errorf("connectors: population sizes %d and %d must be ≥ 0", nPre, nPost)
	}
	if samePop && nPre != nPost {
		return nil, fmt.Errorf("connectors: pre and post are the same population but have sizes %d and %d", nPre, nPost)
	}
	if !(timestepMs > 0) || math.IsInf(timestepMs, 1) {
		return nil, fmt.Errorf("connectors: timestep %g ms must be > 0", timestepMs)
	}
	if maxDelayTicks < 1 {
		return nil, fmt.Errorf("connectors: maximum delay %d ticks must be ≥ 1", maxDelayTicks)
	}

	pairs, err := buildPairs(c, nPre, nPost, samePop, rng)
	if err != nil {
		return nil, err
	}
	pairs = sortPairs(pairs, nPre)

	dr := newDelayRounder(timestepMs, maxDelayTicks)
	constWeight := syn.Weight.IsConstant()
	constDelay := syn.Delay.IsConstant()
	var constTicks int
	if constDelay {
		if constTicks, err = dr.ticks(syn.Delay.Const); err != nil {
			return nil, err
		}
	}

	out := make([]Synapse, len(pairs))
	for i, pr := range pairs {
		var row *network.ListEntry
		if pr.row >= 0 {
			row = &c.List[pr.row]
		}

		var w float64
		switch {
		case row != nil && row.Weight != nil:
			w = *row.Weight
		case constWeight:
			w = syn.Weight.Const
		default:
			if w, err = draw(syn.Weight, rng); err != nil {
				return nil, err
			}
		}

		var ticks int
		switch {
		case row != nil && row.Delay != nil:
			if ticks, err = dr.ticks(*row.Delay); err != nil {
				return nil, fmt.Errorf("%s row %d (%d→%d): %w", c.Type, pr.row, pr.pre, pr.post, err)
			}
		case constDelay:
			ticks = constTicks
		default:
			d, err := draw(syn.Delay, rng)
			if err != nil {
				return nil, err
			}
			if ticks, err = dr.ticks(d); err != nil {
				return nil, fmt.Errorf("synapse %d→%d: %w", pr.pre, pr.post, err)
			}
		}

		// A negative draw is folded to |w|, as sPyNNaker's synapse expander
		// folds it (rescale_weight, neural_modelling/src/synapse_expander/
		// generator_types.h); the loader warns when a distribution can draw
		// the sign the receptor does not take (network/warnings.go).
		out[i] = Synapse{Pre: int(pr.pre), Post: int(pr.post), Weight: math.Abs(w), DelayTicks: ticks}
	}
	return out, nil
}

// buildPairs chooses the connected pairs, in any order.
func buildPairs(c network.Connector, nPre, nPost int, samePop bool, rng *rand.Rand) ([]pair, error) {
	space := pairSpace{nPre: nPre, nPost: nPost, noSelf: samePop && !c.AllowSelf}
	switch c.Type {
	case network.AllToAll:
		return allPairs(space), nil
	case network.OneToOne:
		// PyNN connects the first min(n_pre, n_post) neurons pairwise.
		out := make([]pair, min(nPre, nPost))
		for i := range out {
			out[i] = pair{int32(i), int32(i), -1}
		}
		return out, nil
	case network.FixedProbability:
		return fixedProbability(c.PConnect, space, rng)
	case network.FixedNumberPre:
		return fixedNumber(c, space, true, rng)
	case network.FixedNumberPost:
		return fixedNumber(c, space, false, rng)
	case network.FixedTotalNumber:
		return fixedTotalNumber(c, space, rng)
	case network.FromList:
		out := make([]pair, len(c.List))
		for i, e := range c.List {
			if e.Pre < 0 || e.Pre >= nPre {
				return nil, fmt.Errorf("%s row %d: pre %d is outside the pre population (size %d)", c.Type, i, e.Pre, nPre)
			}
			if e.Post < 0 || e.Post >= nPost {
				return nil, fmt.Errorf("%s row %d: post %d is outside the post population (size %d)", c.Type, i, e.Post, nPost)
			}
			out[i] = pair{int32(e.Pre), int32(e.Post), int32(i)}
		}
		return out, nil
	default:
		return nil, fmt.Errorf("connectors: unknown connector type %q", c.Type)
	}
}

// pairSpace numbers the candidate pairs of a projection row-major (by pre,
// then post), leaving out i→i when noSelf.
type pairSpace struct {
	nPre, nPost int
	noSelf      bool
}

// width is the number of candidate posts of each pre neuron.
func (s pairSpace) width() int {
	if s.noSelf {
		return s.nPost - 1
	}
	return s.nPost
}

func (s pairSpace) size() int { return s.nPre * s.width() }

// at is the k-th candidate pair.
func (s pairSpace) at(k int) pair {
	w := s.width()
	pre, post := k/w, k%w
	if s.noSelf && post >= pre {
		post++
	}
	return pair{int32(pre), int32(post), -1}
}

func allPairs(s pairSpace) []pair {
	out := make([]pair, s.size())
	for k := range out {
		out[k] = s.at(k)
	}
	return out
}

// fixedProbability connects each candidate pair independently with
// probability p. It jumps from one connected pair to the next by a geometric
// draw (the number of failures before a success, floor(log(1−u)/log(1−p))),
// which gives the same distribution as one Bernoulli draw per pair with one
// random number per connection instead of one per pair.
func fixedProbability(p float64, s pairSpace, rng *rand.Rand) ([]pair, error) {
	if !(p >= 0 && p <= 1) {
		return nil, fmt.Errorf("%s: p_connect %g must be in [0, 1]", network.FixedProbability, p)
	}
	total := s.size()
	switch {
	case p == 0 || total == 0:
		return nil, nil
	case p == 1:
		return allPairs(s), nil
	case rng == nil:
		return nil, errNoRNG
	}
	mean := float64(total) * p
	capacity := min(float64(total), mean+6*math.Sqrt(mean)+16)
	out := make([]pair, 0, int(capacity))
	logq := math.Log1p(-p)
	k := -1
	for {
		gap := math.Floor(math.Log1p(-rng.Float64()) / logq)
		if gap >= float64(total-1-k) {
			return out, nil
		}
		k += int(gap) + 1
		out = append(out, s.at(k))
	}
}

// fixedNumber draws c.N partners for every neuron on one side: every post
// neuron draws pre neurons when perPost (FixedNumberPre), every pre neuron
// draws post neurons otherwise (FixedNumberPost).
func fixedNumber(c network.Connector, s pairSpace, perPost bool, rng *rand.Rand) ([]pair, error) {
	owners, choices, ownerName, choiceName := s.nPre, s.nPost, "pre", "post"
	if perPost {
		owners, choices, ownerName, choiceName = s.nPost, s.nPre, "post", "pre"
	}
	if s.noSelf {
		choices--
	}
	n := c.N
	switch {
	case n < 0:
		return nil, fmt.Errorf("%s: n = %d must be ≥ 0", c.Type, n)
	case n == 0 || owners == 0:
		return nil, nil
	case !c.WithReplacement && n > choices:
		return nil, fmt.Errorf("%s: n = %d without replacement, but each %s neuron has only %d %s neurons to choose from",
			c.Type, n, ownerName, choices, choiceName)
	case choices == 0:
		return nil, fmt.Errorf("%s: n = %d, but each %s neuron has no %s neuron to choose from",
			c.Type, n, ownerName, choiceName)
	case rng == nil:
		return nil, errNoRNG
	}
	out := make([]pair, 0, owners*n)
	for owner := range owners {
		for _, choice := range sample(rng, choices, n, c.WithReplacement) {
			if s.noSelf && choice >= owner {
				choice++
			}
			if perPost {
				out = append(out, pair{int32(choice), int32(owner), -1})
			} else {
				out = append(out, pair{int32(owner), int32(choice), -1})
			}
		}
	}
	return out, nil
}

// fixedTotalNumber draws c.N pairs from all candidate pairs.
func fixedTotalNumber(c network.Connector, s pairSpace, rng *rand.Rand) ([]pair, error) {
	n, total := c.N, s.size()
	switch {
	case n < 0:
		return nil, fmt.Errorf("%s: n = %d must be ≥ 0", c.Type, n)
	case n == 0:
		return nil, nil
	case !c.WithReplacement && n > total:
		return nil, fmt.Errorf("%s: n = %d without replacement, but there are only %d pairs to choose from",
			c.Type, n, total)
	case total == 0:
		return nil, fmt.Errorf("%s: n = %d, but there is no pair to choose from", c.Type, n)
	case rng == nil:
		return nil, errNoRNG
	}
	idx := sample(rng, total, n, c.WithReplacement)
	out := make([]pair, len(idx))
	for i, k := range idx {
		out[i] = s.at(k)
	}
	return out, nil
}

// sample draws n numbers from 0..m-1, sorted: n distinct ones (n ≤ m)
// without replacement, n independent ones (m ≥ 1) with it.
func sample(rng *rand.Rand, m, n int, replace bool) []int {
	out := make([]int, n)
	switch {
	case replace:
		for i := range out {
			out[i] = rng.IntN(m)
		}
	case 4*n >= m:
		// Dense: a partial Fisher–Yates shuffle of 0..m-1.
		perm := make([]int, m)
		for i := range perm {
			perm[i] = i
		}
		for i := range n {
			j := i + rng.IntN(m-i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		copy(out, perm[:n])
	case m <= 64*1024:
		// Sparse: Floyd's algorithm, one draw per chosen number, with the
		// chosen ones in a bit set (at most 8 KB; a map took most of the
		// dense family's generation).
		chosen := make([]uint64, (m+63)/64)
		for i, j := 0, m-n; j < m; i, j = i+1, j+1 {
			t := rng.IntN(j + 1)
			if chosen[t/64]&(1<<(t%64)) != 0 {
				t = j
			}
			chosen[t/64] |= 1 << (t % 64)
			out[i] = t
		}
	default:
		// The same, the chosen ones in a map.
		chosen := make(map[int]struct{}, n)
		for i, j := 0, m-n; j < m; i, j = i+1, j+1 {
			t := rng.IntN(j + 1)
			if _, dup := chosen[t]; dup {
				t = j
			}
			chosen[t] = struct{}{}
			out[i] = t
		}
	}
	sortBelow(out, m)
	return out
}

// sortBelow sorts a, whose values lie in [0, m): for a large a, a least-
// significant-digit radix sort on digits of at most 11 bits (two passes for
// m up to 2^22, three up to 2^33), each pass a counting pass and a stable
// scatter into a buffer as long as a. It reads and writes in streams where
// a comparison sort jumps about: about four times faster than slices.Sort
// on the microcircuit's largest projection at S = K = 0.1
// (BenchmarkSortBelow), with the same result.
func sortBelow(a []int, m int) {
	const maxDigit = 11
	if len(a) < 1<<12 || m > 1<<33 {
		slices.Sort(a)
		return
	}
	width := bits.Len(uint(m - 1))
	passes := max(1, (width+maxDigit-1)/maxDigit)
	digit := (width + passes - 1) / passes
	mask := 1<<digit - 1
	src, dst := a, make([]int, len(a))
	var count [1 << maxDigit]int
	for p := range passes {
		shift := p * digit
		clear(count[:])
		for _, v := range src {
			count[v>>shift&mask]++
		}
		at := 0
		for d := range mask + 1 {
			at, count[d] = at+count[d], at
		}
		for _, v := range src {
			d := v >> shift & mask
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if passes%2 == 1 {
		copy(a, src)
	}
}
