package mapping_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/mapping"
)

// directNet: a Poisson source of 300 neurons drives a split population of
// 300 one to one (static, one timestep of delay: what sPyNNaker merges
// into the neuron cores), and a spike array drives it through the synapse
// cores too.
func directNet(arith string) string {
	return fmt.Sprintf(`{"format":"spinnsim-network/1","duration_ms":300,"seed":5,"arithmetic":%q,
	 "populations":[{"label":"bg","size":300,"cell_type":"SpikeSourcePoisson","parameters":{"rate":400},"record":["spikes"]},
	   {"label":"arr","size":3,"cell_type":"SpikeSourceArray","parameters":{"spike_times":[[20,80],[40],[60,61,62]]}},
	   {"label":"exc","size":300,"cell_type":"IF_curr_exp","record":["spikes"],"splitter":{"synapse_cores":1}}],
	 "projections":[{"pre":"bg","post":"exc","connector":{"type":"OneToOneConnector"},
	   "synapse":{"type":"StaticSynapse","weight":{"distribution":"uniform","low":0.3,"high":0.9},"delay":1},"record":["weight"]},
	   {"pre":"arr","post":"exc","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":2,"delay":3}}]}`, arith)
}

// A merged Poisson source sends no packet, takes its target's slicing and
// chips, and gives exactly the packet path's spikes in fixed point (the
// same spikes, the same synapses read back), with the Poisson sliced the
// same way.
func TestDirectPoisson(t *testing.T) {
	direct, err := mapping.Map(parse(t, directNet("fixed")))
	require.NoError(t, err)
	packets, err := mapping.MapWith(parse(t, directNet("fixed")), mapping.Options{NoDirectPoisson: true})
	require.NoError(t, err)
	bg, exc := direct.Slices[0], direct.Slices[2]
	require.Len(t, bg, len(exc), "the source takes its target's slicing")
	for k, s := range exc {
		require.Len(t, s.Direct, 1)
		assert.Equal(t, bg[k], s.Direct[0])
		assert.Equal(t, s.Chip, bg[k].Chip, "on its target's chip")
		assert.Equal(t, [2]int{s.Lo, s.Hi}, [2]int{bg[k].Lo, bg[k].Hi})
	}
	assert.Len(t, packets.Slices[0], 1, "500 Poisson neurons a core when not merged")

	got := runSpikes(t, direct)
	assert.Greater(t, len(got), 1000)
	// The packet path with the source sliced as its target: same streams.
	sliced := parse(t, directNet("fixed"))
	sliced.Populations[0].MaxAtomsPerCore = exc[0].Hi - exc[0].Lo
	packets, err = mapping.MapWith(sliced, mapping.Options{NoDirectPoisson: true})
	require.NoError(t, err)
	assert.Equal(t, runSpikes(t, packets), got)
	for k, s := range bg {
		assert.Zero(t, s.Core.Counters.SpikesSent, "slice %d sends nothing", k)
		assert.Equal(t, "spike_source_poisson_direct", s.Core.App.Name())
		assert.Positive(t, packets.Slices[0][k].Core.Counters.SpikesSent)
	}
	var a, b []string
	for _, s := range direct.Slices[2] {
		for _, syn := range s.Syn {
			for _, w := range syn.Weights(0) {
				a = append(a, fmt.Sprint(w.Pre, s.Lo+w.Post, w.Weight, w.DelayTicks))
			}
		}
	}
	for _, s := range packets.Slices[2] {
		for _, syn := range s.Syn {
			for _, w := range syn.Weights(0) {
				b = append(b, fmt.Sprint(w.Pre, s.Lo+w.Post, w.Weight, w.DelayTicks))
			}
		}
	}
	assert.Len(t, a, 300)
	assert.ElementsMatch(t, b, a, "the same synapses read back")
	// Through the actors: the same spikes.
	viaActors, err := mapping.Map(parse(t, directNet("fixed")))
	require.NoError(t, err)
	require.NoError(t, actors.Driver{}.Run(context.Background(), viaActors, nil))
	assert.Equal(t, got, spikesOf(viaActors))
	assert.Contains(t, direct.Notes, "population bg: merged into the neuron cores of exc (direct Poisson): its spikes go through SDRAM, never as packets")
}

// Not merged: a source with two projections, a target that is not split,
// a delay of two timesteps.
func TestDirectPoissonOnlyWhereSPyNNakerMerges(t *testing.T) {
	base := directNet("fixed")
	for why, js := range map[string]string{
		"not split":          strings.Replace(base, `,"splitter":{"synapse_cores":1}`, "", 1),
		"two ticks of delay": strings.Replace(base, `"delay":1},"record"`, `"delay":2},"record"`, 1),
		"two projections":    base[:len(base)-2] + `,{"label":"extra","pre":"bg","post":"exc","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":0.01}}]}`,
		"not one to one":     strings.Replace(base, `"connector":{"type":"OneToOneConnector"}`, `"connector":{"type":"FixedProbabilityConnector","p_connect":0.01}`, 1),
		"to another size":    strings.Replace(base, `{"label":"exc","size":300`, `{"label":"exc","size":301`, 1),
	} {
		m, err := mapping.Map(parse(t, js))
		require.NoError(t, err, why)
		require.NotEqual(t, base, js, why)
		assert.Nil(t, m.Slices[0][0].Into, why)
	}
}
