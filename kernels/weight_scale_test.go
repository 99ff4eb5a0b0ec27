package kernels

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRingBufferShift(t *testing.T) {
	// §1.7: static 6 + STDP w_max 20, one SSA connection each: M = 26, k = 5.
	assert.EqualValues(t, 5, RingBufferShift(26))
	assert.Equal(t, 1024.0, WeightScale(5))
	// §3.2: 3 spikes/tick × 20 × 1 = 60: k = 6, scale 512.
	assert.EqualValues(t, 6, RingBufferShift(60))
	assert.Equal(t, 512.0, WeightScale(6))
	// A power of two gets one more bit of headroom.
	assert.EqualValues(t, 6, RingBufferShift(32))
	assert.EqualValues(t, 0, RingBufferShift(0.5))
	assert.EqualValues(t, 0, RingBufferShift(0))
}

func TestPoissonSpikesPerTick(t *testing.T) {
	// §1.7: 3 for 50 Hz and for 100 Hz at 1 ms.
	assert.Equal(t, 3, PoissonSpikesPerTick(50, 1))
	assert.Equal(t, 3, PoissonSpikesPerTick(100, 1))
	assert.Equal(t, 1, PoissonSpikesPerTick(5, 1))
	// scipy: poisson.ppf(0.999, 5) = 13.
	assert.Equal(t, 13, PoissonQuantile(0.999, 5))
}
