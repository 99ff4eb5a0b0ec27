package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPyFloat(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		x    float64
		want string
	}{
		{10.0654296875, "10.0654296875"},
		{10, "10.0"},
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{-2.5, "-2.5"},
		{0.1, "0.1"},
		{0.0001, "0.0001"},
		{0.00012345, "0.00012345"},
		{1e-05, "1e-05"},
		{1.5e-7, "1.5e-07"},
		{123456789, "123456789.0"},
		{1234567890123456, "1234567890123456.0"},
		{1e16, "1e+16"},
		{123456789012345678, "1.2345678901234568e+17"},
		{1e100, "1e+100"},
		{5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{1.0 / 3, "0.3333333333333333"},
		{math.NaN(), "nan"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
	} {
		assert.Equal(t, c.want, PyFloat(c.x), "%v", c.x)
		if !math.IsNaN(c.x) && !math.IsInf(c.x, 0) {
			back, err := strconv.ParseFloat(PyFloat(c.x), 64)
			require.NoError(t, err)
			assert.Equal(t, math.Float64bits(c.x), math.Float64bits(back), "%v reads back", c.x)
		}
	}
}

func TestTimeMs(t *testing.T) {
	t.Parallel()
	r := &Run{TimestepMs: 0.1, Ticks: 30}
	assert.Equal(t, 0.3, r.TimeMs(3))
	assert.Equal(t, 0.7, r.TimeMs(7))
	assert.Equal(t, 3.0, r.DurationMs())
	r = &Run{TimestepMs: 1, Ticks: 3000}
	assert.Equal(t, 1500.0, r.TimeMs(1500))
	assert.Equal(t, 3000.0, r.DurationMs())
	r = &Run{TimestepMs: 0.25}
	assert.Equal(t, 0.75, r.TimeMs(3))
}

func TestFinalWeightLines(t *testing.T) {
	t.Parallel()
	r := &Run{Projections: []Projection{
		{Label: "stim", Synapses: 1},
		{Label: "Pre-post projection", Synapses: 1, RecordWeight: true,
			Weights: []Weight{{0, 0, 10.0654296875, 1}}},
		{Label: "int", Synapses: 1, RecordWeight: true, Weights: []Weight{{0, 0, 10, 1}}},
		{Label: "many", Synapses: 3, RecordWeight: true,
			Weights: []Weight{{1, 0, 0.5, 1}, {0, 1, 1e-05, 1}, {0, 0, 3, 2}}},
		{Label: "none", RecordWeight: true},
	}}
	assert.Equal(t, []string{
		"Final weight Pre-post projection: [(0, 0, 10.0654296875)]",
		"Final weight int: [(0, 0, 10.0)]",
		"Final weight many: [(0, 0, 3.0), (0, 1, 1e-05), (1, 0, 0.5)]",
		"Final weight none: []",
	}, FinalWeightLines(r, "out"))
	assert.Empty(t, FinalWeightLines(&Run{}, "out"))
}

// Beyond MaxListedWeights a projection gets one line: the count, mean, range
// and where the weights are.
func TestFinalWeightLinesOfLargeProjections(t *testing.T) {
	t.Parallel()
	listed := Projection{Label: "listed", RecordWeight: true}
	for i := range MaxListedWeights {
		listed.Weights = append(listed.Weights, Weight{Pre: i, Weight: 1})
	}
	big := Projection{Label: "big", RecordWeight: true}
	for i := range 1000 {
		// 0.000, 0.001, ..., 0.999: mean 0.4995
		big.Weights = append(big.Weights, Weight{Pre: i, Weight: float64(i) / 1000})
	}
	lines := FinalWeightLines(&Run{Projections: []Projection{listed, big}}, filepath.Join("spinnsim-out", "x"))
	require.Len(t, lines, 2)
	assert.True(t, strings.HasPrefix(lines[0], "Final weight listed: [(0, 0, 1.0), (1, 0, 1.0), "), lines[0])
	assert.Equal(t, MaxListedWeights, strings.Count(lines[0], "("))
	assert.Equal(t, "Final weight big: 1000 synapses, mean 0.4995, min 0.0, max 0.999, in "+
		filepath.Join("spinnsim-out", "x", "weights.csv"), lines[1])
}

// readFile returns dir/name.
func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

// readCSV reads dir/name back with encoding/csv.
func readCSV(t *testing.T, dir, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	require.NoError(t, err)
	defer f.Close()
	rec, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rec
}

func TestCSVFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, Write(dir, smallRun()))

	assert.Equal(t, `population,neuron,time_ms
pre,0,1500
pre,0,2400
"post, ""one""",0,1400
"post, ""one""",0,1503
"post, ""one""",1,1502
`, readFile(t, dir, SpikesFile))
	assert.Equal(t, [][]string{
		{"population", "neuron", "time_ms"},
		{"pre", "0", "1500"},
		{"pre", "0", "2400"},
		{`post, "one"`, "0", "1400"},
		{`post, "one"`, "0", "1503"},
		{`post, "one"`, "1", "1502"},
	}, readCSV(t, dir, SpikesFile))

	assert.Equal(t, `projection,pre,post,weight,delay_ms
Pre-post projection,0,0,10.0654296875,1
"w, ""x""",0,0,3.5,2
"w, ""x""",0,1,0.1,1
"w, ""x""",1,0,2,1.5
`, readFile(t, dir, WeightsFile))
	w := readCSV(t, dir, WeightsFile)
	require.Len(t, w, 5)
	assert.Equal(t, `w, "x"`, w[2][0])
	x, err := strconv.ParseFloat(w[1][3], 64)
	require.NoError(t, err)
	assert.Equal(t, 10.0654296875, x)

	assert.Equal(t, `population,neuron,time_ms,v_mv
"post, ""one""",0,0,-65
"post, ""one""",0,1,-64.5
"post, ""one""",0,2,-60.25
"post, ""one""",1,0,-65
"post, ""one""",1,1,-65.125
"post, ""one""",1,2,-70
`, readFile(t, dir, VFile))
	assert.Len(t, readCSV(t, dir, VFile), 7)
}

func TestCSVTimesAndExactNumbers(t *testing.T) {
	t.Parallel()
	v := []float64{-65.00000000000001, 1e-300, -0.1 - 0.2, 123456789.123}
	r := &Run{Name: "t", Ticks: 4, TimestepMs: 0.1, Populations: []Population{
		{Label: "p", Size: 1, RecordSpikes: true, Spikes: []Spike{{0, 3}}, RecordV: true, V: SampleSlices{v}},
	}}
	dir := t.TempDir()
	require.NoError(t, Write(dir, r))
	assert.Equal(t, "population,neuron,time_ms\np,0,0.3\n", readFile(t, dir, SpikesFile))
	rows := readCSV(t, dir, VFile)[1:]
	require.Len(t, rows, 4)
	for i, row := range rows {
		assert.NotContains(t, row[3], "e")
		got, err := strconv.ParseFloat(row[3], 64)
		require.NoError(t, err)
		assert.Equal(t, v[i], got)
	}
	assert.Equal(t, []string{"0", "0.1", "0.2", "0.3"}, []string{rows[0][2], rows[1][2], rows[2][2], rows[3][2]})
}

func TestUnsortedInputIsSortedAndLeftAlone(t *testing.T) {
	t.Parallel()
	r := &Run{Name: "u", Ticks: 10, TimestepMs: 1,
		Populations: []Population{{Label: "p", Size: 2, RecordSpikes: true,
			Spikes: []Spike{{1, 2}, {0, 5}, {0, 1}}}},
		Projections: []Projection{{Label: "q", RecordWeight: true,
			Weights: []Weight{{1, 0, 1, 1}, {0, 0, 2, 1}}}},
	}
	dir := t.TempDir()
	require.NoError(t, Write(dir, r))
	assert.Equal(t, "population,neuron,time_ms\np,0,1\np,0,5\np,1,2\n", readFile(t, dir, SpikesFile))
	assert.Equal(t, "projection,pre,post,weight,delay_ms\nq,0,0,2,1\nq,1,0,1,1\n", readFile(t, dir, WeightsFile))
	assert.Equal(t, []Spike{{1, 2}, {0, 5}, {0, 1}}, r.Populations[0].Spikes)
	assert.Equal(t, []Weight{{1, 0, 1, 1}, {0, 0, 2, 1}}, r.Projections[0].Weights)
}

func TestSummaryJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, Write(dir, smallRun()))
	raw := readFile(t, dir, SummaryFile)
	require.True(t, json.Valid([]byte(raw)), raw)
	assert.True(t, strings.HasSuffix(raw, "}\n"))
	assert.Contains(t, raw, "10.0654296875")
	assert.Contains(t, raw, "[1, 0, 2.0]")

	var s struct {
		Name        string     `json:"name"`
		Arithmetic  string     `json:"arithmetic"`
		Seed        uint64     `json:"seed"`
		Ticks       int        `json:"ticks"`
		TimestepMs  float64    `json:"timestep_ms"`
		WallSeconds float64    `json:"wall_seconds"`
		Machine     MachineUse `json:"machine"`
		Populations map[string]struct {
			Size       int     `json:"size"`
			Spikes     int     `json:"spikes"`
			MeanRateHz float64 `json:"mean_rate_hz"`
		} `json:"populations"`
		Projections map[string]struct {
			Synapses int          `json:"synapses"`
			Weights  *[][]float64 `json:"weights"`
		} `json:"projections"`
		Provenance map[string]uint64 `json:"provenance"`
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&s)
	require.Error(t, err, "summary.json has more keys than the spec's (cell_type, duration_ms)")
	require.NoError(t, json.Unmarshal([]byte(raw), &s))

	assert.Equal(t, "izhikevich_single", s.Name)
	assert.Equal(t, "fixed", s.Arithmetic)
	assert.Equal(t, uint64(1), s.Seed)
	assert.Equal(t, 3000, s.Ticks)
	assert.Equal(t, 1.0, s.TimestepMs)
	assert.Equal(t, 0.4, s.WallSeconds)
	assert.Equal(t, smallRun().Machine, s.Machine)
	assert.Equal(t, 2, s.Populations["pre"].Spikes)
	assert.Equal(t, 2.0/3, s.Populations["pre"].MeanRateHz)
	assert.Equal(t, 2, s.Populations[`post, "one"`].Size)
	assert.Equal(t, 0.5, s.Populations[`post, "one"`].MeanRateHz)
	assert.Nil(t, s.Projections["stim"].Weights)
	assert.Equal(t, 2, s.Projections["stim"].Synapses)
	require.NotNil(t, s.Projections["Pre-post projection"].Weights)
	assert.Equal(t, [][]float64{{0, 0, 10.0654296875}}, *s.Projections["Pre-post projection"].Weights)
	assert.Equal(t, [][]float64{{0, 0, 3.5}, {0, 1, 0.1}, {1, 0, 2}}, *s.Projections[`w, "x"`].Weights)
	assert.Equal(t, map[string]uint64{"packets_sent": 6, "packets_dropped": 0, "timer_overruns": 0}, s.Provenance)

	// Keys in a stable order: the top level as listed, populations and
	// projections in file order.
	assert.Equal(t, []string{"name", "arithmetic", "seed", "ticks", "partial", "timestep_ms", "duration_ms",
		"wall_seconds", "machine", "populations", "projections", "provenance"}, topKeys(t, raw))
	assert.Less(t, strings.Index(raw, `"pre"`), strings.Index(raw, `"reward"`))
	assert.Less(t, strings.Index(raw, `"reward"`), strings.Index(raw, `"post, \"one\""`))
	assert.Less(t, strings.Index(raw, `"stim"`), strings.Index(raw, `"Pre-post projection"`))

	// The same run gives the same bytes.
	again, err := summaryJSON(smallRun())
	require.NoError(t, err)
	assert.Equal(t, raw, string(again))
}

// topKeys lists the keys of the top-level JSON object in raw, in order.
func topKeys(t *testing.T, raw string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(raw))
	_, err := dec.Token()
	require.NoError(t, err)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var v json.RawMessage
		require.NoError(t, dec.Decode(&v))
	}
	return keys
}

func TestSummaryJSONEmptyAndOdd(t *testing.T) {
	t.Parallel()
	r := &Run{Name: `a<b>&"c"`, WallSeconds: math.NaN()}
	b, err := summaryJSON(r)
	require.NoError(t, err)
	require.True(t, json.Valid(b), string(b))
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, `a<b>&"c"`, m["name"])
	assert.Nil(t, m["wall_seconds"])
	assert.Equal(t, map[string]any{}, m["populations"])
	assert.Equal(t, map[string]any{}, m["projections"])

	r = &Run{Name: "w", Projections: []Projection{{Label: "p", RecordWeight: true}}}
	b, err = summaryJSON(r)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, map[string]any{"p": map[string]any{"synapses": 0.0, "weights": []any{}}}, m["projections"])
}

func TestProvenanceJSON(t *testing.T) {
	t.Parallel()
	r := smallRun()
	r.Provenance = Provenance{
		PacketsSent: 10, PacketsDropped: 1, TimerOverruns: 2,
		Cores: []CoreProvenance{
			{Core: [3]int{0, 0, 1}, Application: "a", Label: `x, "y": z`, SpikesSent: 3},
			{Core: [3]int{1, 0, 2}, Application: "b", Label: `q\`, DopamineEvents: 4},
		},
		Routers:     []RouterProvenance{{Chip: [2]int{0, 0}, Entries: 3, Routed: 9}},
		Projections: []ProjectionProvenance{{Label: "plastic", Post: "n", HistoryEvictedPost: 5, HistoryEvictedDopamine: 7}},
	}
	dir := t.TempDir()
	require.NoError(t, Write(dir, r))
	raw := readFile(t, dir, ProvenanceFile)
	var back Provenance
	require.NoError(t, json.Unmarshal([]byte(raw), &back), raw)
	assert.Equal(t, r.Provenance, back)
	assert.Contains(t, raw, `{"core": [0, 0, 1], "application": "a", "label": "x, \"y\": z", "spikes_sent": 3,`)

	r.Provenance = Provenance{}
	b, err := provenanceJSON(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"cores": [],`)
	assert.Contains(t, string(b), `"routers": []`)
	assert.Contains(t, string(b), `"projections": []`)
}

func TestWriteWritesOnlyWhatIsRecorded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := smallRun()
	require.NoError(t, Write(dir, r))
	names := func() []string {
		es, err := os.ReadDir(dir)
		require.NoError(t, err)
		var n []string
		for _, e := range es {
			n = append(n, e.Name())
		}
		return n
	}
	assert.ElementsMatch(t, []string{SummaryFile, ProvenanceFile, RasterFile, SpikesFile, VFile, WeightsFile}, names())
	assert.Equal(t, Files(dir, r), func() []string {
		var p []string
		for _, n := range []string{SummaryFile, ProvenanceFile, RasterFile, SpikesFile, VFile, WeightsFile} {
			p = append(p, filepath.Join(dir, n))
		}
		return p
	}())

	// A second run into the same folder that records nothing removes the
	// first run's CSV files and leaves other files alone.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	bare := &Run{Name: "bare", Ticks: 10, TimestepMs: 1,
		Populations: []Population{{Label: "p", Size: 3}},
		Projections: []Projection{{Label: "q", Synapses: 3}}}
	require.NoError(t, Write(dir, bare))
	assert.ElementsMatch(t, []string{SummaryFile, ProvenanceFile, RasterFile, "notes.txt"}, names())
	assert.Empty(t, FinalWeightLines(bare, dir))
}

func TestWriteErrorsNameTheFile(t *testing.T) {
	base := t.TempDir()

	// A folder that cannot be made: its parent is a file.
	file := filepath.Join(base, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	dir := filepath.Join(file, "out")
	err := Write(dir, smallRun())
	require.Error(t, err)
	assert.Contains(t, err.Error(), file)

	// The target is a file.
	err = Write(file, smallRun())
	require.Error(t, err)
	assert.Contains(t, err.Error(), file+" exists and is not a folder")

	// Files that cannot be written: every failure is named by its place in
	// the target folder, the previous files are untouched and nothing is
	// left beside them.
	dir = filepath.Join(base, "out")
	require.NoError(t, Write(dir, smallRun()))
	before := snapshot(t, dir)
	createFile = func(path string) (io.WriteCloser, error) {
		switch filepath.Base(path) {
		case SummaryFile:
			return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.ENOSPC}
		case VFile:
			f, err := os.Create(path)
			return failAfter{f, 0}, err
		}
		return os.Create(path)
	}
	t.Cleanup(func() { createFile = defaultCreate })
	err = Write(dir, smallRun())
	createFile = defaultCreate
	require.Error(t, err)
	t.Log(err)
	assert.Contains(t, err.Error(), "writing "+filepath.Join(dir, SummaryFile)+": open: no space left on device")
	assert.Contains(t, err.Error(), "writing "+filepath.Join(dir, VFile)+": disk on fire")
	assert.NotContains(t, err.Error(), SpikesFile)
	assert.Equal(t, 1, strings.Count(err.Error(), SummaryFile), "the path is named once: %v", err)
	assert.Equal(t, before, snapshot(t, dir))
	assert.Equal(t, []string{"file", "out"}, entries(t, base))

	if os.Getuid() != 0 { // root writes anywhere
		ro := filepath.Join(base, "ro")
		require.NoError(t, os.Mkdir(ro, 0o555))
		err = Write(filepath.Join(ro, "out"), smallRun())
		require.Error(t, err)
		assert.Contains(t, err.Error(), filepath.Join(ro, "out"))
	}
	assert.Error(t, Write(t.TempDir(), nil))
	for _, d := range []string{".", "..", "/", "a/.."} {
		err := Write(d, smallRun())
		require.Error(t, err, d)
		assert.Contains(t, err.Error(), "name a folder inside it", d)
	}
}

var defaultCreate = createFile

// failAfter fails every write after the first n.
type failAfter struct {
	*os.File
	n int
}

func (f failAfter) Write(b []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("disk on fire")
	}
	return f.File.Write(b)
}

// snapshot maps every file under dir (relative path) to its contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		m[rel] = string(b)
		return err
	}))
	return m
}

// entries lists the names in dir, hidden ones included.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// pixels counts the dark, green and red pixels of img.
func pixels(img image.Image) (dark, green, red int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			switch {
			case r < 80 && g < 80 && bl < 100:
				dark++
			case g > 120 && r < 80 && bl < 100:
				green++
			case r > 180 && g < 80 && bl < 80:
				red++
			}
		}
	}
	return
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img
}

func TestRasterPNG(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, Write(dir, smallRun()))
	img := decodePNG(t, filepath.Join(dir, RasterFile))
	assert.Equal(t, image.Rect(0, 0, 1500, 500), img.Bounds())
	dark, green, red := pixels(img)
	assert.Greater(t, green, 20, "reward triangle")
	assert.Greater(t, red, 40, "punishment triangles")

	// The spikes are dark: the plot area holds more dark pixels with them
	// than without.
	noSpikes := smallRun()
	for i := range noSpikes.Populations {
		noSpikes.Populations[i].Spikes = nil
	}
	noSpikes.Markers = nil
	dir2 := t.TempDir()
	require.NoError(t, Write(dir2, noSpikes))
	img2 := decodePNG(t, filepath.Join(dir2, RasterFile))
	dark2, green2, red2 := pixels(img2)
	assert.Greater(t, dark-dark2, 5*10, "five spike dots")
	assert.Zero(t, green2)
	assert.Zero(t, red2)
}

func TestRasterWithoutSpikes(t *testing.T) {
	t.Parallel()
	r := &Run{Name: "quiet", Arithmetic: "float", Ticks: 0, TimestepMs: 1,
		Populations: []Population{{Label: "p", Size: 4}}}
	var buf bytes.Buffer
	require.NoError(t, writeRaster(&buf, r))
	img, err := png.Decode(&buf)
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 1500, 500), img.Bounds())
	dark, _, _ := pixels(img)
	assert.Greater(t, dark, 100, "axes and text")

	// Recorded but silent, and a run that has no populations at all.
	r.Populations[0].RecordSpikes = true
	require.NoError(t, writeRaster(&buf, r))
	require.NoError(t, writeRaster(&buf, &Run{}))
}

func TestSummaryText(t *testing.T) {
	t.Parallel()
	r := smallRun()
	s := SummaryText(r, "out/izhikevich_single")
	for _, want := range []string{
		`"izhikevich_single"`, "fixed arithmetic", "seed 1", "3000 ticks", "3000 ms", "400ms",
		"48 chips", "5 cores used", "7 router entries",
		"pre", "0.67 Hz", `post, "one"`, "0.50 Hz",
		"Pre-post projection", "stim",
		"out/izhikevich_single", SummaryFile, RasterFile, SpikesFile, VFile, WeightsFile,
	} {
		assert.Contains(t, s, want)
	}
	assert.LessOrEqual(t, strings.Count(s, "\n"), 30)

	// Many populations are cut short.
	big := bigRun(40, 1, 10, 1)
	s = SummaryText(big, "x")
	assert.Contains(t, s, "and 28 more (see summary.json)")
	assert.LessOrEqual(t, strings.Count(s, "\n"), 30)
	assert.NotContains(t, s, VFile+"x")
}

func TestWriteIsDeterministic(t *testing.T) {
	t.Parallel()
	r := bigRun(3, 5, 300, 50)
	d1, d2 := t.TempDir(), t.TempDir()
	require.NoError(t, Write(d1, r))
	require.NoError(t, Write(d2, r))
	for _, n := range files(r) {
		assert.Equal(t, readFile(t, d1, n), readFile(t, d2, n), n)
	}
	assert.True(t, slices.Contains(files(r), VFile))
}

func TestBigVIsQuick(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("short")
	}
	r := bigRun(1, 50, 12000, 10)
	dir := t.TempDir()
	require.NoError(t, Write(dir, r))
	st, err := os.Stat(filepath.Join(dir, VFile))
	require.NoError(t, err)
	assert.Greater(t, st.Size(), int64(50*12000*20))
	rows := readCSV(t, dir, VFile)
	assert.Len(t, rows, 1+50*12000)
}

func BenchmarkWriteVCSV(b *testing.B) {
	r := bigRun(1, 50, 12000, 10)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := writeVCSV(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkWriteRaster(b *testing.B) {
	r := bigRun(10, 100, 10000, 20)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := writeRaster(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
}

// A timed run's summary.json holds each phase's seconds after wall_seconds;
// an untimed one has no timings (so that runs compare byte for byte).
func TestSummaryTimings(t *testing.T) {
	r := smallRun()
	b, err := summaryJSON(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "timings")

	r.Timings = &Timings{Load: 0.001, Generate: 0.25, Map: 1.5, Run: 12.345678, Write: 0.5}
	b, err = summaryJSON(r)
	require.NoError(t, err)
	var s struct {
		Timings map[string]float64 `json:"timings"`
	}
	require.NoError(t, json.Unmarshal(b, &s))
	assert.Equal(t, map[string]float64{"load_s": 0.001, "generate_s": 0.25, "map_s": 1.5, "run_s": 12.35, "write_s": 0.5}, s.Timings)
	keys := topKeys(t, string(b))
	assert.Equal(t, "timings", keys[slices.Index(keys, "wall_seconds")+1])
}

// Write measures the time the other files take and puts it in summary.json,
// which it writes last; it leaves the run it was given as it was.
func TestWriteTimesTheOtherFiles(t *testing.T) {
	r := bigRun(3, 100, 2000, 20)
	r.Timings = &Timings{Run: 1}
	var order []string
	var mu sync.Mutex
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, Writer{Written: func(f string) { mu.Lock(); order = append(order, f); mu.Unlock() }}.Write(context.Background(), dir, r))
	assert.Equal(t, SummaryFile, order[len(order)-1])
	assert.Zero(t, r.Timings.Write)
	raw, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	require.NoError(t, err)
	var s struct {
		Timings map[string]float64 `json:"timings"`
	}
	require.NoError(t, json.Unmarshal(raw, &s))
	assert.Greater(t, s.Timings["write_s"], 0.0)
	assert.Equal(t, 1.0, s.Timings["run_s"])
}

// A projection with more than MaxListedWeights weights keeps them out of
// summary.json: it gets their count, mean, standard deviation and range,
// and the file that lists them. Smaller ones list them all.
func TestSummaryWeightStats(t *testing.T) {
	r := smallRun()
	var ws []Weight
	for i := range MaxListedWeights + 1 {
		ws = append(ws, Weight{Pre: i, Post: 0, Weight: float64(i % 4), DelayMs: 1}) // 0, 1, 2, 3, 0, ...
	}
	r.Projections = append(r.Projections, Projection{Label: "big", Synapses: len(ws), RecordWeight: true, Weights: ws},
		Projection{Label: "just small", Synapses: MaxListedWeights, RecordWeight: true, Weights: ws[:MaxListedWeights]})
	b, err := summaryJSON(r)
	require.NoError(t, err)
	var s struct {
		Projections map[string]struct {
			Weights     *[][]float64       `json:"weights"`
			WeightsFile string             `json:"weights_file"`
			WeightStats map[string]float64 `json:"weight_stats"`
		} `json:"projections"`
	}
	require.NoError(t, json.Unmarshal(b, &s))
	big := s.Projections["big"]
	assert.Nil(t, big.Weights)
	assert.Equal(t, WeightsFile, big.WeightsFile)
	// 26 each of 0 and (the extra one) 0, 25 each of 1, 2 and 3.
	n := float64(MaxListedWeights + 1)
	mean := (25*1 + 25*2 + 25*3) / n
	variance := (26*mean*mean + 25*(1-mean)*(1-mean) + 25*(2-mean)*(2-mean) + 25*(3-mean)*(3-mean)) / n
	assert.Equal(t, n, big.WeightStats["count"])
	assert.InDelta(t, mean, big.WeightStats["mean"], 1e-12)
	assert.InDelta(t, math.Sqrt(variance), big.WeightStats["std"], 1e-12)
	assert.Equal(t, 0.0, big.WeightStats["min"])
	assert.Equal(t, 3.0, big.WeightStats["max"])
	small := s.Projections["just small"]
	require.NotNil(t, small.Weights)
	assert.Len(t, *small.Weights, MaxListedWeights)
	assert.Empty(t, small.WeightStats)
	assert.Len(t, *s.Projections["Pre-post projection"].Weights, 1)
}

// shaded counts the pixels of img in rect that are not white or the light
// band colour: where spikes (or axes and text) are drawn.
func shaded(img image.Image, rect image.Rectangle) int {
	n := 0
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 < 0xd8 && g>>8 < 0xd8 && b>>8 < 0xe8 {
				n++
			}
		}
	}
	return n
}

// Past MaxRasterDots spikes the raster shows their density where they
// are: spikes only in the first half of the run shade the left half of the
// plot, only in the second half the right half, and twice the spikes in
// the same places shade no less.
func TestRasterDensity(t *testing.T) {
	t.Parallel()
	const size, ticks = 500, 2000
	run := func(lo, hi, perNeuron int) *Run {
		r := &Run{Name: "dense", Arithmetic: "fixed", Ticks: ticks, TimestepMs: 1}
		p := Population{Label: "p", CellType: "IF_curr_exp", Size: size, RecordSpikes: true}
		for n := range size {
			for k := range perNeuron {
				p.Spikes = append(p.Spikes, Spike{Neuron: int32(n), Tick: uint32(lo + (n*7+k*131)%(hi-lo))})
			}
		}
		p.SpikeCount = len(p.Spikes)
		r.Populations = []Population{p}
		return r
	}
	draw := func(r *Run) image.Image {
		var buf bytes.Buffer
		require.NoError(t, writeRaster(&buf, r))
		img, err := png.Decode(&buf)
		require.NoError(t, err)
		return img
	}
	early, late := run(0, ticks/2, 60), run(ticks/2, ticks, 60)
	require.Greater(t, early.Populations[0].SpikeCount, MaxRasterDots)
	a, b := draw(early), draw(late)
	// The data area lies within x 70…1420, y 40…450; its middle is near
	// x 745. Compare bands of it away from the middle and the axes.
	left, right := image.Rect(150, 60, 650, 430), image.Rect(840, 60, 1340, 430)
	assert.Greater(t, shaded(a, left), 20*shaded(a, right)+1000, "early spikes on the left")
	assert.Greater(t, shaded(b, right), 20*shaded(b, left)+1000, "late spikes on the right")
	assert.GreaterOrEqual(t, shaded(draw(run(0, ticks/2, 120)), left), shaded(a, left))
}

// A run holds every recorded spike at once at read-back: 8 bytes each.
func TestSpikeSize(t *testing.T) {
	assert.EqualValues(t, 8, unsafe.Sizeof(Spike{}))
}

// BenchmarkRasterDensity draws the raster of 20 populations of 1,000
// neurons with 40 spikes each over 2 s (800 k spikes: a density image).
//
//	go test -run '^$' -bench RasterDensity ./output
func BenchmarkRasterDensity(b *testing.B) {
	r := &Run{Name: "dense", Arithmetic: "fixed", Ticks: 2000, TimestepMs: 1}
	for p := range 20 {
		pop := Population{Label: "p" + strconv.Itoa(p), CellType: "IF_curr_exp", Size: 1000, RecordSpikes: true}
		for n := range 1000 {
			for k := range 40 {
				pop.Spikes = append(pop.Spikes, Spike{Neuron: int32(n), Tick: uint32((n*7 + k*131 + p*13) % 2000)})
			}
		}
		pop.SpikeCount = len(pop.Spikes)
		r.Populations = append(r.Populations, pop)
	}
	for b.Loop() {
		if err := writeRaster(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
