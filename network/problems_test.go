package network

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Building blocks for small network files.
const (
	srcPop   = `{"label": "src", "size": 2, "cell_type": "SpikeSourceArray", "parameters": {"spike_times": [1, 2]}}`
	nrnPop   = `{"label": "nrn", "size": 2, "cell_type": "IF_curr_exp"}`
	bigPop   = `{"label": "big", "size": 3, "cell_type": "IF_curr_exp"}`
	allToAll = `"connector": {"type": "AllToAllConnector"}`
	stdpSyn  = `"synapse": {"type": "STDPMechanism", "timing_dependence": {"type": "SpikePairRule"},
	             "weight_dependence": {"type": "AdditiveWeightDependence"}}`
	stdpProj = `{"label": "plastic", "pre": "src", "post": "nrn", ` + allToAll + `, ` + stdpSyn + `}`
)

// file writes a network file: extra top-level keys (with a leading comma), and
// the populations and projections lists.
func file(top, pops, projs string) string {
	return `{"format": "spinnsim-network/1", "duration_ms": 100` + top + `,
  "populations": [` + pops + `],
  "projections": [` + projs + `]}`
}

// proj writes a projection from src to nrn with the given extra keys.
func proj(keys string) string {
	return `{"pre": "src", "post": "nrn", ` + allToAll + `, ` + keys + `}`
}

// want is one expected problem: the exact path and a fragment of the message.
type want struct{ path, msg string }

func TestProblems(t *testing.T) {
	both := srcPop + "," + nrnPop
	cases := []struct {
		name string
		json string
		want []want
	}{
		// The JSON itself.
		{"malformed JSON", "{\n  \"format\": \"spinnsim-network/1\",\n  \"duration_ms\": 100,,\n}",
			[]want{{"", "malformed JSON at line 3, column 22: unexpected ','"}}},
		{"trailing comma", `{"a": [1, 2,]}`,
			[]want{{"", "line 1, column 13: unexpected ']' after ','"}}},
		{"unterminated", "{\"format\": \"spinn",
			[]want{{"", "line 1, column 18: unexpected end of file in a string"}}},
		{"empty file", "  \n", []want{{"", "line 2, column 1: the file is empty"}}},
		{"two documents", `{} {}`, []want{{"", "line 1, column 4: unexpected '{' after the end"}}},
		{"nested too deeply", strings.Repeat("[", 10001), []want{{"", "line 1, column 10001: nested more than 10000 levels deep"}}}, // encoding/json's limit
		{"bad escape", `{"a\q": 1}`, []want{{"", `line 1, column 5: invalid escape \q in a string`}}},
		{"not an object", `[1]`, []want{{"", "must be an object, not an array"}}},
		{"duplicate key", `{"format": "spinnsim-network/1", "duration_ms": 1, "duration_ms": 2}`,
			[]want{{"duration_ms", "duplicate key"}}},

		// Top level.
		{"unknown key at top level", file(`, "colour": "red"`, "", ""),
			[]want{{"colour", "unknown key"}}},
		{"odd key", file(`, "my key": 1`, "", ""), []want{{`["my key"]`, "unknown key"}}},
		{"misspelt key gets a hint", file(`, "timestep": 1`, "", ""),
			[]want{{"timestep", `unknown key (did you mean "timestep_ms"?)`}}},
		{"format missing", `{"duration_ms": 1}`, []want{{"format", "is required"}}},
		{"format wrong", `{"format": "spinnsim-network/2", "duration_ms": 1}`,
			[]want{{"format", `unsupported format "spinnsim-network/2"`}}},
		{"duration missing", `{"format": "spinnsim-network/1"}`, []want{{"duration_ms", "is required"}}},
		{"duration not whole timesteps", file(`, "timestep_ms": 0.3`, "", ""),
			[]want{{"duration_ms", "whole number of timesteps (0.3 ms)"}}},
		{"timestep below a microsecond", file(`, "timestep_ms": 0.0005`, "", ""),
			[]want{{"timestep_ms", "whole number of microseconds"}}},
		{"duration below a timestep", file(`, "timestep_ms": 1000`, "", ""),
			[]want{{"duration_ms", "must be at least one timestep (1000 ms)"}}},
		{"timestep zero", file(`, "timestep_ms": 0`, "", ""), []want{{"timestep_ms", "must be > 0"}}},
		{"wrong types", file(`, "name": 3, "seed": "1", "timestep_ms": null, "arithmetic": true`, "", ""),
			[]want{
				{"name", "must be a string, not a number"},
				{"seed", "must be an integer, not a string"},
				{"timestep_ms", "must be a number, not null"},
				{"arithmetic", "must be a string, not a boolean"},
			}},
		{"seed negative", file(`, "seed": -1`, "", ""), []want{{"seed", "must be >= 0"}}},
		{"seed fraction", file(`, "seed": 1.5`, "", ""), []want{{"seed", "must be an integer, not 1.5"}}},
		{"number out of range", file(`, "timestep_ms": 1e999`, "", ""), []want{{"timestep_ms", "1e999 is out of range"}}},
		{"arithmetic", file(`, "arithmetic": "double"`, "", ""),
			[]want{{"arithmetic", `unknown arithmetic "double" (want "fixed" or "float")`}}},
		{"name with a slash", file(`, "name": "../x"`, "", ""), []want{{"name", "must not contain"}}},
		{"machine", file(`, "machine": {"board": "spinn-4", "boards": 0, "links": []}`, "", ""),
			[]want{
				{"machine.board", `unknown board "spinn-4" (did you mean "spinn-3"?)`},
				{"machine.boards", "must be >= 1"},
				{"machine.links", "unknown key"},
			}},
		{"spinn-3 is one board", file(`, "machine": {"board": "spinn-3", "boards": 2}`, "", ""),
			[]want{{"machine.boards", "must be 1 for spinn-3"}}},
		{"boards without board", file(`, "machine": {"boards": 2}`, "", ""),
			[]want{{"machine.boards", "needs a board"}}},
		{"faults", file(`, "machine": {"board": "spinn-5", "dead_chips": [[1], [1, 300]], "dead_cores": [[0, 0, 18]],
		    "dead_links": [[0, 0, "up"], [0, 0, 2], 5]}`, "", ""),
			[]want{
				{"machine.dead_chips[0]", "must be [x, y], not 1 values"},
				{"machine.dead_chips[1][1]", "must be <= 255"},
				{"machine.dead_cores[0][2]", "must be <= 17"},
				{"machine.dead_links[0][2]", `unknown link direction "up" (want "east", "north_east", "north", "west", "south_west" or "south")`},
				{"machine.dead_links[1][2]", "must be a string, not a number"},
				{"machine.dead_links[2]", "must be an array, not a number"},
			}},
		{"faults without board", file(`, "machine": {"dead_chips": [[1, 1]]}`, "", ""),
			[]want{{"machine.board", "is required with dead_chips"}}},
		{"mapping", file(`, "mapping": {"compressor": "pairs", "compress_always": 1, "x": 0}`, "", ""),
			[]want{
				{"mapping.compressor", `unknown compressor "pairs" (did you mean "pair"?)`},
				{"mapping.compress_always", "must be a boolean, not a number"},
				{"mapping.x", "unknown key"},
			}},

		// Populations.
		{"unknown key nested", file("", `{"label": "a", "sise": 2, "cell_type": "IF_curr_exp"}`, ""),
			[]want{
				{"populations[0].size", "is required"},
				{"populations[0].sise", `unknown key (did you mean "size"?)`},
			}},
		{"unknown cell type", file("", `{"label": "a", "size": 2, "cell_type": "IF_cond_exp", "parameters": {"e_rev_E": 0}}`, ""),
			[]want{{"populations[0].cell_type", `unknown cell type "IF_cond_exp"`}}},
		{"negative time constant", file("", `{"label": "a", "size": 2, "cell_type": "IF_curr_exp",
		   "parameters": {"tau_m": -20, "tau_refrac": -1, "cm": 0, "v_thresh": -70}}`, ""),
			[]want{
				{"populations[0].parameters.tau_m", "must be > 0"},
				{"populations[0].parameters.tau_refrac", "must be >= 0"},
				{"populations[0].parameters.cm", "must be > 0"},
			}},
		{"unknown parameter", file("", `{"label": "a", "size": 2, "cell_type": "IF_curr_exp", "parameters": {"tau_syn_e": 5}}`, ""),
			[]want{{"populations[0].parameters.tau_syn_e", `unknown parameter of IF_curr_exp (did you mean "tau_syn_E"?)`}}},
		{"size", file("", `{"label": "", "size": 0, "cell_type": "IF_curr_exp"},
		                   {"label": "b", "size": 2.5, "cell_type": "IF_curr_exp"},
		                   {"label": "c", "size": "2", "cell_type": "IF_curr_exp"}`, ""),
			[]want{
				{"populations[0].label", "must not be empty"},
				{"populations[0].size", "must be >= 1"},
				{"populations[1].size", "must be an integer, not 2.5"},
				{"populations[2].size", "must be an integer, not a string"},
			}},
		{"duplicate population label", file("", nrnPop+","+nrnPop, ""),
			[]want{{"populations[1].label", `duplicate label "nrn" (also populations[0])`}}},
		{"spike times", file("", `{"label": "a", "size": 2, "cell_type": "SpikeSourceArray",
		   "parameters": {"spike_times": [[1], [2], [-3]]}},
		  {"label": "b", "size": 2, "cell_type": "SpikeSourceArray", "parameters": {"spike_times": [[1], 2]}},
		  {"label": "c", "size": 2, "cell_type": "SpikeSourceArray", "parameters": {"rate": 2}}`, ""),
			[]want{
				{"populations[0].parameters.spike_times", "has 3 lists but the population has 2 neurons"},
				{"populations[0].parameters.spike_times[2][0]", "must be >= 0"},
				{"populations[1].parameters.spike_times[1]", "must be an array (spike_times is a list of lists), not a number"},
				{"populations[2].parameters.rate", "unknown parameter of SpikeSourceArray"},
			}},
		{"poisson", file("", `{"label": "a", "size": 2, "cell_type": "SpikeSourcePoisson",
		   "parameters": {"rate": [1, -2, 3], "start": -1, "duration": 0, "rates": []}}`, ""),
			[]want{
				{"populations[0].parameters.rate", "has 3 rates but the population has 2 neurons"},
				{"populations[0].parameters.rate[1]", "must be >= 0"},
				{"populations[0].parameters.start", "must be >= 0"},
				{"populations[0].parameters.duration", "must be > 0"},
				{"populations[0].parameters.rates", `unknown parameter of SpikeSourcePoisson (did you mean "rate"?)`},
			}},
		{"source takes no initial values and records no v", file("", `{"label": "a", "size": 2, "cell_type": "SpikeSourcePoisson",
		   "initial_values": {"v": -65}, "record": ["spikes", "v", "gsyn_exc", "w"]}`, ""),
			[]want{
				{"populations[0].initial_values", "SpikeSourcePoisson takes no initial_values"},
				{"populations[0].record[1]", `only neuron populations record "v"`},
				{"populations[0].record[2]", `only neuron populations record "gsyn_exc"`},
				{"populations[0].record[3]", `unknown variable "w"`},
			}},
		{"initial values", file("", `{"label": "a", "size": 2, "cell_type": "IF_curr_exp", "initial_values": {"v": "low", "u": 0,
		   "isyn_exc": [0.1, 0.2, 0.3], "isyn_inh": [0, "x"]}}`, ""),
			[]want{
				{"populations[0].initial_values.v", "must be a number, a list with one number per neuron, or a distribution, not a string"},
				{"populations[0].initial_values.u", "unknown initial value of IF_curr_exp"},
				{"populations[0].initial_values.isyn_exc", "has 3 values but the population has 2 neurons"},
				{"populations[0].initial_values.isyn_inh[1]", "must be a number, not a string"},
			}},
		{"placement and slices", file("", `{"label": "a", "size": 2, "cell_type": "IF_curr_exp", "max_atoms_per_core": 0,
		   "placement": {"x": 300, "p": 0}}`, ""),
			[]want{
				{"populations[0].max_atoms_per_core", "must be >= 1"},
				{"populations[0].placement.y", "is required"},
				{"populations[0].placement.x", "must be <= 255"},
				{"populations[0].placement.p", "core 0 runs the chip's monitor"},
			}},

		{"splitter", file("", `{"label": "a", "size": 2, "cell_type": "IF_curr_exp", "splitter": {"synapse_cores": 15}},
		   {"label": "b", "size": 2, "cell_type": "IF_curr_exp", "splitter": {"cores": 1}},
		   {"label": "c", "size": 2, "cell_type": "SpikeSourceArray", "splitter": {"synapse_cores": 1}}`, ""),
			[]want{
				{"populations[0].splitter.synapse_cores", "must be <= 14"},
				{"populations[1].splitter.synapse_cores", "is required"},
				{"populations[1].splitter.cores", "unknown key of the splitter"},
				{"populations[2].splitter", "only neuron populations take a splitter"},
			}},

		{"faults", file(`, "faults": {"drop": [{"link": [0, 0, "up"], "fraction": 2}, {"router": [1, 1], "link": [0, 0, "east"], "fraction": 0.1}, {"fraction": 0.5}],
		   "kill": [{"core": [0, 0, 0], "at_ms": -1}, {"at_ms": 5}], "break": true}`, "", ""),
			[]want{
				{"faults.drop[0].link[2]", `unknown link direction "up"`},
				{"faults.drop[0].fraction", "must be"},
				{"faults.drop[1]", `give "link" or "router", not both`},
				{"faults.drop[2]", `needs "link"`},
				{"faults.kill[0].core[2]", "must be >= 1"},
				{"faults.kill[0].at_ms", "must be >= 0"},
				{"faults.kill[1].core", "is required"},
				{"faults.break", "unknown key"},
			}},

		// Projections.
		{"missing population", file("", both, `{"pre": "src", "post": "nobody", `+allToAll+`}`),
			[]want{{"projections[0].post", `no population is labelled "nobody"`}}},
		{"post is a source", file("", both, `{"pre": "nrn", "post": "src", `+allToAll+`}`),
			[]want{{"projections[0].post", `must be a neuron population: "src" is a SpikeSourceArray`}}},
		{"required keys", file("", both, `{"label": "x"}`),
			[]want{
				{"projections[0].pre", "is required"},
				{"projections[0].post", "is required"},
				{"projections[0].connector", "is required"},
			}},
		{"unknown connector", file("", both, `{"pre": "src", "post": "nrn", "connector": {"type": "AllToAll", "x": 1}}`),
			[]want{{"projections[0].connector.type", `unknown connector type "AllToAll" (did you mean "AllToAllConnector"?)`}}},
		{"connector parameters", file("", both+","+bigPop, `
		  {"label": "p", "pre": "src", "post": "nrn", "connector": {"type": "FixedProbabilityConnector", "p_connect": 1.5}},
		  {"label": "q", "pre": "src", "post": "nrn", "connector": {"type": "FixedNumberPreConnector", "n": 3}},
		  {"label": "r", "pre": "big", "post": "big", "connector": {"type": "FixedNumberPostConnector", "n": 3, "allow_self_connections": false}},
		  {"label": "s", "pre": "src", "post": "big", "connector": {"type": "FixedTotalNumberConnector", "n": 7, "with_replacement": "no"}},
		  {"label": "t", "pre": "src", "post": "big", "connector": {"type": "FixedTotalNumberConnector", "n": 7}},
		  {"label": "u", "pre": "src", "post": "big", "connector": {"type": "FixedNumberPreConnector", "n": 1.5}},
		  {"label": "v", "pre": "src", "post": "big", "connector": {"type": "FixedProbabilityConnector"}}`),
			[]want{
				{"projections[0].connector.p_connect", "must be between 0 and 1"},
				{"projections[1].connector.n", `is more than the 2 pre neurons for each post neuron in "src" (with_replacement is false)`},
				{"projections[2].connector.n", `is more than the 2 post neurons for each pre neuron in "big"`},
				{"projections[3].connector.with_replacement", "must be a boolean, not a string"},
				{"projections[4].connector.n", "is more than the 6 (pre, post) pairs (with_replacement is false)"},
				{"projections[5].connector.n", "must be an integer, not 1.5"},
				{"projections[6].connector.p_connect", "is required"},
			}},
		{"allow_self_connections", file("", both, `
		  {"label": "a", "pre": "src", "post": "nrn", "connector": {"type": "AllToAllConnector", "allow_self_connections": false}},
		  {"label": "b", "pre": "nrn", "post": "nrn", "connector": {"type": "OneToOneConnector", "allow_self_connections": false}},
		  {"label": "c", "pre": "nrn", "post": "nrn", "connector": {"type": "FixedNumberPreConnector", "n": 2, "allow_self_connections": false}}`),
			[]want{
				{"projections[0].connector.allow_self_connections", "applies only when pre and post are the same population"},
				{"projections[1].connector.allow_self_connections", "OneToOneConnector takes no allow_self_connections"},
				{"projections[2].connector.n", `is more than the 1 pre neurons for each post neuron in "nrn"`},
			}},
		{"from list", file("", both, `{"pre": "src", "post": "nrn", "connector": {"type": "FromListConnector",
		   "conn_list": [[0, 1], [2, 0], [0, 1, 0.5], [1, 1, -0.5, 0.5], [0.5, 0]]}}`),
			[]want{
				{"projections[0].connector.conn_list[1][0]", `is out of range: "src" has 2 neurons`},
				{"projections[0].connector.conn_list[2]", "must be [pre, post] or [pre, post, weight, delay], not 3 numbers"},
				{"projections[0].connector.conn_list[3][2]", "must be >= 0 for receptor_type \"excitatory\""},
				{"projections[0].connector.conn_list[3][3]", "must be >= one timestep (1 ms)"},
				{"projections[0].connector.conn_list[4][0]", "must be an integer, not 0.5"},
			}},
		{"default label taken", file("", both, proj(`"receptor_type": "excitatory"`)+","+proj(`"receptor_type": "inhibitory"`)),
			[]want{{"projections[1].label", `is required here: the default label "src->nrn" is taken by projections[0]`}}},
		{"duplicate projection label", file("", both, `{"label": "x", "pre": "src", "post": "nrn", `+allToAll+`},
		                                             {"label": "x", "pre": "nrn", "post": "nrn", `+allToAll+`}`),
			[]want{{"projections[1].label", `duplicate label "x" (also projections[0])`}}},
		{"receptor and record", file("", both, proj(`"receptor_type": "Excitatory", "record": ["weights"]`)),
			[]want{
				{"projections[0].receptor_type", `unknown receptor type "Excitatory" (did you mean "excitatory"?)`},
				{"projections[0].record[0]", `unknown variable "weights" (did you mean "weight"?)`},
			}},

		// Synapses.
		{"unknown synapse key deep", file("", both, `{"pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "STDPMechanism",
		   "timing_dependence": {"type": "SpikePairRule", "tau_plu": 10},
		   "weight_dependence": {"type": "AdditiveWeightDependence", "w_max": -1}}}`),
			[]want{
				{"projections[0].synapse.timing_dependence.tau_plu", `unknown key (did you mean "tau_plus"?)`},
				{"projections[0].synapse.weight_dependence.w_max", "must be >= w_min (0)"},
			}},
		{"stdp needs its rules", file("", both, proj(`"synapse": {"type": "STDPMechanism"}`)),
			[]want{
				{"projections[0].synapse.timing_dependence", "is required"},
				{"projections[0].synapse.weight_dependence", "is required"},
			}},
		{"unknown rules", file("", both, proj(`"synapse": {"type": "STDPMechanism",
		   "timing_dependence": {"type": "Vogels2011Rule", "alpha": 0.1},
		   "weight_dependence": {"type": "GutigWeightDependence"}}`)),
			[]want{
				{"projections[0].synapse.timing_dependence.type", `unknown timing rule "Vogels2011Rule" (want "SpikePairRule" or "SpikeNearestPairRule")`},
				{"projections[0].synapse.weight_dependence.type", `unknown weight dependence "GutigWeightDependence"`},
			}},
		{"weights and delays", file("", both, `
		  {"label": "a", "pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "StaticSynapse", "weight": -1, "delay": 0.5}},
		  {"label": "b", "pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "StaticSynapse",
		     "weight": {"distribution": "uniform", "low": 1, "high": 1}, "delay": {"distribution": "normal", "mu": 1, "sigma": -1}}},
		  {"label": "c", "pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "StaticSynapse",
		     "weight": {"distribution": "lognormal", "mu": 1}, "delay": "1"}},
		  {"label": "d", "pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "StaticSynapse",
		     "weight": {"distribution": "uniform", "low": 0}}}`),
			[]want{
				{"projections[0].synapse.weight", "must be >= 0 for receptor_type \"excitatory\" (weights are magnitudes"},
				{"projections[0].synapse.delay", "must be >= one timestep (1 ms)"},
				{"projections[1].synapse.weight.high", "must be > low (1)"},
				{"projections[1].synapse.delay.sigma", "must be >= 0"},
				{"projections[2].synapse.weight.distribution", `unknown distribution "lognormal"`},
				{"projections[2].synapse.delay", "must be a number or a distribution, not a string"},
				{"projections[3].synapse.weight.high", "is required"},
			}},
		{"normal_clipped", file("", both, `
		  {"label": "a", "pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "StaticSynapse",
		     "weight": {"distribution": "normal_clipped", "mu": 1, "sigma": 0.1, "low": 2},
		     "delay": {"distribution": "normal_clipped", "mu": 1, "sigma": 1, "low": 3, "high": 2}}},
		  {"label": "b", "pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "StaticSynapse",
		     "weight": {"distribution": "normal_clipped", "sigma": 0.1, "high": "x"}}}`),
			[]want{
				{"projections[0].synapse.weight", "[low, high] = [2, +Inf] holds 7.62e-22% of the normal distribution (mu 1, sigma 0.1); draws outside are drawn again, so it must hold at least 1%"},
				{"projections[0].synapse.delay.high", "must be >= low (3)"},
				{"projections[1].synapse.weight.mu", "is required"},
				{"projections[1].synapse.weight.high", "must be a number, not a string"},
			}},
		{"neuromodulation parameters", file("", both, stdpProj+`,
		  {"pre": "src", "post": "nrn", `+allToAll+`, "receptor_type": "reward",
		   "synapse": {"type": "Neuromodulation", "tau_c": -1, "tau_d": 0, "w_min": -0.5, "delay": 2, "A_plus": 1}}`),
			[]want{
				{"projections[1].synapse.tau_c", "must be > 0"},
				{"projections[1].synapse.tau_d", "must be > 0"},
				{"projections[1].synapse.w_min", "must be >= 0"},
				{"projections[1].synapse.delay", "must be one timestep (1 ms): a Neuromodulation synapse's delay is fixed"},
				{"projections[1].synapse.A_plus", "unknown key"},
			}},
		{"neuromodulation delay is one timestep", file("", both, stdpProj+`,`+
			proj(`"receptor_type": "reward", "synapse": {"type": "Neuromodulation", "delay": {"distribution": "uniform", "low": 1, "high": 2}}`)),
			[]want{{"projections[1].synapse.delay", "must be one timestep (1 ms)"}}},
		{"neuromodulation w_max below w_min", file("", both, stdpProj+`,`+
			proj(`"receptor_type": "reward", "synapse": {"type": "Neuromodulation", "w_min": 2}`)),
			[]want{{"projections[1].synapse.w_max", "must be >= w_min (2)"}}},

		// Rules that tie projections together.
		{"reward into a population with no plastic projection", file("", both,
			proj(`"receptor_type": "reward", "synapse": {"type": "Neuromodulation"}`)),
			[]want{{"projections[0].post", `"nrn" has no plastic projection in (STDPMechanism or StructuralMechanismSTDP)`}}},
		{"reward needs Neuromodulation", file("", both, stdpProj+`,`+proj(`"receptor_type": "punishment"`)),
			[]want{{"projections[1].receptor_type", `"punishment" needs a Neuromodulation synapse, not a StaticSynapse`}}},
		{"Neuromodulation needs reward", file("", both, stdpProj+`,`+proj(`"synapse": {"type": "Neuromodulation"}`)),
			[]want{{"projections[1].receptor_type", `must be "reward" or "punishment" for a Neuromodulation synapse, not "excitatory"`}}},
		{"neuromodulation parameters differ", file("", both, stdpProj+`,
		  {"label": "r", "pre": "src", "post": "nrn", `+allToAll+`, "receptor_type": "reward", "synapse": {"type": "Neuromodulation", "tau_c": 500}},
		  {"label": "p", "pre": "src", "post": "nrn", `+allToAll+`, "receptor_type": "punishment", "synapse": {"type": "Neuromodulation", "w_max": 2}}`),
			[]want{
				{"projections[2].synapse.tau_c", `is 1000 but projections[1] into "nrn" has 500`},
				{"projections[2].synapse.w_max", `is 2 but projections[1] into "nrn" has 1`},
			}},
		{"STDP rules differ", file("", both, stdpProj+`,
		  {"label": "p2", "pre": "src", "post": "nrn", `+allToAll+`, "synapse": {"type": "STDPMechanism",
		   "timing_dependence": {"type": "SpikePairRule", "tau_plus": 10},
		   "weight_dependence": {"type": "AdditiveWeightDependence"}}}`),
			[]want{{"projections[1].synapse.timing_dependence", `differs from projections[0]'s, which also goes into "nrn"`}}},

		// Several problems at once, reported in document order.
		{"several problems in one file", `{
  "format": "spinnsim-network/1",
  "duration_ms": 0,
  "populations": [
    {"label": "a", "size": 0, "cell_type": "IF_curr_exp", "parameters": {"tau_m": -1}},
    {"label": "b", "size": 2, "cell_type": "Izhikevich"}
  ],
  "projections": [
    {"pre": "a", "post": "c", "connector": {"type": "AllToAllConnector"},
     "synapse": {"type": "Neuromodulation", "tau_c": 0}, "receptor_type": "reward"}
  ],
  "extra": 1
}`,
			[]want{
				{"duration_ms", "must be > 0"},
				{"populations[0].size", "must be >= 1"},
				{"populations[0].parameters.tau_m", "must be > 0"},
				{"populations[1].cell_type", `unknown cell type "Izhikevich"`},
				{"projections[0].post", `no population is labelled "c"`},
				{"projections[0].synapse.tau_c", "must be > 0"},
				{"extra", "unknown key"},
			}},
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
