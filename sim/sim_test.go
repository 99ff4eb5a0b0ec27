package sim_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sim"
)

func guide(t *testing.T) *mapping.Mapped {
	t.Helper()
	net, err := network.Load("../examples/izhikevich_single.json")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	return m
}

// The read-back of the guide's run: spikes, weights, reward markers and the
// machine's counters.
func TestResults(t *testing.T) {
	m := guide(t)
	require.NoError(t, sim.Sequential{}.Run(context.Background(), m, nil))
	r := sim.Results(m, 0.5)
	assert.Equal(t, 3000, r.Ticks)
	post := r.Populations[3]
	assert.Equal(t, []output.Spike{{Neuron: 0, Tick: 1503}, {Neuron: 0, Tick: 2401}}, post.Spikes)
	v, err := output.AllSamples(post.V)
	require.NoError(t, err)
	require.Len(t, v, 1)
	assert.Len(t, v[0], 3000)
	assert.Equal(t, -65.0, v[0][0])
	assert.Equal(t, []output.Weight{{Pre: 0, Post: 0, Weight: 10.0654296875, DelayMs: 1}}, r.Projections[1].Weights)
	assert.Equal(t, []output.Marker{{Label: "reward synapses", Kind: "reward", TimesMs: []float64{1600}}}, r.Markers)
	assert.EqualValues(t, 4, r.Provenance.PacketsSent, "pre ×2, reward, stimulus; post1 has no targets")
	assert.Zero(t, r.Provenance.PacketsDropped)
}

// A packet routed to a core that runs nothing is dumped and counted.
func TestSwitchDumps(t *testing.T) {
	m := guide(t)
	f := sim.NewFabric(m)
	c := m.Cores[0]
	r := m.Router(c.Chip)
	require.NoError(t, r.Table.Add(router.Entry{Key: 0xABC00000, Mask: 0xFFF00000, Route: router.CoreRoute(15)}))
	ci, ok := f.Index(c.Chip)
	require.True(t, ok)
	var out sim.Out
	f.Switch(ci, router.FromLocal, 0, []packets.Packet{packets.Multicast(0xABC00001)}, &out)
	assert.Zero(t, out.UsedLinks(), "no link")
	assert.Zero(t, out.UsedCores(), "no core")
	assert.EqualValues(t, 1, r.Counters.Dumped)
}

// Ring-buffer saturations are counted as the chip counts them, when the adds
// are made: a run that ends before the saturated slots are read reports as
// many as one that reads them. The ring-buffer shift is chosen for one spike
// of each source a tick (100 × 5 nA), and each sends four at 3 ms.
func TestSaturationsCountedBeforeTheSlotIsRead(t *testing.T) {
	const doc = `{"format": "spinnsim-network/1", "duration_ms": %d,
	  "populations": [
	    {"label": "burst", "size": 100, "cell_type": "SpikeSourceArray", "parameters": {"spike_times": [3, 3, 3, 3]}},
	    {"label": "post", "size": 1, "cell_type": "IF_curr_exp"}],
	  "projections": [
	    {"label": "in", "pre": "burst", "post": "post", "connector": {"type": "AllToAllConnector"},
	     "synapse": {"type": "StaticSynapse", "weight": 5, "delay": 6}}]}`
	saturated := func(ms int) uint64 {
		net, err := network.Parse([]byte(fmt.Sprintf(doc, ms)), "burst")
		require.NoError(t, err)
		m, err := mapping.Map(net)
		require.NoError(t, err)
		require.NoError(t, sim.Sequential{}.Run(context.Background(), m, nil))
		var n uint64
		for _, c := range sim.Results(m, 0).Provenance.Cores {
			n += c.WeightSaturated
		}
		return n
	}
	read, unread := saturated(20), saturated(6)
	assert.NotZero(t, read, "the burst saturates its slot")
	assert.Equal(t, read, unread, "the run of 6 ms ends before the slot of 9 ms is read")
}
