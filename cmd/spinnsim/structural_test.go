package main

import (
	"encoding/csv"
	"fmt"
	"github.com/spinnsim/spinnsim/network"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// structuralNet is a structural projection from 4 source neurons onto a
// 2 × 2 grid of 4 neurons, with the formation and elimination probabilities
// given and every other rule out of the way: 10 attempts a tick, s_max 4.
func structuralNet(form, elim float64, connector, mechanism string, splitter string) string {
	return fmt.Sprintf(`{"format": "spinnsim-network/1", "name": "structural", "duration_ms": 2000,
	 "populations": [
	  {"label": "src", "size": 4, "cell_type": "SpikeSourcePoisson", "parameters": {"rate": 5}},
	  {"label": "dst", "size": 4, "cell_type": "IF_curr_exp", "record": ["spikes", "rewiring"]%s}],
	 "projections": [
	  {"label": "grow", "pre": "src", "post": "dst", "connector": %s,
	   "synapse": {"type": %q, %s
	     "weight": 0.25, "delay": 2, "initial_weight": 0.75, "initial_delay": 3,
	     "partner_selection": {"type": "RandomSelection"},
	     "formation": {"type": "DistanceDependentFormation", "grid": [2, 2], "p_form_forward": %v, "sigma_form_forward": 1000},
	     "elimination": {"type": "RandomByWeightElimination", "threshold": 0.5, "prob_elim_depressed": %v, "prob_elim_potentiated": %v},
	     "f_rew": 10000, "s_max": 4, "with_replacement": false},
	   "record": ["weight"]}]}`, splitter, connector, mechanism, stdpRules(mechanism), form, elim, elim)
}

func stdpRules(mechanism string) string {
	if mechanism != "StructuralMechanismSTDP" {
		return ""
	}
	return `"timing_dependence": {"type": "SpikePairRule", "A_plus": 0, "A_minus": 0},
	        "weight_dependence": {"type": "AdditiveWeightDependence", "w_min": 0, "w_max": 1},`
}

// readCSV returns a CSV file's rows after its header.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows[1:]
}

// sPyNNaker's deterministic cases, through the command: with formation
// probability 1 (and no elimination) an empty structural projection fills
// to all 16 pairs, each with the initial weight and delay; with elimination
// probability 1 (and no formation) a full one empties. Both forms, both
// arithmetics, combined and split.
func TestStructuralDeterministic(t *testing.T) {
	for _, mech := range []string{"StructuralMechanismStatic", "StructuralMechanismSTDP"} {
		for _, arith := range []string{"fixed", "float"} {
			for _, split := range []string{"", `, "splitter": {"synapse_cores": 1}`} {
				name := fmt.Sprintf("%s/%s/split=%v", mech, arith, split != "")
				dir := t.TempDir()
				file := filepath.Join(dir, "grow.json")
				require.NoError(t, os.WriteFile(file, []byte(structuralNet(1, 0,
					`{"type": "FixedProbabilityConnector", "p_connect": 0}`, mech, split)), 0o644))
				code, _, errs := runCmd(t, "-net", file, "-out", filepath.Join(dir, "out"), "-quiet", "-arith", arith)
				require.Equal(t, 0, code, "%s: %s", name, errs)
				rows := readCSV(t, filepath.Join(dir, "out", "weights.csv"))
				var pairs []string
				for _, r := range rows {
					pairs = append(pairs, r[1]+"-"+r[2])
					assert.Equal(t, []string{"grow", "0.75", "3"}, []string{r[0], r[3], r[4]}, name)
				}
				sort.Strings(pairs)
				var want []string
				for pre := range 4 {
					for post := range 4 {
						want = append(want, fmt.Sprintf("%d-%d", pre, post))
					}
				}
				sort.Strings(want)
				assert.Equal(t, want, pairs, "%s: every pair formed once", name)
				rw := readCSV(t, filepath.Join(dir, "out", "rewiring.csv"))
				assert.Len(t, rw, 16, name)
				for _, r := range rw {
					assert.Equal(t, "formation", r[5], name)
				}

				require.NoError(t, os.WriteFile(file, []byte(structuralNet(0, 1,
					`{"type": "AllToAllConnector"}`, mech, split)), 0o644))
				code, _, errs = runCmd(t, "-net", file, "-out", filepath.Join(dir, "out2"), "-quiet", "-arith", arith)
				require.Equal(t, 0, code, "%s: %s", name, errs)
				assert.Empty(t, readCSV(t, filepath.Join(dir, "out2", "weights.csv")), "%s: every synapse eliminated", name)
				rw = readCSV(t, filepath.Join(dir, "out2", "rewiring.csv"))
				assert.Len(t, rw, 16, name)
				for _, r := range rw {
					assert.Equal(t, "elimination", r[5], name)
				}
			}
		}
	}
}

// An overdriven neuron in fixed point: the chip's membrane arithmetic wraps
// around (v far outside any physiological range, few spikes), which is
// faithful but rarely meant, so the run warns, naming the population, and
// provenance counts it. In range, nothing is said.
func TestOverdrivenWarns(t *testing.T) {
	for _, c := range []struct {
		offset float64
		warn   bool
	}{{5000, true}, {1, false}} {
		dir := t.TempDir()
		file := filepath.Join(dir, "hot.json")
		require.NoError(t, os.WriteFile(file, []byte(fmt.Sprintf(`{"format": "spinnsim-network/1", "duration_ms": 1000,
		 "populations": [{"label": "hot", "size": 1, "cell_type": "IF_curr_exp", "parameters": {"i_offset": %v},
		   "record": ["spikes", "v"]}]}`, c.offset)), 0o644))
		code, _, errs := runCmd(t, "-net", file, "-out", filepath.Join(dir, "out"), "-quiet")
		require.Equal(t, 0, code, errs)
		if !c.warn {
			assert.NotContains(t, errs, "wrapped", "i_offset %v", c.offset)
			continue
		}
		assert.Contains(t, errs, "spinnsim: warning: population hot: the membrane update wrapped around 32 bits")
		prov, err := os.ReadFile(filepath.Join(dir, "out", "provenance.json"))
		require.NoError(t, err)
		assert.Contains(t, string(prov), `"membrane_wraps": `)
	}
}

// -fault specs become the network's faults; bad ones say what they want.
func TestParseFault(t *testing.T) {
	var f network.Faults
	require.NoError(t, parseFault("link:0,1,north_east:0.25", &f))
	require.NoError(t, parseFault("router:2,3:0.5", &f))
	require.NoError(t, parseFault("core:1,0,3@500", &f))
	assert.Equal(t, []network.PacketDrop{
		{X: 0, Y: 1, Link: "north_east", Fraction: 0.25, Path: "-fault link:0,1,north_east:0.25"},
		{X: 2, Y: 3, Fraction: 0.5, Path: "-fault router:2,3:0.5"}}, f.Drops)
	assert.Equal(t, []network.CoreKill{{X: 1, Y: 0, P: 3, AtMs: 500, Path: "-fault core:1,0,3@500"}}, f.Kills)
	for spec, want := range map[string]string{
		"link:0,0,up:0.1": "DIRECTION one of east",
		"router:1,1:2":    "from 0 to 1",
		"core:1,1,1":      "core:X,Y,P@MS",
		"disk:0":          `unknown fault "disk"`,
		"nothing":         "want link:",
	} {
		assert.ErrorContains(t, parseFault(spec, &f), want, spec)
	}
	// Through the command: a chip the machine does not have is refused
	// with the flag named.
	code, _, errs := runCmd(t, "-net", single, "-out", t.TempDir(), "-fault", "router:40,40:0.1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-fault router:40,40:0.1: chip (40,40) is not on this spinn-3 machine of 1 board(s)")
}
