package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const single = "../../examples/izhikevich_single.json"

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb, false)
	return code, out.String(), errb.String()
}

func postSpikes(t *testing.T, dir string) []string {
	f, err := os.Open(filepath.Join(dir, "spikes.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var ts []string
	for _, r := range rows[1:] {
		if r[0] == "post1" {
			ts = append(ts, r[2])
		}
	}
	return ts
}

// The guide's first experiment: 10.0654296875 on SpiNNaker, bit for bit.
func TestGuideFixed(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "-net", single, "-out", dir, "-quiet")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "Final weight Pre-post projection: [(0, 0, 10.0654296875)]\n", out)
	assert.Equal(t, []string{"1503", "2401"}, postSpikes(t, dir))
	sum, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	assert.Contains(t, string(sum), "10.0654296875")
}

// And the equations' closed form, 10.0552710465, in float.
func TestGuideFloat(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "-net", single, "-out", dir, "-quiet", "-arith", "float", "-driver", "sequential")
	require.Equal(t, 0, code, errs)
	m := regexp.MustCompile(`^Final weight Pre-post projection: \[\(0, 0, ([0-9.]+)\)\]\n$`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	w, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	assert.InDelta(t, 10.0552710465, w, 1e-6)
	assert.Equal(t, []string{"1503", "2401"}, postSpikes(t, dir))
}

func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	code, _, errs := runCmd(t, "-net", single, "-out", dir, "-quiet", "-cpuprofile", cpu, "-memprofile", mem)
	require.Equal(t, 0, code, errs)
	for _, p := range []string{cpu, mem} {
		f, err := os.Open(p)
		require.NoError(t, err)
		_, err = profile.Parse(f)
		f.Close()
		assert.NoError(t, err, p)
	}
}

func TestSummaryPrinted(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := runCmd(t, "-net", single, "-out", dir)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "post1")
	assert.Contains(t, out, dir)
}

// Bad input: a clear message naming the place, exit status 2, no output folder.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name, file, want string
	}{
		{"malformed JSON", `{"format": "spinnsim-network/1",`, "line"},
		{"unknown cell type", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[{"label":"a","size":1,"cell_type":"Izhikevich"}]}`,
			"populations[0].cell_type"},
		{"negative time constant", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[{"label":"a","size":1,"cell_type":"IF_curr_exp","parameters":{"tau_m":-1}}]}`,
			"populations[0].parameters.tau_m"},
		{"reward without plastic projection", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[
			{"label":"r","size":1,"cell_type":"SpikeSourceArray","parameters":{"spike_times":[1]}},
			{"label":"a","size":1,"cell_type":"IF_curr_exp"}],
			"projections":[{"pre":"r","post":"a","connector":{"type":"AllToAllConnector"},"synapse":{"type":"Neuromodulation","weight":0.1},"receptor_type":"reward"}]}`,
			"projections[0]"},
		{"missing population", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[
			{"label":"a","size":1,"cell_type":"IF_curr_exp"}],
			"projections":[{"pre":"nobody","post":"a","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":1}}]}`,
			"projections[0].pre"},
		{"does not fit the chip", `{"format":"spinnsim-network/1","duration_ms":10,"machine":{"board":"spinn-3"},"populations":[
			{"label":"a","size":1,"cell_type":"IF_curr_exp","placement":{"x":5,"y":5}}]}`,
			"populations[0].placement"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "net.json")
			require.NoError(t, os.WriteFile(file, []byte(c.file), 0o644))
			out := filepath.Join(dir, "out")
			code, _, errs := runCmd(t, "-net", file, "-out", out, "-quiet")
			assert.Equal(t, 2, code)
			assert.Contains(t, errs, c.want)
			assert.NoDirExists(t, out)
		})
	}
	code, _, errs := runCmd(t, "-net", single, "-arith", "double")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-arith")
	code, _, errs = runCmd(t, "-net", "/no/such/file.json")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "/no/such/file.json")
	code, _, _ = runCmd(t)
	assert.Equal(t, 2, code)
}
