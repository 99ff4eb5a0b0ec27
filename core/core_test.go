package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/packets"
)

// recorderApp records what reaches it.
type recorderApp struct {
	got  [][]uint32
	send []packets.Packet
	mem  Memory
}

func (a *recorderApp) Name() string   { return "recorder" }
func (a *recorderApp) Memory() Memory { return a.mem }
func (a *recorderApp) TimerTick(t uint32, out []packets.Packet, _ *Counters) []packets.Packet {
	return append(out, a.send...)
}
func (a *recorderApp) Receive(t uint32, pkts []packets.Packet, _ *Counters) {
	var keys []uint32
	for _, p := range pkts {
		keys = append(keys, p.Key)
	}
	a.got = append(a.got, append([]uint32{t}, keys...))
}

func TestMemoryBudget(t *testing.T) {
	_, err := New(machine.XY{}, 1, "big", &recorderApp{mem: Memory{DTCM: DTCMBytes + 1}})
	var me *MemoryError
	require.ErrorAs(t, err, &me)
	assert.Contains(t, err.Error(), "big needs 65537 bytes of DTCM")
	_, err = New(machine.XY{}, 1, "code", &recorderApp{mem: Memory{ITCM: ITCMBytes + 1}})
	assert.ErrorContains(t, err, "ITCM")
}

// Packets of tick t are processed at the start of tick t+1, sorted by key,
// whatever order they arrived in.
func TestInboxOrder(t *testing.T) {
	app := &recorderApp{send: []packets.Packet{packets.Multicast(7)}}
	c, err := New(machine.XY{}, 1, "r", app)
	require.NoError(t, err)
	out := c.Tick(0, nil)
	assert.Len(t, out, 1)
	c.Deliver(0, []packets.Packet{packets.Multicast(5), packets.Multicast(2)})
	c.Deliver(0, []packets.Packet{packets.Multicast(3)})
	c.Deliver(1, []packets.Packet{packets.Multicast(1)}) // early arrival of tick 1
	c.Tick(1, nil)
	c.Finish()
	assert.Equal(t, [][]uint32{{0, 2, 3, 5}, {1, 1}}, app.got)
	assert.EqualValues(t, 4, c.Counters.PacketsReceived)
	assert.EqualValues(t, 2, c.Counters.SpikesSent)
	c.Silent = true
	assert.Empty(t, c.Tick(2, nil), "a core without targets sends nothing")
	assert.EqualValues(t, 2, c.Counters.SpikesSent)
}

func newTestNeuronCore(t *testing.T, n int, float bool, plastic *PlasticConfig) *NeuronCore {
	t.Helper()
	f := func(v float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = v
		}
		return s
	}
	nc, err := NewNeuronCore(NeuronConfig{N: n, Float: float, HMs: 1, Key: 0x100,
		Params: kernels.IFCurrExpParams{Cm: 1, TauM: 20, TauRefrac: 2, TauSynE: 5, TauSynI: 5,
			VRest: -65, VReset: -65, VThresh: -50},
		V0: f(-65), IExc0: f(0), IInh0: f(0), Shift: [2]uint32{5, 5}, MaxDelay: 3,
		Plastic: plastic, Rec: NewRecorder(n, true, true)})
	require.NoError(t, err)
	return nc
}

// A static row lands in the ring buffer at t + delay and reaches the neuron
// as w·init at that tick; an unknown key is dropped and counted.
func TestStaticRowTiming(t *testing.T) {
	for _, float := range []bool{false, true} {
		nc := newTestNeuronCore(t, 2, float, nil)
		require.NoError(t, nc.AddSource(0x200, 0xFFFFFF00, 0, 1, []SourceSynapse{
			{Row: 0, Post: 1, Kind: Static, Type: kernels.SynExc, Weight: 2, Delay: 3}}))
		var cnt Counters
		nc.Receive(10, []packets.Packet{packets.Multicast(0x200), packets.Multicast(0x900)}, &cnt)
		assert.EqualValues(t, 1, cnt.SynapticEvents)
		assert.EqualValues(t, 1, cnt.PacketsDropped)
		for tk := uint32(11); tk <= 14; tk++ {
			nc.TimerTick(tk, nil, &cnt)
		}
		v := nc.cfg.Rec.VTrace[1]
		assert.Equal(t, -65.0, v[0], "tick 11")
		assert.Equal(t, -65.0, v[2], "tick 13: the input arrives, V is recorded before the update")
		assert.Greater(t, v[3], -65.0, "tick 14: V has moved")
		assert.Equal(t, -65.0, nc.cfg.Rec.VTrace[0][3], "neuron 0 had no input")
	}
}

// Ring-buffer adds saturate at 0xFFFF and are counted.
func TestRingSaturation(t *testing.T) {
	nc := newTestNeuronCore(t, 1, false, nil)
	var syns []SourceSynapse
	for i := 0; i < 3; i++ {
		syns = append(syns, SourceSynapse{Row: 0, Post: 0, Kind: Static, Weight: 40000.0 / 1024, Delay: 1})
	}
	require.NoError(t, nc.AddSource(0x200, 0xFFFFFF00, 0, 1, syns))
	var cnt Counters
	nc.Receive(0, []packets.Packet{packets.Multicast(0x200)}, &cnt)
	assert.EqualValues(t, 2, cnt.WeightSaturated)
	assert.EqualValues(t, 0xFFFF, nc.ring[1<<nc.slotSh])
}

func TestRingBufferLimit(t *testing.T) {
	_, err := NewNeuronCore(NeuronConfig{N: 256, HMs: 1, MaxDelay: 64, Rec: NewRecorder(256, false, false),
		Params: kernels.IFCurrExpParams{Cm: 1, TauM: 20, TauSynE: 5, TauSynI: 5}})
	assert.ErrorContains(t, err, "delay extensions are not built yet")
}

// Weights read back as the host does: the stored word over the scale.
func TestWeightReadback(t *testing.T) {
	nc := newTestNeuronCore(t, 2, false, &PlasticConfig{
		Pair: kernels.PairRule{TauPlus: 10, TauMinus: 12, APlus: 1, AMinus: 1, WMax: 20},
		NM:   kernels.NeuromodParams{TauC: 1000, TauD: 200, WMax: 20}})
	require.NoError(t, nc.AddSource(0x200, 0xFFFFFF00, 4, 2, []SourceSynapse{
		{Row: 1, Post: 0, Kind: Plastic, Weight: 1.3, Delay: 2, Proj: 3},
		{Row: 0, Post: 1, Kind: Static, Weight: 0.7, Delay: 1, Proj: 4},
		{Row: 0, Post: 1, Kind: Neuromodulatory, Weight: -0.1, Proj: 5}}))
	assert.Equal(t, []Weight{{Pre: 5, Post: 0, Weight: 1331.0 / 1024, DelayTicks: 2}}, nc.Weights(3))
	assert.Equal(t, []Weight{{Pre: 4, Post: 1, Weight: 717.0 / 1024, DelayTicks: 1}}, nc.Weights(4))
	assert.Equal(t, []Weight{{Pre: 4, Post: 1, Weight: 205.0 / 2048, DelayTicks: 1}}, nc.Weights(5))
}
