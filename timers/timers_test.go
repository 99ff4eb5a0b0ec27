package timers

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClock(t *testing.T) {
	c := New(1.0, 3000)
	assert.EqualValues(t, 3000, c.Ticks)
	var n, last uint32
	c.Run(func(tk uint32) { n++; last = tk })
	assert.EqualValues(t, 3000, n)
	assert.EqualValues(t, 2999, last)
	assert.Equal(t, 1500.0, c.Ms(1500))
	assert.EqualValues(t, 1000, New(0.1, 100).Ticks)
}

func TestSpikeTick(t *testing.T) {
	tick := func(ms, h float64) uint32 {
		tk, ok := SpikeTick(ms, h)
		assert.True(t, ok)
		return tk
	}
	// Reference §6: 1502 ms → tick 1502.
	assert.EqualValues(t, 1502, tick(1502, 1))
	assert.EqualValues(t, 0, tick(0, 1))
	assert.EqualValues(t, 11, tick(10.5, 1), "rounded up to the next tick")
	assert.EqualValues(t, 105, tick(10.5, 0.1))
	// Far-future times never wrap round to early ticks.
	_, ok := SpikeTick(4294967296, 1)
	assert.False(t, ok)
	_, ok = New(1, 3000).Before(4294967296)
	assert.False(t, ok)
	tk, ok := New(1, 3000).Before(2999)
	assert.True(t, ok)
	assert.EqualValues(t, 2999, tk)
	_, ok = New(1, 3000).Before(3000)
	assert.False(t, ok)
	assert.EqualValues(t, 1, DelayTicks(1, 1))
	assert.EqualValues(t, 1, DelayTicks(0.2, 1))
	assert.EqualValues(t, 2, DelayTicks(2.5, 1), "half to even")
	assert.EqualValues(t, 15, DelayTicks(1.5, 0.1))
}
