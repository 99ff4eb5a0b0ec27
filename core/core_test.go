package core

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

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
func (a *recorderApp) TimerTick(t uint32, r *Ready, _ *Counters) {
	r.Packets = append(r.Packets, a.send...)
}
func (a *recorderApp) Receive(t uint32, pkts []packets.Packet, _ *Ready, _ *Counters) {
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
	assert.Len(t, c.Tick(0).Packets, 1)
	c.Deliver(0, []packets.Packet{packets.Multicast(5), packets.Multicast(2)})
	c.Deliver(0, []packets.Packet{packets.Multicast(3)})
	c.Deliver(1, []packets.Packet{packets.Multicast(1)}) // early arrival of tick 1
	c.Tick(1)
	c.Finish()
	assert.Equal(t, [][]uint32{{0, 2, 3, 5}, {1, 1}}, app.got)
	assert.EqualValues(t, 4, c.Counters.PacketsReceived)
	assert.EqualValues(t, 2, c.Counters.SpikesSent)
	c.Silent = true
	assert.Empty(t, c.Tick(2).Packets, "a core without targets sends nothing")
	assert.EqualValues(t, 2, c.Counters.SpikesSent)
}

func fill(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func testNeuronConfig(n int, float bool, plastic *PlasticConfig) NeuronConfig {
	return NeuronConfig{
		SynapseConfig: SynapseConfig{N: n, Float: float, HMs: 1, Shift: [2]uint32{5, 5}, MaxDelay: 3, Plastic: plastic},
		Key:           0x100,
		Params: kernels.IFCurrExpParams{Cm: 1, TauM: 20, TauRefrac: 2, TauSynE: 5, TauSynI: 5,
			VRest: -65, VReset: -65, VThresh: -50},
		Init: NeuronInit{V: fill(n, -65), IsynExc: fill(n, 0), IsynInh: fill(n, 0)},
		Rec:  NewRecorder(n, Record{Spikes: true, V: true, GsynExc: true}),
	}
}

func newTestNeuronCore(t *testing.T, n int, float bool, plastic *PlasticConfig) (Synapses, *Recorder) {
	t.Helper()
	cfg := testNeuronConfig(n, float, plastic)
	app, err := NewNeuronCore(cfg)
	require.NoError(t, err)
	return app.(Synapses), cfg.Rec
}

// A static row lands in the ring buffer at t + delay and reaches the neuron
// as w·init at that tick; an unknown key is dropped and counted.
func TestStaticRowTiming(t *testing.T) {
	for _, float := range []bool{false, true} {
		nc, rec := newTestNeuronCore(t, 2, float, nil)
		require.NoError(t, nc.AddSource(0x200, 0xFFFFFF00, 0, 1, []SourceSynapse{
			{Row: 0, Post: 1, Kind: Static, Type: kernels.SynExc, Weight: 2, Delay: 3}}))
		var cnt Counters
		var r Ready
		nc.Receive(10, []packets.Packet{packets.Multicast(0x200), packets.Multicast(0x900)}, &r, &cnt)
		assert.EqualValues(t, 1, cnt.SynapticEvents)
		assert.EqualValues(t, 1, cnt.PacketsDropped)
		for tk := uint32(11); tk <= 14; tk++ {
			nc.TimerTick(tk, &r, &cnt)
		}
		v := rec.BufferedNeuron(V, 1)
		assert.Equal(t, -65.0, v[0], "tick 11")
		assert.Equal(t, -65.0, v[2], "tick 13: the input arrives, V is recorded before the update")
		assert.Greater(t, v[3], -65.0, "tick 14: V has moved")
		assert.Equal(t, -65.0, rec.BufferedNeuron(V, 0)[3], "neuron 0 had no input")
		// gsyn_exc is the current after the tick's input: 2 nA × init(τ 5).
		exc := rec.BufferedNeuron(GsynExc, 1)
		assert.InDelta(t, 2*5*(1-math.Exp(-0.2)), exc[2], 1e-4, "tick 13")
		assert.InDelta(t, exc[2]*math.Exp(-0.2), exc[3], 1e-4, "tick 14")
	}
}

// Ring-buffer adds saturate at 0xFFFF and are counted.
func TestRingSaturation(t *testing.T) {
	nc, _ := newTestNeuronCore(t, 1, false, nil)
	var syns []SourceSynapse
	for range 3 {
		syns = append(syns, SourceSynapse{Row: 0, Post: 0, Kind: Static, Weight: 40000.0 / 1024, Delay: 1})
	}
	require.NoError(t, nc.AddSource(0x200, 0xFFFFFF00, 0, 1, syns))
	var cnt Counters
	nc.Receive(0, []packets.Packet{packets.Multicast(0x200)}, &Ready{}, &cnt)
	e := nc.(*combinedCore[uint16, kernels.S411]).syn
	assert.EqualValues(t, 2, e.ring.pendingSaturations(), "counted before the slot is read")
	assert.EqualValues(t, 0xFFFF, e.slot(1, &cnt)[0])
	assert.EqualValues(t, 2, cnt.WeightSaturated)
	assert.Zero(t, e.ring.pendingSaturations(), "the slot is read: nothing pending")
}

func TestRingBufferLimit(t *testing.T) {
	cfg := testNeuronConfig(256, false, nil)
	cfg.MaxDelay = 32 // 2^5 slots hold delays up to 32
	_, err := NewNeuronCore(cfg)
	require.NoError(t, err)
	cfg.MaxDelay = 33
	_, err = NewNeuronCore(cfg)
	assert.ErrorContains(t, err, "needs 15 ring-buffer bits, more than 14")
	assert.Equal(t, uint32(32), MaxDirectDelay(256))
	assert.Equal(t, uint32(8192), MaxDirectDelay(1))
}

// Weights read back as the host does: the stored word over the scale.
func TestWeightReadback(t *testing.T) {
	nc, _ := newTestNeuronCore(t, 2, false, &PlasticConfig{
		Pair: kernels.PairRule{TauPlus: 10, TauMinus: 12, APlus: 1, AMinus: 1, WMax: 20},
		NM:   &kernels.NeuromodParams{TauC: 1000, TauD: 200, WMax: 20}})
	require.NoError(t, nc.AddSource(0x200, 0xFFFFFF00, 4, 2, []SourceSynapse{
		{Row: 1, Post: 0, Kind: Plastic, Weight: 1.3, Delay: 2, Proj: 3},
		{Row: 0, Post: 1, Kind: Static, Weight: 0.7, Delay: 1, Proj: 4},
		{Row: 0, Post: 1, Kind: Neuromodulatory, Weight: -0.1, Proj: 5}}))
	assert.Equal(t, []Weight{{Pre: 5, Post: 0, Weight: 1331.0 / 1024, DelayTicks: 2}}, nc.Weights(3))
	assert.Equal(t, []Weight{{Pre: 4, Post: 1, Weight: 717.0 / 1024, DelayTicks: 1}}, nc.Weights(4))
	assert.Equal(t, []Weight{{Pre: 4, Post: 1, Weight: 205.0 / 2048, DelayTicks: 1}}, nc.Weights(5))
}

// The SDRAM block's lanes: the neuron core adds whole 32-bit words, so a
// carry out of a low lane spills into the high lane (reference §5), while a
// single block passes through unchanged.
func TestFixedBlockSum(t *testing.T) {
	var a fixedArith
	slot := []uint16{0xFFFF, 1, 7, 0}
	b1 := make([]uint32, a.blockWords(len(slot)))
	a.encode(b1, slot)
	assert.Equal(t, []uint32{0x0001FFFF, 7}, b1)
	dst := make([]uint16, 4)
	a.sum(dst, [][]uint32{b1})
	assert.Equal(t, slot, dst)
	b2 := []uint32{0x00000001, 0x00020003}
	a.sum(dst, [][]uint32{b1, b2})
	assert.Equal(t, []uint16{0, 2, 10, 2}, dst, "0xFFFF + 1 carries into the high lane: 1 + 0 + 1")

	// An odd number of entries: the last word holds one, in its low lane;
	// three and four blocks (the sum's own loops for 1–3 blocks, and the
	// general one).
	odd := []uint16{0xFFFF, 1, 7, 0, 9}
	b5 := make([]uint32, a.blockWords(len(odd)))
	a.encode(b5, odd)
	assert.Equal(t, []uint32{0x0001FFFF, 7, 9}, b5)
	dst5 := make([]uint16, 5)
	a.sum(dst5, [][]uint32{b5})
	assert.Equal(t, odd, dst5)
	a.sum(dst5, [][]uint32{b5, b5, b5})
	assert.Equal(t, []uint16{0xFFFD, 5, 21, 0, 27}, dst5, "3 × 0x0001FFFF = 0x0005FFFD")
	a.sum(dst5, [][]uint32{b5, b5, b5, b5})
	assert.Equal(t, []uint16{0xFFFC, 7, 28, 0, 36}, dst5, "4 × 0x0001FFFF = 0x0007FFFC")

	var f floatArith
	fs := []float64{0.1, -2.5, 0}
	fb := make([]uint32, f.blockWords(len(fs)))
	f.encode(fb, fs)
	got := make([]float64, 3)
	f.sum(got, [][]uint32{fb, fb})
	assert.Equal(t, []float64{0.2, -5, 0}, got)
}

// The mapping holds a SourceSynapse for every synapse of a network while
// it loads the cores: its size is the host's bytes a synapse at the peak.
func TestSourceSynapseSize(t *testing.T) {
	assert.Equal(t, uintptr(24), unsafe.Sizeof(SourceSynapse{}))
}

// A plastic synapse of neuromodulated STDP costs the host 6 bytes in its
// core's matrix (its control half-word and its weight and eligibility
// half-words, as on the chip) plus its row's share of the row table and
// the row's pre-spike time and trace: at most 8 bytes a synapse with rows
// of 64 (issue 10's steady-state goal).
func TestPlasticBytesPerSynapse(t *testing.T) {
	nc, _ := newTestNeuronCore(t, 256, false, &PlasticConfig{
		Pair: kernels.PairRule{TauPlus: 10, TauMinus: 12, APlus: 1, AMinus: 1, WMax: 20},
		NM:   &kernels.NeuromodParams{TauC: 1000, TauD: 200, WMax: 20}})
	var syns []SourceSynapse
	for r := range 256 {
		for p := range 64 {
			syns = append(syns, SourceSynapse{Row: int32(r), Post: uint16((r + 4*p) % 256), Kind: Plastic, Weight: 1, Delay: 1, Proj: 2})
		}
	}
	require.NoError(t, nc.AddSource(0x10000, 0xFFFFFF00, 0, 256, syns))
	e := nc.(*combinedCore[uint16, kernels.S411]).syn
	bytes, n := 0, 0
	for _, m := range e.mats {
		n += len(m.control)
		bytes += 2*len(m.control) + 4*len(m.state) + 2*len(m.weight) + 4*len(m.proj) + 4*len(m.rowStart) +
			4*len(m.rowLen) + 4*len(m.preTime) + int(unsafe.Sizeof(kernels.S411(0)))*len(m.preTrace)
	}
	require.Equal(t, 256*64, n)
	perSynapse := float64(bytes) / float64(n)
	t.Logf("%.3f bytes a plastic synapse", perSynapse)
	assert.LessOrEqual(t, perSynapse, 8.0)
}

// TestSortPacketsMatchesComparePackets sorts ticks' worth of packets with
// the core's merge of key-ordered runs and wants exactly what sorting by
// every field (comparePackets) gives: runs of plain spikes from a few
// sources, repeated keys, one run in reverse, and ticks where a few packets
// carry a payload or another timestamp (which take the full sort).
func TestSortPacketsMatchesComparePackets(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	c, err := New(machine.XY{}, 1, "s", &recorderApp{})
	require.NoError(t, err)
	for i := range 3000 {
		var in []packets.Packet
		for range 1 + rng.IntN(12) {
			base, n := rng.Uint32N(64)<<8, rng.IntN(90)
			run := make([]packets.Packet, 0, n)
			for k := range uint32(n) {
				key := base | k*uint32(1+rng.IntN(3))&0xff
				if rng.IntN(10) == 0 && len(run) > 0 {
					key = run[len(run)-1].Key // a neuron that spiked twice
				}
				run = append(run, packets.Multicast(key))
			}
			slices.SortFunc(run, comparePackets)
			if rng.IntN(6) == 0 {
				slices.Reverse(run)
			}
			in = append(in, run...)
		}
		if len(in) == 0 {
			continue
		}
		if i%5 == 0 {
			j := rng.IntN(len(in))
			switch rng.IntN(3) {
			case 0:
				in[j] = packets.MulticastPayload(in[j].Key, rng.Uint32N(3))
			case 1:
				in[j].Timestamp = 2
			default:
				in[j].Payload = 1 // without HasPayload: still not a plain spike
			}
		}
		want := slices.Clone(in)
		slices.SortFunc(want, comparePackets)
		c.sortPackets(in)
		require.Equal(t, want, in, "tick %d", i)
	}
}

// TestFixedBlockWordsMatchPacked: encode and sum view a slot's pairs of
// entries as words where they lie (little-endian, aligned) and pack them
// one by one otherwise; the two give the same blocks and sums for every
// length, odd or even, and every number of blocks.
func TestFixedBlockWordsMatchPacked(t *testing.T) {
	var a fixedArith
	rng := rand.New(rand.NewPCG(11, 12))
	probe := make([]uint16, 4)
	require.NotNil(t, wordsOf(probe[:2]), "a fresh slice is aligned")
	require.Nil(t, wordsOf(probe[1:3]), "2 bytes in is not")
	for n := 1; n < 40; n++ {
		aligned := make([]uint16, n)
		for i := range aligned {
			aligned[i] = uint16(rng.Uint32())
		}
		odd := make([]uint16, n+1)[1:] // starts 2 bytes in: packed one by one
		copy(odd, aligned)
		b1 := make([]uint32, a.blockWords(n))
		b2 := make([]uint32, a.blockWords(n))
		a.encode(b1, aligned)
		a.encode(b2, odd)
		require.Equal(t, b1, b2, "encode, %d entries", n)
		for k := 1; k <= 4; k++ {
			blocks := make([][]uint32, k)
			for i := range blocks {
				blocks[i] = make([]uint32, len(b1))
				for j := range blocks[i] {
					blocks[i][j] = rng.Uint32()
				}
			}
			want := make([]uint16, n)
			for w := range len(b1) {
				var s uint32
				for _, b := range blocks {
					s += b[w]
				}
				want[2*w] = uint16(s)
				if 2*w+1 < n {
					want[2*w+1] = uint16(s >> 16)
				}
			}
			a.sum(aligned, blocks)
			a.sum(odd, blocks)
			require.Equal(t, want, aligned, "sum of %d blocks, %d entries, aligned", k, n)
			require.Equal(t, want, slices.Clone(odd), "sum of %d blocks, %d entries, packed", k, n)
		}
	}
}

// TestFindFromMatchesFullSearch: the master population table's search
// galloping from a hint finds what a search of the whole table finds, for
// keys inside entries, in the gaps between them and beyond both ends, from
// every hint at or below the key's entry.
func TestFindFromMatchesFullSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 2, 3, 7, 64, 225} {
		e := &engine[uint16, kernels.S411]{}
		key := uint32(0x100)
		for range n {
			bits := 4 + rng.IntN(8)
			key = (key + uint32(rng.IntN(3)+1)<<bits) &^ (1<<bits - 1)
			e.tbl = append(e.tbl, popEntry{key: key, mask: ^uint32(0) << bits})
			e.keys = append(e.keys, key)
		}
		full := func(k uint32) int {
			for i := len(e.tbl) - 1; i >= 0; i-- {
				if e.tbl[i].key <= k {
					if k&e.tbl[i].mask == e.tbl[i].key {
						return i
					}
					return -1
				}
			}
			return -1
		}
		for range 2000 {
			k := rng.Uint32N(key + 1<<13)
			if rng.IntN(2) == 0 {
				x := e.tbl[rng.IntN(n)]
				k = x.key | rng.Uint32()&^x.mask
			}
			want := full(k)
			require.Equal(t, want, e.find(k, 0), "key %#x from 0", k)
			for from := range n {
				if e.keys[from] > k {
					break
				}
				require.Equal(t, want, e.find(k, from), "key %#x from %d of %d", k, from, n)
			}
		}
	}
}
