package actors_test

import (
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sim"
)

func mapped(t *testing.T) *mapping.Mapped {
	t.Helper()
	net, err := network.Load("../examples/izhikevich_single.json")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	return m
}

// The progress callback sees every tick once, in order, from both drivers.
func TestProgress(t *testing.T) {
	for _, d := range []sim.Driver{actors.Driver{Workers: 3}, sim.Sequential{}} {
		m := mapped(t)
		next := uint32(0)
		require.NoError(t, d.Run(t.Context(), m, func(tk uint32) {
			assert.Equal(t, next, tk)
			next++
		}))
		assert.Equal(t, m.Clock.Ticks, next)
	}
}

// panicky breaks an invariant at tick 100.
type panicky struct{ core.Application }

func (p panicky) TimerTick(t uint32, out []packets.Packet, c *core.Counters) []packets.Packet {
	if t == 100 {
		panic("broken invariant")
	}
	return p.Application.TimerTick(t, out, c)
}

// A panic inside a core stops the run with an error naming the core.
func TestPanicBecomesError(t *testing.T) {
	m := mapped(t)
	m.Cores[0].App = panicky{m.Cores[0].App}
	err := actors.Driver{}.Run(t.Context(), m, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), m.Cores[0].Label)
	assert.Contains(t, err.Error(), "broken invariant")
}

func TestPoolRunsEverything(t *testing.T) {
	p := actors.NewPool(runtime.GOMAXPROCS(0), 10)
	var n atomic.Int64
	for range 1000 {
		p.Schedule(func() { n.Add(1) })
	}
	p.Close()
	assert.EqualValues(t, 1000, n.Load())
}
