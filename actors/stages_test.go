package actors_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sdram"
	"github.com/spinnsim/spinnsim/sim"
)

// mixed is a network with every kind of stage, over three chips: a Poisson
// source and a spike array that run ahead; a recurrent population fed by
// them, in lockstep; a population split into a neuron core and two synapse
// cores (SDRAM ties them: lockstep, with the ends of ticks), fed by the
// recurrent one and by a Poisson source merged into its neuron core; and a
// reader of the split population, through delays longer than its ring
// buffer holds (a delay-extension core), that runs ahead after them.
func mixed(ms int) string {
	return fmt.Sprintf(`{"format": "spinnsim-network/1", "duration_ms": %d, "seed": 7,
	 "populations": [
	  {"label": "src", "size": 40, "cell_type": "SpikeSourcePoisson", "parameters": {"rate": 60}},
	  {"label": "kick", "size": 1, "cell_type": "SpikeSourceArray", "parameters": {"spike_times": [3, 30, 31, 32, 33, 64]}},
	  {"label": "rec", "size": 40, "cell_type": "IF_curr_exp", "parameters": {"cm": 0.25, "tau_refrac": 2},
	   "placement": {"x": 1, "y": 0}, "record": ["spikes", "v"]},
	  {"label": "bg", "size": 30, "cell_type": "SpikeSourcePoisson", "parameters": {"rate": 200}},
	  {"label": "split", "size": 30, "cell_type": "IF_curr_exp", "parameters": {"cm": 0.25}, "splitter": {"synapse_cores": 2},
	   "placement": {"x": 0, "y": 1}, "record": ["spikes", "v"]},
	  {"label": "out", "size": 256, "cell_type": "IF_curr_exp", "parameters": {"cm": 0.25}, "record": ["spikes", "gsyn_exc"]}],
	 "projections": [
	  {"pre": "src", "post": "rec", "connector": {"type": "FixedProbabilityConnector", "p_connect": 0.3},
	   "synapse": {"type": "StaticSynapse", "weight": 0.6, "delay": 1}},
	  {"pre": "kick", "post": "rec", "connector": {"type": "AllToAllConnector"}, "synapse": {"type": "StaticSynapse", "weight": 2}},
	  {"pre": "rec", "post": "rec", "connector": {"type": "FixedProbabilityConnector", "p_connect": 0.2},
	   "synapse": {"type": "StaticSynapse", "weight": 0.3, "delay": 2}},
	  {"pre": "rec", "post": "split", "connector": {"type": "FixedProbabilityConnector", "p_connect": 0.4},
	   "synapse": {"type": "STDPMechanism",
	               "timing_dependence": {"type": "SpikePairRule", "tau_plus": 20, "tau_minus": 20, "A_plus": 0.01, "A_minus": 0.012},
	               "weight_dependence": {"type": "AdditiveWeightDependence", "w_min": 0, "w_max": 2},
	               "weight": 0.8, "delay": 1}},
	  {"pre": "bg", "post": "split", "connector": {"type": "OneToOneConnector"}, "synapse": {"type": "StaticSynapse", "weight": 0.5, "delay": 1}},
	  {"pre": "split", "post": "out", "connector": {"type": "FixedProbabilityConnector", "p_connect": 0.5},
	   "synapse": {"type": "StaticSynapse", "weight": 1, "delay": 40}}]}`, ms)
}

// runFiles maps text, lets prepare change the mapped machine, runs it
// through d and returns the output files.
func runFiles(t *testing.T, text string, d sim.Driver, prepare func(*mapping.Mapped)) map[string][]byte {
	t.Helper()
	net, err := network.Parse([]byte(text), "mixed")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	if prepare != nil {
		prepare(m)
	}
	require.NoError(t, d.Run(context.Background(), m, nil))
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, output.Write(dir, sim.Results(m, 0)))
	files := map[string][]byte{}
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		files[e.Name()] = b
	}
	return files
}

// The actors give the sequential driver's files, byte for byte, on a
// network with stages of every kind, for runs of a tick, of a window and a
// tick either side of one, and of two windows and a tick (a last window of
// one tick), on one to four workers.
func TestStagesMatchSequential(t *testing.T) {
	net, err := network.Parse([]byte(mixed(100)), "mixed")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	kinds := map[bool]int{}
	enders := 0
	for _, st := range sim.Plan(m) {
		kinds[st.Lockstep]++
		for _, i := range st.Cores {
			if m.Cores[i].EndsTicks() {
				enders++
				assert.True(t, st.Lockstep, "%s ends its ticks", m.Cores[i].Label)
			}
		}
	}
	require.Positive(t, kinds[false], "stages that run ahead")
	require.Positive(t, kinds[true], "lockstep stages")
	require.Positive(t, enders, "cores that end their ticks")

	w := sim.MaxRunAhead
	for _, ms := range []int{1, w - 1, w, w + 1, 2*w + 1} {
		want := runFiles(t, mixed(ms), sim.Sequential{}, nil)
		require.Contains(t, want, output.SpikesFile)
		for _, workers := range []int{1, 2, 4} {
			got := runFiles(t, mixed(ms), actors.Driver{Workers: workers}, nil)
			require.Equal(t, len(want), len(got))
			for name, b := range want {
				assert.Equal(t, string(b), string(got[name]), "%d ms, %d workers: %s", ms, workers, name)
			}
		}
	}
}

// dmaSpan makes a core that runs ahead use DMA every tick: it writes its
// tick number to a region of its own, reads it back, and only then sends
// the tick's packets (which it holds meanwhile), so that a span must wait
// for each tick's transfers before it runs the next.
type dmaSpan struct {
	core.Application
	region sdram.RegionID
	held   []uint32 // the keys of the tick's packets
	buf    []uint32
	t      uint32
	checks int
}

func (d *dmaSpan) TimerTick(t uint32, r *core.Ready, c *core.Counters) {
	d.Application.TimerTick(t, r, c)
	d.held = d.held[:0]
	for _, p := range r.Packets {
		d.held = append(d.held, p.Key)
	}
	r.Packets = r.Packets[:0]
	d.t = t
	d.buf = append(d.buf[:0], t)
	r.Transfers = append(r.Transfers, sdram.Transfer{Region: d.region, Words: 1, Write: true, Data: d.buf})
}

func (d *dmaSpan) DMADone(t uint32, tr *sdram.Transfer, r *core.Ready, _ *core.Counters) error {
	if tr.Write {
		r.Transfers = append(r.Transfers, sdram.Transfer{Region: d.region, Words: 1, Data: d.buf[:0]})
		return nil
	}
	if len(tr.Data) != 1 || tr.Data[0] != d.t || t != d.t {
		return fmt.Errorf("read back %v at tick %d, want [%d]", tr.Data, t, d.t)
	}
	d.checks++
	for _, k := range d.held {
		r.Packets = append(r.Packets, packets.Multicast(k))
	}
	return nil
}

// A core that runs ahead may use DMA: the span waits for each tick's
// transfers, and the packets the core sends when they complete go out with
// the tick they belong to. The mixed network's delay-extension core and
// the population it feeds, made to write and read their SDRAM every tick,
// give the same files through both drivers.
func TestDMAInsideASpan(t *testing.T) {
	var wrapped []*dmaSpan
	prepare := func(m *mapping.Mapped) {
		wrapped = wrapped[:0]
		cores := []*core.Core{m.Slices[m.Net.Population("split")][0].Delay.Core, m.Slices[m.Net.Population("out")][0].Core}
		for _, c := range cores {
			id, err := m.Memory(c.Chip).Alloc("dma test "+c.Label, c.P, nil, 1)
			require.NoError(t, err)
			w := &dmaSpan{Application: c.App, region: id}
			c.App = w
			wrapped = append(wrapped, w)
		}
		stageOf := map[*core.Core]sim.Stage{}
		for _, st := range sim.Plan(m) {
			for _, i := range st.Cores {
				stageOf[m.Cores[i]] = st
			}
		}
		for _, c := range cores {
			assert.False(t, stageOf[c].Lockstep, "%s runs ahead", c.Label)
		}
	}
	want := runFiles(t, mixed(70), sim.Sequential{}, prepare)
	require.Equal(t, 70, wrapped[0].checks)
	for _, workers := range []int{1, 3} {
		got := runFiles(t, mixed(70), actors.Driver{Workers: workers}, prepare)
		assert.Equal(t, 70, wrapped[0].checks, "a read-back a tick")
		for name, b := range want {
			assert.Equal(t, string(b), string(got[name]), "%d workers: %s", workers, name)
		}
	}
}
