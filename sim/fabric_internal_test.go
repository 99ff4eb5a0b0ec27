package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/router"
)

// TestSwitchRunsMatchPacketByPacket switches random batches (runs of one
// source's keys, stray keys, keys no entry matches) through a chip without
// faults, which appends a run of packets with one route at once, and again
// through the same chip with a fault record that drops nothing, which takes
// them one by one: the outputs and the router's counters must agree. The
// routes reach live cores, a core that runs nothing and links with and
// without a chip behind them.
func TestSwitchRunsMatchPacketByPacket(t *testing.T) {
	net, err := network.Load("../examples/izhikevich_single.json")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	f := NewFabric(m)
	ci, ok := f.Index(m.Cores[0].Chip)
	require.True(t, ok)
	c := &f.chips[ci]
	require.Nil(t, c.drops)
	r := c.router
	r.Table.Reset()
	rng := rand.New(rand.NewPCG(9, 10))
	var live []int
	for p, core := range c.cores {
		if core != nil {
			live = append(live, p)
		}
	}
	require.NotEmpty(t, live)
	for e := range uint32(40) {
		var rt router.Route
		for range 1 + rng.IntN(3) {
			switch rng.IntN(3) {
			case 0:
				rt |= router.CoreRoute(live[rng.IntN(len(live))])
			case 1:
				rt |= router.CoreRoute(rng.IntN(machine.CoresPerChip))
			default:
				rt |= router.LinkRoute(machine.Link(rng.IntN(machine.NumLinks)))
			}
		}
		if e%7 == 3 { // two entries with one route: a run crosses them
			rt = router.CoreRoute(live[0])
		}
		require.NoError(t, r.Table.Add(router.Entry{Key: e << 8, Mask: 0xffffff00, Route: rt}))
	}
	switchAll := func(batches [][]packets.Packet, from []int) ([]Out, router.Counters) {
		r.Counters = router.Counters{}
		outs := make([]Out, len(batches))
		for i, b := range batches {
			f.Switch(ci, from[i], 0, b, &outs[i])
		}
		return outs, r.Counters
	}
	var batches [][]packets.Packet
	var from []int
	for range 300 {
		var b []packets.Packet
		for range rng.IntN(6) {
			base := rng.Uint32N(48) << 8 // 40..47 match nothing
			for k := range uint32(rng.IntN(20)) {
				b = append(b, packets.Multicast(base|k))
			}
		}
		batches = append(batches, b)
		from = append(from, rng.IntN(machine.NumLinks+1)-1)
	}
	runs, runCounters := switchAll(batches, from)
	c.drops = &mapping.ChipDrops{}
	one, oneCounters := switchAll(batches, from)
	c.drops = nil
	assert.Equal(t, oneCounters, runCounters)
	assert.NotZero(t, runCounters.Dumped)
	assert.NotZero(t, runCounters.LocalDropped)
	for i := range batches {
		require.Equal(t, one[i].used, runs[i].used, "batch %d", i)
		for l := range one[i].Links {
			require.Equal(t, len(one[i].Links[l]), len(runs[i].Links[l]), "batch %d link %d", i, l)
			if len(one[i].Links[l]) > 0 {
				require.Equal(t, one[i].Links[l], runs[i].Links[l], "batch %d link %d", i, l)
			}
		}
		for p := range one[i].Cores {
			require.Equal(t, len(one[i].Cores[p]), len(runs[i].Cores[p]), "batch %d core %d", i, p)
			if len(one[i].Cores[p]) > 0 {
				require.Equal(t, one[i].Cores[p], runs[i].Cores[p], "batch %d core %d", i, p)
			}
		}
	}
}
