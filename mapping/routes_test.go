package mapping_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sim"
)

// denseNet writes a network of pops populations of size IF_curr_exp
// neurons, each projecting to fan populations (itself and the next ones)
// with FixedProbability p and the given delay (a number or a distribution).
func denseNet(pops, size, fan int, p float64, delay, extra string) string {
	var ps, prs []string
	for i := range pops {
		ps = append(ps, fmt.Sprintf(`{"label":"p%d","size":%d,"cell_type":"IF_curr_exp"%s}`, i, size, extra))
	}
	for i := range pops {
		for k := range fan {
			prs = append(prs, fmt.Sprintf(`{"pre":"p%d","post":"p%d","connector":{"type":"FixedProbabilityConnector","p_connect":%g},
			  "synapse":{"type":"StaticSynapse","weight":0.01,"delay":%s}}`, i, (i+k)%pops, p, delay))
		}
	}
	return `{"format":"spinnsim-network/1","duration_ms":100,"populations":[` + strings.Join(ps, ",") +
		`],"projections":[` + strings.Join(prs, ",") + `]}`
}

// propagate sends key from chip src through the machine, looking routes up
// with lookup (default routing where it misses on a link arrival), and
// returns the cores reached and the links crossed, each as one number
// (x<<16 | y<<8 | core or link), sorted. It fails if a packet reaches a chip
// twice (a route that is not a tree) or takes a dead link.
func propagate(t *testing.T, m *mapping.Mapped, src machine.XY, key uint32, lookup func(machine.XY, uint32) (router.Route, bool)) (cores, links []int) {
	type hop struct {
		chip machine.XY
		from int
	}
	seen := map[machine.XY]bool{src: true}
	queue := []hop{{src, router.FromLocal}}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		r, ok := lookup(h.chip, key)
		if !ok {
			if h.from == router.FromLocal {
				continue // dropped
			}
			r = router.LinkRoute(machine.Link(h.from).Opposite())
		}
		id := h.chip.X<<16 | h.chip.Y<<8
		for _, p := range r.Cores() {
			cores = append(cores, id|p)
		}
		for _, l := range r.Links() {
			n, ok := m.Machine.Neighbour(h.chip, l)
			if !ok {
				t.Fatalf("key %#x leaves chip %v on dead link %v", key, h.chip, l)
			}
			if seen[n] {
				t.Fatalf("key %#x reaches chip %v twice", key, n)
			}
			seen[n] = true
			links = append(links, id|int(l))
			queue = append(queue, hop{n, int(l.Opposite())})
		}
	}
	slices.Sort(cores)
	slices.Sort(links)
	return cores, links
}

// checkRouting routes every key the network sends (the first and last
// neuron of every slice) through the loaded tables and through the tables as
// generated before compression: both deliver to the same cores over the
// same links, exactly the cores of the slice's targets, and at every chip a
// key of the network matches the same route or nothing in both.
func checkRouting(t *testing.T, m *mapping.Mapped) (compressed int) {
	t.Helper()
	// The tables as generated may be longer than a router holds: look keys
	// up by mask (the generated entries never overlap).
	uncompressed := map[machine.XY]map[uint32]map[uint32]router.Route{}
	for c, es := range m.Uncompressed {
		byMask := map[uint32]map[uint32]router.Route{}
		for _, e := range es {
			if byMask[e.Mask] == nil {
				byMask[e.Mask] = map[uint32]router.Route{}
			}
			byMask[e.Mask][e.Key] = e.Route
		}
		uncompressed[c] = byMask
		if len(es) != m.Router(c).Table.Len() {
			compressed++
		}
	}
	loaded := func(c machine.XY, k uint32) (router.Route, bool) {
		r, _, ok := m.Router(c).Table.Lookup(k)
		return r, ok
	}
	raw := func(c machine.XY, k uint32) (router.Route, bool) {
		for mask, keys := range uncompressed[c] {
			if r, ok := keys[k&mask]; ok {
				return r, true
			}
		}
		return 0, false
	}
	for _, ss := range m.Slices {
		for _, s := range ss {
			if !s.Sends {
				continue
			}
			// Masks never split a slice: its first key stands for all.
			k := s.Key
			d1, l1 := propagate(t, m, s.Chip, k, loaded)
			d2, l2 := propagate(t, m, s.Chip, k, raw)
			if !slices.Equal(d1, d2) || !slices.Equal(l1, l2) {
				t.Fatalf("key %#x: cores %v over links %v after compression, %v over %v before", k, d1, l1, d2, l2)
			}
			if len(d1) == 0 {
				t.Fatalf("key %#x of a slice with targets reaches no core", k)
			}
		}
	}
	for _, r := range m.Routers {
		for _, ss := range m.Slices {
			for _, s := range ss {
				if !s.Sends {
					continue
				}
				r1, ok1 := loaded(r.Chip, s.Key)
				r2, ok2 := raw(r.Chip, s.Key)
				if r1 != r2 || ok1 != ok2 {
					t.Fatalf("chip %v, key %#x: %v %v after compression, %v %v before", r.Chip, s.Key, r1, ok1, r2, ok2)
				}
			}
		}
	}
	return compressed
}

// Compression is exact on a network whose tables overflow: 40 populations
// of 320 neurons in slices of 8, all to all between neighbours, 1600 slices
// on 100 chips, and every table fits once compressed. Mapped only: nothing
// is generated.
func TestCompressionExactOverflowingTables(t *testing.T) {
	net := parse(t, denseNet(40, 320, 40, 0.01, "1", `,"max_atoms_per_core":8`))
	m, err := mapping.MapWith(net, mapping.Options{MapOnly: true})
	require.NoError(t, err)
	most := 0
	for _, es := range m.Uncompressed {
		most = max(most, len(es))
	}
	require.Greater(t, most, router.UsableEntries, "the tables overflow before compression")
	for _, r := range m.Routers {
		assert.LessOrEqual(t, r.Table.Len(), router.UsableEntries)
	}
	assert.Positive(t, checkRouting(t, m))
}

// Ordered covering, on request, is exact too (here on every table, as
// compress_always asks).
func TestOrderedCoveringExact(t *testing.T) {
	net := parse(t, denseNet(12, 160, 6, 0.05, "1", `,"max_atoms_per_core":8`))
	m, err := mapping.MapWith(net, mapping.Options{MapOnly: true, Compressor: router.OrderedCovering, CompressAlways: true})
	require.NoError(t, err)
	assert.Positive(t, checkRouting(t, m))
}

// compress_always compresses every table, exactly, and the run gives the
// same spikes as without compression.
func TestCompressAlwaysRunsTheSame(t *testing.T) {
	js := denseNet(6, 40, 3, 0.3, `{"distribution":"uniform","low":1,"high":4}`, `,"max_atoms_per_core":8,"record":["spikes"],"parameters":{"i_offset":1.2}`)
	base := parse(t, js)
	always := parse(t, strings.Replace(js, `"duration_ms":100`, `"duration_ms":100,"mapping":{"compress_always":true}`, 1))
	m1, err := mapping.Map(base)
	require.NoError(t, err)
	m2, err := mapping.Map(always)
	require.NoError(t, err)
	assert.Positive(t, checkRouting(t, m2))
	assert.Equal(t, runSpikes(t, m1), runSpikes(t, m2))
}

// A board with a dead chip, a dead core and a dead link: the network runs
// and gives the spikes it gives on a board without faults; nothing is
// placed on the dead chip or core, and no route crosses the dead link or
// chip.
func TestFaultsMappedAround(t *testing.T) {
	js := `{"format":"spinnsim-network/1","duration_ms":60,"machine":{"board":"spinn-5"%s},
	 "populations":[
	  {"label":"src","size":40,"cell_type":"SpikeSourcePoisson","parameters":{"rate":200},"placement":{"x":0,"y":0}},
	  {"label":"a","size":300,"cell_type":"IF_curr_exp","record":["spikes"],"max_atoms_per_core":10},
	  {"label":"far","size":20,"cell_type":"IF_curr_exp","record":["spikes"],"placement":{"x":4,"y":4}}],
	 "projections":[
	  {"pre":"src","post":"a","connector":{"type":"FixedProbabilityConnector","p_connect":0.5},"synapse":{"type":"StaticSynapse","weight":2}},
	  {"pre":"src","post":"far","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":1}},
	  {"pre":"a","post":"far","connector":{"type":"FixedProbabilityConnector","p_connect":0.1},"synapse":{"type":"StaticSynapse","weight":1}}]}`
	healthy, err := mapping.Map(parse(t, fmt.Sprintf(js, "")))
	require.NoError(t, err)
	faults := `,"dead_chips":[[2,2]],"dead_cores":[[0,1,3],[1,0,0]],"dead_links":[[1,1,"north_east"],[3,3,"east"]]`
	m, err := mapping.Map(parse(t, fmt.Sprintf(js, faults)))
	require.NoError(t, err)
	dead := machine.XY{X: 2, Y: 2}
	assert.False(t, m.Machine.HasChip(dead))
	assert.Nil(t, m.Router(dead))
	for _, c := range m.Cores {
		assert.NotEqual(t, dead, c.Chip, "%s", c.Label)
		assert.False(t, c.Chip == (machine.XY{X: 0, Y: 1}) && c.P == 3, "%s on the dead core", c.Label)
		assert.False(t, c.Chip == (machine.XY{X: 1, Y: 0}) && c.P == 16, "%s on the core a dead monitor took", c.Label)
	}
	// Routes: no entry sends towards the dead chip or over the dead links.
	for _, r := range m.Routers {
		for _, e := range r.Table.Entries() {
			for _, l := range e.Route.Links() {
				_, ok := m.Machine.Neighbour(r.Chip, l)
				assert.True(t, ok, "chip %v sends %v over %v, a dead link or towards a dead chip", r.Chip, e, l)
			}
		}
	}
	checkRouting(t, m)
	// The source's spikes to "far" cross the board diagonally past the
	// dead chip, and still arrive.
	assert.Equal(t, runSpikes(t, healthy), runSpikes(t, m))
	for _, r := range m.Routers {
		assert.Zero(t, r.Counters.Dumped, "chip %v dumped packets", r.Chip)
	}
	far := m.Slices[2][0].Core
	assert.Positive(t, far.Counters.SynapticEvents)
}

// A fault that names no part of the machine is an error at its place.
func TestFaultErrors(t *testing.T) {
	js := `{"format":"spinnsim-network/1","duration_ms":10,"machine":{"board":"spinn-5",
	  "dead_chips":[[7,0]],"dead_cores":[[9,9,3]],"dead_links":[[0,0,"west"]]},
	 "populations":[{"label":"a","size":1,"cell_type":"IF_curr_exp"}]}`
	_, err := mapping.Map(parse(t, js))
	require.Error(t, err)
	for _, want := range []string{
		"machine.dead_chips[0]: chip (7,0) is not on a spinn-5 machine of 1 board(s)",
		"machine.dead_cores[0]: chip (9,9) is not on",
		"machine.dead_links[0]: the west link of chip (0,0) leads off",
	} {
		assert.Contains(t, err.Error(), want)
	}
}

// Boards come one at a time or in triads: 2 is an error naming 1 and 3,
// never a silent 3.
func TestBoardCounts(t *testing.T) {
	net := parse(t, `{"format":"spinnsim-network/1","duration_ms":10,"machine":{"board":"spinn-5","boards":2},
	 "populations":[{"label":"a","size":1,"cell_type":"IF_curr_exp"}]}`)
	_, err := mapping.MapWith(net, mapping.Options{MapOnly: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "machine.boards: 2 spinn-5 boards cannot be built")
	assert.Contains(t, err.Error(), "ask for 1 or 3")
}

// On three boards a route from one board to a chip of another crosses the
// boards' links, and the spikes arrive.
func TestRoutesCrossBoards(t *testing.T) {
	net := parse(t, `{"format":"spinnsim-network/1","duration_ms":20,"machine":{"board":"spinn-5","boards":3},
	 "populations":[
	  {"label":"src","size":1,"cell_type":"SpikeSourceArray","parameters":{"spike_times":[1,5,9]},"placement":{"x":0,"y":0}},
	  {"label":"dst","size":1,"cell_type":"IF_curr_exp","placement":{"x":10,"y":6}}],
	 "projections":[{"pre":"src","post":"dst","connector":{"type":"OneToOneConnector"},"synapse":{"type":"StaticSynapse","weight":1}}]}`)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	b0, _ := m.Machine.BoardOf(machine.XY{})
	b1, _ := m.Machine.BoardOf(machine.XY{X: 10, Y: 6})
	require.NotEqual(t, b0, b1, "the chips are on different boards")
	_, links := propagate(t, m, machine.XY{}, m.Slices[0][0].Key, func(c machine.XY, k uint32) (router.Route, bool) {
		r, _, ok := m.Router(c).Table.Lookup(k)
		return r, ok
	})
	crossed := false
	for _, l := range links {
		from := machine.XY{X: l >> 16, Y: l >> 8 & 0xFF}
		to, _ := m.Machine.Neighbour(from, machine.Link(l&0xFF))
		bf, _ := m.Machine.BoardOf(from)
		bt, _ := m.Machine.BoardOf(to)
		crossed = crossed || bf != bt
	}
	assert.True(t, crossed, "the route %v stays on one board", links)
	require.NoError(t, runOnly(m))
	assert.EqualValues(t, 3, m.Slices[1][0].Core.Counters.PacketsReceived)
}

// OneToOne between populations of different sizes connects the first
// min(n_pre, n_post) pairs: 5 → 10 and 23 → 100.
func TestOneToOneDifferentSizesMapped(t *testing.T) {
	for _, sz := range [][2]int{{5, 10}, {23, 100}} {
		net := parse(t, fmt.Sprintf(`{"format":"spinnsim-network/1","duration_ms":10,
		 "populations":[{"label":"a","size":%d,"cell_type":"SpikeSourceArray"},{"label":"b","size":%d,"cell_type":"IF_curr_exp","max_atoms_per_core":16}],
		 "projections":[{"pre":"a","post":"b","connector":{"type":"OneToOneConnector"},"synapse":{"type":"StaticSynapse","weight":1},"record":["weight"]}]}`, sz[0], sz[1]))
		m, err := mapping.Map(net)
		require.NoError(t, err)
		assert.Equal(t, min(sz[0], sz[1]), m.Synapses[0])
		n := 0
		for _, s := range m.Slices[1] {
			for _, w := range s.Syn[0].Weights(0) {
				assert.Equal(t, w.Pre, s.Lo+w.Post, "pairs i → i")
				n++
			}
			// Slices beyond the last pair get no edge from a.
			assert.Equal(t, s.Lo < sz[0], s.Est.Sources > 0, "slice %d–%d", s.Lo, s.Hi)
		}
		assert.Equal(t, min(sz[0], sz[1]), n)
	}
}

// Limits found before generation come one line per kind, naming the
// population or projection and the limit, and come at once: the network
// below would draw 2.5 billion synapses.
func TestLimitsBeforeGeneration(t *testing.T) {
	var ps, prs []string
	for i := range 40 {
		ps = append(ps, fmt.Sprintf(`{"label":"n%d","size":50000,"cell_type":"IF_curr_exp","max_atoms_per_core":256}`, i))
		prs = append(prs, fmt.Sprintf(`{"pre":"n%d","post":"n%d","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":0.01,"delay":40}}`, i, i))
	}
	prs = append(prs, `{"pre":"n0","post":"n1","connector":{"type":"OneToOneConnector"},"synapse":{"type":"StaticSynapse","weight":1,"delay":80000}}`)
	net := parse(t, `{"format":"spinnsim-network/1","duration_ms":10,"populations":[`+strings.Join(ps, ",")+`],"projections":[`+strings.Join(prs, ",")+`]}`)
	_, err := mapping.MapWith(net, mapping.Options{MaxHostBytes: -1})
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	t.Log(err)
	assert.LessOrEqual(t, len(lines), 6, "one line per kind, not one per population")
	assert.Contains(t, err.Error(), "projections[40].synapse.delay: delays up to 80000 ms are 80000 ticks")
	assert.Contains(t, err.Error(), "73728 ticks")
	// With the delay fixed, the 40-tick delays go through delay extensions,
	// and the run is refused for the host memory it would take, at once.
	prs = prs[:40]
	net = parse(t, `{"format":"spinnsim-network/1","duration_ms":10,"populations":[`+strings.Join(ps, ",")+`],"projections":[`+strings.Join(prs, ",")+`]}`)
	_, err = mapping.MapWith(net, mapping.Options{MaxHostBytes: 8 << 30})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "host memory")
	assert.Contains(t, err.Error(), "-map-only")
	lines = strings.Split(err.Error(), "\n")
	assert.Len(t, lines, 1)
	_, err = mapping.MapWith(net, mapping.Options{MapOnly: true})
	require.Error(t, err, "populations[0]–[39] with max_atoms_per_core 256 cannot hold the master population tables of 196 slices and their delay extensions")
	lines = strings.Split(err.Error(), "\n")
	assert.Len(t, lines, 4, "three populations and a line for the other 37")
	assert.Contains(t, lines[0], "populations[0]: n0 (a core of 256 neurons needs about")
	assert.Contains(t, lines[0], "bytes of DTCM (392 incoming source slices")
	assert.Contains(t, lines[3], "… and 37 more like these (populations[3], populations[4]")
}

// runOnly runs a mapped network on the sequential driver.
func runOnly(m *mapping.Mapped) error { return sim.Sequential{}.Run(context.Background(), m, nil) }

// runSpikes runs a mapped network and returns every spike as
// "population neuron tick", sorted.
func runSpikes(t *testing.T, m *mapping.Mapped) []string {
	t.Helper()
	require.NoError(t, runOnly(m))
	out := spikesOf(m)
	require.NotEmpty(t, out)
	return out
}

// spikesOf lists the spikes a run recorded as "population neuron tick",
// sorted.
func spikesOf(m *mapping.Mapped) []string {
	var out []string
	for pi, ss := range m.Slices {
		for _, s := range ss {
			for i, ts := range s.Rec.SpikeTimes {
				for _, tk := range ts {
					out = append(out, fmt.Sprintf("%s %d %d", m.Net.Populations[pi].Label, s.Lo+i, tk))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
