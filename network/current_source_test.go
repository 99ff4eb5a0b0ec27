package network

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurrentSources(t *testing.T) {
	net, err := Parse([]byte(file(`, "current_sources": [
	  {"label": "dc", "type": "DCSource", "amplitude": 0.5, "start": 25.0, "stop": 125.0, "inject_into": "nrn"},
	  {"type": "DCSource", "inject_into": "nrn"},
	  {"type": "DCSource", "amplitude": -0.25, "start": 10, "stop": 10, "inject_into": "nrn"}]`,
		srcPop+","+nrnPop, "")), "x")
	require.NoError(t, err)
	require.Len(t, net.CurrentSources, 3)
	assert.Equal(t, CurrentSource{Label: "dc", Type: DCSource, Amplitude: 0.5, StartMs: 25, StopMs: 125, InjectInto: "nrn"},
		net.CurrentSources[0])
	def := net.CurrentSources[1]
	assert.Equal(t, 1.0, def.Amplitude, "PyNN's default amplitude")
	assert.Equal(t, 0.0, def.StartMs)
	assert.True(t, math.IsInf(def.StopMs, 1), "no stop: never off, as PyNN's stop=None")
	assert.Equal(t, -0.25, net.CurrentSources[2].Amplitude, "amplitudes may be negative")
}

func TestCurrentSourceProblems(t *testing.T) {
	cases := []struct {
		name, sources string
		want          []want
	}{
		{"not a list", `{}`, []want{{"current_sources", "must be an array"}}},
		{"no type", `[{"inject_into": "nrn"}]`, []want{{"current_sources[0].type", "is required"}}},
		{"unknown type", `[{"type": "DCsource", "inject_into": "nrn"}]`,
			[]want{{"current_sources[0].type", `unknown current source type "DCsource" (did you mean "DCSource"?)`}}},
		{"unsupported type", `[{"type": "StepCurrentSource", "times": [1], "amplitudes": [1], "inject_into": "nrn"}]`,
			[]want{{"current_sources[0].type", "StepCurrentSource is not supported yet"}}},
		{"no target", `[{"type": "DCSource"}]`, []want{{"current_sources[0].inject_into", "is required"}}},
		{"unknown target", `[{"type": "DCSource", "inject_into": "nobody"}]`,
			[]want{{"current_sources[0].inject_into", `no population is labelled "nobody"`}}},
		{"source target", `[{"type": "DCSource", "inject_into": "src"}]`,
			[]want{{"current_sources[0].inject_into", `must be a neuron population: "src" is a SpikeSourceArray`}}},
		{"bad times", `[{"type": "DCSource", "start": -1, "stop": "x", "inject_into": "nrn"}]`,
			[]want{{"current_sources[0].start", "must be >= 0"}, {"current_sources[0].stop", "must be a number, not a string"}}},
		{"stop before start", `[{"type": "DCSource", "start": 20, "stop": 10, "inject_into": "nrn"}]`,
			[]want{{"current_sources[0].stop", "must be >= start (20 ms)"}}},
		{"unknown key", `[{"type": "DCSource", "amplitud": 1, "inject_into": "nrn"}]`,
			[]want{{"current_sources[0].amplitud", `unknown key (did you mean "amplitude"?)`}}},
		{"second entry", `[{"type": "DCSource", "inject_into": "nrn"}, {"type": "DCSource", "amplitude": [1], "inject_into": "nrn"}]`,
			[]want{{"current_sources[1].amplitude", "must be a number, not an array"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(file(`, "current_sources": `+tc.sources, srcPop+","+nrnPop, "")), "x")
			var errs Errors
			require.ErrorAs(t, err, &errs)
			require.Len(t, errs, len(tc.want), "%v", errs)
			for i, w := range tc.want {
				assert.Equal(t, w.path, errs[i].Path)
				assert.Contains(t, errs[i].Msg, w.msg)
			}
		})
	}
}
