package report_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/report"
)

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// The report of the ten-population example, mapped only and loaded: a line
// per core with its memory against the core's, the machine section, and
// every chip's table; loaded, the memory is what the applications say.
func TestReport(t *testing.T) {
	for _, mapOnly := range []bool{true, false} {
		net, err := network.Load("../examples/ten_pops.json")
		require.NoError(t, err)
		m, err := mapping.MapWith(net, mapping.Options{MapOnly: mapOnly})
		require.NoError(t, err)
		dir := t.TempDir()
		require.NoError(t, report.Write(dir, m))
		for _, f := range report.Files {
			assert.FileExists(t, filepath.Join(dir, f))
		}
		cores := readCSV(t, filepath.Join(dir, "cores.csv"))
		require.Len(t, cores, 22, "10 posts, 10 Poisson stimuli, reward and punishment: one line a core")
		neurons := 0
		for _, c := range cores {
			n, _ := strconv.Atoi(c["neurons"])
			neurons += n
			assert.Equal(t, "65536", c["dtcm_available"])
			d, _ := strconv.Atoi(c["dtcm_bytes"])
			assert.Positive(t, d)
			assert.LessOrEqual(t, d, 65536)
			if strings.HasPrefix(c["label"], "post") {
				assert.Equal(t, "6", c["shift_exc"], "3 spikes a tick × w_max 20 (reference)")
				assert.Equal(t, "IF_curr_exp_stdp_izhikevich_neuromodulation_pair_additive", c["application"])
				assert.Equal(t, "3", c["sources"], "its stimulus, reward and punishment")
			}
			if mapOnly {
				assert.Equal(t, "estimated", c["memory"])
			} else {
				assert.Equal(t, "loaded", c["memory"])
			}
		}
		assert.Equal(t, 110, neurons)
		if !mapOnly {
			for _, c := range m.Cores {
				for _, row := range cores {
					if row["label"] == c.Label {
						assert.Equal(t, strconv.Itoa(c.App.Memory().DTCM), row["dtcm_bytes"])
					}
				}
			}
		}
		var mu report.Machine
		b, err := os.ReadFile(filepath.Join(dir, "machine.json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &mu))
		assert.Equal(t, 22, mu.CoresUsed)
		assert.Equal(t, 4, mu.Chips, "a SpiNN-3 board")
		assert.Equal(t, 64, mu.CoresAvailable)
		assert.Equal(t, map[string]int{"IF_curr_exp_stdp_izhikevich_neuromodulation_pair_additive": 10,
			"spike_source_array": 2, "spike_source_poisson": 10}, mu.CoresByApplication)
		tables, err := os.ReadFile(filepath.Join(dir, "routing_tables.txt"))
		require.NoError(t, err)
		for _, r := range m.Routers {
			for _, e := range r.Table.Entries() {
				assert.Contains(t, string(tables), e.Route.String())
			}
		}
		chips := readCSV(t, filepath.Join(dir, "chips.csv"))
		used := 0
		for _, c := range chips {
			n, _ := strconv.Atoi(c["cores_used"])
			used += n
		}
		assert.Equal(t, 22, used)
		pl, err := os.ReadFile(filepath.Join(dir, "placements.txt"))
		require.NoError(t, err)
		assert.Contains(t, string(pl), "post0: IF_curr_exp, 5 neurons, 1 slice(s)")
		sum, err := os.ReadFile(filepath.Join(dir, "summary.txt"))
		require.NoError(t, err)
		assert.Contains(t, string(sum), "used: 2 chips, 22 cores")
	}
}
