package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/packets"
)

// A delay extension re-sends each neuron's spikes of tick t0 at t0 + s·L
// for the stages s it is enabled for, under the key of (stage, neuron),
// with a count above one as an MCPL payload; its counters saturate at 255.
func TestDelayExtension(t *testing.T) {
	app, err := NewDelayExtension(DelayExtensionConfig{
		InKey: 0x100, InMask: 0xFFFFFFF0, N: 4, OutKey: 0x800, AtomBits: 4, StageLen: 5, Stages: 2,
		Enabled: [][]bool{{false, true, true, false}, {false, false, true, false}},
	})
	require.NoError(t, err)
	var c Counters
	sent := map[uint32][]packets.Packet{}
	for tk := uint32(0); tk < 20; tk++ {
		var r Ready
		app.TimerTick(tk, &r, &c)
		if len(r.Packets) > 0 {
			sent[tk] = r.Packets
		}
		if tk == 3 {
			app.Receive(3, []packets.Packet{packets.Multicast(0x101), packets.Multicast(0x102), packets.Multicast(0x102),
				packets.Multicast(0x103), packets.Multicast(0x200)}, &r, &c)
		}
	}
	assert.Equal(t, map[uint32][]packets.Packet{
		8:  {packets.Multicast(0x801), packets.MulticastPayload(0x802, 2)}, // stage 1: 3 + 5
		13: {packets.MulticastPayload(0x812, 2)},                           // stage 2: 3 + 10, neuron 2 only
	}, sent)
	assert.Equal(t, uint64(1), c.PacketsDropped, "a key not of its source")
	assert.Equal(t, uint64(4), c.DelayedSpikes)

	// Counters hold 255 spikes of a neuron in a tick; the rest are counted
	// as lost.
	var r Ready
	burst := make([]packets.Packet, 300)
	for i := range burst {
		burst[i] = packets.Multicast(0x101)
	}
	app.Receive(20, burst, &r, &c)
	assert.Equal(t, uint64(45), c.DelaySaturated)
	r = Ready{}
	app.TimerTick(25, &r, &c)
	assert.Equal(t, []packets.Packet{packets.MulticastPayload(0x801, 255)}, r.Packets)

	_, err = NewDelayExtension(DelayExtensionConfig{N: 1, StageLen: 4, Stages: MaxDelayStages + 1})
	assert.ErrorContains(t, err, "1 to 8")
}

// A synapse core processes a row once for every spike an MCPL packet
// stands for, and reads delayed rows back with their whole delay.
func TestDelayedRows(t *testing.T) {
	nc, _ := newTestNeuronCore(t, 4, false, nil)
	require.NoError(t, nc.AddDelayedSource(0x800, 0xFFFFFF80, 10, 3<<4, Delayed{AtomBits: 4, StageLen: 4, N: 16}, []SourceSynapse{
		{Row: 1<<4 | 2, Post: 3, Kind: Static, Weight: 1, Delay: 3, Proj: 0}, // stage 2 of neuron 2: 2·4 + 3
		{Row: 0<<4 | 1, Post: 0, Kind: Static, Weight: 1, Delay: 4, Proj: 0}, // stage 1 of neuron 1: 4 + 4
	}))
	assert.ElementsMatch(t, []Weight{{Pre: 12, Post: 3, Weight: 1, DelayTicks: 11}, {Pre: 11, Post: 0, Weight: 1, DelayTicks: 8}}, nc.Weights(0))
	var c Counters
	nc.Receive(0, []packets.Packet{packets.MulticastPayload(0x812, 3)}, &Ready{}, &c)
	assert.Equal(t, uint64(3), c.SynapticEvents)
}
