package actors_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/sim"
)

// A context cancelled during tick 1000 stops both drivers at the boundary
// before tick 1001: no later tick runs, the error says where the run
// stopped, and what ran reads back as a run of 1001 ticks.
func TestInterruptAtTickBoundary(t *testing.T) {
	for _, d := range []sim.Driver{actors.Driver{Workers: 3}, sim.Sequential{}} {
		m := mapped(t)
		ctx, cancel := context.WithCancel(t.Context())
		last := uint32(0)
		err := d.Run(ctx, m, func(tk uint32) {
			last = tk
			if tk == 1000 {
				cancel()
			}
		})
		cancel()
		var in *sim.Interrupted
		require.ErrorAs(t, err, &in, "%T", d)
		assert.Equal(t, sim.Interrupted{Tick: 1001, Ticks: 3000}, *in)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, "interrupted at tick 1001 of 3000 (context canceled)", err.Error())
		assert.EqualValues(t, 1000, last, "no tick after the boundary")
		r := sim.Results(m, 0)
		post := r.Populations[3]
		v, err := post.V.Neuron(0, nil)
		require.NoError(t, err)
		assert.Len(t, v, 1001, "v recorded for the ticks that ran")
	}
}

// A context done before the run starts runs nothing.
func TestInterruptBeforeStart(t *testing.T) {
	for _, d := range []sim.Driver{actors.Driver{}, sim.Sequential{}} {
		m := mapped(t)
		ctx, cancel := context.WithCancelCause(t.Context())
		cause := errors.New("stop")
		cancel(cause)
		err := d.Run(ctx, m, func(uint32) { t.Error("a tick ran") })
		var in *sim.Interrupted
		require.ErrorAs(t, err, &in)
		assert.Equal(t, sim.Interrupted{Tick: 0, Ticks: 3000}, *in)
		assert.ErrorIs(t, err, cause)
	}
}
