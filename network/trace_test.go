package network

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFloatQuirksAndTrace(t *testing.T) {
	both := srcPop + "," + nrnPop
	traced := `{"label": "plastic", "pre": "src", "post": "nrn", ` + allToAll + `, ` + stdpSyn + `,
	            "trace": {"synapses": [[0, 1], [1, 0]], "every_ms": 5}}`
	net, err := Parse([]byte(file(`, "arithmetic": "float", "float_quirks": ["history_capacity", "lut_staircase"]`, both, traced)), "x")
	require.NoError(t, err)
	assert.Equal(t, []string{QuirkHistoryCapacity, QuirkLUTStaircase}, net.FloatQuirks)
	require.NotNil(t, net.Projections[0].Trace)
	assert.Equal(t, &Trace{Synapses: [][2]int{{0, 1}, {1, 0}}, EveryMs: 5}, net.Projections[0].Trace)
	assert.EqualValues(t, 5, net.Projections[0].Trace.EveryTicks(net.TimestepMs))

	// every_ms defaults to the timestep.
	net, err = Parse([]byte(file(`, "timestep_ms": 0.5`, both,
		`{"pre": "src", "post": "nrn", `+allToAll+`, `+stdpSyn+`, "trace": {"synapses": [[0, 0]]}}`)), "x")
	require.NoError(t, err)
	assert.Equal(t, 0.5, net.Projections[0].Trace.EveryMs)
	assert.Nil(t, net.FloatQuirks)
	assert.Len(t, FloatQuirks, 5)
}

func TestFloatQuirksAndTraceProblems(t *testing.T) {
	both := srcPop + "," + nrnPop
	withTrace := func(tr string) string {
		return file("", both, `{"pre": "src", "post": "nrn", `+allToAll+`, `+stdpSyn+`, "trace": `+tr+`}`)
	}
	cases := []struct {
		name, json string
		want       []want
	}{
		{"quirks not a list", file(`, "float_quirks": "lut_staircase"`, "", ""),
			[]want{{"float_quirks", "must be an array, not a string"}}},
		{"unknown quirk", file(`, "float_quirks": ["lut_staircase", "history_capcity", 3]`, "", ""),
			[]want{{"float_quirks[1]", `unknown float quirk "history_capcity" (did you mean "history_capacity"?)`},
				{"float_quirks[2]", "must be a string, not a number"}}},
		{"quirk twice", file(`, "float_quirks": ["int16_wrap", "int16_wrap"]`, "", ""),
			[]want{{"float_quirks[1]", `"int16_wrap" is listed twice (also float_quirks[0])`}}},
		{"trace of a static synapse", file("", both, proj(`"trace": {"synapses": [[0, 0]]}`)),
			[]want{{"projections[0].trace", "only a plastic synapse (STDPMechanism or StructuralMechanismSTDP) can be traced: a StaticSynapse does not change"}}},
		{"trace without synapses", withTrace(`{"every_ms": 1}`),
			[]want{{"projections[0].trace.synapses", "is required"}}},
		{"trace with no synapse", withTrace(`{"synapses": []}`),
			[]want{{"projections[0].trace.synapses", "at least one [pre, post] pair"}}},
		{"trace rows", withTrace(`{"synapses": [[0], [2, 0], [0, 5], [0, 1.5], "x"]}`),
			[]want{{"projections[0].trace.synapses[0]", "must be [pre, post], not 1 numbers"},
				{"projections[0].trace.synapses[1][0]", `is out of range: "src" has 2 neurons`},
				{"projections[0].trace.synapses[2][1]", `is out of range: "nrn" has 2 neurons`},
				{"projections[0].trace.synapses[3][1]", "must be an integer, not 1.5"},
				{"projections[0].trace.synapses[4]", "must be an array, not a string"}}},
		{"trace period", withTrace(`{"synapses": [[0, 0]], "every_ms": 0.5}`),
			[]want{{"projections[0].trace.every_ms", "must be a whole number of timesteps (1 ms)"}}},
		{"trace period zero", withTrace(`{"synapses": [[0, 0]], "every_ms": 0}`),
			[]want{{"projections[0].trace.every_ms", "must be > 0"}}},
		{"trace unknown key", withTrace(`{"synapses": [[0, 0]], "every": 1}`),
			[]want{{"projections[0].trace.every", `unknown key (did you mean "every_ms"?)`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json), "x")
			var errs Errors
			require.ErrorAs(t, err, &errs)
			require.Len(t, errs, len(tc.want), "%v", errs)
			for i, w := range tc.want {
				assert.Equal(t, w.path, errs[i].Path)
				assert.Contains(t, errs[i].Msg, w.msg)
			}
		})
	}
	assert.Nil(t, CheckFloatQuirks([]string{"lut_staircase", "int16_wrap"}))
	errs := CheckFloatQuirks([]string{"lut_staircase", "lut_stairs", "nonsense"})
	require.Len(t, errs, 2)
	assert.Equal(t, `float_quirks[1]: unknown float quirk "lut_stairs" (did you mean "lut_staircase"?)`, errs[0].String())
	assert.Contains(t, errs[1].String(), `unknown float quirk "nonsense" (want "lut_staircase", `)
}
