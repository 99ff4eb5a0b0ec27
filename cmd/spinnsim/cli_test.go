package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/sim"
)

// -h and -help print the usage on stdout, with value names, and exit 0.
func TestHelpOnStdout(t *testing.T) {
	for _, h := range []string{"-h", "-help", "--help"} {
		code, out, errs := runCmd(t, h)
		assert.Equal(t, 0, code, h)
		assert.Empty(t, errs, h)
		for _, want := range []string{"Usage:", "-net FILE", "-out DIR", "-seed N", "-cpuprofile FILE",
			"-memprofile FILE", "-arith fixed|float", "-force", "-partial", "-version", "Exit status",
			"docs/network-format.md", `"splitter": {"synapse_cores": N}`, "SpikeNearestPairRule", "plain STDP", "StructuralMechanismSTDP"} {
			assert.Contains(t, out, want, h)
		}
		assert.NotContains(t, out, " string\n", "no value is named string")
	}
	// A bad flag is an error on stderr, with a pointer to -h.
	code, out, errs := runCmd(t, "-bogus")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "flag provided but not defined: -bogus")
	assert.Contains(t, errs, "spinnsim -h")
}

func TestVersion(t *testing.T) {
	code, out, errs := runCmd(t, "-version")
	assert.Equal(t, 0, code)
	assert.Empty(t, errs)
	assert.Regexp(t, `^spinnsim \S+.*, go1\.\S+ \S+/\S+\n$`, out)
	assert.Contains(t, out, runtime.Version())

	bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/spinnsim/spinnsim", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123abcd"},
			{Key: "vcs.time", Value: "2025-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}}
	want := "spinnsim v1.2.3, revision 0123abcd (modified) of 2025-01-02T03:04:05Z, " +
		runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	assert.Equal(t, want, versionText(bi, true))
	bi.Settings = bi.Settings[:1]
	bi.Main.Version = "(devel)"
	assert.Equal(t, "spinnsim (devel), "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH, versionText(bi, true))
	assert.True(t, strings.HasPrefix(versionText(nil, false), "spinnsim (unknown), "))
}

// copyFile copies src to dst, editing its text with the replacements.
func copyFile(t *testing.T, src, dst string, oldNew ...string) {
	t.Helper()
	b, err := os.ReadFile(src)
	require.NoError(t, err)
	s := strings.NewReplacer(oldNew...).Replace(string(b))
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	require.NoError(t, os.WriteFile(dst, []byte(s), 0o644))
}

// summary reads dir/summary.json.
func summary(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// A copy of an example (keeping the example's name inside) writes to a
// folder named after the copy's file, and leaves the original's alone.
func TestDefaultFolderOfCopiedExample(t *testing.T) {
	orig, err := filepath.Abs(single)
	require.NoError(t, err)
	dir := t.TempDir()
	t.Chdir(dir)
	copyFile(t, orig, "my_copy.json", `"seed": 1`, `"seed": 2`)

	code, _, errs := runCmd(t, "-net", orig, "-quiet")
	require.Equal(t, 0, code, errs)
	before := snapshot(t, filepath.Join("spinnsim-out", "izhikevich_single"))
	code, _, errs = runCmd(t, "-net", "my_copy.json", "-quiet")
	require.Equal(t, 0, code, errs)

	assert.Equal(t, []string{"izhikevich_single", "my_copy"}, names(t, "spinnsim-out"))
	assert.Equal(t, before, snapshot(t, filepath.Join("spinnsim-out", "izhikevich_single")), "the original's results are untouched")
	s := summary(t, filepath.Join("spinnsim-out", "my_copy"))
	assert.Equal(t, "izhikevich_single", s["name"], "the name inside the file is kept")
	assert.Equal(t, filepath.Join(dir, "my_copy.json"), s["network_file"].(map[string]any)["path"])
	assert.Equal(t, orig, summary(t, filepath.Join("spinnsim-out", "izhikevich_single"))["network_file"].(map[string]any)["path"])
}

// A folder holding another network's results is refused unless -force; the
// same network (same file, edited; or the same bytes elsewhere) may replace
// its own results.
func TestForceRefusal(t *testing.T) {
	orig, err := filepath.Abs(single)
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	out := filepath.Join("spinnsim-out", "izhikevich_single")
	code, _, errs := runCmd(t, "-net", orig, "-quiet")
	require.Equal(t, 0, code, errs)
	before := snapshot(t, out)

	// An edited copy with the same base name, elsewhere.
	other := filepath.Join("elsewhere", "izhikevich_single.json")
	copyFile(t, orig, other, `"seed": 1`, `"seed": 7`)
	code, stdout, errs := runCmd(t, "-net", other, "-quiet")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, errs, out+" holds the results of another network, "+orig)
	assert.Contains(t, errs, "-force")
	assert.Equal(t, before, snapshot(t, out))

	code, _, errs = runCmd(t, "-net", other, "-quiet", "-force")
	require.Equal(t, 0, code, errs)
	s := summary(t, out)
	assert.EqualValues(t, 7, s["seed"])
	otherAbs, err := filepath.Abs(other)
	require.NoError(t, err)
	assert.Equal(t, otherAbs, s["network_file"].(map[string]any)["path"])

	// The same file, edited, replaces its own results.
	copyFile(t, other, other, `"seed": 7`, `"seed": 8`)
	code, _, errs = runCmd(t, "-net", other, "-quiet")
	require.Equal(t, 0, code, errs)
	assert.EqualValues(t, 8, summary(t, out)["seed"])

	// Identical bytes at another path are the same network.
	copyFile(t, other, filepath.Join("third", "izhikevich_single.json"))
	code, _, errs = runCmd(t, "-net", filepath.Join("third", "izhikevich_single.json"), "-quiet")
	require.Equal(t, 0, code, errs)

	// A summary.json spinnsim cannot read is not replaced without -force.
	require.NoError(t, os.WriteFile(filepath.Join(out, "summary.json"), []byte("{"), 0o644))
	code, _, errs = runCmd(t, "-net", orig, "-quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "not a spinnsim summary")
}

// -quiet on a projection of a million synapses prints one line of counts
// for it, and the exact list for a small one; so does summary.json.
func TestQuietLargeProjection(t *testing.T) {
	dir := t.TempDir()
	net := filepath.Join(dir, "big.json")
	require.NoError(t, os.WriteFile(net, []byte(`{"format": "spinnsim-network/1", "duration_ms": 2,
	  "populations": [{"label": "a", "size": 1000, "cell_type": "SpikeSourceArray"},
	                  {"label": "b", "size": 1000, "cell_type": "IF_curr_exp"}],
	  "projections": [
	    {"label": "big", "pre": "a", "post": "b", "connector": {"type": "AllToAllConnector"},
	     "synapse": {"type": "StaticSynapse", "weight": {"distribution": "uniform", "low": 0.25, "high": 0.75}}, "record": ["weight"]},
	    {"label": "small", "pre": "a", "post": "b", "connector": {"type": "FromListConnector", "conn_list": [[0, 0, 2, 1], [3, 1, 1.5, 1]]},
	     "synapse": {"type": "StaticSynapse"}, "record": ["weight"]}]}`), 0o644))
	out := filepath.Join(dir, "out")
	start := time.Now()
	code, stdout, errs := runCmd(t, "-net", net, "-out", out, "-quiet", "-driver", "sequential", "-log-level", "info")
	t.Logf("%v for a million synapses", time.Since(start))
	require.Equal(t, 0, code, errs)
	// Every phase says when it starts, and summary.json times each.
	for _, phase := range []string{"loading the network", "generating the connections and mapping", "running",
		"writing the outputs", "outputs written"} {
		assert.Contains(t, errs, phase)
	}
	s := summary(t, out)
	tm := s["timings"].(map[string]any)
	for _, k := range []string{"load_s", "generate_s", "map_s", "run_s", "write_s"} {
		assert.GreaterOrEqual(t, tm[k], 0.0, k)
	}
	assert.Greater(t, tm["generate_s"], 0.0, "a million synapses take some time to draw")
	// summary.json sums the big projection up; weights.csv lists it.
	projs := s["projections"].(map[string]any)
	big := projs["big"].(map[string]any)
	assert.Nil(t, big["weights"])
	assert.Equal(t, "weights.csv", big["weights_file"])
	assert.EqualValues(t, 1000000, big["weight_stats"].(map[string]any)["count"])
	assert.Equal(t, []any{[]any{0.0, 0.0, 2.0}, []any{3.0, 1.0, 1.5}}, projs["small"].(map[string]any)["weights"])
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, 2, stdout)
	m := regexp.MustCompile(`^Final weight big: 1000000 synapses, mean ([0-9.]+), min ([0-9.]+), max ([0-9.]+), in (.*)$`).FindStringSubmatch(lines[0])
	require.NotNil(t, m, lines[0])
	assert.Equal(t, filepath.Join(out, "weights.csv"), m[4])
	mean, _ := strconv.ParseFloat(m[1], 64)
	lo, _ := strconv.ParseFloat(m[2], 64)
	hi, _ := strconv.ParseFloat(m[3], 64)
	// U(0.25, 0.75): mean 0.5 within a few standard errors (0.144/1000),
	// and the ends of the range within the fixed-point step.
	assert.InDelta(t, 0.5, mean, 0.001)
	assert.InDelta(t, 0.25, lo, 0.001)
	assert.InDelta(t, 0.75, hi, 0.001)
	assert.Equal(t, "Final weight small: [(0, 0, 2.0), (3, 1, 1.5)]", lines[1])

	// The weights are where the line says, all of them.
	f, err := os.Open(m[4])
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 1+1000000+2)
}

// The progress text, below and above real time, with the time left.
func TestProgressText(t *testing.T) {
	cases := []struct {
		done, total uint32
		hMs         float64
		elapsed     time.Duration
		want        string
	}{
		// 100 ticks of 1 ms in 2 s: 0.05× real time; 900 ticks left at 20 ms each.
		{100, 1000, 1, 2 * time.Second, "simulating, 0.05× real time, 18s left"},
		{3000, 12000, 1, time.Second, "simulating, 3× real time, 3s left"},
		{6000, 12000, 1, time.Second, "simulating, 6× real time, 1s left"},
		{5312, 12000, 0.1, 10 * time.Second, "simulating, 0.053× real time, 13s left"},
		// 999990 ticks at 0.1 s each: 99999 s, 27h46m39s.
		{10, 1000000, 1, time.Second, "simulating, 0.01× real time, 27h47m left"},
		{1, 1000, 1, 80 * time.Millisecond, "simulating, 0.013× real time, 1m20s left"},
		{60000, 120000, 1, time.Second, "simulating, 60× real time, 1s left"},
		{1000, 1000, 1, time.Second, "simulating, 1× real time, <1s left"},
		{0, 1000, 1, time.Second, "simulating"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, progressText(c.done, c.total, c.hMs, c.elapsed), "%+v", c)
	}
	for x, want := range map[float64]string{0.05: "0.05×", 0.0012345: "0.0012×", 0.5: "0.5×", 0.95: "0.95×",
		1: "1×", 2.54: "2.5×", 9.99: "10×", 12.4: "12×", 1234: "1234×", 0: "0×"} {
		assert.Equal(t, want, speedText(x), "%v", x)
	}
	for d, want := range map[time.Duration]string{0: "<1s", 400 * time.Millisecond: "<1s", 59 * time.Second: "59s",
		59*time.Second + 600*time.Millisecond: "1m00s", 3*time.Minute + 20*time.Second: "3m20s",
		59*time.Minute + 45*time.Second: "1h00m", 2*time.Hour + 5*time.Minute: "2h05m"} {
		assert.Equal(t, want, leftText(d), "%v", d)
	}
}

// snapshot maps every file under dir to its contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		m[path] = string(b)
		return err
	}))
	require.NotEmpty(t, m)
	return m
}

// names lists dir, hidden entries included.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var n []string
	for _, e := range es {
		n = append(n, e.Name())
	}
	return n
}

// Ctrl-C during the simulation (the context is cancelled after tick 1000)
// stops the run at the next tick boundary (for the actor driver, the end of
// the window of ticks it runs ahead: tick 1024), says so, exits 130 and
// leaves the previous outputs as they were, whatever the driver.
func TestInterruptDuringSimulation(t *testing.T) {
	for _, driver := range []string{"actors", "sequential"} {
		t.Run(driver, func(t *testing.T) {
			stop := 1001
			if driver == "actors" {
				stop = (1000/sim.MaxRunAhead + 1) * sim.MaxRunAhead
			}
			base := t.TempDir()
			out := filepath.Join(base, "out")
			code, _, errs := runCmd(t, "-net", single, "-out", out, "-quiet")
			require.Equal(t, 0, code, errs)
			before := snapshot(t, out)

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			stopAt := func(t uint32) {
				if t == 1000 {
					cancel()
				}
			}
			code, stdout, errs := runEnv(t, ctx, env{onTick: stopAt}, "-net", single, "-out", out, "-quiet",
				"-driver", driver, "-seed", "5")
			assert.Equal(t, 130, code)
			assert.Empty(t, stdout)
			assert.Equal(t, fmt.Sprintf("spinnsim: interrupted at tick %d of 3000; nothing written (%s is as it was)\n", stop, out), errs)
			assert.Equal(t, before, snapshot(t, out))
			assert.Equal(t, []string{"out"}, names(t, base), "nothing is left beside the folder")

			// With -partial, what ran is written and marked partial.
			ctx, cancel = context.WithCancel(t.Context())
			defer cancel()
			code, stdout, errs = runEnv(t, ctx, env{onTick: stopAt}, "-net", single, "-out", out, "-quiet",
				"-driver", driver, "-partial")
			assert.Equal(t, 130, code)
			assert.Empty(t, stdout)
			assert.Equal(t, fmt.Sprintf("spinnsim: interrupted at tick %d of 3000; partial outputs written to %s and marked partial\n", stop, out), errs)
			s := summary(t, out)
			assert.Equal(t, true, s["partial"])
			assert.EqualValues(t, stop, s["ticks"])
			assert.EqualValues(t, 3000, s["planned_ticks"])
			assert.EqualValues(t, stop, s["duration_ms"])
			v, err := os.ReadFile(filepath.Join(out, "v.csv"))
			require.NoError(t, err)
			assert.Equal(t, 1+stop, strings.Count(string(v), "\n"), "one row a tick that ran")
			assert.Equal(t, []string{"out"}, names(t, base))
		})
	}
}

// Ctrl-C while the outputs are being written (the context is cancelled once
// the first file is complete) writes nothing: the previous outputs are
// intact, nothing that looks complete appears, and the exit status is 130.
func TestInterruptDuringWriting(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")
	code, _, errs := runCmd(t, "-net", single, "-out", out, "-quiet")
	require.Equal(t, 0, code, errs)
	before := snapshot(t, out)

	// Interrupted once the first file is complete, and once all six are
	// (complete in the temporary folder, not yet in place).
	for _, target := range []string{out, filepath.Join(base, "fresh")} {
		for _, after := range []int{1, 6} {
			ctx, cancel := context.WithCancel(t.Context())
			var mu sync.Mutex
			done := 0
			written := func(string) {
				mu.Lock()
				defer mu.Unlock()
				if done++; done == after {
					cancel()
				}
			}
			code, stdout, errs := runEnv(t, ctx, env{onWritten: written}, "-net", single, "-out", target, "-seed", "9")
			cancel()
			assert.Equal(t, 130, code)
			assert.Empty(t, stdout)
			assert.GreaterOrEqual(t, done, after)
			assert.Equal(t, "spinnsim: interrupted while writing the outputs; nothing written ("+target+" is as it was)\n", errs)
			assert.Equal(t, before, snapshot(t, out))
			assert.Equal(t, []string{"out"}, names(t, base), "no new folder, complete or not")
		}
	}

	// With -partial the first Ctrl-C does not stop the writing of a run
	// that is complete.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	code, stdout, errs := runEnv(t, ctx, env{onWritten: func(string) { cancel() }}, "-net", single, "-out", out, "-quiet", "-partial", "-seed", "9")
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, "Final weight Pre-post projection: [(0, 0, 10.0654296875)]\n", stdout)
	assert.Equal(t, false, summary(t, out)["partial"])
	assert.EqualValues(t, 9, summary(t, out)["seed"])
}

// The first SIGINT cancels the context; the second exits 130 at once.
func TestSignals(t *testing.T) {
	var errb syncBuffer
	exited := make(chan int, 1)
	ctx, stop := notifyInterrupt(&errb, func(code int) { exited <- code })
	defer stop()
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	assert.EqualError(t, context.Cause(ctx), "interrupt")
	select {
	case code := <-exited:
		t.Fatalf("exited (%d) after one signal", code)
	default:
	}
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case code := <-exited:
		assert.Equal(t, 130, code)
	case <-time.After(10 * time.Second):
		t.Fatal("a second signal did not exit")
	}
	assert.Contains(t, errb.String(), "interrupt: stopping at the next tick boundary (again to quit at once)")
	assert.Contains(t, errb.String(), "terminated again: quitting at once")
}

// syncBuffer is a strings.Builder safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Unit warnings are printed on stderr, with the file and the JSON path; the
// run goes on.
func TestWarningsPrinted(t *testing.T) {
	dir := t.TempDir()
	net := filepath.Join(dir, "volts.json")
	require.NoError(t, os.WriteFile(net, []byte(`{"format": "spinnsim-network/1", "duration_ms": 5,
	  "populations": [{"label": "n", "size": 1, "cell_type": "IF_curr_exp", "parameters": {"cm": 300, "v_thresh": -0.05}}]}`), 0o644))
	code, _, errs := runCmd(t, "-net", net, "-out", filepath.Join(dir, "out"), "-quiet")
	assert.Equal(t, 0, code)
	assert.Equal(t, "spinnsim: warning: "+net+": populations[0].parameters.cm: 300 nF is far outside the usual range (0.01–10 nF); was it typed in pF? 300 pF = 0.3 nF\n"+
		"spinnsim: warning: "+net+": populations[0].parameters.v_thresh: -0.05 mV is far outside the usual range (-100 to +50 mV); was it typed in V? -0.05 V = -50 mV\n", errs)
}

// An output folder that is a file, ".", or a dangling link is refused
// before the run.
func TestBadOutputFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	home := filepath.Join(dir, "home")
	require.NoError(t, os.MkdirAll(filepath.Join(home, "documents"), 0o755))
	for out, want := range map[string]string{
		file: "exists and is not a folder",
		".":  "name a folder inside it",
		home: home + " is not empty and holds no spinnsim results (no summary.json)",
	} {
		code, _, errs := runCmd(t, "-net", single, "-out", out, "-quiet")
		assert.Equal(t, 2, code, out)
		assert.Contains(t, errs, "-out: ", out)
		assert.Contains(t, errs, want, out)
	}
	// With -force, the folder takes the results and keeps what it held.
	code, _, errs := runCmd(t, "-net", single, "-out", home, "-quiet", "-force")
	require.Equal(t, 0, code, errs)
	assert.DirExists(t, filepath.Join(home, "documents"))
	assert.FileExists(t, filepath.Join(home, "summary.json"))
}

// A run whose samples exceed -recording-buffer writes the same v and gsyn
// files, byte for byte, as one that keeps them in memory, and leaves no
// spool behind; a buffer below 1 MiB is refused, naming the flag.
func TestRecordingBuffer(t *testing.T) {
	parent := t.TempDir()
	net := filepath.Join(parent, "rec.json")
	require.NoError(t, os.WriteFile(net, []byte(`{"format":"spinnsim-network/1","duration_ms":1000,"seed":3,
	 "populations":[{"label":"in","size":100,"cell_type":"SpikeSourcePoisson","parameters":{"rate":40}},
	  {"label":"n","size":100,"cell_type":"IF_curr_exp","max_atoms_per_core":30,"record":["v","gsyn_exc","gsyn_inh"]}],
	 "projections":[{"pre":"in","post":"n","connector":{"type":"FixedProbabilityConnector","p_connect":0.2},"synapse":{"type":"StaticSynapse","weight":1.5}}]}`), 0o644))
	mem, spooled := filepath.Join(parent, "mem"), filepath.Join(parent, "spooled")
	code, _, errs := runCmd(t, "-net", net, "-out", mem, "-quiet")
	require.Equal(t, exitOK, code, errs)
	code, _, errs = runCmd(t, "-net", net, "-out", spooled, "-quiet", "-recording-buffer", "1", "-log-level", "info")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, errs, "exceed -recording-buffer", "2.4 MB of samples do not fit 1 MiB")
	for _, f := range []string{"v.csv", "gsyn_exc.csv", "gsyn_inh.csv"} {
		a, err := os.ReadFile(filepath.Join(mem, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(spooled, f))
		require.NoError(t, err)
		require.Greater(t, len(a), 1<<20, f)
		assert.True(t, bytes.Equal(a, b), "%s differs through the spool", f)
	}
	assert.ElementsMatch(t, []string{"rec.json", "mem", "spooled"}, names(t, parent), "no spool left")

	code, _, errs = runCmd(t, "-net", net, "-out", spooled, "-recording-buffer", "0")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errs, "-recording-buffer")
}
