package actors_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/sim"
)

// A context cancelled during tick 1000 stops the sequential driver at the
// boundary before tick 1001, and the actor driver at the end of the window
// of ticks it was running (tick 1024): no later tick runs, the progress
// callback has seen every tick that ran, the error says where the run
// stopped, and what ran reads back as a run of that many ticks.
func TestInterruptAtTickBoundary(t *testing.T) {
	for _, d := range []sim.Driver{actors.Driver{Workers: 3}, sim.Sequential{}} {
		stop := uint32(1001)
		if _, ok := d.(actors.Driver); ok {
			stop = (1000/sim.MaxRunAhead + 1) * sim.MaxRunAhead
		}
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
		assert.Equal(t, sim.Interrupted{Tick: stop, Ticks: 3000}, *in)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, fmt.Sprintf("interrupted at tick %d of 3000 (context canceled)", stop), err.Error())
		assert.Equal(t, stop-1, last, "no tick after the boundary")
		r := sim.Results(m, 0)
		post := r.Populations[3]
		v, err := post.V.Neuron(0, nil)
		require.NoError(t, err)
		assert.Len(t, v, int(stop), "v recorded for the ticks that ran")

		// What ran reads back as the sequential driver's run stopped at
		// the same boundary.
		ref := mapped(t)
		refCtx, refCancel := context.WithCancel(t.Context())
		err = sim.Sequential{}.Run(refCtx, ref, func(tk uint32) {
			if tk == stop-1 {
				refCancel()
			}
		})
		refCancel()
		require.ErrorAs(t, err, &in)
		require.Equal(t, stop, in.Tick)
		want := sim.Results(ref, 0)
		for pi := range want.Populations {
			assert.Equal(t, want.Populations[pi].Spikes, r.Populations[pi].Spikes, "%T: spikes of %s", d, want.Populations[pi].Label)
		}
		wv, err := want.Populations[3].V.Neuron(0, nil)
		require.NoError(t, err)
		assert.Equal(t, wv, v, "%T: v", d)
		assert.Equal(t, want.Projections[1].Weights, r.Projections[1].Weights, "%T: weights", d)
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
