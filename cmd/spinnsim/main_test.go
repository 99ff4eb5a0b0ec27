package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const single = "../../examples/izhikevich_single.json"

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runEnv(t, t.Context(), env{}, args...)
}

// runEnv runs the command with ctx and the seams of e.
func runEnv(t *testing.T, ctx context.Context, e env, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e.stdout, e.stderr = &out, &errb
	code := run(ctx, args, e)
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

// A network with nothing in it runs (and ends) on both drivers; a spike
// timed far beyond the run never wraps round to an early tick.
func TestEdgeNetworks(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"format":"spinnsim-network/1","duration_ms":10}`), 0o644))
	for _, d := range []string{"actors", "sequential"} {
		code, _, errs := runCmd(t, "-net", empty, "-out", filepath.Join(dir, d), "-quiet", "-driver", d)
		assert.Equal(t, 0, code, errs)
	}
	far := filepath.Join(dir, "far.json")
	require.NoError(t, os.WriteFile(far, []byte(`{"format":"spinnsim-network/1","duration_ms":100,"populations":[
		{"label":"s","size":1,"cell_type":"SpikeSourceArray","parameters":{"spike_times":[4294967296, 5]},"record":["spikes"]},
		{"label":"p","size":1,"cell_type":"SpikeSourcePoisson","parameters":{"rate":1000,"start":4294967296},"record":["spikes"]}]}`), 0o644))
	out := filepath.Join(dir, "far")
	code, _, errs := runCmd(t, "-net", far, "-out", out, "-quiet")
	require.Equal(t, 0, code, errs)
	b, err := os.ReadFile(filepath.Join(out, "spikes.csv"))
	require.NoError(t, err)
	assert.Equal(t, "population,neuron,time_ms\ns,0,5\n", string(b))
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
		{"huge population", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[
			{"label":"a","size":100000000,"cell_type":"SpikeSourcePoisson"},{"label":"b","size":100000000,"cell_type":"IF_curr_exp"}],
			"projections":[{"pre":"a","post":"b","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":1}}]}`,
			"more than the"},
		{"weights too large for the ring buffers", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[
			{"label":"a","size":1,"cell_type":"SpikeSourceArray"},{"label":"b","size":1,"cell_type":"IF_curr_exp"}],
			"projections":[{"pre":"a","post":"b","connector":{"type":"AllToAllConnector"},"synapse":{"type":"StaticSynapse","weight":1e6}}]}`,
			"ring-buffer shift"},
		{"time constant too long for a table", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[
			{"label":"a","size":1,"cell_type":"SpikeSourceArray"},{"label":"r","size":1,"cell_type":"SpikeSourceArray"},{"label":"b","size":1,"cell_type":"IF_curr_exp"}],
			"projections":[{"pre":"a","post":"b","connector":{"type":"AllToAllConnector"},"synapse":{"type":"STDPMechanism",
			  "timing_dependence":{"type":"SpikePairRule","tau_plus":1e12},"weight_dependence":{"type":"AdditiveWeightDependence"}}},
			 {"pre":"r","post":"b","connector":{"type":"AllToAllConnector"},"synapse":{"type":"Neuromodulation","weight":20},"receptor_type":"reward"}]}`,
			"projections[0].synapse.timing_dependence.tau_plus"},
		{"parameter out of fixed-point range", `{"format":"spinnsim-network/1","duration_ms":10,"populations":[
			{"label":"a","size":1,"cell_type":"IF_curr_exp","parameters":{"i_offset":100000}}]}`,
			"i_offset"},
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
	blocker := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	code, _, errs = runCmd(t, "-net", single, "-out", filepath.Join(blocker, "out"), "-quiet")
	assert.Equal(t, 2, code, "an output folder that cannot be made is bad input, found before the run")
	assert.Contains(t, errs, "-out")
	code, _, errs = runCmd(t, "-net", single, "-arith", "double")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-arith")
	code, _, errs = runCmd(t, "-net", "/no/such/file.json")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "/no/such/file.json")
	code, _, _ = runCmd(t)
	assert.Equal(t, 2, code)
}

// -map-only maps without running: it writes the report, prints its summary,
// and writes none of a run's files.
func TestMapOnly(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	code, stdout, errs := runCmd(t, "-net", "../../examples/ten_pops.json", "-out", out, "-map-only")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "spinnsim resource report for \"ten_pops\"")
	assert.Contains(t, stdout, "mapped only: no synapse generated")
	for _, f := range []string{"summary.txt", "machine.json", "cores.csv", "chips.csv", "placements.txt", "routing_tables.txt", "routing_tables_generated.txt"} {
		assert.FileExists(t, filepath.Join(out+"-report", f), "the report goes beside the output folder")
	}
	assert.NoDirExists(t, out, "nothing ran")
	cores, err := os.ReadFile(filepath.Join(out+"-report", "cores.csv"))
	require.NoError(t, err)
	assert.Len(t, strings.Split(strings.TrimSpace(string(cores)), "\n"), 1+22, "a header and one line per core")

	// A network with nothing in it maps too.
	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"format":"spinnsim-network/1","duration_ms":10}`), 0o644))
	code, stdout, errs = runCmd(t, "-net", empty, "-out", filepath.Join(dir, "e"), "-map-only")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "used: 0 chips, 0 cores")
	assert.FileExists(t, filepath.Join(dir, "e-report", "summary.txt"))

	// A run with -report writes the report from the loaded cores.
	rep := filepath.Join(dir, "rep")
	code, _, errs = runCmd(t, "-net", single, "-out", filepath.Join(dir, "run"), "-quiet", "-report", rep, "-compress-always", "-compressor", "ordered_covering")
	require.Equal(t, 0, code, errs)
	sum, err := os.ReadFile(filepath.Join(rep, "summary.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(sum), "as loaded")
	assert.Contains(t, string(sum), "compressed with ordered_covering")
	js, err := os.ReadFile(filepath.Join(dir, "run", "summary.json"))
	require.NoError(t, err)
	// Three sources on chip (0,0) send to post1 there: three entries, merged
	// into one.
	assert.Contains(t, string(js), `"router_entries_max": 1,`)
	assert.Contains(t, string(js), `"router_entries_max_generated": 3`)

	code, _, errs = runCmd(t, "-net", single, "-map-only", "-compressor", "best")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `-compressor: "best" is neither pair nor ordered_covering`)
}
