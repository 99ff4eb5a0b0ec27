package mapping_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
)

// delayNet is a Poisson source of 256 neurons onto 256 IF_curr_exp neurons
// (FixedProbability 0.2, uniform delays of 1..dmax ticks), with the post
// population's max_atoms_per_core set when atoms > 0.
func delayNet(dmax, atoms int, synapse string) string {
	maxAtoms := ""
	if atoms > 0 {
		maxAtoms = fmt.Sprintf(`,"max_atoms_per_core":%d`, atoms)
	}
	if synapse == "" {
		synapse = `"type":"StaticSynapse","weight":0.6`
	}
	return fmt.Sprintf(`{"format":"spinnsim-network/1","duration_ms":%d,"seed":7,
	 "populations":[{"label":"src","size":256,"cell_type":"SpikeSourcePoisson","parameters":{"rate":15}},
	   {"label":"b","size":256,"cell_type":"IF_curr_exp","record":["spikes"]%s}],
	 "projections":[{"pre":"src","post":"b","connector":{"type":"FixedProbabilityConnector","p_connect":0.2},
	   "synapse":{%s,"delay":{"distribution":"uniform","low":1,"high":%d}}}]}`, dmax+200, maxAtoms, synapse, dmax)
}

// weightsOf reads back every synapse of projection 0 as "pre post delay
// weight", sorted.
func weightsOf(m *mapping.Mapped) []string {
	var out []string
	for _, s := range m.Slices[1] {
		for _, sy := range s.Syn {
			for _, w := range sy.Weights(0) {
				out = append(out, fmt.Sprintf("%d %d %d %g", w.Pre, s.Lo+w.Post, w.DelayTicks, w.Weight))
			}
		}
	}
	sort.Strings(out)
	return out
}

// Delays longer than a 256-neuron core's ring buffer (32 ticks) go through
// delay-extension cores and the core keeps its 256 neurons: up to 9 × 32 =
// 288 ticks, in 8 stages. Every spike arrives exactly after its delay: the
// spikes, and the synapses read back with their delays, are those of the
// same network whose cores hold every delay themselves (16 neurons a core,
// whose ring buffers hold 512 ticks). And the same at 900 ticks, which
// needs stages of 128 ticks: 64 neurons a core, against 8 held directly.
func TestDelayExtensionsMatchDirectDelays(t *testing.T) {
	for _, c := range []struct {
		dmax, direct, atoms, stages int
	}{{288, 16, 256, 8}, {900, 8, 64, 7}} {
		ext, err := mapping.Map(parse(t, delayNet(c.dmax, 0, "")))
		require.NoError(t, err)
		require.Len(t, ext.Slices[1], 256/c.atoms, "%d neurons a core", c.atoms)
		d := ext.Slices[0][0].Delay
		require.NotNil(t, d, "the source has delay extensions")
		assert.Equal(t, c.stages, d.Stages)
		assert.Equal(t, core.MaxDirectDelay(c.atoms), d.StageLen)
		held, err := mapping.Map(parse(t, delayNet(c.dmax, c.direct, "")))
		require.NoError(t, err)
		assert.Nil(t, held.Slices[0][0].Delay, "delays held on the cores")

		assert.Equal(t, weightsOf(held), weightsOf(ext), "the same synapses and delays")
		spikes := runSpikes(t, ext)
		assert.Equal(t, runSpikes(t, held), spikes)
		var posts int
		for _, s := range spikes {
			if strings.HasPrefix(s, "b ") {
				posts++
			}
		}
		assert.Greater(t, posts, 100, "the post neurons fire")
		// The delay extensions did the work: they took every source spike
		// and sent some on.
		var in, out uint64
		for _, s := range ext.Slices[0] {
			in += s.Delay.Core.Counters.DelayedSpikes
			out += s.Delay.Core.Counters.SpikesSent
		}
		assert.Positive(t, in)
		assert.Positive(t, out)
		t.Logf("delays up to %d: %d post spikes; delay extensions took %d spikes, sent %d packets", c.dmax, posts, in, out)
	}
}

// Every spike arrives exactly after its delay, whatever its stage: neuron
// i of a spike array fires at tick 10 and drives neuron i of the target
// through a delay of 1 + 9i ticks (up to 280, every stage and remainder);
// each target neuron fires the same number of ticks after its input
// arrives.
func TestDelayExtensionTiming(t *testing.T) {
	var list, times []string
	for i := range 32 {
		list = append(list, fmt.Sprintf(`[%d,%d,20,%g]`, i, i, float64(1+9*i)))
		times = append(times, "[10]")
	}
	js := `{"format":"spinnsim-network/1","duration_ms":400,
	 "populations":[{"label":"a","size":32,"cell_type":"SpikeSourceArray","parameters":{"spike_times":[` + strings.Join(times, ",") + `]}},
	   {"label":"b","size":32,"cell_type":"IF_curr_exp","record":["spikes"],"max_atoms_per_core":32}],
	 "projections":[{"pre":"a","post":"b","connector":{"type":"FromListConnector","conn_list":[` + strings.Join(list, ",") + `]},
	   "synapse":{"type":"StaticSynapse"}}]}`
	m, err := mapping.Map(parse(t, js))
	require.NoError(t, err)
	d := m.Slices[0][0].Delay
	require.NotNil(t, d)
	assert.Equal(t, uint32(256), d.StageLen, "32 neurons: 8 delay bits")
	require.NoError(t, runOnly(m))
	lag := -1
	for i, ts := range m.Slices[1][0].Rec.SpikeTimes {
		require.NotEmpty(t, ts, "neuron %d fires", i)
		l := int(ts[0]) - 10 - (1 + 9*i)
		if lag < 0 {
			lag = l
		}
		assert.Equal(t, lag, l, "neuron %d: delay %d", i, 1+9*i)
	}
}

// Plastic rows go through delay extensions too: the stages act as an
// axonal delay (the row sees the pre spike when the delay extension sends
// it), so the learning differs from held delays, as on the chip; every
// synapse reads back with its whole delay.
func TestDelayExtensionPlastic(t *testing.T) {
	m, err := mapping.Map(parse(t, delayNet(200, 0, `"type":"STDPMechanism","weight":0.6,
	  "timing_dependence":{"type":"SpikePairRule"},"weight_dependence":{"type":"AdditiveWeightDependence","w_min":0,"w_max":1}`)))
	require.NoError(t, err)
	// A plastic core's DTCM (ring buffers, post histories) takes it to 64
	// neurons a core, whose ring buffers hold 128 ticks: one stage.
	assert.Equal(t, 64, m.Slices[1][0].Hi)
	require.NotNil(t, m.Slices[0][0].Delay)
	assert.Equal(t, 1, m.Slices[0][0].Delay.Stages)
	runSpikes(t, m)
	ws := weightsOf(m)
	assert.Equal(t, m.Synapses[0], len(ws), "every synapse read back")
}

// The limits: a delay extension has 8 stages, so a core of 256 neurons
// reaches 288 ticks; with max_atoms_per_core fixed, longer is refused with
// the limit named; without, the population takes fewer neurons a core.
// Beyond 9 × 8192 ticks nothing reaches.
func TestDelayExtensionLimits(t *testing.T) {
	_, err := mapping.Map(parse(t, delayNet(300, 256, "")))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "populations[1]: b (a delay of 300 ticks onto 256 neurons a core is more than the 288 ticks they reach with delay extensions)")
	m, err := mapping.MapWith(parse(t, delayNet(300, 0, "")), mapping.Options{MapOnly: true})
	require.NoError(t, err)
	assert.Equal(t, 128, m.Slices[1][0].Hi, "128 neurons a core: stages of 64")
	_, err = mapping.MapWith(parse(t, delayNet(80000, 0, "")), mapping.Options{MapOnly: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "projections[0].synapse.delay")
	assert.Contains(t, err.Error(), "more than SpiNNaker reaches: 73728 ticks")
}

// A plastic synapse in a later stage of a delay extension can be traced:
// its row is found among the stages' rows, and its samples end at the
// weight read back.
func TestDelayExtensionTrace(t *testing.T) {
	stdp := `"type":"STDPMechanism","weight":0.6,
	  "timing_dependence":{"type":"SpikePairRule"},"weight_dependence":{"type":"AdditiveWeightDependence","w_min":0,"w_max":1}`
	m, err := mapping.MapWith(parse(t, delayNet(400, 0, stdp)), mapping.Options{MapOnly: false})
	require.NoError(t, err)
	d := m.Slices[0][0].Delay
	require.NotNil(t, d)
	var pre, post int
	var delay uint32
	for _, s := range m.Slices[1] {
		for _, w := range s.Syn[0].Weights(0) {
			if w.DelayTicks > 2*d.StageLen && delay == 0 {
				pre, post, delay = w.Pre, s.Lo+w.Post, w.DelayTicks
			}
		}
	}
	require.NotZero(t, delay, "a synapse in stage 2 or later")
	js := strings.Replace(delayNet(400, 0, stdp), `"synapse":{`,
		fmt.Sprintf(`"trace":{"synapses":[[%d,%d]],"every_ms":10},"synapse":{`, pre, post), 1)
	m, err = mapping.Map(parse(t, js))
	require.NoError(t, err, "the traced synapse is found")
	require.NoError(t, runOnly(m))
	s := m.Slices[1][sliceIndex(m.Slices[1], post)]
	var samples []core.TraceSample
	for _, syn := range s.Syn {
		samples = append(samples, core.FinishTraces(syn, m.Clock.Ticks-1)...)
	}
	require.NotEmpty(t, samples)
	for _, x := range samples {
		assert.Equal(t, [2]int{pre, post}, [2]int{x.Pre, s.Lo + x.Post})
	}
	t.Logf("traced %d→%d (delay %d ticks): %d samples", pre, post, delay, len(samples))
}

func sliceIndex(ss []*mapping.Slice, n int) int {
	for i, s := range ss {
		if n >= s.Lo && n < s.Hi {
			return i
		}
	}
	return -1
}

// A source with a short delay onto one population and a long one onto
// another: its stages are as long as the shorter ring buffer, so the first
// target is given fewer neurons a core until 8 stages carry the long delay.
func TestDelayExtensionStagesAgree(t *testing.T) {
	js := `{"format":"spinnsim-network/1","duration_ms":10,
	 "populations":[{"label":"src","size":256,"cell_type":"SpikeSourcePoisson","parameters":{"rate":10}},
	   {"label":"near","size":256,"cell_type":"IF_curr_exp"},{"label":"far","size":256,"cell_type":"IF_curr_exp"}],
	 "projections":[{"pre":"src","post":"near","connector":{"type":"OneToOneConnector"},"synapse":{"type":"StaticSynapse","weight":0.1,"delay":200}},
	   {"pre":"src","post":"far","connector":{"type":"OneToOneConnector"},"synapse":{"type":"StaticSynapse","weight":0.1,"delay":2000}}]}`
	m, err := mapping.MapWith(parse(t, js), mapping.Options{MapOnly: true})
	require.NoError(t, err)
	assert.Equal(t, 32, m.Slices[1][0].Hi, "near: 32 neurons a core, a ring buffer of 256 ticks")
	assert.Equal(t, 32, m.Slices[2][0].Hi, "far: the same, for its own 2000 ticks")
	d := m.Slices[0][0].Delay
	require.NotNil(t, d)
	assert.Equal(t, uint32(256), d.StageLen)
	assert.Equal(t, 7, d.Stages)
	assert.Contains(t, strings.Join(m.Notes, "\n"), "population near: 32 neurons a core (with more, the delay extensions of src carry delays up to 2000 ticks")
	// With near's neurons a core fixed, the source is refused, naming the limit.
	_, err = mapping.MapWith(parse(t, strings.Replace(js, `{"label":"near","size":256,"cell_type":"IF_curr_exp"}`,
		`{"label":"near","size":256,"cell_type":"IF_curr_exp","max_atoms_per_core":256}`, 1)), mapping.Options{MapOnly: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "delays up to 2000 ticks from src need 62 stages of 32 ticks")
}
