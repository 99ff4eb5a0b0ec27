package kernels

import "math"

// Ring-buffer weight scaling (reference §1.7). Each synapse type of a neuron
// core has a left shift k: ring buffers and stored weights are uint16 words
// that become s16.15 when shifted left by k, so a weight w is stored as
// rint(w · 2^(15−k)). The host chooses k from an upper bound M on the input
// one ring-buffer slot can receive in one tick:
//
//	M = Σ over incoming projections of spikes_per_tick × w_max × n_conn_max
//
// (max(total, the biggest single weight) when every delay is constant), and
// k = ceil(log2 M), plus one when 2^k ≤ M, never below 0.

// RingBufferShift is k for the bound m.
func RingBufferShift(m float64) uint32 {
	if m <= 0 {
		return 0
	}
	k := math.Ceil(math.Log2(m))
	if math.Pow(2, k) <= m {
		k++
	}
	if k < 0 {
		return 0
	}
	return uint32(k)
}

// WeightScale is 2^(15 − k): the stored word per nA.
func WeightScale(k uint32) float64 {
	return math.Ldexp(1, 15-int(k))
}

// PoissonSpikesPerTick is how many spikes per tick sPyNNaker assumes a
// Poisson source of the rate can send: 1 when rate·h < 0.01 spikes per tick,
// otherwise the 0.999 quantile of the Poisson count plus one.
func PoissonSpikesPerTick(rateHz, hMs float64) int {
	lambda := rateHz * hMs / 1000
	if lambda < 0.01 {
		return 1
	}
	return PoissonQuantile(0.999, lambda) + 1
}

// PoissonQuantile is the smallest n with P(X ≤ n) ≥ q for X ~ Poisson(lambda)
// (scipy's poisson.ppf).
func PoissonQuantile(q, lambda float64) int {
	p := math.Exp(-lambda)
	cdf := p
	n := 0
	for cdf < q && n < 1<<20 {
		n++
		p *= lambda / float64(n)
		cdf += p
	}
	return n
}
