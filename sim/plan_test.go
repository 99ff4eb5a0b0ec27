package sim_test

import (
	"fmt"
	"math/bits"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sim"
)

func mapText(t *testing.T, text string) *mapping.Mapped {
	t.Helper()
	net, err := network.Parse([]byte(text), "plan")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	return m
}

// labels names each stage's cores by their labels, sorted, with L for a
// lockstep stage and F for one that runs ahead.
func labels(m *mapping.Mapped, stages []sim.Stage) []string {
	var out []string
	for _, s := range stages {
		var ls []string
		for _, i := range s.Cores {
			ls = append(ls, m.Cores[i].Label)
		}
		slices.Sort(ls)
		kind := "F"
		if s.Lockstep {
			kind = "L"
		}
		out = append(out, kind+" "+strings.Join(ls, " "))
	}
	return out
}

// The guide's second example is feed-forward: its twelve spike sources run
// ahead first, then its ten populations, which receive only from them.
func TestPlanTenPops(t *testing.T) {
	net, err := network.Load("../examples/ten_pops.json")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	st := sim.Plan(m)
	require.Len(t, st, 2)
	assert.False(t, st[0].Lockstep)
	assert.False(t, st[1].Lockstep)
	assert.Len(t, st[0].Cores, 12)
	assert.Len(t, st[1].Cores, 10)
	for _, i := range st[0].Cores {
		assert.Regexp(t, `^(stim\d|reward|punishment)\[`, m.Cores[i].Label)
	}
	for _, i := range st[1].Cores {
		assert.Regexp(t, `^post\d\[`, m.Cores[i].Label)
	}
}

// A chain through a recurrent population and a split one: the recurrent
// population goes tick by tick (it feeds itself), and its source with it
// (it feeds only cores in lockstep, so running ahead would gain nothing);
// the split population's neuron and synapse cores go tick by tick together
// (SDRAM ties them both ways), after it; the silent reader of the split
// population runs ahead last, and an unconnected population first.
// Populations on other chips are reached through the links.
func TestPlanStages(t *testing.T) {
	m := mapText(t, `{"format": "spinnsim-network/1", "duration_ms": 10,
	 "populations": [
	  {"label": "src", "size": 10, "cell_type": "SpikeSourcePoisson", "parameters": {"rate": 10}},
	  {"label": "rec", "size": 10, "cell_type": "IF_curr_exp", "placement": {"x": 1, "y": 0}},
	  {"label": "split", "size": 10, "cell_type": "IF_curr_exp", "splitter": {"synapse_cores": 2}, "placement": {"x": 0, "y": 1}},
	  {"label": "out", "size": 10, "cell_type": "IF_curr_exp"},
	  {"label": "idle", "size": 10, "cell_type": "IF_curr_exp"}],
	 "projections": [
	  {"pre": "src", "post": "rec", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse", "weight": 1}},
	  {"pre": "rec", "post": "rec", "connector": {"type": "AllToAllConnector"}, "synapse": {"type": "StaticSynapse", "weight": 0.1, "delay": 2}},
	  {"pre": "rec", "post": "split", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse", "weight": 1}},
	  {"pre": "split", "post": "out", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse", "weight": 1}}]}`)
	st := sim.Plan(m)
	assert.Equal(t, []string{
		"F idle[0:10]",
		"L rec[0:10] src[0:10]",
		"L split[0:10] split[0:10] synapses 0 split[0:10] synapses 1",
		"F out[0:10]",
	}, labels(m, st))
}

// Two populations that feed each other go tick by tick together, wherever
// they are.
func TestPlanCycle(t *testing.T) {
	m := mapText(t, `{"format": "spinnsim-network/1", "duration_ms": 10,
	 "populations": [
	  {"label": "a", "size": 10, "cell_type": "IF_curr_exp", "placement": {"x": 0, "y": 0}},
	  {"label": "b", "size": 10, "cell_type": "IF_curr_exp", "placement": {"x": 2, "y": 2}},
	  {"label": "c", "size": 10, "cell_type": "IF_curr_exp", "placement": {"x": 1, "y": 0}}],
	 "projections": [
	  {"pre": "a", "post": "b", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse", "weight": 1}},
	  {"pre": "b", "post": "a", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse", "weight": 1}},
	  {"pre": "b", "post": "c", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse", "weight": 1}}]}`)
	assert.Equal(t, []string{"L a[0:10] b[0:10]", "F c[0:10]"}, labels(m, sim.Plan(m)))
}

// An idle board runs ahead as one stage.
func TestPlanIdleBoard(t *testing.T) {
	m := mapText(t, `{"format": "spinnsim-network/1", "duration_ms": 10, "machine": {"board": "spinn-5"},
	 "populations": [{"label": "idle", "size": 768, "cell_type": "IF_curr_exp", "max_atoms_per_core": 1}]}`)
	st := sim.Plan(m)
	require.Len(t, st, 1)
	assert.False(t, st[0].Lockstep)
	assert.Len(t, st[0].Cores, 768)
}

// The plan never misses a dependency: in every example, each key a core
// can send, looked up one by one through the routing tables as the routers
// do (default routes included), reaches only cores of later stages, or of
// the sender's own stage if that is lockstep. This checks the plan's
// matching of whole key spaces against the tables' own lookups.
func TestPlanCoversEveryRoute(t *testing.T) {
	files, err := filepath.Glob("../examples/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		net, err := network.Load(file)
		require.NoError(t, err)
		m, err := mapping.Map(net)
		require.NoError(t, err)
		stages := sim.Plan(m)
		stageOf := map[string]int{}
		covered := 0
		for s, st := range stages {
			for _, i := range st.Cores {
				c := m.Cores[i]
				stageOf[fmt.Sprint(c.Chip, c.P)] = s
				covered++
			}
		}
		require.Equal(t, len(m.Cores), covered, "%s: every core in one stage", file)

		f := sim.NewFabric(m)
		type space struct {
			from     string
			chip     int
			key, top uint32 // keys key | i, i < top
		}
		var spaces []space
		add := func(c *core.Core, key, top uint32) {
			ci, ok := f.Index(c.Chip)
			require.True(t, ok)
			spaces = append(spaces, space{fmt.Sprint(c.Chip, c.P), ci, key, top})
		}
		for _, ss := range m.Slices {
			for _, s := range ss {
				if s.Core != nil && s.Sends {
					add(s.Core, s.Key, uint32(s.Hi-s.Lo))
				}
				if d := s.Delay; d != nil {
					add(d.Core, d.Key, uint32(d.Stages)<<d.AtomBits)
				}
			}
		}
		require.NotEmpty(t, spaces)
		for _, sp := range spaces {
			from := stageOf[sp.from]
			for i := range sp.top {
				key := sp.key | i
				for _, to := range reach(f, sp.chip, key) {
					s := stageOf[to]
					ok := s > from || s == from && stages[s].Lockstep
					assert.True(t, ok, "%s: key %#x of core %s (stage %d) reaches core %s (stage %d)", file, key, sp.from, from, to, s)
				}
			}
		}
	}
}

// reach follows a key from a core of chip ci through the tables with
// Lookup, as the routers do, and returns the cores it reaches.
func reach(f *sim.Fabric, ci int, key uint32) []string {
	type at struct{ chip, from int }
	seen := map[at]bool{}
	queue := []at{{ci, router.FromLocal}}
	var out []string
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		if seen[a] {
			continue
		}
		seen[a] = true
		rt, _, ok := f.Router(a.chip).Table.Lookup(key)
		if !ok {
			if a.from == router.FromLocal {
				continue
			}
			rt = 1 << uint(machine.Link(a.from).Opposite())
		}
		for ls := uint32(rt & router.LinkMask); ls != 0; ls &= ls - 1 {
			l := machine.Link(bits.TrailingZeros32(ls))
			if j := f.Neighbour(a.chip, l); j >= 0 {
				queue = append(queue, at{j, int(l.Opposite())})
			}
		}
		for cs := uint32(rt&router.CoreMask) >> machine.NumLinks; cs != 0; cs &= cs - 1 {
			if c := f.Core(a.chip, bits.TrailingZeros32(cs)); c != nil {
				out = append(out, fmt.Sprint(c.Chip, c.P))
			}
		}
	}
	return out
}
