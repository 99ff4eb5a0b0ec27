package core

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// A source whose neurons all share one rate and one active period takes
// the path that reads no per-neuron state (same); it sends the same
// packets, tick for tick, as the general path with the same stream, and
// its counts have the Poisson mean and variance.
func TestPoissonSameRateMatchesGeneralPath(t *testing.T) {
	const n, ticks = 200, 2000
	for _, c := range []struct{ rate, hMs float64 }{{20, 1}, {1300, 0.1}, {3000, 1}} {
		rates, start, end := make([]float64, n), make([]uint32, n), make([]uint32, n)
		for i := range n {
			rates[i], start[i], end[i] = c.rate, 10, ticks-10
		}
		fast := NewSpikeSourcePoisson(0x100, rates, start, end, c.hMs, rand.NewPCG(1, 2), NewRecorder(n, Record{}))
		general := NewSpikeSourcePoisson(0x100, rates, start, end, c.hMs, rand.NewPCG(1, 2), NewRecorder(n, Record{}))
		require.True(t, fast.same)
		general.same = false
		var rf, rg Ready
		var cnt Counters
		counts := make([]float64, 0, n*ticks)
		for tk := range uint32(ticks) {
			rf.Packets, rg.Packets = rf.Packets[:0], rg.Packets[:0]
			fast.TimerTick(tk, &rf, &cnt)
			general.TimerTick(tk, &rg, &cnt)
			require.Equal(t, rg.Packets, rf.Packets, "rate %v, tick %d", c.rate, tk)
			if tk < 10 || tk >= ticks-10 {
				require.Empty(t, rf.Packets, "tick %d is outside the active period", tk)
				continue
			}
			per := make([]float64, n)
			for _, p := range rf.Packets {
				per[p.Key&0xFF]++
			}
			counts = append(counts, per...)
		}
		// The counts a tick are Poisson of mean λ = rate·h: mean and
		// variance both λ, within five standard errors.
		lambda := c.rate * c.hMs / 1000
		var sum, sq float64
		for _, x := range counts {
			sum += x
			sq += x * x
		}
		k := float64(len(counts))
		mean := sum / k
		variance := sq/k - mean*mean
		require.InDelta(t, lambda, mean, 5*math.Sqrt(lambda/k), "rate %v", c.rate)
		require.InDelta(t, lambda, variance, 5*math.Sqrt((lambda+2*lambda*lambda)/k), "rate %v", c.rate)
	}
	// Rates or active periods that differ take the general path; a rate of
	// 0 sends nothing and draws nothing.
	rec := NewRecorder(2, Record{})
	require.False(t, NewSpikeSourcePoisson(0x100, []float64{1, 2}, []uint32{0, 0}, []uint32{9, 9}, 1, rand.NewPCG(1, 2), rec).same)
	require.False(t, NewSpikeSourcePoisson(0x100, []float64{1, 1}, []uint32{0, 3}, []uint32{9, 9}, 1, rand.NewPCG(1, 2), rec).same)
	silent := NewSpikeSourcePoisson(0x100, []float64{0, 0}, []uint32{0, 0}, []uint32{9, 9}, 1, rand.NewPCG(1, 2), rec)
	require.True(t, silent.same)
	var r Ready
	var cnt Counters
	for tk := range uint32(9) {
		silent.TimerTick(tk, &r, &cnt)
	}
	require.Empty(t, r.Packets)
	untouched := rand.NewPCG(1, 2)
	require.Equal(t, untouched.Uint64(), silent.rng.Uint64(), "no draw at rate 0")
}
