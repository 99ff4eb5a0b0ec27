package sim_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/sim"
)

// recorded is 100 neurons on 4 cores driven by Poisson input, recording v
// and both gsyn for 1000 ticks: 2.4 MB of samples.
func recorded(t *testing.T, arith string) *mapping.Mapped {
	t.Helper()
	net, err := network.Parse([]byte(`{"format":"spinnsim-network/1","duration_ms":1000,"seed":3,"arithmetic":"`+arith+`",
	 "populations":[{"label":"in","size":100,"cell_type":"SpikeSourcePoisson","parameters":{"rate":40}},
	  {"label":"n","size":100,"cell_type":"IF_curr_exp","max_atoms_per_core":30,"record":["spikes","v","gsyn_exc","gsyn_inh"]}],
	 "projections":[
	  {"pre":"in","post":"n","connector":{"type":"FixedProbabilityConnector","p_connect":0.2},"synapse":{"type":"StaticSynapse","weight":1.5}},
	  {"label":"inh","pre":"in","post":"n","receptor_type":"inhibitory","connector":{"type":"FixedProbabilityConnector","p_connect":0.1},"synapse":{"type":"StaticSynapse","weight":1,"delay":3}}]}`), "recorded")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	return m
}

// samples reads every recorded quantity of population pi.
func samples(t *testing.T, r *output.Run, pi int) [3][][]float64 {
	t.Helper()
	var out [3][][]float64
	for q, s := range []output.Samples{r.Populations[pi].V, r.Populations[pi].GsynExc, r.Populations[pi].GsynInh} {
		require.NotNil(t, s)
		var err error
		out[q], err = output.AllSamples(s)
		require.NoError(t, err)
	}
	return out
}

// Samples that go through the spool read back exactly as those kept in
// memory, through both drivers and with a budget that does not divide the
// run; the cores' buffers never hold more than the budget's ticks, though
// the actor driver runs up to MaxRunAhead−1 ticks past the callback; the
// spool leaves no file behind.
func TestRecordingSpool(t *testing.T) {
	for _, arith := range []string{"fixed", "float"} {
		m := recorded(t, arith)
		require.Len(t, m.Slices[1], 4)
		require.NoError(t, sim.Sequential{}.Run(context.Background(), m, nil))
		want := samples(t, sim.Results(m, 0), 1)
		require.Len(t, want[0], 100)
		require.Len(t, want[0][99], 1000)
		assert.NotEqual(t, want[1][0], want[1][1], "the input differs between neurons")

		for _, d := range []sim.Driver{sim.Sequential{}, actors.Driver{}} {
			m := recorded(t, arith)
			dir := t.TempDir()
			perTick := int64(8 * 100 * 3)
			hold := 36 + sim.MaxRunAhead // ticks the budget holds
			rc := sim.NewRecording(m, int64(hold)*perTick+5, dir)
			every := hold - (sim.MaxRunAhead - 1) // 37
			require.Equal(t, every, rc.TicksPerExtraction())
			most := 0
			require.NoError(t, d.Run(context.Background(), m, func(t uint32) {
				for _, s := range m.Slices[1] {
					most = max(most, s.Rec.BufferedTicks())
				}
				rc.AfterTick(t)
			}))
			if _, ok := d.(actors.Driver); ok {
				assert.LessOrEqual(t, most, hold, "%T: the buffers hold at most the budget's ticks", d)
				assert.Greater(t, most, every, "%T: the cores run ahead of the callback", d)
			} else {
				assert.Equal(t, every, most, "%T: the buffers hold the ticks between two extractions", d)
			}
			if _, ok := d.(actors.Driver); ok {
				// One extraction a window of ticks: every window holds an
				// extraction point, and the first takes the whole window.
				assert.Equal(t, (1000+sim.MaxRunAhead-1)/sim.MaxRunAhead, rc.Extractions())
			} else {
				assert.Equal(t, 1000/every, rc.Extractions())
			}
			r, err := rc.Results(0)
			require.NoError(t, err)
			got := samples(t, r, 1)
			assert.Equal(t, want, got, "%s %T: spooled samples read back exactly", arith, d)
			left, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, left, "the spool is unlinked at once")
			require.NoError(t, rc.Close())
		}
	}
}

// A budget the whole run fits makes no spool; an interrupted run reads back
// the ticks that ran, spooled and buffered.
func TestRecordingFitsAndInterrupted(t *testing.T) {
	m := recorded(t, "fixed")
	rc := sim.NewRecording(m, sim.DefaultRecordingBuffer, t.TempDir())
	assert.Zero(t, rc.TicksPerExtraction(), "2.4 MB fits")

	m = recorded(t, "fixed")
	rc = sim.NewRecording(m, 100*8*100*3, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	err := actors.Driver{}.Run(ctx, m, func(tk uint32) {
		rc.AfterTick(tk)
		if tk == 250 {
			cancel()
		}
	})
	cancel()
	var in *sim.Interrupted
	require.ErrorAs(t, err, &in)
	// At most one extraction an extraction point; fewer with the actors,
	// whose first extraction in a window takes the whole window.
	assert.Positive(t, rc.Extractions())
	assert.LessOrEqual(t, rc.Extractions(), 256/(100-(sim.MaxRunAhead-1)))
	r, err := rc.Results(0)
	require.NoError(t, err)
	got := samples(t, r, 1)
	assert.EqualValues(t, 256, in.Tick, "the window of the interrupt ends")
	for q := range got {
		for n := range got[q] {
			require.Equal(t, 256, len(got[q][n]), "ticks 0–255 read back")
		}
	}
	require.NoError(t, rc.Close())
}

// A spool that cannot be made is an error of the run, named.
func TestRecordingSpoolError(t *testing.T) {
	m := recorded(t, "fixed")
	file := t.TempDir() + "/not-a-folder"
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	rc := sim.NewRecording(m, 1, file)
	require.NoError(t, sim.Sequential{}.Run(context.Background(), m, rc.AfterTick))
	require.ErrorContains(t, rc.Err(), "recording spool")
	_, err := rc.Results(0)
	require.ErrorContains(t, err, "recording spool")
}
