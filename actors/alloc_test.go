package actors_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/sim"
)

// busy is a network that keeps every part of the machine at work and
// records nothing: Poisson sources onto a combined population through
// neuromodulated STDP with rewards, and onto a population split into a
// neuron core and two synapse cores (so DMA transfers every tick) through
// static synapses, on another chip (so packets cross links).
func busy(ms int) string {
	var rewards string
	for t := 5; t < ms; t += 50 {
		if rewards != "" {
			rewards += ", "
		}
		rewards += fmt.Sprint(t)
	}
	return fmt.Sprintf(`{"format": "spinnsim-network/1", "duration_ms": %d,
	 "populations": [
	  {"label": "in", "size": 400, "cell_type": "SpikeSourcePoisson", "parameters": {"rate": 40}, "max_atoms_per_core": 50},
	  {"label": "reward", "size": 1, "cell_type": "SpikeSourceArray", "parameters": {"spike_times": [%s]}},
	  {"label": "plastic", "size": 64, "cell_type": "IF_curr_exp", "parameters": {"cm": 0.25, "tau_refrac": 2}},
	  {"label": "split", "size": 64, "cell_type": "IF_curr_exp", "parameters": {"cm": 0.25}, "splitter": {"synapse_cores": 2},
	   "placement": {"x": 1, "y": 1}}],
	 "projections": [
	  {"pre": "in", "post": "plastic", "connector": {"type": "FixedProbabilityConnector", "p_connect": 0.1},
	   "synapse": {"type": "STDPMechanism",
	               "timing_dependence": {"type": "SpikePairRule", "tau_plus": 20, "tau_minus": 20, "A_plus": 0.01, "A_minus": 0.012},
	               "weight_dependence": {"type": "AdditiveWeightDependence", "w_min": 0, "w_max": 1},
	               "weight": 0.2, "delay": 1}},
	  {"pre": "reward", "post": "plastic", "connector": {"type": "AllToAllConnector"}, "receptor_type": "reward",
	   "synapse": {"type": "Neuromodulation", "weight": 0.05, "w_max": 1}},
	  {"pre": "in", "post": "split", "connector": {"type": "FixedProbabilityConnector", "p_connect": 0.1},
	   "synapse": {"type": "StaticSynapse", "weight": 0.2, "delay": 2}}]}`, ms, rewards)
}

// mallocs runs the busy network for ms ticks through d and returns the
// heap allocations of the run.
func mallocs(t *testing.T, d sim.Driver, ms int) uint64 {
	t.Helper()
	net, err := network.Parse([]byte(busy(ms)), "busy")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	require.NoError(t, d.Run(context.Background(), m, nil))
	runtime.ReadMemStats(&after)
	var events, reads uint64
	for _, c := range m.Cores {
		events += c.Counters.SynapticEvents
		reads += c.Counters.DMAReads
	}
	require.NotZero(t, events)
	require.NotZero(t, reads)
	return after.Mallocs - before.Mallocs
}

// Neither driver allocates per tick in steady state: a run of 4,000 more
// ticks than another allocates no more than a few more times (buffers
// growing to a new largest tick, which the actor driver has one of for each
// core and tick of its window), however busy the ticks.
func TestNoAllocationPerTick(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the machine for 6,000 ticks")
	}
	for _, d := range []struct {
		name string
		d    sim.Driver
	}{{"sequential", sim.Sequential{}}, {"actors", actors.Driver{}}} {
		t.Run(d.name, func(t *testing.T) {
			mallocs(t, d.d, 200) // warm the actor system's own pools up
			short := mallocs(t, d.d, 2000)
			long := mallocs(t, d.d, 6000)
			extra := float64(long) - float64(short)
			t.Logf("%s: %d allocations in 2,000 ticks, %d in 6,000", d.name, short, long)
			assert.Less(t, extra/4000, 0.01, "allocations per tick in steady state")
		})
	}
}
