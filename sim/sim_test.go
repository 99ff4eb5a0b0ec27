package sim_test

import (
	"context"
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
