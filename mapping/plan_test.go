package mapping_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
)

// The plan's estimate of a neuron core's memories is what the built core
// says it needs when the statistics are exact (all-to-all rows), and no
// less when they are a bound (random rows).
func TestEstimateMatchesCores(t *testing.T) {
	for _, conn := range []string{`{"type":"AllToAllConnector"}`, `{"type":"FixedProbabilityConnector","p_connect":0.2}`} {
		for _, plastic := range []bool{false, true} {
			syn := `{"type":"StaticSynapse","weight":0.5,"delay":{"distribution":"uniform","low":1,"high":7}}`
			extra := ""
			if plastic {
				syn = `{"type":"STDPMechanism","timing_dependence":{"type":"SpikePairRule"},"weight_dependence":{"type":"AdditiveWeightDependence"},"weight":0.5,"delay":3}`
				extra = `,{"pre":"r","post":"b","connector":{"type":"AllToAllConnector"},"synapse":{"type":"Neuromodulation","weight":0.1},"receptor_type":"reward"}`
			}
			net := parse(t, fmt.Sprintf(`{"format":"spinnsim-network/1","duration_ms":10,
			 "populations":[{"label":"a","size":300,"cell_type":"SpikeSourcePoisson"},{"label":"r","size":2,"cell_type":"SpikeSourceArray"},
			  {"label":"b","size":200,"cell_type":"IF_curr_exp","max_atoms_per_core":64}],
			 "projections":[{"pre":"a","post":"b","connector":%s,"synapse":%s}%s]}`, conn, syn, extra))
			m, err := mapping.Map(net)
			require.NoError(t, err)
			for _, s := range m.Slices[2] {
				got := s.Core.App.Memory()
				assert.Equal(t, got.ITCM, s.Est.ITCM, "%s plastic=%v", conn, plastic)
				if conn == `{"type":"AllToAllConnector"}` {
					assert.Equal(t, got.DTCM, s.Est.DTCM, "%s plastic=%v", conn, plastic)
				} else {
					assert.GreaterOrEqual(t, s.Est.DTCM, got.DTCM, "%s plastic=%v", conn, plastic)
					assert.Less(t, s.Est.DTCM-got.DTCM, 2048, "a bound, not a guess")
				}
				want := 1 // a's one slice
				if plastic {
					want = 2 // and r's
				}
				assert.Equal(t, want, s.Est.Sources)
				assert.Equal(t, 300+2*(want-1), s.Est.Rows)
			}
		}
	}
}

// Split slices: the neuron core's estimate is what it needs; each synapse
// core's is no less than what it needs (the plan shares the sources out
// evenly; load gives each source to one synapse core, dopamine to all).
func TestEstimateMatchesSplitCores(t *testing.T) {
	net := parse(t, `{"format":"spinnsim-network/1","duration_ms":10,
	 "populations":[{"label":"a","size":300,"cell_type":"SpikeSourcePoisson","max_atoms_per_core":100},
	  {"label":"r","size":2,"cell_type":"SpikeSourceArray"},
	  {"label":"b","size":200,"cell_type":"IF_curr_exp","max_atoms_per_core":64,"splitter":{"synapse_cores":2}}],
	 "projections":[{"pre":"a","post":"b","connector":{"type":"AllToAllConnector"},
	   "synapse":{"type":"STDPMechanism","timing_dependence":{"type":"SpikePairRule"},"weight_dependence":{"type":"AdditiveWeightDependence"},"weight":0.5,"delay":3}},
	  {"pre":"r","post":"b","connector":{"type":"AllToAllConnector"},"synapse":{"type":"Neuromodulation","weight":0.1},"receptor_type":"reward"}]}`)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	cores := map[[3]int]*core.Core{}
	for _, c := range m.Cores {
		cores[[3]int{c.Chip.X, c.Chip.Y, c.P}] = c
	}
	for _, s := range m.Slices[2] {
		require.Len(t, s.SynCores, 2)
		got := s.Core.App.Memory()
		assert.Equal(t, got, core.Memory{DTCM: s.Est.DTCM, ITCM: s.Est.ITCM}, "neuron core")
		for _, sc := range s.SynCores {
			c := cores[[3]int{s.Chip.X, s.Chip.Y, sc.P}]
			require.NotNil(t, c)
			got := c.App.Memory()
			assert.Equal(t, got.ITCM, s.Est.SynITCM)
			assert.GreaterOrEqual(t, s.Est.SynDTCM, got.DTCM)
			assert.Less(t, s.Est.SynDTCM-got.DTCM, 64, "three sources shared out: at most one table entry apart")
		}
	}
}

// Initial values drawn from a distribution depend on the seed only, not on
// how the population is sliced; a list gives each neuron its value.
func TestInitialValues(t *testing.T) {
	js := `{"format":"spinnsim-network/1","duration_ms":2,"populations":[
	  {"label":"n","size":40,"cell_type":"IF_curr_exp","max_atoms_per_core":%d,"record":["v"],
	   "initial_values":{"v":{"distribution":"normal_clipped","mu":-58,"sigma":10,"low":-80,"high":-50.5}}},
	  {"label":"l","size":3,"cell_type":"IF_curr_exp","record":["v"],"initial_values":{"v":[-60,-61,-62]}}]}`
	first := func(atoms int, seed uint64) []float64 {
		net := parse(t, fmt.Sprintf(js, atoms))
		net.Seed = seed
		m, err := mapping.Map(net)
		require.NoError(t, err)
		require.NoError(t, runOnly(m))
		var v []float64
		for _, s := range m.Slices[0] {
			for i := range s.Hi - s.Lo {
				v = append(v, s.Rec.BufferedNeuron(core.V, i)[0])
			}
		}
		for i, want := range []float64{-60, -61, -62} {
			assert.InDelta(t, want, m.Slices[1][0].Rec.BufferedNeuron(core.V, i)[0], 1e-3)
		}
		return v
	}
	a, b := first(7, 1), first(40, 1)
	require.Len(t, a, 40)
	for i := range a {
		assert.InDelta(t, a[i], b[i], 1e-9, "neuron %d", i)
		assert.True(t, a[i] >= -80 && a[i] <= -50.5, "%v", a[i])
	}
	assert.NotEqual(t, a, first(7, 2), "another seed, other values")
	spread := 0.0
	for _, x := range a {
		spread = max(spread, x-a[0], a[0]-x)
	}
	assert.Greater(t, spread, 5.0, "drawn, not one value")
}

// 700 sources × 50 nA onto one neuron needs a ring-buffer shift of 16, as
// in sPyNNaker's hardware test, and runs: weights read back exactly, and
// the 35,000 nA input arrives whole (fixed point against float).
func TestShiftSixteen(t *testing.T) {
	js := `{"format":"spinnsim-network/1","duration_ms":6,"arithmetic":"%s",
	 "populations":[{"label":"s","size":700,"cell_type":"SpikeSourceArray","parameters":{"spike_times":[2]}},
	  {"label":"n","size":1,"cell_type":"IF_curr_exp","parameters":{"cm":1000,"tau_m":1000,"v_thresh":1000},"record":["v"]}],
	 "projections":[{"pre":"s","post":"n","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":50},"record":["weight"]}]}`
	// rise is v's rise in the tick after the input lands.
	rise := func(weight, arith string, shift uint32) float64 {
		m, err := mapping.Map(parse(t, strings.Replace(fmt.Sprintf(js, arith), `"weight":50`, `"weight":`+weight, 1)))
		require.NoError(t, err)
		require.EqualValues(t, shift, m.Shift[1][0])
		require.NoError(t, runOnly(m))
		ws := m.Slices[1][0].Syn[0].Weights(0)
		require.Len(t, ws, 700)
		w, _ := strconv.ParseFloat(weight, 64)
		for _, x := range ws {
			require.Equal(t, w, x.Weight, "read back exactly")
		}
		tr := m.Slices[1][0].Rec.BufferedNeuron(core.V, 0)
		return tr[4] - tr[3]
	}
	// Fixed point and float differ by the kernel's own error, the same
	// fraction at a shift of 16 (50 nA) as at 15 (30 nA): the shift loses
	// nothing.
	r16 := rise("50", "fixed", 16) / rise("50", "float", 16)
	r15 := rise("30", "fixed", 15) / rise("30", "float", 15)
	assert.InDelta(t, r15, r16, 1e-4)
	assert.InDelta(t, 1, r16, 0.01)
	// 65,536 nA or more cannot be held by an s16.15 input at all.
	_, err := mapping.Map(parse(t, strings.Replace(fmt.Sprintf(js, "fixed"), `"weight":50`, `"weight":100`, 1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "populations[1]: its excitatory input can reach 7e+04 nA")
	assert.Contains(t, err.Error(), "shift of 17, more than 16")
}
