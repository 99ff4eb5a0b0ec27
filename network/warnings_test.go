package network_test

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/network"
)

// netWith is a small valid network with extra population parameters,
// initial values, and a projection from a source into it.
func netWith(params, initial, synapse, connector string) string {
	if params == "" {
		params = "{}"
	}
	if initial == "" {
		initial = "{}"
	}
	if synapse == "" {
		synapse = `{"type": "StaticSynapse", "weight": 0.5}`
	}
	if connector == "" {
		connector = `{"type": "AllToAllConnector"}`
	}
	return `{"format": "spinnsim-network/1", "duration_ms": 10,
	  "populations": [
	    {"label": "src", "size": 2, "cell_type": "SpikeSourcePoisson", "parameters": {"rate": 20000, "start": 0.001}},
	    {"label": "p", "size": 2, "cell_type": "IF_curr_exp", "parameters": ` + params + `, "initial_values": ` + initial + `}],
	  "projections": [{"pre": "src", "post": "p", "connector": ` + connector + `, "synapse": ` + synapse + `}]}`
}

// Values far outside their range get a warning naming the path, the value,
// the unit it was probably typed in and the value it would then be; usual
// values and defaults get none.
func TestUnitWarnings(t *testing.T) {
	cases := []struct {
		name, file string
		path       string
		want       []string // substrings of the message; none: no warning
	}{
		{"defaults", netWith("", "", "", ""), "", nil},
		{"usual values", netWith(`{"cm": 0.25, "tau_m": 20, "tau_refrac": 2, "tau_syn_E": 0.2, "v_rest": -70, "v_reset": 0, "v_thresh": -50, "i_offset": 2}`,
			`{"v": -60, "isyn_exc": 0.5}`, `{"type": "StaticSynapse", "weight": 5}`, ""), "", nil},
		{"cm in pF", netWith(`{"cm": 300}`, "", "", ""), "populations[1].parameters.cm",
			[]string{"300 nF", "0.01–10 nF", "typed in pF", "300 pF = 0.3 nF"}},
		{"cm in µF", netWith(`{"cm": 0.00025}`, "", "", ""), "populations[1].parameters.cm",
			[]string{"0.00025 nF", "typed in µF", "= 0.25 nF"}},
		{"tau_m in seconds", netWith(`{"tau_m": 0.01}`, "", "", ""), "populations[1].parameters.tau_m",
			[]string{"0.01 ms", "typed in s", "0.01 s = 10 ms"}},
		{"tau_syn_E in seconds", netWith(`{"tau_syn_E": 0.005}`, "", "", ""), "populations[1].parameters.tau_syn_E",
			[]string{"typed in s", "0.005 s = 5 ms"}},
		{"tau_refrac in µs", netWith(`{"tau_refrac": 20000}`, "", "", ""), "populations[1].parameters.tau_refrac",
			[]string{"typed in µs", "20000 µs = 20 ms"}},
		{"v_rest in volts", netWith(`{"v_rest": -0.065}`, "", "", ""), "populations[1].parameters.v_rest",
			[]string{"-0.065 mV", "typed in V", "-0.065 V = -65 mV"}},
		{"v_thresh in µV", netWith(`{"v_thresh": -50000}`, "", "", ""), "populations[1].parameters.v_thresh",
			[]string{"typed in µV", "= -50 mV"}},
		{"initial v in volts", netWith("", `{"v": -0.07}`, "", ""), "populations[1].initial_values.v",
			[]string{"typed in V", "-0.07 V = -70 mV"}},
		{"i_offset in pA", netWith(`{"i_offset": 500}`, "", "", ""), "populations[1].parameters.i_offset",
			[]string{"500 nA", "typed in pA", "500 pA = 0.5 nA"}},
		{"weight in pA", netWith("", "", `{"type": "StaticSynapse", "weight": 250}`, ""), "projections[0].synapse.weight",
			[]string{"250 nA", "typed in pA", "= 0.25 nA"}},
		{"weight distribution in pA", netWith("", "", `{"type": "StaticSynapse", "weight": {"distribution": "uniform", "low": 100, "high": 300}}`, ""),
			"projections[0].synapse.weight.low", []string{"typed in pA", "100 pA = 0.1 nA"}},
		{"list weights in pA", netWith("", "", "", `{"type": "FromListConnector", "conn_list": [[0, 0, 0.5, 1], [0, 1, 400, 1], [1, 1, 600, 1]]}`),
			"projections[0].connector.conn_list[1][2]", []string{"400 nA", "typed in pA", "and 1 more rows like it"}},
		{"timestep in µs", `{"format": "spinnsim-network/1", "timestep_ms": 1000, "duration_ms": 10000}`, "timestep_ms",
			[]string{"typed in µs", "1000 µs = 1 ms"}},
		{"tau_plus in seconds", netWith("", "", `{"type": "STDPMechanism", "weight": 0.5,
			"timing_dependence": {"type": "SpikePairRule", "tau_plus": 0.02},
			"weight_dependence": {"type": "AdditiveWeightDependence", "w_max": 1}}`, ""),
			"projections[0].synapse.timing_dependence.tau_plus", []string{"typed in s", "0.02 s = 20 ms"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			net, err := network.Parse([]byte(c.file), "w")
			require.NoError(t, err)
			if c.want == nil {
				assert.Empty(t, net.Warnings)
				return
			}
			require.Len(t, net.Warnings, 1, "%v", net.Warnings)
			w := net.Warnings[0]
			assert.Equal(t, c.path, w.Path)
			for _, s := range c.want {
				assert.Contains(t, w.Msg, s)
			}
		})
	}
}

// Warnings come in document order, and the examples have none.
func TestWarningsOrderAndExamples(t *testing.T) {
	net, err := network.Parse([]byte(netWith(`{"v_thresh": -0.05, "cm": 300}`, `{"v": -0.06}`, "", "")), "w")
	require.NoError(t, err)
	var paths []string
	for _, w := range net.Warnings {
		paths = append(paths, w.Path)
	}
	assert.Equal(t, []string{"populations[1].parameters.v_thresh", "populations[1].parameters.cm",
		"populations[1].initial_values.v"}, paths)

	files, err := filepath.Glob("../examples/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	more, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	for _, f := range append(files, more...) {
		net, err := network.Load(f)
		require.NoError(t, err)
		assert.Empty(t, net.Warnings, f)
	}
}

var meanRE = regexp.MustCompile(`the mean (?:weight|magnitude) is ([0-9.e+-]+), not ([0-9.e+-]+)`)

// A weight distribution with negative draws on an excitatory receptor warns,
// and the mean it announces is the mean of the weights the connector
// really builds (independently: from the synapses themselves).
func TestNegativeWeightDraws(t *testing.T) {
	cases := []struct {
		name, weight, receptor string
		pct                    string // the share of folded draws in the message
	}{
		{"normal on excitatory", `{"distribution": "normal", "mu": 0.5, "sigma": 0.5}`, "excitatory", "16%"},
		{"uniform on excitatory", `{"distribution": "uniform", "low": -0.5, "high": 1.5}`, "excitatory", "25%"},
		{"normal on inhibitory", `{"distribution": "normal", "mu": -1, "sigma": 1}`, "inhibitory", "16%"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := `{"format": "spinnsim-network/1", "duration_ms": 10,
			  "populations": [{"label": "a", "size": 300, "cell_type": "SpikeSourceArray"},
			                  {"label": "b", "size": 300, "cell_type": "IF_curr_exp"}],
			  "projections": [{"pre": "a", "post": "b", "connector": {"type": "AllToAllConnector"},
			    "receptor_type": "` + c.receptor + `", "synapse": {"type": "StaticSynapse", "weight": ` + c.weight + `}}]}`
			net, err := network.Parse([]byte(file), "n")
			require.NoError(t, err)
			require.Len(t, net.Warnings, 1, "%v", net.Warnings)
			w := net.Warnings[0]
			assert.Equal(t, "projections[0].synapse.weight", w.Path)
			assert.Contains(t, w.Msg, "("+c.pct)
			assert.Contains(t, w.Msg, "as sPyNNaker's synapse expander does")
			m := meanRE.FindStringSubmatch(w.Msg)
			require.NotNil(t, m, w.Msg)
			announced, err := strconv.ParseFloat(m[1], 64)
			require.NoError(t, err)

			p := net.Projections[0]
			syns, err := connectors.Build(p.Connector, p.Synapse, 300, 300, false, 1, 16, rand.New(rand.NewPCG(1, 2)))
			require.NoError(t, err)
			sum, sum2 := 0.0, 0.0
			for _, s := range syns {
				require.GreaterOrEqual(t, s.Weight, 0.0)
				sum += s.Weight
				sum2 += s.Weight * s.Weight
			}
			n := float64(len(syns))
			mean := sum / n
			se := math.Sqrt((sum2/n - mean*mean) / n)
			assert.InDelta(t, mean, announced, 4*se+1e-4, "announced %v, built %v", announced, mean)
		})
	}

	// Draws that are (nearly) never negative, and a wholly negative
	// distribution on an inhibitory receptor, are not worth a word.
	for _, weight := range []string{
		`{"distribution": "normal", "mu": 1, "sigma": 0.2}`,
		`{"distribution": "uniform", "low": 0, "high": 1}`,
	} {
		net, err := network.Parse([]byte(netWith("", "", `{"type": "StaticSynapse", "weight": `+weight+`}`, "")), "n")
		require.NoError(t, err)
		assert.Empty(t, net.Warnings, weight)
	}
	file := strings.Replace(netWith("", "", `{"type": "StaticSynapse", "weight": {"distribution": "uniform", "low": -2, "high": -1}}`, ""),
		`"connector"`, `"receptor_type": "inhibitory", "connector"`, 1)
	net, err := network.Parse([]byte(file), "n")
	require.NoError(t, err)
	assert.Empty(t, net.Warnings)
}

// Delays drawn below one timestep are raised to one timestep, as sPyNNaker
// does; the warning's share is the share of synapses the connector gives a
// one-tick delay for draws below it.
func TestShortDelayDraws(t *testing.T) {
	file := netWith("", "", `{"type": "StaticSynapse", "weight": 0.5, "delay": {"distribution": "uniform", "low": 0.1, "high": 2.1}}`, "")
	net, err := network.Parse([]byte(file), "n")
	require.NoError(t, err)
	require.Len(t, net.Warnings, 1)
	w := net.Warnings[0]
	assert.Equal(t, "projections[0].synapse.delay", w.Path)
	assert.Contains(t, w.Msg, "below one timestep (1 ms) in 45% of draws")
	assert.Contains(t, w.Msg, "raised to one timestep, as sPyNNaker does")

	p := net.Projections[0]
	syns, err := connectors.Build(p.Connector, p.Synapse, 100, 100, false, 1, 16, rand.New(rand.NewPCG(3, 4)))
	require.NoError(t, err)
	ones := 0
	for _, s := range syns {
		require.GreaterOrEqual(t, s.DelayTicks, 1)
		if s.DelayTicks == 1 {
			ones++
		}
	}
	// Draws in [0.1, 1.5) become one tick: 1.4/2 = 70% of them.
	assert.InDelta(t, 0.70, float64(ones)/float64(len(syns)), 0.03)
}

// A FromList with weights of both signs on an inhibitory projection is
// accepted (each weight is a magnitude) with a warning, since sPyNNaker
// refuses it.
func TestMixedSignList(t *testing.T) {
	file := strings.Replace(netWith("", "", "", `{"type": "FromListConnector", "conn_list": [[0, 0, -0.5, 1], [0, 1, 0.5, 1], [1, 1, -1, 1]]}`),
		`"connector"`, `"receptor_type": "inhibitory", "connector"`, 1)
	net, err := network.Parse([]byte(file), "n")
	require.NoError(t, err)
	require.Len(t, net.Warnings, 1)
	assert.Equal(t, "projections[0].connector.conn_list", net.Warnings[0].Path)
	assert.Contains(t, net.Warnings[0].Msg, "2 negative and 1 positive weights")
	assert.Contains(t, net.Warnings[0].Msg, "Weights must be either all positive or all negative")
}

// normal_clipped draws are judged on the clipped distribution: clipped at
// one timestep its delays draw nothing below it, clipped lower they do; its
// weights warn of negative draws with the clipped distribution's shares and
// means (checked against draws).
func TestNormalClippedDraws(t *testing.T) {
	clean := netWith("", "", `{"type": "StaticSynapse", "weight": {"distribution": "normal_clipped", "mu": 0.5, "sigma": 0.2, "low": 0},
	  "delay": {"distribution": "normal_clipped", "mu": 1.5, "sigma": 0.75, "low": 1}}`, "")
	net, err := network.Parse([]byte(clean), "n")
	require.NoError(t, err)
	assert.Empty(t, net.Warnings)

	file := netWith("", "", `{"type": "StaticSynapse", "weight": {"distribution": "normal_clipped", "mu": 0.2, "sigma": 0.5, "low": -0.3, "high": 1},
	  "delay": {"distribution": "normal_clipped", "mu": 1.5, "sigma": 0.75, "low": 0.5, "high": 3}}`, "")
	net, err = network.Parse([]byte(file), "n")
	require.NoError(t, err)
	require.Len(t, net.Warnings, 2)
	// Shares from draws.
	v := net.Projections[0].Synapse.Weight
	rng := rand.New(rand.NewPCG(5, 6))
	neg, mag, sum, n := 0, 0.0, 0.0, 200000
	for range n {
		x, err := connectors.Draw(v, rng)
		require.NoError(t, err)
		if x < 0 {
			neg++
		}
		mag += math.Abs(x)
		sum += x
	}
	m := regexp.MustCompile(`in ([0-9.]+)% of draws|\(([0-9.]+)% of draws\).*mean weight is ([0-9.]+), not ([0-9.]+)`).FindStringSubmatch(net.Warnings[0].Msg)
	require.NotNil(t, m, net.Warnings[0].Msg)
	share, _ := strconv.ParseFloat(m[2], 64)
	folded, _ := strconv.ParseFloat(m[3], 64)
	mean, _ := strconv.ParseFloat(m[4], 64)
	assert.InDelta(t, float64(neg)/float64(n)*100, share, 1, "two significant digits")
	assert.InDelta(t, mag/float64(n), folded, 0.003)
	assert.InDelta(t, sum/float64(n), mean, 0.003)
	assert.Equal(t, "projections[0].synapse.delay", net.Warnings[1].Path)
	assert.Contains(t, net.Warnings[1].Msg, "normal_clipped(mu=1.5, sigma=0.75, low=0.5, high=3) draws delays below one timestep (1 ms)")
}
