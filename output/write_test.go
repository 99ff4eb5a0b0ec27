package output

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A write interrupted half way (the context is cancelled once the first
// file is complete) leaves the previous folder exactly as it was and
// nothing beside it.
func TestWriteInterruptedKeepsPreviousOutputs(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir := filepath.Join(base, "out")
	require.NoError(t, Write(dir, smallRun()))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	before := snapshot(t, dir)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var once sync.Once
	var first string
	w := Writer{Written: func(name string) { once.Do(func() { first = name; cancel() }) }}
	err := w.Write(ctx, dir, bigRun(3, 50, 5000, 20))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotEmpty(t, first, "a file was complete when the write was stopped")
	assert.Equal(t, before, snapshot(t, dir), "the previous outputs are intact")
	assert.Equal(t, []string{"out"}, entries(t, base), "no temporary folder is left")

	// Cancelled as the last file completes: every file is whole in the
	// temporary folder, and still none of it replaces the previous one.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	r := smallRun()
	var mu sync.Mutex
	done := 0
	w = Writer{Written: func(string) {
		mu.Lock()
		defer mu.Unlock()
		if done++; done == len(files(r)) {
			cancel()
		}
	}}
	err = w.Write(ctx, dir, r)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, len(files(r)), done)
	assert.Equal(t, before, snapshot(t, dir))
	assert.Equal(t, []string{"out"}, entries(t, base))

	// Without a previous folder: nothing appears at all.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	w = Writer{Written: func(string) { cancel() }}
	err = w.Write(ctx, filepath.Join(base, "new"), smallRun())
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []string{"out"}, entries(t, base))
}

// A context already done writes nothing.
func TestWriteWithDoneContext(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := Writer{}.Write(ctx, filepath.Join(base, "out"), smallRun())
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, entries(t, base))
}

// A second run replaces the first as a whole, whether the folders are
// exchanged in one step or the previous one is renamed aside first: its
// output files all come from the second run, other files and folders are
// carried over, and nothing is left beside the folder.
func TestWriteReplacesThePreviousFolder(t *testing.T) {
	for _, how := range []string{"exchange", "rename aside"} {
		t.Run(how, func(t *testing.T) {
			if how != "exchange" {
				exchange = func(string, string) error { return errors.ErrUnsupported }
				t.Cleanup(func() { exchange = exchangeDirs })
			}
			base := t.TempDir()
			dir := filepath.Join(base, "a", "b", "out")
			require.NoError(t, Write(dir, smallRun()))
			require.FileExists(t, filepath.Join(dir, VFile))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "plots", "deep"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "plots", "deep", "p.svg"), []byte("<svg/>"), 0o644))

			bare := &Run{Name: "bare", Ticks: 10, TimestepMs: 1, Populations: []Population{{Label: "p", Size: 3}}}
			require.NoError(t, Write(dir, bare))
			got := snapshot(t, dir)
			assert.ElementsMatch(t, []string{SummaryFile, ProvenanceFile, RasterFile, "notes.txt",
				filepath.Join("plots", "deep", "p.svg")}, keys(got))
			want, err := summaryJSON(bare)
			require.NoError(t, err)
			assert.Equal(t, string(want), got[SummaryFile])
			assert.Equal(t, "mine", got["notes.txt"])
			assert.Equal(t, []string{"out"}, entries(t, filepath.Join(base, "a", "b")))
			st, err := os.Stat(dir)
			require.NoError(t, err)
			assert.Equal(t, fs.FileMode(0o755), st.Mode().Perm()&^umask(t))
		})
	}
}

// umask returns the process's umask as seen by a new folder.
func umask(t *testing.T) fs.FileMode {
	d := filepath.Join(t.TempDir(), "m")
	require.NoError(t, os.Mkdir(d, 0o777))
	st, err := os.Stat(d)
	require.NoError(t, err)
	return 0o777 &^ st.Mode().Perm()
}

func keys(m map[string]string) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	return k
}

// A symbolic link to a folder stays a link; the folder it points to is
// replaced.
func TestWriteThroughSymlink(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	real := filepath.Join(base, "real")
	require.NoError(t, os.Mkdir(real, 0o755))
	link := filepath.Join(base, "link")
	require.NoError(t, os.Symlink(real, link))
	require.NoError(t, Write(link, smallRun()))
	require.NoError(t, Write(link, smallRun()))
	st, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, st.Mode()&fs.ModeSymlink)
	assert.FileExists(t, filepath.Join(real, SummaryFile))
	assert.ElementsMatch(t, []string{"link", "real"}, entries(t, base))

	dangling := filepath.Join(base, "dangling")
	require.NoError(t, os.Symlink(filepath.Join(base, "nothing"), dangling))
	err = Write(dangling, smallRun())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "symbolic link to nothing")
}

// A partial run says so in summary.json and in the text summary.
func TestPartialRun(t *testing.T) {
	t.Parallel()
	r := smallRun()
	r.Partial, r.Ticks, r.PlannedTicks = true, 1001, 3000
	b, err := summaryJSON(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), "\"ticks\": 1001,\n  \"partial\": true,\n  \"planned_ticks\": 3000,\n")
	assert.Contains(t, SummaryText(r, "x"), "interrupted after 1001 of 3000 ticks")

	r = smallRun()
	b, err = summaryJSON(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), "\"partial\": false,\n")
	assert.NotContains(t, string(b), "planned_ticks")
	assert.NotContains(t, SummaryText(r, "x"), "interrupted")
}

// summary.json names the network file, and ReadPrevious reads it back.
func TestReadPrevious(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	r := smallRun()
	r.Source = &Source{Path: `/nets/a "b".json`, SHA256: strings.Repeat("ab", 32)}
	dir := filepath.Join(base, "out")
	require.NoError(t, Write(dir, r))
	p, err := ReadPrevious(dir)
	require.NoError(t, err)
	assert.Equal(t, &Previous{Name: "izhikevich_single", Source: r.Source}, p)

	r.Source, r.Partial = nil, true
	require.NoError(t, Write(dir, r))
	p, err = ReadPrevious(dir)
	require.NoError(t, err)
	assert.Equal(t, &Previous{Name: "izhikevich_single", Partial: true}, p)

	_, err = ReadPrevious(filepath.Join(base, "none"))
	assert.ErrorIs(t, err, fs.ErrNotExist)

	require.NoError(t, os.WriteFile(filepath.Join(dir, SummaryFile), []byte("{\"na"), 0o644))
	_, err = ReadPrevious(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, SummaryFile)+": not a spinnsim summary")
	require.NoError(t, os.WriteFile(filepath.Join(dir, SummaryFile), []byte("[]"), 0o644))
	_, err = ReadPrevious(dir)
	assert.Error(t, err)
}

func TestSourceSame(t *testing.T) {
	t.Parallel()
	a := &Source{Path: "/a.json", SHA256: "11"}
	assert.True(t, a.Same(&Source{Path: "/a.json", SHA256: "22"}), "the same file, edited")
	assert.True(t, a.Same(&Source{Path: "/b.json", SHA256: "11"}), "the same bytes elsewhere")
	assert.False(t, a.Same(&Source{Path: "/b.json", SHA256: "22"}))
	assert.False(t, a.Same(nil))
	assert.False(t, (*Source)(nil).Same(a))
	assert.False(t, (&Source{}).Same(&Source{}))
}
