package output

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// The files of the output folder.
const (
	SummaryFile    = "summary.json"
	ProvenanceFile = "provenance.json"
	RasterFile     = "raster.png"
	SpikesFile     = "spikes.csv"
	VFile          = "v.csv"
	GsynExcFile    = "gsyn_exc.csv"
	GsynInhFile    = "gsyn_inh.csv"
	RewiringFile   = "rewiring.csv"
	WeightsFile    = "weights.csv"
	TracesFile     = "traces.csv"
	TracesPlotFile = "traces.png"
)

// outputFile is one file Write may write.
type outputFile struct {
	name  string
	write func(io.Writer, *Run) error
	// wanted says whether the run has something for the file; nil: always.
	wanted func(*Run) bool
}

var outputFiles = []outputFile{
	{SummaryFile, writeBytes(summaryJSON), nil},
	{ProvenanceFile, writeBytes(provenanceJSON), nil},
	{RasterFile, writeRaster, nil},
	{SpikesFile, writeSpikesCSV, recordsSpikes},
	{VFile, writeVCSV, recordsV},
	{GsynExcFile, writeGsynExcCSV, func(r *Run) bool { return records(r, func(p *Population) bool { return p.GsynExc != nil }) }},
	{GsynInhFile, writeGsynInhCSV, func(r *Run) bool { return records(r, func(p *Population) bool { return p.GsynInh != nil }) }},
	{WeightsFile, writeWeightsCSV, recordsWeight},
	{RewiringFile, writeRewiringCSV, func(r *Run) bool { return records(r, func(p *Population) bool { return p.RecordRewiring }) }},
	{TracesFile, writeSynapseTracesCSV, tracesSynapses},
	{TracesPlotFile, writeTracesPlot, tracesSynapses},
}

func writeBytes(f func(*Run) ([]byte, error)) func(io.Writer, *Run) error {
	return func(w io.Writer, r *Run) error {
		b, err := f(r)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
}

func recordsSpikes(r *Run) bool {
	for _, p := range r.Populations {
		if p.RecordSpikes {
			return true
		}
	}
	return false
}

func records(r *Run, f func(*Population) bool) bool {
	for i := range r.Populations {
		if f(&r.Populations[i]) {
			return true
		}
	}
	return false
}

func recordsV(r *Run) bool {
	for _, p := range r.Populations {
		if p.RecordV {
			return true
		}
	}
	return false
}

func recordsWeight(r *Run) bool {
	for _, p := range r.Projections {
		if p.RecordWeight {
			return true
		}
	}
	return false
}

// files lists the names of the files Write writes for r, in a fixed order.
func files(r *Run) []string {
	var names []string
	for _, f := range outputFiles {
		if f.wanted == nil || f.wanted(r) {
			names = append(names, f.name)
		}
	}
	return names
}

// Files returns the paths of the files Write(dir, r) writes.
func Files(dir string, r *Run) []string {
	names := files(r)
	for i, n := range names {
		names[i] = filepath.Join(dir, n)
	}
	return names
}

// Write writes the run's output files into dir, atomically: see
// [Writer.Write]. It is Writer{}.Write with a context that is never done.
func Write(dir string, r *Run) error {
	return Writer{}.Write(context.Background(), dir, r)
}

// Writer writes a run's output folder atomically. The zero Writer is ready
// to use.
type Writer struct {
	// Written, when not nil, is called with a file's name (SummaryFile, ...)
	// once the file is complete in the temporary folder, from the goroutine
	// that wrote it: a way to show progress, and the seam through which
	// tests interrupt a write half way.
	Written func(name string)
}

// Names of the temporary folders Write makes beside the target folder dir:
// .<base of dir>.spinnsim-new-<random> while the new files are written, and
// .<base of dir>.spinnsim-old-<random> for the previous folder while the
// two are swapped. Only a crash (or a second Ctrl-C, which exits at once)
// leaves one behind; see Writer.Write.
const (
	newSuffix = ".spinnsim-new-"
	oldSuffix = ".spinnsim-old-"
)

// Write writes the run's files (see the package comment) into dir so that
// dir never holds a file that looks complete and is not, and never loses the
// previous run's files before the new ones are complete:
//
//  1. The parents of dir are made, and the files are written concurrently
//     into a new temporary folder beside dir (same parent, so the same file
//     system), each synced to disk before it is closed.
//  2. If any file fails, or ctx is done before the files are complete, the
//     temporary folder is removed and dir is left exactly as it was. The
//     error names every file that failed by its path in dir; a done context
//     gives an error wrapping ctx's error.
//  3. Otherwise the new folder takes dir's place. When dir does not exist,
//     that is one rename. When it does, the two folders are swapped: on
//     Linux in one atomic step (renameat2 with RENAME_EXCHANGE); elsewhere,
//     or on a file system that cannot exchange, dir is first renamed aside
//     to .<base>.spinnsim-old-* and then the new folder renamed to dir.
//  4. Entries of the previous folder that are not output files (notes, a
//     profile, a sub-folder) are moved into the new one; output files the
//     run does not write (v.csv when nothing records v) are not, so the
//     folder never mixes two runs. Then the previous folder is removed.
//
// Once step 3 starts, ctx is no longer looked at: the swap takes
// milliseconds and stopping half way would be worse than finishing.
//
// Crash windows (power loss, SIGKILL, a second Ctrl-C): before step 3, dir
// is untouched and a .spinnsim-new-* folder may be left beside it. Between
// the two renames of the fallback in step 3 dir is missing, the previous
// files are whole in .spinnsim-old-* and the new ones whole in
// .spinnsim-new-*. During step 4 dir holds the complete new run, and the
// previous folder, with the other files not yet moved back, is whole in
// .spinnsim-old-*. At no point does dir hold part of a run. Leftover
// folders are never removed automatically (they may be the only copy of
// someone's notes); their names say what they are.
//
// A failure in step 4 (an entry that cannot be moved back) leaves the
// previous folder in place and is reported with its path. r is not modified.
func (w Writer) Write(ctx context.Context, dir string, r *Run) error {
	if r == nil {
		return errors.New("output: no run to write")
	}
	dir, err := Target(dir)
	if err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("output: creating folder %s: %w", parent, unwrapPath(err, parent))
	}
	tmp, err := mkdirUnique(parent, "."+filepath.Base(dir)+newSuffix)
	if err != nil {
		return fmt.Errorf("output: creating a folder beside %s: %w", dir, err)
	}
	if err := w.writeAll(ctx, tmp, dir, r); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := ctx.Err(); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("output: stopped before the files were complete; %s is as it was: %w", dir, err)
	}
	if err := syncDir(tmp); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("output: %w", err)
	}
	return replaceDir(tmp, dir)
}

// Target checks that dir can be an output folder and returns the folder
// Write will replace: dir cleaned, or, when dir is a symbolic link, the
// folder it points to (the link is kept). dir need not exist; if it does,
// it must be a folder. "." and ".." are refused: Write replaces the folder
// as a whole, and cannot replace the one it is in.
func Target(dir string) (string, error) {
	dir = filepath.Clean(dir)
	base := filepath.Base(dir)
	if base == "." || base == ".." || base == string(filepath.Separator) {
		return "", fmt.Errorf("output: %s: the output folder is replaced as a whole; name a folder inside it instead", dir)
	}
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return dir, nil
	case err != nil:
		return "", fmt.Errorf("output: %w", err)
	case st.Mode()&fs.ModeSymlink != 0:
		real, err := filepath.EvalSymlinks(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("output: %s is a symbolic link to nothing", dir)
		} else if err != nil {
			return "", fmt.Errorf("output: %w", err)
		}
		return Target(real)
	case !st.IsDir():
		return "", fmt.Errorf("output: %s exists and is not a folder", dir)
	}
	return dir, nil
}

// unusedName returns a name parent/prefix<random> that does not exist.
func unusedName(parent, prefix string) string {
	for {
		name := filepath.Join(parent, prefix+strconv.FormatUint(rand.Uint64(), 36))
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
	}
}

// mkdirUnique makes a new empty folder parent/prefix<random> (mode 0755
// less the umask, where os.MkdirTemp gives 0700).
func mkdirUnique(parent, prefix string) (string, error) {
	for {
		name := filepath.Join(parent, prefix+strconv.FormatUint(rand.Uint64(), 36))
		if err := os.Mkdir(name, 0o755); !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
}

// writeAll writes every file of r into tmp concurrently. Errors name the
// file by its place in dir, where the user will look for it.
//
// A timed run (r.Timings not nil) has its summary.json written last, once
// the other files are, with the time they took as its write time.
func (w Writer) writeAll(ctx context.Context, tmp, dir string, r *Run) error {
	start := time.Now()
	names := files(r)
	errs := make([]error, len(outputFiles))
	one := func(i int, r *Run) {
		f := outputFiles[i]
		if err := writeFile(ctx, filepath.Join(tmp, f.name), r, f.write); err != nil {
			errs[i] = fmt.Errorf("output: writing %s: %w", filepath.Join(dir, f.name), err)
			return
		}
		if w.Written != nil {
			w.Written(f.name)
		}
	}
	last := -1
	var wg sync.WaitGroup
	for i, f := range outputFiles {
		if !slices.Contains(names, f.name) {
			continue
		}
		if f.name == SummaryFile && r.Timings != nil {
			last = i
			continue
		}
		wg.Go(func() { one(i, r) })
	}
	wg.Wait()
	if last >= 0 && ctx.Err() == nil {
		timed := *r
		tm := *r.Timings
		tm.Write = time.Since(start).Seconds()
		timed.Timings = &tm
		one(last, &timed)
	}
	return errors.Join(errs...)
}

// createFile makes an output file; tests replace it to make a file fail.
var createFile = func(path string) (io.WriteCloser, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// writeFile creates path, writes it with write, syncs it to disk and closes
// it. A done ctx stops the writing at the next buffer flush.
func writeFile(ctx context.Context, path string, r *Run, write func(io.Writer, *Run) error) (err error) {
	f, err := createFile(path)
	if err != nil {
		return unwrapPath(err, path)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = unwrapPath(cerr, path)
		}
	}()
	if err := write(ctxWriter{ctx, f}, r); err != nil {
		return unwrapPath(err, path)
	}
	if s, ok := f.(interface{ Sync() error }); ok {
		return unwrapPath(s.Sync(), path)
	}
	return nil
}

// ctxWriter fails every Write once its context is done. The writers buffer
// their output, so the context is looked at once per buffer, not per row.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(b)
}

// exchange swaps two folders atomically where it can; tests replace it to
// take the fallback.
var exchange = exchangeDirs

// replaceDir puts the complete folder tmp in dir's place (steps 3 and 4 of
// Writer.Write).
func replaceDir(tmp, dir string) error {
	_, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Rename(tmp, dir); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("output: moving the new files into %s: %w", dir, err)
		}
		return syncDir(filepath.Dir(dir))
	case err != nil:
		os.RemoveAll(tmp)
		return fmt.Errorf("output: %w", err)
	}

	var old string
	if exchange(tmp, dir) == nil {
		old = tmp // tmp now holds the previous folder
	} else {
		old = unusedName(filepath.Dir(dir), "."+filepath.Base(dir)+oldSuffix)
		if err := os.Rename(dir, old); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("output: moving the previous %s aside (it is untouched): %w", dir, err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			if os.Rename(old, dir) == nil {
				os.RemoveAll(tmp)
				return fmt.Errorf("output: moving the new files into %s (the previous files are back in place): %w", dir, err)
			}
			return fmt.Errorf("output: moving the new files into %s: %w; the previous files are in %s and the new ones in %s", dir, err, old, tmp)
		}
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return fmt.Errorf("output: %w", err)
	}

	// Carry over what is not ours, then remove the previous folder.
	entries, err := os.ReadDir(old)
	if err != nil {
		return fmt.Errorf("output: the new files are in %s, but reading the previous folder, now %s, failed: %w", dir, old, err)
	}
	var errs []error
	for _, e := range entries {
		if isOutputFile(e.Name()) {
			continue
		}
		if err := os.Rename(filepath.Join(old, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("output: the new files are in %s, but some other files of the previous folder could not be moved there; they are still in %s: %w",
			dir, old, errors.Join(errs...))
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("output: the new files are in %s; removing the previous ones, in %s, failed: %w", dir, old, err)
	}
	return nil
}

// isOutputFile reports whether name is one of the files Write may write.
func isOutputFile(name string) bool {
	for _, f := range outputFiles {
		if f.name == name {
			return true
		}
	}
	return false
}

// syncDir flushes a folder's entries (new names, renames) to disk. File
// systems that cannot sync a folder are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// unwrapPath drops the path from a *fs.PathError about path, since the
// caller's message names it already.
func unwrapPath(err error, path string) error {
	if pe, ok := err.(*fs.PathError); ok && pe.Path == path {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
