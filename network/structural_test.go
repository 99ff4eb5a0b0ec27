package network

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Building blocks for structural projections into nrn (2 neurons).
const (
	partnerRandom = `"partner_selection": {"type": "RandomSelection"}`
	formation21   = `"formation": {"type": "DistanceDependentFormation", "grid": [2, 1]}`
	elimHalf      = `"elimination": {"type": "RandomByWeightElimination", "threshold": 0.5}`
	structRules   = partnerRandom + `, ` + formation21 + `, ` + elimHalf
	pairRules     = `"timing_dependence": {"type": "SpikePairRule"}, "weight_dependence": {"type": "AdditiveWeightDependence"}`
	noConns       = `"connector": {"type": "FixedProbabilityConnector", "p_connect": 0}`
)

// structStatic writes a StructuralMechanismStatic synapse with extra keys
// (with a leading comma).
func structStatic(extra string) string {
	return `"synapse": {"type": "StructuralMechanismStatic", ` + structRules + extra + `}`
}

// structSTDP writes a StructuralMechanismSTDP synapse with extra keys.
func structSTDP(extra string) string {
	return `"synapse": {"type": "StructuralMechanismSTDP", ` + structRules + `, ` + pairRules + extra + `}`
}

// sproj writes a projection from pre to nrn with a label and extra keys.
func sproj(label, pre, keys string) string {
	return `{"label": "` + label + `", "pre": "` + pre + `", "post": "nrn", ` + noConns + `, ` + keys + `}`
}

func TestStructuralProblems(t *testing.T) {
	both := srcPop + "," + nrnPop
	three := both + `, {"label": "src2", "size": 2, "cell_type": "SpikeSourceArray"}`
	cases := []struct {
		name string
		json string
		want []want
	}{
		{"out of range", file("", both, sproj("s", "src", `"synapse": {"type": "StructuralMechanismStatic",
		   "partner_selection": {"type": "LastNeuronSelection", "spike_buffer_size": 0},
		   "formation": {"type": "DistanceDependentFormation", "grid": [2, 1], "p_form_forward": 1.5,
		                 "sigma_form_forward": 0, "p_form_lateral": -0.1, "sigma_form_lateral": -1},
		   "elimination": {"type": "RandomByWeightElimination", "threshold": -1, "prob_elim_depressed": 2,
		                   "prob_elim_potentiated": -1},
		   "f_rew": 0, "s_max": 0, "initial_weight": -0.5, "initial_delay": 0.5, "with_replacement": 1}`)),
			[]want{
				{"projections[0].synapse.partner_selection.spike_buffer_size", "must be >= 1"},
				{"projections[0].synapse.formation.p_form_forward", "must be between 0 and 1"},
				{"projections[0].synapse.formation.sigma_form_forward", "must be > 0"},
				{"projections[0].synapse.formation.p_form_lateral", "must be between 0 and 1"},
				{"projections[0].synapse.formation.sigma_form_lateral", "must be > 0"},
				{"projections[0].synapse.elimination.threshold", "must be >= 0"},
				{"projections[0].synapse.elimination.prob_elim_depressed", "must be between 0 and 1"},
				{"projections[0].synapse.elimination.prob_elim_potentiated", "must be between 0 and 1"},
				{"projections[0].synapse.f_rew", "must be > 0"},
				{"projections[0].synapse.s_max", "must be >= 1"},
				{"projections[0].synapse.initial_weight", "must be >= 0"},
				{"projections[0].synapse.initial_delay", "must be >= one timestep (1 ms)"},
				{"projections[0].synapse.with_replacement", "must be a boolean, not a number"},
			}},
		{"grid", file("", both+","+bigPop, `
		  `+sproj("a", "src", `"synapse": {"type": "StructuralMechanismStatic", `+partnerRandom+`, `+elimHalf+`,
		     "formation": {"type": "DistanceDependentFormation", "grid": [2, 2]}}`)+`,
		  {"label": "b", "pre": "src", "post": "big", `+noConns+`, "synapse": {"type": "StructuralMechanismStatic", `+partnerRandom+`, `+elimHalf+`,
		     "formation": {"type": "DistanceDependentFormation", "grid": [3]}}},
		  {"label": "c", "pre": "nrn", "post": "big", `+noConns+`, "synapse": {"type": "StructuralMechanismStatic", `+partnerRandom+`, `+elimHalf+`,
		     "formation": {"type": "DistanceDependentFormation", "grid": [0, 1.5]}}},
		  {"label": "d", "pre": "big", "post": "big", `+noConns+`, "synapse": {"type": "StructuralMechanismStatic", `+partnerRandom+`, `+elimHalf+`,
		     "formation": {"type": "DistanceDependentFormation", "grid": "3x1"}}}`),
			[]want{
				{"projections[0].synapse.formation.grid", `is 2 × 2 = 4 places but "nrn" has 2 neurons: the grid's x·y must be the post population's size`},
				{"projections[1].synapse.formation.grid", "must be [x, y], two positive integers, not 1 numbers"},
				{"projections[2].synapse.formation.grid[0]", "must be >= 1"},
				{"projections[2].synapse.formation.grid[1]", "must be an integer, not 1.5"},
				{"projections[3].synapse.formation.grid", "must be an array, not a string"},
			}},
		{"required keys and unknown keys", file("", both, sproj("s", "src", `"synapse": {"type": "StructuralMechanismSTDP",
		   "formation": {"type": "DistanceDependentFormation", "sigma": 1},
		   "elimination": {"type": "RandomByWeightElimination"}, "seed": 3, "backprop_delay": true}`)),
			[]want{
				{"projections[0].synapse.timing_dependence", "is required"},
				{"projections[0].synapse.weight_dependence", "is required"},
				{"projections[0].synapse.partner_selection", "is required"},
				{"projections[0].synapse.formation.grid", "is required"},
				{"projections[0].synapse.formation.sigma", "unknown key"},
				{"projections[0].synapse.elimination.threshold", "is required"},
				{"projections[0].synapse.seed", "unknown key"},
				{"projections[0].synapse.backprop_delay", "unknown key"},
			}},
		{"unknown rule types", file("", both, sproj("s", "src", `"synapse": {"type": "StructuralMechanismStatic",
		   "partner_selection": {"type": "LastNeuron"}, "formation": {"type": "DistanceDependentFormation", "grid": [2, 1]},
		   "elimination": {"type": "RandomByWeight", "threshold": 1}}`)),
			[]want{
				{"projections[0].synapse.partner_selection.type", `unknown partner selection "LastNeuron" (did you mean "LastNeuronSelection"?)`},
				{"projections[0].synapse.elimination.type", `unknown elimination rule "RandomByWeight" (did you mean "RandomByWeightElimination"?)`},
			}},
		{"the static form takes no STDP rules", file("", both, sproj("s", "src", structStatic(`, `+pairRules))),
			[]want{
				{"projections[0].synapse.timing_dependence", "unknown key"},
				{"projections[0].synapse.weight_dependence", "unknown key"},
			}},
		{"initial delay", file("", three, `
		  `+sproj("a", "src", structStatic(`, "initial_delay": [3, 2]`))+`,
		  `+sproj("b", "src2", structStatic(`, "initial_delay": [1]`))+`,
		  {"label": "c", "pre": "src", "post": "src", `+noConns+`, `+structStatic(`, "initial_delay": "1"`)+`},
		  {"label": "d", "pre": "nrn", "post": "nrn", `+noConns+`, "synapse": {"type": "StructuralMechanismStatic", `+structRules+`,
		   "initial_delay": [0.5, "2"]}}`),
			[]want{
				{"projections[0].synapse.initial_delay[1]", "must be >= low (3)"},
				{"projections[1].synapse.initial_delay", "must be a number or [low, high], not 1 numbers"},
				{"projections[2].post", `must be a neuron population: "src" is a SpikeSourceArray`},
				{"projections[2].synapse.initial_delay", "must be a number or [low, high], not a string"},
				{"projections[3].synapse.initial_delay[0]", "must be >= one timestep (1 ms)"},
				{"projections[3].synapse.initial_delay[1]", "must be a number, not a string"},
			}},
		{"default initial delay below a timestep", file(`, "timestep_ms": 2`, both, sproj("s", "src", structStatic(""))),
			[]want{{"projections[0].synapse.initial_delay", "is required here: the default, 1 ms, is less than one timestep (2 ms)"}}},
		{"rewiring rate the chip cannot count", file("", both, `
		  `+sproj("a", "src", structStatic(`, "f_rew": 1e20`))+`,
		  `+sproj("b", "nrn", structStatic(`, "f_rew": 1e-7`))),
			[]want{
				{"projections[0].synapse.f_rew", "is too high: 1e+17 rewiring attempts per timestep"},
				{"projections[1].synapse.f_rew", "is too low: one rewiring attempt every 1e+10 timesteps"},
			}},
		{"too many initial synapses", file("", both, `
		  {"label": "a", "pre": "src", "post": "nrn", `+allToAll+`, `+structStatic(`, "s_max": 1`)+`},
		  {"label": "b", "pre": "nrn", "post": "nrn", "connector": {"type": "FromListConnector", "conn_list": [[0, 1], [1, 1]]},
		   `+structStatic(`, "s_max": 1`)+`}`),
			[]want{
				{"projections[0].connector", "gives a post neuron 2 initial synapses but s_max is 1"},
				{"projections[1].connector", "gives a post neuron 2 initial synapses but s_max is 1"},
			}},
		{"one structural projection per pair", file("", both, `
		  `+sproj("a", "src", structStatic(""))+`, `+sproj("b", "src", structStatic(""))+`, `+sproj("c", "src", `"synapse": {"type": "StaticSynapse"}`)),
			[]want{{"projections[1].synapse.type", `makes a second structural projection from "src" to "nrn" (also projections[0])`}}},
		{"structural rules into one population differ", file("", three, `
		  `+sproj("a", "src", structStatic(""))+`,
		  `+sproj("b", "src2", `"synapse": {"type": "StructuralMechanismStatic", `+formation21+`, `+elimHalf+`,
		     "partner_selection": {"type": "LastNeuronSelection"}, "f_rew": 100, "s_max": 4, "initial_weight": 1,
		     "initial_delay": [1, 2], "with_replacement": false}`)+`,
		  `+sproj("c", "nrn", `"synapse": {"type": "StructuralMechanismStatic", `+partnerRandom+`, `+elimHalf+`,
		     "formation": {"type": "DistanceDependentFormation", "grid": [1, 2], "sigma_form_lateral": 3}}`)),
			[]want{
				{"projections[1].synapse.partner_selection", `differs from projections[0]'s, which also rewires "nrn"`},
				{"projections[1].synapse.f_rew", `differs from projections[0]'s`},
				{"projections[1].synapse.s_max", `differs from projections[0]'s`},
				{"projections[1].synapse.initial_weight", `differs from projections[0]'s`},
				{"projections[1].synapse.initial_delay", `differs from projections[0]'s`},
				{"projections[1].synapse.with_replacement", `differs from projections[0]'s`},
			}},
		{"static structural beside a plastic projection", file("", three, `
		  `+sproj("a", "src", structStatic(""))+`, `+sproj("b", "src2", `"synapse": {"type": "STDPMechanism", `+pairRules+`}`)),
			[]want{{"projections[0].synapse.type", `is StructuralMechanismStatic but projections[1] into "nrn" is plastic (STDPMechanism)`}}},
		{"structural STDP shares the STDP rules", file("", three, `
		  `+sproj("a", "src", structSTDP(""))+`,
		  `+sproj("b", "src2", `"synapse": {"type": "STDPMechanism", "timing_dependence": {"type": "SpikePairRule", "tau_plus": 5},
		     "weight_dependence": {"type": "AdditiveWeightDependence"}}`)),
			[]want{{"projections[1].synapse.timing_dependence", `differs from projections[0]'s, which also goes into "nrn": all plastic (STDPMechanism and StructuralMechanismSTDP) projections`}}},
		{"a structural slice has one synapse core", file("", srcPop+`, {"label": "nrn", "size": 2, "cell_type": "IF_curr_exp", "splitter": {"synapse_cores": 2}}`,
			sproj("a", "src", structStatic(""))),
			[]want{{"projections[0].post", `"nrn" has a splitter with 2 synapse cores, but a population with a structural projection in takes exactly one`}}},
		{"structural needs an ordinary receptor", file("", both, sproj("a", "src", structSTDP("")+`, "receptor_type": "reward"`)),
			[]want{{"projections[0].receptor_type", `"reward" needs a Neuromodulation synapse, not a StructuralMechanismSTDP`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			net, err := Parse([]byte(tc.json), "test")
			require.Error(t, err)
			assert.Nil(t, net)
			var errs Errors
			require.ErrorAs(t, err, &errs)
			got := make([]string, len(errs))
			for i, p := range errs {
				got[i] = p.String()
			}
			require.Len(t, errs, len(tc.want), "problems:\n%s", strings.Join(got, "\n"))
			for i, w := range tc.want {
				assert.Equal(t, w.path, errs[i].Path, "problem %d: %s", i, got[i])
				assert.Contains(t, errs[i].Msg, w.msg, "problem %d: %s", i, got[i])
			}
		})
	}
}

// TestStructuralDefaults leaves out everything that may be left out: the
// defaults are sPyNNaker's.
func TestStructuralDefaults(t *testing.T) {
	net, err := Parse([]byte(file("", srcPop+","+nrnPop, sproj("s", "src", structStatic("")))), "x")
	require.NoError(t, err)
	syn := net.Projections[0].Synapse
	assert.Equal(t, StructuralMechanismStatic, syn.Type)
	assert.True(t, syn.IsStructural())
	assert.False(t, syn.IsPlastic())
	assert.Equal(t, Value{}, syn.Weight, "PyNN's StaticSynapse weight, 0")
	assert.Equal(t, Value{Const: 1}, syn.Delay, "one timestep")
	assert.Nil(t, syn.Timing)
	assert.Equal(t, &StructuralRule{
		PartnerSelection: PartnerSelection{Type: RandomSelection},
		Formation: Formation{Type: DistanceDependentFormation, GridX: 2, GridY: 1,
			PFormForward: 0.16, SigmaFormForward: 2.5, PFormLateral: 1, SigmaFormLateral: 1},
		Elimination: Elimination{Type: RandomByWeightElimination, Threshold: 0.5,
			ProbDepressed: 0.0245, ProbPotentiated: 1.36e-4},
		FRew: 1e4, SMax: 32, InitialWeight: 0, InitialDelayLow: 1, InitialDelayHigh: 1,
		WithReplacement: true,
	}, syn.Structural)

	net, err = Parse([]byte(file("", srcPop+","+nrnPop, sproj("s", "src", `"synapse": {"type": "StructuralMechanismSTDP",
	  "partner_selection": {"type": "LastNeuronSelection"}, `+formation21+`, `+elimHalf+`, `+pairRules+`}`))), "x")
	require.NoError(t, err)
	syn = net.Projections[0].Synapse
	assert.True(t, syn.IsPlastic())
	assert.Equal(t, PartnerSelection{Type: LastNeuronSelection, SpikeBufferSize: 64}, syn.Structural.PartnerSelection)
	assert.Equal(t, &TimingRule{Type: SpikePairRule, TauPlus: 20, TauMinus: 20, APlus: 0.01, AMinus: 0.01}, syn.Timing)
	assert.Equal(t, &WeightRule{Type: AdditiveWeightDependence, WMin: 0, WMax: 1}, syn.WeightDep)
}

// TestLoadStructuralGuide loads the guide's third example (reference §3.3)
// cut to one of its ten groups, and checks every field of the structural
// projection; the neuromodulation into the same population is accepted
// because the structural STDP projection is plastic.
func TestLoadStructuralGuide(t *testing.T) {
	net, err := Load("testdata/structural_guide.json")
	require.NoError(t, err)
	require.Len(t, net.Projections, 3)
	p := net.Projections[0]
	assert.Equal(t, Projection{
		Label: "plastic 0", Pre: "pre 0", Post: "post 0", Receptor: Excitatory,
		Connector: Connector{Type: FixedProbability, AllowSelf: true, PConnect: 0},
		Synapse: Synapse{Type: StructuralMechanismSTDP, Weight: Value{Const: 0.5}, Delay: Value{Const: 10},
			Timing:    &TimingRule{Type: SpikePairRule, TauPlus: 2, TauMinus: 1, APlus: 1, AMinus: 1},
			WeightDep: &WeightRule{Type: AdditiveWeightDependence, WMin: 0, WMax: 5},
			Structural: &StructuralRule{
				PartnerSelection: PartnerSelection{Type: RandomSelection},
				Formation: Formation{Type: DistanceDependentFormation, GridX: 7, GridY: 7,
					PFormForward: 0.16, SigmaFormForward: 0.5, PFormLateral: 1, SigmaFormLateral: 1},
				Elimination: Elimination{Type: RandomByWeightElimination, Threshold: 0.5,
					ProbDepressed: 0.2, ProbPotentiated: 0.2},
				FRew: 1e4, SMax: 64, InitialWeight: 0.5, InitialDelayLow: 10, InitialDelayHigh: 10,
				WithReplacement: true,
			}},
		RecordWeight: true,
	}, p)
	assert.Equal(t, 1, net.Populations[net.Population("post 0")].SynapseCores)
	assert.Equal(t, Reward, net.Projections[1].Receptor)
	assert.Equal(t, Punishment, net.Projections[2].Receptor)
}

// TestStructuralInitialDelayRange: [low, high] in ms.
func TestStructuralInitialDelayRange(t *testing.T) {
	net, err := Parse([]byte(file(`, "timestep_ms": 0.1`, srcPop+","+nrnPop,
		sproj("s", "src", structStatic(`, "initial_delay": [0.5, 2.5], "with_replacement": false, "s_max": 2`))+`,
		{"label": "t", "pre": "src", "post": "nrn", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse"}}`)), "x")
	require.NoError(t, err)
	r := net.Projections[0].Synapse.Structural
	assert.Equal(t, 0.5, r.InitialDelayLow)
	assert.Equal(t, 2.5, r.InitialDelayHigh)
	assert.False(t, r.WithReplacement)
	assert.Equal(t, 2, r.SMax)
}
