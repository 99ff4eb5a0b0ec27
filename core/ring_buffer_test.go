package core

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/packets"
)

// A ring buffer kept as queues gives the array's slots and saturation count,
// tick for tick, in both arithmetics, for static and STDP rows with delays
// over every slot and weights heavy enough to saturate; the saturations of
// slots still unread at the end are counted as pending.
//
// With a queue limit of 3 additions (instead of 4 per entry of the slot)
// the queues are folded into their slots' words all the time, which must
// change nothing either, and no queue grows past its limit.
func TestRingBufferQueuesMatchArray(t *testing.T) {
	for _, limit := range []int{0, 3} {
		name := "limit=default"
		if limit > 0 {
			name = fmt.Sprintf("limit=%d", limit)
		}
		t.Run(name+"/fixed", func(t *testing.T) { ringBufferModes[uint16, kernels.S411](t, false, limit) })
		t.Run(name+"/float", func(t *testing.T) { ringBufferModes[float64, float64](t, true, limit) })
	}
}

func ringBufferModes[W Word, T Trace](t *testing.T, float bool, limit int) {
	const (
		n        = 40
		maxDelay = 16
		rows     = 30
		loopKey  = 0xF0000000
		loopMask = 0xFFFFFF00
	)
	cfg := SynapseConfig{N: n, Float: float, HMs: 1, Shift: [2]uint32{5, 5}, MaxDelay: maxDelay,
		Plastic: &PlasticConfig{Pair: kernels.PairRule{TauPlus: 20, TauMinus: 20, APlus: 0.5, AMinus: 0.1, WMin: 0, WMax: 60}}}
	rng := rand.New(rand.NewPCG(3, 4))
	var static, plastic []SourceSynapse
	for row := range rows {
		for range 1 + rng.IntN(2*n) {
			s := SourceSynapse{Row: int32(row), Post: uint16(rng.IntN(n)), Type: uint8(rng.IntN(2)),
				Weight: 1 + 30*rng.Float64(), Delay: 1 + uint32(rng.IntN(maxDelay))}
			if row%3 == 0 {
				s.Kind = Plastic
				plastic = append(plastic, s)
			} else {
				static = append(static, s)
			}
		}
	}
	// Both cores get the same rows; the second's ring is kept the other way.
	var cores [2]*synapseCore[W, T]
	var queued [2]bool
	for k := range cores {
		app, err := NewSynapseCore(cfg, loopKey, loopMask, 0)
		require.NoError(t, err)
		sc := app.(*synapseCore[W, T])
		if k == 1 {
			e := sc.syn
			e.ring = newRingBufferKept(DelayBits(maxDelay), e.ring.sh, e.ring.ar, e.ring.direct != nil)
		}
		queued[k] = sc.syn.ring.direct == nil
		if queued[k] && limit > 0 {
			sc.syn.ring.limit = limit
		}
		require.NoError(t, sc.AddSource(0x10000, 0xFFFF0000, 0, rows, slices.Clone(static)))
		require.NoError(t, sc.AddSource(0x20000, 0xFFFF0000, 0, rows, slices.Clone(plastic)))
		require.NoError(t, sc.Loaded())
		cores[k] = sc
	}
	require.NotEqual(t, queued[0], queued[1], "one array, one queued")

	var cnt [2]Counters
	for tick := range uint32(200) {
		var pkts []packets.Packet
		for row := range rows {
			if rng.IntN(4) == 0 {
				pkts = append(pkts, packets.Multicast(0x10000|uint32(row)))
			}
		}
		for row := range rows {
			if rng.IntN(4) == 0 {
				pkts = append(pkts, packets.Multicast(0x20000|uint32(row)))
			}
		}
		if rng.IntN(3) == 0 {
			pkts = append([]packets.Packet{packets.Multicast(loopKey | uint32(rng.IntN(n)))}, pkts...)
		}
		var blocks [2][]uint32
		for k, sc := range cores {
			var r Ready
			sc.TimerTick(tick, &r, &cnt[k])
			sc.Receive(tick, pkts, &r, &cnt[k])
			sc.EndTick(tick, &r, &cnt[k])
			require.Len(t, r.Transfers, 1)
			blocks[k] = slices.Clone(r.Transfers[0].Data)
		}
		require.Equal(t, blocks[0], blocks[1], "tick %d's slot", tick)
	}
	require.Equal(t, cnt[0].SynapticEvents, cnt[1].SynapticEvents)
	folds := 0
	for _, sc := range cores {
		rb := &sc.syn.ring
		for s, q := range rb.queue {
			assert.LessOrEqual(t, len(q), rb.limit, "a queue within its limit")
			if rb.folds[s].sums != nil {
				folds++
			}
		}
	}
	if limit > 0 {
		assert.NotZero(t, folds, "queues folded")
	}
	var final [2]Counters
	for k, sc := range cores {
		final[k] = cnt[k]
		sc.pending(&final[k])
	}
	assert.Equal(t, final[0], final[1], "counters with the pending saturations")
	if !float {
		assert.NotZero(t, final[0].WeightSaturated, "the weights saturate")
		q := 0
		if queued[1] {
			q = 1
		}
		assert.Less(t, cnt[q].WeightSaturated, final[q].WeightSaturated, "some saturations are pending at the end")
	}
}
