package mapping_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/router"
)

// The first network: 100 populations of 1,000 IF_curr_exp neurons,
// each projecting to every population with p = 0.0011 (11 million
// synapses), delays uniform in 1–50 ms. Mapped only, in a second or so:
// every table fits a router, and compressed (on request) every key still
// reaches exactly its cores. Running it is BenchmarkDenseRun in bench/.
func TestHundredPopulationsMapOnly(t *testing.T) {
	net := parse(t, denseNet(100, 1000, 100, 0.0011, `{"distribution":"uniform","low":1,"high":50}`, ""))
	for _, always := range []bool{false, true} {
		start := time.Now()
		m, err := mapping.MapWith(net, mapping.Options{MapOnly: true, CompressAlways: always})
		require.NoError(t, err)
		t.Logf("compress always %v: mapped in %v", always, time.Since(start))
		total := 0.0
		for _, e := range m.Expected {
			total += e
		}
		assert.InDelta(t, 11e6, total, 0.01e6)
		assert.Empty(t, m.Cores, "nothing loaded")
		assert.Zero(t, m.Synapses[0], "nothing generated")
		for _, r := range m.Routers {
			require.LessOrEqual(t, r.Table.Len(), router.UsableEntries)
		}
		// 1–50 ms delays: with delay extensions, a core of 256 neurons
		// would have 800 master population table entries (400 source
		// slices and their delay extensions) and need about 71 KB of DTCM,
		// so the plan takes 128 neurons a core, whose ring buffers hold 64
		// ticks: no delay extension.
		assert.Equal(t, 128, m.Slices[0][0].Hi)
		for _, s := range m.Slices[0] {
			assert.Nil(t, s.Delay)
		}
		if always {
			assert.Positive(t, checkRouting(t, m))
		}
	}
}

// The second: 300,000 neurons in 30 populations of 10,000, each projecting
// to every population (p = 0.003, 270 million synapses). Every chip's table
// needs 1,200 entries as generated; compressed they fit, exactly. It takes
// the six boards its SDRAM needs.
func TestThreeHundredThousandMapOnly(t *testing.T) {
	net := parse(t, denseNet(30, 10000, 30, 0.003, "1", ""))
	start := time.Now()
	m, err := mapping.MapWith(net, mapping.Options{MapOnly: true})
	require.NoError(t, err)
	t.Logf("mapped in %v on %d boards", time.Since(start), m.Machine.Boards)
	most, gen := 0, 0
	for _, r := range m.Routers {
		most = max(most, r.Table.Len())
		gen = max(gen, len(m.Uncompressed[r.Chip]))
	}
	assert.Equal(t, 1200, gen, "one entry a slice as generated")
	assert.LessOrEqual(t, most, router.UsableEntries)
	assert.Positive(t, checkRouting(t, m))
	assert.Equal(t, 6, m.Machine.Boards)
}

// The host memory a run needs counts the matrices' rows as well as the
// synapses: 100 populations of 1,000 neurons, each into 100 others with 11
// M synapses in all, take 128 neurons a core, so every source neuron has a
// row on 800 cores: 80 M rows, of 0.14 synapses each. A whole run of this
// network peaked at 949 MB (bench/README.md); the estimate is 11 M × 40 +
// 80 M × 10 bytes = 1.24 GB, and refuses it on a host of 1 GiB, which the
// synapses alone (0.44 GB) would not.
func TestHostMemoryCountsRows(t *testing.T) {
	net := parse(t, denseNet(100, 1000, 100, 0.0011, `{"distribution":"uniform","low":1,"high":50}`, ""))
	_, err := mapping.MapWith(net, mapping.Options{MaxHostBytes: 1 << 30})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "about 1.24 GB of host memory")
	assert.Contains(t, err.Error(), "10 a row of a synaptic matrix")
	m, err := mapping.MapWith(net, mapping.Options{MapOnly: true})
	require.NoError(t, err)
	assert.InDelta(t, 1.24e9, m.HostBytes, 0.01e9, "the report's estimate, with the plan's 128 neurons a core")
}
