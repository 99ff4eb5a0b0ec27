package examples

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/sim"
)

// boardData is where the recordings made on SpiNNaker boards live (the
// project's shared folder, beside the repository).
const boardData = "../../shared/external-data/sPyNNaker8-synfire"

// synfire is sPyNNaker's SynfireRunner network: n IF_curr_exp neurons in a
// ring of static 2 nA synapses with the given delay, started by one spike
// at 0 ms into neuron 0.
func synfire(n, delayMs, durationMs int) string {
	var ring []string
	for i := range n {
		ring = append(ring, fmt.Sprintf("[%d, %d]", i, (i+1)%n))
	}
	list := ""
	for i, r := range ring {
		if i > 0 {
			list += ", "
		}
		list += r
	}
	return fmt.Sprintf(`{"format": "spinnsim-network/1", "name": "synfire", "duration_ms": %d,
	 "populations": [
	  {"label": "pop_1", "size": %d, "cell_type": "IF_curr_exp",
	   "parameters": {"cm": 0.25, "tau_m": 20, "tau_refrac": 2, "tau_syn_E": 5, "tau_syn_I": 5,
	                  "v_rest": -65, "v_reset": -70, "v_thresh": -50, "i_offset": 0},
	   "record": ["spikes", "v", "gsyn_exc"]},
	  {"label": "input", "size": 1, "cell_type": "SpikeSourceArray", "parameters": {"spike_times": [0]}}],
	 "projections": [
	  {"label": "ring", "pre": "pop_1", "post": "pop_1", "connector": {"type": "FromListConnector", "conn_list": [%s]},
	   "synapse": {"type": "StaticSynapse", "weight": 2, "delay": %d}},
	  {"label": "start", "pre": "input", "post": "pop_1", "connector": {"type": "FromListConnector", "conn_list": [[0, 0]]},
	   "synapse": {"type": "StaticSynapse", "weight": 2, "delay": 1}}]}`, durationMs, n, list, delayMs)
}

// all reads every neuron's samples.
func all(t *testing.T, s output.Samples) [][]float64 {
	t.Helper()
	out, err := output.AllSamples(s)
	require.NoError(t, err)
	return out
}

// readBoard reads a numpy.savetxt file of rows of numbers.
func readBoard(t *testing.T, name string) [][]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(boardData, name))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	out := make([][]float64, len(rows))
	for i, r := range rows {
		for _, s := range r {
			v, err := strconv.ParseFloat(s, 64)
			require.NoError(t, err)
			out[i] = append(out[i], v)
		}
	}
	return out
}

// The synfire chain as a SpiNNaker board ran it (sPyNNaker's own
// recordings): spikes identical, v within the test's rtol 1e-3 (the 2019
// board software truncated exp(−h/τm), we round it as current sPyNNaker
// does) and gsyn_exc within its rtol 1e-4, split or combined. The 17 ms
// delay ran through a delay extension on the board; here the ring buffer
// holds it.
func TestSynfireAgainstBoard(t *testing.T) {
	if _, err := os.Stat(boardData); err != nil {
		t.Skipf("board recordings not found at %s: %v", boardData, err)
	}
	for _, c := range []struct{ delay, duration int }{{1, 100}, {7, 200}, {17, 500}} {
		for _, split := range []int{0, 1} {
			t.Run(fmt.Sprintf("delay=%d/synapse_cores=%d", c.delay, split), func(t *testing.T) {
				dir := t.TempDir()
				file := filepath.Join(dir, "synfire.json")
				require.NoError(t, os.WriteFile(file, []byte(synfire(20, c.delay, c.duration)), 0o644))
				_, r := runNet(t, file, sim.Sequential{}, func(n *network.Network) { n.Populations[0].SynapseCores = split })
				pop := r.Populations[0]
				prefix := fmt.Sprintf("20_%d_", c.delay)

				var want []output.Spike
				for _, row := range readBoard(t, prefix+"spikes.csv") {
					want = append(want, output.Spike{Neuron: int32(row[0]), Tick: uint32(row[1])})
				}
				assert.ElementsMatch(t, want, pop.Spikes)

				for _, tr := range []struct {
					file  string
					trace [][]float64
					rtol  float64
				}{{"v.csv", all(t, pop.V), 1e-3}, {"gsyn.csv", all(t, pop.GsynExc), 1e-4}} {
					rows := readBoard(t, prefix+tr.file)
					require.Len(t, rows, 20*c.duration)
					bad := 0
					for _, row := range rows {
						n, tick, v := int(row[0]), int(row[1]), row[2]
						got := tr.trace[n][tick]
						// numpy.allclose: |a − b| ≤ atol + rtol·|b|, atol 1e-8.
						if math.Abs(got-v) > 1e-8+tr.rtol*math.Abs(v) {
							if bad < 5 {
								t.Errorf("%s neuron %d at %d ms: %v, the board %v", tr.file, n, tick, got, v)
							}
							bad++
						}
					}
					assert.Zero(t, bad, "%s: samples outside rtol %g", tr.file, tr.rtol)
				}
			})
		}
	}
}
