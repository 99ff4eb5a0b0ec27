package network

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadSpecExample loads the example of the spec word for word and checks
// every field, defaults included.
func TestLoadSpecExample(t *testing.T) {
	net, err := Load("testdata/spec_example.json")
	require.NoError(t, err)

	assert.Equal(t, "izhikevich_single", net.Name)
	assert.Equal(t, 1.0, net.TimestepMs)
	assert.Equal(t, 3000.0, net.DurationMs)
	assert.Equal(t, 3000, net.Ticks())
	assert.Equal(t, uint64(1), net.Seed)
	assert.Equal(t, ArithmeticFixed, net.Arithmetic)
	assert.Equal(t, MachineSpec{Board: BoardSpiNN5, Boards: 1}, net.Machine)

	require.Len(t, net.Populations, 4)
	source := func(label string, times ...float64) Population {
		return Population{Label: label, Size: 1, CellType: SpikeSourceArray, SpikeTimes: [][]float64{times}}
	}
	assert.Equal(t, source("pre", 1500, 2400), net.Populations[0])
	assert.Equal(t, source("reward", 1600), net.Populations[1])
	assert.Equal(t, source("post_stim", 1502), net.Populations[2])
	assert.Equal(t, Population{
		Label: "post1", Size: 1, CellType: IFCurrExp,
		IF: IFCurrExpParams{Cm: 0.3, TauM: 10, TauRefrac: 4, TauSynE: 1, TauSynI: 1,
			VRest: -65, VReset: -70, VThresh: -55.4, IOffset: 0},
		Init:         IFCurrExpInit{V: Constant(-65), IsynExc: Constant(0), IsynInh: Constant(0)},
		RecordSpikes: true, RecordV: true,
	}, net.Populations[3])
	assert.Equal(t, 3, net.Population("post1"))
	assert.Equal(t, -1, net.Population("nobody"))

	require.Len(t, net.Projections, 3)
	allToAll := Connector{Type: AllToAll, AllowSelf: true}
	one := Value{Const: 1}
	assert.Equal(t, Projection{
		Label: "stim", Pre: "post_stim", Post: "post1", Connector: allToAll, Receptor: Excitatory,
		Synapse: Synapse{Type: StaticSynapse, Weight: Value{Const: 6}, Delay: one},
	}, net.Projections[0])
	assert.Equal(t, Projection{
		Label: "Pre-post projection", Pre: "pre", Post: "post1", Connector: allToAll, Receptor: Excitatory,
		Synapse: Synapse{Type: STDPMechanism, Weight: Value{Const: 0}, Delay: one,
			Timing:    &TimingRule{Type: SpikePairRule, TauPlus: 10, TauMinus: 12, APlus: 1, AMinus: 1},
			WeightDep: &WeightRule{Type: AdditiveWeightDependence, WMin: 0, WMax: 20}},
		RecordWeight: true,
	}, net.Projections[1])
	assert.Equal(t, Projection{
		Label: "reward synapses", Pre: "reward", Post: "post1", Connector: allToAll, Receptor: Reward,
		Synapse: Synapse{Type: Neuromodulation, Weight: Value{Const: 0.1}, Delay: one,
			TauC: 1000, TauD: 200, WMin: 0, WMax: 20},
	}, net.Projections[2])
}

// TestDefaults leaves out everything that may be left out.
func TestDefaults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tiny.net.json")
	require.NoError(t, os.WriteFile(path, []byte(`{
  "format": "spinnsim-network/1", "duration_ms": 10,
  "populations": [
    {"label": "a", "size": 2, "cell_type": "SpikeSourceArray"},
    {"label": "p", "size": 2, "cell_type": "SpikeSourcePoisson"},
    {"label": "n", "size": 2, "cell_type": "IF_curr_exp", "parameters": {"v_rest": -60}},
    {"label": "m", "size": 1, "cell_type": "IF_curr_exp"}
  ],
  "projections": [
    {"pre": "a", "post": "n", "connector": {"type": "AllToAllConnector"}},
    {"pre": "p", "post": "n", "connector": {"type": "FixedNumberPreConnector", "n": 2},
     "synapse": {"type": "STDPMechanism", "timing_dependence": {"type": "SpikePairRule"},
                 "weight_dependence": {"type": "AdditiveWeightDependence"}}},
    {"label": "dopa", "pre": "a", "post": "n", "connector": {"type": "OneToOneConnector"},
     "synapse": {"type": "Neuromodulation"}, "receptor_type": "reward"}
  ]}`), 0o644))

	net, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, "tiny.net", net.Name, "the base name without its last extension")
	assert.Equal(t, 1.0, net.TimestepMs)
	assert.Equal(t, 10, net.Ticks())
	assert.Equal(t, uint64(1), net.Seed)
	assert.Equal(t, ArithmeticFixed, net.Arithmetic)
	assert.Equal(t, MachineSpec{}, net.Machine, "no machine: the smallest that fits")
	assert.Equal(t, MappingSpec{Compressor: CompressorPair}, net.Mapping, "pair compressor, only where a table overflows")

	a, p, n, m := net.Populations[0], net.Populations[1], net.Populations[2], net.Populations[3]
	assert.Equal(t, [][]float64{nil, nil}, a.SpikeTimes, "PyNN's default: no spikes")
	assert.False(t, a.RecordSpikes)
	assert.Equal(t, []float64{1, 1}, p.Rates, "PyNN's default rate is 1 Hz")
	assert.Equal(t, 0.0, p.StartMs)
	assert.True(t, math.IsInf(p.DurationMs, 1))
	want := DefaultIFCurrExp()
	want.VRest = -60
	assert.Equal(t, want, n.IF)
	assert.Equal(t, IFCurrExpInit{V: Constant(-60), IsynExc: Constant(0), IsynInh: Constant(0)}, n.Init, "v starts at v_rest")
	assert.Equal(t, DefaultIFCurrExp(), m.IF)
	assert.Equal(t, IFCurrExpInit{V: Constant(-65), IsynExc: Constant(0), IsynInh: Constant(0)}, m.Init)
	assert.Zero(t, n.MaxAtomsPerCore)
	assert.Nil(t, n.Placement)

	static, stdp, nm := net.Projections[0], net.Projections[1], net.Projections[2]
	assert.Equal(t, "a->n", static.Label)
	assert.Equal(t, Excitatory, static.Receptor)
	assert.Equal(t, Synapse{Type: StaticSynapse, Weight: Value{}, Delay: Value{Const: 1}}, static.Synapse)
	assert.False(t, static.RecordWeight)
	assert.Equal(t, Connector{Type: FixedNumberPre, AllowSelf: true, N: 2}, stdp.Connector)
	assert.Equal(t, &TimingRule{Type: SpikePairRule, TauPlus: 20, TauMinus: 20, APlus: 0.01, AMinus: 0.01}, stdp.Synapse.Timing)
	assert.Equal(t, &WeightRule{Type: AdditiveWeightDependence, WMin: 0, WMax: 1}, stdp.Synapse.WeightDep)
	assert.Equal(t, Value{Const: 1}, stdp.Synapse.Delay)
	assert.Equal(t, Synapse{Type: Neuromodulation, Delay: Value{Const: 1}, TauC: 1000, TauD: 200, WMin: 0, WMax: 1}, nm.Synapse)
}

// TestLoadAllFeatures reads a file that uses every supported feature.
func TestLoadAllFeatures(t *testing.T) {
	net, err := Load("testdata/all_features.json")
	require.NoError(t, err)
	assert.Equal(t, "all_features", net.Name)
	assert.Equal(t, 0.1, net.TimestepMs)
	assert.Equal(t, 5000, net.Ticks())
	assert.Equal(t, uint64(42), net.Seed)
	assert.Equal(t, ArithmeticFloat, net.Arithmetic)
	assert.Equal(t, MachineSpec{Board: BoardSpiNN5, Boards: 3}, net.Machine)

	pops := net.Populations
	assert.Equal(t, [][]float64{{10, 20, 30}, {}, {5.5}}, pops[0].SpikeTimes, "sorted, one list per neuron")
	assert.True(t, pops[0].RecordSpikes)
	assert.Equal(t, []float64{10, 20, 0, 5}, pops[1].Rates)
	assert.Equal(t, 50.0, pops[1].StartMs)
	assert.Equal(t, 200.0, pops[1].DurationMs)
	assert.Equal(t, []float64{15, 15}, pops[2].Rates)
	exc := pops[3]
	assert.Equal(t, "exc, layer 1", exc.Label)
	assert.Equal(t, 0.0, exc.IF.TauRefrac)
	assert.Equal(t, 0.5, exc.IF.IOffset)
	assert.Equal(t, IFCurrExpInit{V: Constant(-60), IsynExc: Constant(0.1), IsynInh: Constant(0.2)}, exc.Init)
	assert.True(t, exc.RecordSpikes)
	assert.True(t, exc.RecordV)
	assert.Equal(t, 64, exc.MaxAtomsPerCore)
	assert.Equal(t, &Placement{X: 1, Y: 0, P: 3, HasP: true}, exc.Placement)
	assert.Equal(t, 10, pops[4].Size, "1e1 is a whole number")
	assert.Equal(t, &Placement{X: 0, Y: 1}, pops[4].Placement)
	assert.Equal(t, [][]float64{{100, 300}}, pops[5].SpikeTimes)

	projs := net.Projections
	assert.Equal(t, "dopamine->exc, layer 1", projs[0].Label)
	assert.Equal(t, Punishment, projs[0].Receptor)
	assert.Equal(t, Value{Const: 0.1}, projs[0].Synapse.Delay)
	assert.Equal(t, 0.05, projs[0].Synapse.Weight.Const)

	stdp := projs[1].Synapse
	assert.Equal(t, Value{Distribution: DistUniform, Low: 0.5, High: 1.5}, stdp.Weight)
	assert.Equal(t, Value{Distribution: DistNormal, Mu: 1.5, Sigma: 0.25}, stdp.Delay)
	assert.False(t, stdp.Weight.IsConstant())
	assert.Equal(t, &WeightRule{Type: MultiplicativeWeightDependence, WMin: 0, WMax: 2}, stdp.WeightDep)
	assert.True(t, projs[1].RecordWeight)

	assert.Equal(t, Connector{Type: FixedProbability, PConnect: 0.25}, projs[2].Connector)
	assert.Equal(t, 0.75, projs[2].Synapse.Weight.Const, "a negative inhibitory weight is its magnitude")
	assert.Equal(t, Inhibitory, projs[2].Receptor)
	assert.Equal(t, Connector{Type: FixedNumberPre, AllowSelf: true, N: 4}, projs[3].Connector)
	assert.Equal(t, Value{Const: 0.1}, projs[3].Synapse.Delay, "the default delay is one timestep")
	assert.Equal(t, Connector{Type: FixedNumberPost, AllowSelf: true, N: 20, WithReplacement: true}, projs[4].Connector)
	assert.Equal(t, Connector{Type: FixedTotalNumber, N: 90}, projs[5].Connector)

	w, d := 0.5, 0.3
	assert.Equal(t, Connector{Type: FromList, AllowSelf: true, List: []ListEntry{
		{Pre: 0, Post: 2}, {Pre: 1, Post: 0, Weight: &w, Delay: &d},
	}}, projs[6].Connector)
	assert.Equal(t, Connector{Type: AllToAll}, projs[7].Connector)
}

// TestSharedSpikeTimes: one list for every neuron.
func TestSharedSpikeTimes(t *testing.T) {
	net, err := Parse([]byte(`{"format": "spinnsim-network/1", "duration_ms": 10,
	  "populations": [{"label": "s", "size": 3, "cell_type": "SpikeSourceArray",
	                   "parameters": {"spike_times": [3, 1, 2, 1]}}]}`), "x")
	require.NoError(t, err)
	assert.Equal(t, [][]float64{{1, 1, 2, 3}, {1, 1, 2, 3}, {1, 1, 2, 3}}, net.Populations[0].SpikeTimes)
	assert.Equal(t, "x", net.Name)
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.json"))
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestErrorsFormat(t *testing.T) {
	_, err := Parse([]byte(`{"duration_ms": -1, "seed": 0.5}`), "x")
	var errs Errors
	require.ErrorAs(t, err, &errs)
	assert.Equal(t, "format: is required\n"+
		"duration_ms: must be > 0\n"+
		"seed: must be an integer, not 0.5", err.Error())
	assert.Equal(t, "whole file", Problem{Msg: "whole file"}.String())
}

// The samples in testdata must stay valid, whatever else is added there.
func TestTestdataSamplesLoad(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			_, err := Load(f)
			require.NoError(t, err)
		})
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := Parse([]byte(`[]`), "x")
	var errs Errors
	require.True(t, errors.As(err, &errs))
	assert.Equal(t, Errors{{Path: "", Msg: "must be an object, not an array"}}, errs)
}

// Faults, the mapping options, normal_clipped and initial values given per
// neuron or as a distribution.
func TestLoadMachineFaultsAndDistributions(t *testing.T) {
	net, err := Parse([]byte(`{"format": "spinnsim-network/1", "duration_ms": 10,
	  "machine": {"board": "spinn-5", "dead_chips": [[3, 3]], "dead_cores": [[0, 0, 5], [1, 1, 17]],
	              "dead_links": [[2, 2, "north_east"], [4, 4, "south"]]},
	  "mapping": {"compressor": "ordered_covering", "compress_always": true},
	  "populations": [
	    {"label": "a", "size": 3, "cell_type": "SpikeSourceArray"},
	    {"label": "n", "size": 3, "cell_type": "IF_curr_exp",
	     "initial_values": {"v": [-60, -61, -62.5], "isyn_exc": {"distribution": "uniform", "low": 0, "high": 0.5},
	                        "isyn_inh": {"distribution": "normal_clipped", "mu": 0.1, "sigma": 0.05, "low": 0}}}],
	  "projections": [
	    {"pre": "a", "post": "n", "connector": {"type": "OneToOneConnector"},
	     "synapse": {"type": "StaticSynapse",
	                 "weight": {"distribution": "normal_clipped", "mu": 0.5, "sigma": 0.1, "low": 0.2, "high": 0.9},
	                 "delay": {"distribution": "normal_clipped", "mu": 1.5, "sigma": 0.75, "low": 1}}}]}`), "x")
	require.NoError(t, err)
	assert.Equal(t, MachineSpec{Board: BoardSpiNN5, Boards: 1,
		DeadChips: []ChipXY{{3, 3}}, DeadCores: []CoreXYP{{0, 0, 5}, {1, 1, 17}},
		DeadLinks: []LinkXY{{2, 2, 1}, {4, 4, 5}}}, net.Machine)
	assert.Equal(t, MappingSpec{Compressor: CompressorOrderedCovering, CompressAlways: true}, net.Mapping)
	n := net.Populations[1]
	assert.Equal(t, InitialValue{PerNeuron: []float64{-60, -61, -62.5}}, n.Init.V)
	assert.Equal(t, InitialValue{Value: Value{Distribution: DistUniform, Low: 0, High: 0.5}}, n.Init.IsynExc)
	assert.Equal(t, InitialValue{Value: Value{Distribution: DistNormalClipped, Mu: 0.1, Sigma: 0.05, Low: 0, High: math.Inf(1)}}, n.Init.IsynInh)
	syn := net.Projections[0].Synapse
	assert.Equal(t, Value{Distribution: DistNormalClipped, Mu: 0.5, Sigma: 0.1, Low: 0.2, High: 0.9}, syn.Weight)
	assert.Equal(t, Value{Distribution: DistNormalClipped, Mu: 1.5, Sigma: 0.75, Low: 1, High: math.Inf(1)}, syn.Delay)
}

func TestClippedMass(t *testing.T) {
	v := Value{Distribution: DistNormalClipped, Mu: 0, Sigma: 1, Low: -1, High: 1}
	assert.InDelta(t, 0.682689492, ClippedMass(v), 1e-9, "one sigma either side")
	v.Low = math.Inf(-1)
	v.High = 0
	assert.InDelta(t, 0.5, ClippedMass(v), 1e-12)
	assert.Equal(t, 1.0, ClippedMass(Value{Mu: 2, Low: 2, High: 2}), "sigma 0 inside")
	assert.Equal(t, 0.0, ClippedMass(Value{Mu: 2, Low: 3, High: 4}), "sigma 0 outside")
}
