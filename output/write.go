package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
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

// Write creates dir (and its parents) and writes the run's output files into
// it (see the package comment). Files the run has nothing for (v.csv when no
// population records v, ...) are not written, and are removed if an earlier
// run left them in dir. The files are written concurrently; every failure is
// reported, each naming its file. r is not modified.
func Write(dir string, r *Run) error {
	if r == nil {
		return errors.New("output: no run to write")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output: creating folder %s: %w", dir, unwrapPath(err, dir))
	}
	errs := make([]error, len(outputFiles))
	var wg sync.WaitGroup
	for i, f := range outputFiles {
		path := filepath.Join(dir, f.name)
		if f.wanted != nil && !f.wanted(r) {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs[i] = fmt.Errorf("output: removing stale %s: %w", path, unwrapPath(err, path))
			}
			continue
		}
		wg.Go(func() {
			if err := writeFile(path, r, f.write); err != nil {
				errs[i] = fmt.Errorf("output: writing %s: %w", path, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writeFile creates path and writes it with write.
func writeFile(path string, r *Run, write func(io.Writer, *Run) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return unwrapPath(err, path)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = unwrapPath(cerr, path)
		}
	}()
	return unwrapPath(write(f, r), path)
}

// unwrapPath drops the path from a *fs.PathError about path, since the
// caller's message names it already.
func unwrapPath(err error, path string) error {
	if pe, ok := err.(*fs.PathError); ok && pe.Path == path {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
