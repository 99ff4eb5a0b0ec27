package mapping_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/sim"
)

func loadNet(t *testing.T, file string) *network.Network {
	t.Helper()
	n, err := network.Load(file)
	require.NoError(t, err)
	return n
}

func parse(t *testing.T, js string) *network.Network {
	t.Helper()
	n, err := network.Parse([]byte(js), "test")
	require.NoError(t, err)
	return n
}

// Ring-buffer shifts of the reference: k = 5 for the guide's first example
// (static 6 + STDP w_max 20), k = 6 for the second (3 spikes/tick × 20).
func TestShifts(t *testing.T) {
	m, err := mapping.Map(loadNet(t, "../examples/izhikevich_single.json"))
	require.NoError(t, err)
	post := m.Net.Population("post1")
	assert.EqualValues(t, 5, m.Shift[post][kernels.SynExc])
	m, err = mapping.Map(loadNet(t, "../examples/ten_pops.json"))
	require.NoError(t, err)
	assert.EqualValues(t, 6, m.Shift[m.Net.Population("post3")][kernels.SynExc])
	assert.Equal(t, network.BoardSpiNN3, m.Machine.Board, "22 cores fit the smallest machine")
	assert.Len(t, m.Cores, 22)
}

func TestKeysAndTables(t *testing.T) {
	m, err := mapping.Map(loadNet(t, "../examples/ten_pops.json"))
	require.NoError(t, err)
	seen := map[uint32]bool{}
	for _, ss := range m.Slices {
		for _, s := range ss {
			assert.False(t, seen[s.Key], "key %#x used twice", s.Key)
			seen[s.Key] = true
			assert.Zero(t, s.Key&^s.Mask)
		}
	}
	// Every source chip has an entry for each of its slices with targets:
	// local packets that match nothing are dropped.
	for _, ss := range m.Slices {
		for _, s := range ss {
			r := m.Router(s.Chip)
			_, _, ok := r.Table.Lookup(s.Key)
			assert.Equal(t, !s.Core.Silent, ok, "%s", s.Core.Label)
		}
	}
}

// A long straight route needs entries only where it starts and ends: the
// chips in between carry the packets by default routing.
func TestDefaultRoutes(t *testing.T) {
	net := parse(t, `{"format":"spinnsim-network/1","duration_ms":20,"machine":{"board":"spinn-5"},
	 "populations":[
	  {"label":"src","size":1,"cell_type":"SpikeSourceArray","parameters":{"spike_times":[1,2,3]},"placement":{"x":0,"y":0}},
	  {"label":"dst","size":1,"cell_type":"IF_curr_exp","placement":{"x":4,"y":0},"record":["v"]}],
	 "projections":[{"pre":"src","post":"dst","connector":{"type":"OneToOneConnector"},
	   "synapse":{"type":"StaticSynapse","weight":1}}]}`)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	for x := 1; x <= 3; x++ {
		assert.Zero(t, m.Router(machine.XY{X: x, Y: 0}).Table.Len(), "chip (%d,0)", x)
	}
	assert.Equal(t, 1, m.Router(machine.XY{}).Table.Len())
	assert.Equal(t, 1, m.Router(machine.XY{X: 4}).Table.Len())
	require.NoError(t, sim.Sequential{}.Run(context.Background(), m, nil))
	for x := 1; x <= 3; x++ {
		assert.EqualValues(t, 3, m.Router(machine.XY{X: x, Y: 0}).Counters.DefaultRouted)
	}
	dst := m.Slices[1][0].Core
	assert.EqualValues(t, 3, dst.Counters.PacketsReceived)
}

func TestPlacementErrors(t *testing.T) {
	cases := map[string]string{
		`{"x":9,"y":9}`:       "populations[0].placement: chip (9,9) is not on",
		`{"x":0,"y":0,"p":3}`: "populations[1].placement: core 3 of chip (0,0) is not free",
	}
	for pl, want := range cases {
		second := `{"x":0,"y":0,"p":3}`
		if strings.Contains(pl, "9") {
			second = `{"x":0,"y":0}`
		}
		net := parse(t, fmt.Sprintf(`{"format":"spinnsim-network/1","duration_ms":10,"machine":{"board":"spinn-5"},
		 "populations":[{"label":"a","size":1,"cell_type":"IF_curr_exp","placement":%s},
		  {"label":"b","size":1,"cell_type":"IF_curr_exp","placement":%s}]}`, pl, second))
		_, err := mapping.Map(net)
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
	}
}

// A plastic population too big for one core's DTCM is split into smaller
// slices; when the file fixes the slice size, the user is told.
func TestDTCMShrinks(t *testing.T) {
	js := `{"format":"spinnsim-network/1","duration_ms":10,
	 "populations":[
	  {"label":"pre","size":256,"cell_type":"SpikeSourcePoisson","parameters":{"rate":10}},
	  {"label":"r","size":1,"cell_type":"SpikeSourceArray"},
	  {"label":"post","size":256,"cell_type":"IF_curr_exp"%s}],
	 "projections":[
	  {"pre":"pre","post":"post","connector":{"type":"FixedProbabilityConnector","p_connect":0.1},
	   "synapse":{"type":"STDPMechanism","timing_dependence":{"type":"SpikePairRule"},
	    "weight_dependence":{"type":"AdditiveWeightDependence"},"weight":0.5}},
	  {"pre":"r","post":"post","connector":{"type":"AllToAllConnector"},
	   "synapse":{"type":"Neuromodulation","weight":0.1},"receptor_type":"reward"}]}`
	m, err := mapping.Map(parse(t, fmt.Sprintf(js, "")))
	require.NoError(t, err)
	post := m.Slices[2]
	assert.Greater(t, len(post), 1)
	for _, s := range post {
		assert.LessOrEqual(t, s.Core.App.Memory().DTCM, 64*1024)
	}
	_, err = mapping.Map(parse(t, fmt.Sprintf(js, `,"max_atoms_per_core":256`)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "populations[2]")
	assert.Contains(t, err.Error(), "DTCM")
}

// SpikeNearestPairRule has no neuromodulation build in sPyNNaker.
func TestNearestPairIsNotNeuromodulated(t *testing.T) {
	_, err := mapping.Map(parse(t, `{"format":"spinnsim-network/1","duration_ms":10,
	 "populations":[{"label":"a","size":1,"cell_type":"SpikeSourceArray"},{"label":"b","size":1,"cell_type":"IF_curr_exp"}],
	 "projections":[{"pre":"a","post":"b","connector":{"type":"AllToAllConnector"},
	   "synapse":{"type":"STDPMechanism","timing_dependence":{"type":"SpikeNearestPairRule"},"weight_dependence":{"type":"AdditiveWeightDependence"}}},
	  {"label":"r","pre":"a","post":"b","connector":{"type":"AllToAllConnector"},
	   "synapse":{"type":"Neuromodulation","weight":0.1},"receptor_type":"reward"}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "projections[0].synapse.timing_dependence")
	assert.Contains(t, err.Error(), "no neuromodulation build")
}

// More cores than a SpiNN-3 board has: the smallest machine is a SpiNN-5.
func TestSmallestMachine(t *testing.T) {
	var pops []string
	for i := 0; i < 70; i++ {
		pops = append(pops, fmt.Sprintf(`{"label":"p%d","size":1,"cell_type":"IF_curr_exp"}`, i))
	}
	m, err := mapping.Map(parse(t, `{"format":"spinnsim-network/1","duration_ms":10,"populations":[`+strings.Join(pops, ",")+`]}`))
	require.NoError(t, err)
	assert.Equal(t, network.BoardSpiNN5, m.Machine.Board)
	assert.Equal(t, 1, m.Machine.Boards)
}

// Structural plasticity with neuromodulated STDP does not fit a combined
// core's 32 KiB of ITCM: the population is split into a neuron core and one
// synapse core by itself, as sPyNNaker's splitter selector does. Without
// neuromodulation it stays combined.
func TestAutoSplit(t *testing.T) {
	js := `{"format":"spinnsim-network/1","duration_ms":10,
	 "populations":[{"label":"a","size":4,"cell_type":"SpikeSourceArray"},{"label":"r","size":4,"cell_type":"SpikeSourceArray"},
	   {"label":"b","size":4,"cell_type":"IF_curr_exp"}],
	 "projections":[{"pre":"a","post":"b","connector":{"type":"FixedProbabilityConnector","p_connect":0},
	   "synapse":{"type":"StructuralMechanismSTDP","timing_dependence":{"type":"SpikePairRule"},"weight_dependence":{"type":"AdditiveWeightDependence"},
	     "partner_selection":{"type":"RandomSelection"},"formation":{"type":"DistanceDependentFormation","grid":[2,2]},
	     "elimination":{"type":"RandomByWeightElimination","threshold":0.5}}}%s]}`
	nm := `,{"label":"rew","pre":"r","post":"b","connector":{"type":"OneToOneConnector"},"synapse":{"type":"Neuromodulation","weight":0.1},"receptor_type":"reward"}`
	for _, c := range []struct {
		extra string
		split bool
	}{{nm, true}, {"", false}} {
		m, err := mapping.Map(parse(t, fmt.Sprintf(js, c.extra)))
		require.NoError(t, err)
		b := m.Net.Population("b")
		assert.Equal(t, c.split, mapping.AutoSplit(m.Net, b))
		s := m.Slices[b][0]
		if c.split {
			require.Len(t, s.SynCores, 1)
			assert.Contains(t, m.Notes, "population b: split into a neuron core and a synapse core by itself: its combined core's code would not fit a core's 32 KiB of ITCM")
			assert.LessOrEqual(t, s.SynCores[0].Core.App.Memory().ITCM, 32*1024)
		} else {
			assert.Empty(t, s.SynCores)
		}
	}
}
