package sim

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/output"
)

// DefaultRecordingBuffer is the host memory, in bytes, that a run's
// recorded samples (v, gsyn_exc, gsyn_inh) may take before they go to a
// spool file: the mapping's, whose host-memory estimate counts it.
const DefaultRecordingBuffer = mapping.DefaultRecordingBuffer

// Recording is the host's side of the cores' recording buffers, as
// sPyNNaker's buffer manager is: between two ticks it takes the samples the
// cores have buffered and appends them to a spool file, so that a run holds
// at most a bounded number of ticks of samples in memory however long it
// lasts. The cores' buffers are sized at the start (core.Recorder.Reserve)
// to the budget over the bytes all the cores record in one tick (but at
// least MaxRunAhead ticks), and the host extracts MaxRunAhead−1 ticks
// sooner than that, because a driver may have run the cores that far past
// the tick the callback sees. A run whose samples fit the budget never
// extracts and never makes a file.
//
// The spool holds blocks, one per core, quantity and extraction, neuron
// after neuron (a neuron's samples of the block are contiguous), as
// little-endian float64: the values exactly as recorded. [Recording.Results]
// reads the run back with the spooled blocks behind the samples, a neuron at
// a time, so that writing v.csv of a long run needs the memory of one
// neuron's samples. The file is unlinked as soon as it is made where the
// system allows it (it disappears with the process, however the process
// ends) and removed by [Recording.Close] otherwise.
//
// A Recording is used from one goroutine: the driver's progress callback,
// which runs between ticks while every core is quiet.
type Recording struct {
	m        *mapping.Mapped
	recs     []*core.Recorder // the recorders that sample, in population and slice order
	dir      string
	every    int // ticks between extractions; 0: never
	since    int // ticks since the last extraction
	file     *os.File
	name     string // the file's name while it is still linked
	w        *bufio.Writer
	off      int64
	blocks   map[*core.Recorder]*[core.NumQuantities][]block
	scratch  []byte
	err      error
	extracts int
}

// block is one extraction of one core's quantity in the spool: ticks
// samples of each neuron, neuron j's at off + 8·j·ticks.
type block struct {
	off   int64
	ticks int
}

// NewRecording sizes the recording buffers of m's cores so that they hold
// at most budget bytes in all (but at least MaxRunAhead ticks), and spools what does
// not fit to a file in dir (made when first needed; "" is the system's
// temporary folder).
func NewRecording(m *mapping.Mapped, budget int64, dir string) *Recording {
	rc := &Recording{m: m, dir: dir, blocks: map[*core.Recorder]*[core.NumQuantities][]block{}}
	for _, ss := range m.Slices {
		for _, s := range ss {
			if s.Rec != nil && s.Rec.Samples() {
				rc.recs = append(rc.recs, s.Rec)
			}
		}
	}
	var perTick int64
	for _, rec := range rc.recs {
		for q := range core.NumQuantities {
			if rec.Records(q) {
				perTick += 8 * int64(rec.Neurons())
			}
		}
	}
	ticks := int64(m.Clock.Ticks)
	if perTick > 0 && perTick*ticks > budget {
		// A driver may run up to MaxRunAhead−1 ticks past the tick the
		// callback has seen, so the buffers take that many more than the
		// ticks between two extractions.
		hold := max(MaxRunAhead, budget/perTick)
		rc.every = int(hold) - (MaxRunAhead - 1)
		ticks = min(ticks, hold)
	}
	for _, rec := range rc.recs {
		rec.Reserve(int(ticks))
	}
	return rc
}

// TicksPerExtraction is the number of ticks the cores buffer before the
// host takes their samples; 0 when the whole run fits the budget.
func (rc *Recording) TicksPerExtraction() int { return rc.every }

// Extractions is the number of times samples went to the spool (an
// extraction that finds the buffers empty, because the driver's window of
// ticks was taken at an earlier one, does not count).
func (rc *Recording) Extractions() int { return rc.extracts }

// AfterTick is the driver's progress callback's part: after tick t, it
// extracts the cores' samples when their buffers are full. A failure to
// write the spool stops the extraction and is kept for [Recording.Err].
func (rc *Recording) AfterTick(uint32) {
	if rc.every == 0 || rc.err != nil {
		return
	}
	if rc.since++; rc.since < rc.every {
		return
	}
	rc.since = 0
	rc.err = rc.extract()
}

// Err is the first error writing the spool, if any: the run's samples are
// then incomplete.
func (rc *Recording) Err() error { return rc.err }

// extract appends every core's buffered samples to the spool and empties
// the buffers.
func (rc *Recording) extract() error {
	buffered := false
	for _, rec := range rc.recs {
		buffered = buffered || rec.BufferedTicks() > 0
	}
	if !buffered {
		return nil // a driver that ran ahead has had its window taken already
	}
	if rc.file == nil {
		if rc.dir != "" {
			if err := os.MkdirAll(rc.dir, 0o755); err != nil {
				return fmt.Errorf("recording spool: %w", err)
			}
		}
		f, err := os.CreateTemp(rc.dir, ".spinnsim-recording-*")
		if err != nil {
			return fmt.Errorf("recording spool: %w", err)
		}
		rc.file, rc.name = f, f.Name()
		if os.Remove(rc.name) == nil {
			rc.name = ""
		}
		rc.w = bufio.NewWriterSize(f, 1<<20)
	}
	rc.extracts++
	for _, rec := range rc.recs {
		n := rec.Neurons()
		bs := rc.blocks[rec]
		if bs == nil {
			bs = new([core.NumQuantities][]block)
			rc.blocks[rec] = bs
		}
		for q := range core.NumQuantities {
			samples, ticks := rec.Buffered(q)
			if ticks == 0 {
				continue
			}
			b := rc.scratch[:0]
			for j := range n {
				for k := range ticks {
					b = binary.LittleEndian.AppendUint64(b, math.Float64bits(samples[k*n+j]))
				}
			}
			rc.scratch = b
			if _, err := rc.w.Write(b); err != nil {
				return fmt.Errorf("recording spool: %w", err)
			}
			bs[q] = append(bs[q], block{off: rc.off, ticks: ticks})
			rc.off += int64(len(b))
		}
		rec.Empty()
	}
	return nil
}

// Close releases the spool. The samples of Results read from it are not
// readable afterwards.
func (rc *Recording) Close() error {
	if rc.file == nil {
		return nil
	}
	err := rc.file.Close()
	if rc.name != "" {
		err = errors.Join(err, os.Remove(rc.name))
	}
	rc.file = nil
	return err
}

// Results reads the finished run back, as [Results] does, with the samples
// spooled so far behind the populations' v and gsyn.
func (rc *Recording) Results(wallSeconds float64) (*output.Run, error) {
	if rc.err != nil {
		return nil, rc.err
	}
	if rc.w != nil {
		if err := rc.w.Flush(); err != nil {
			return nil, fmt.Errorf("recording spool: %w", err)
		}
	}
	return results(rc.m, wallSeconds, rc), nil
}

// samples are one quantity of one population's slices; rc may be nil
// (nothing spooled: the samples are all in the cores' buffers).
func (rc *Recording) samples(ss []*mapping.Slice, size int, q core.Quantity) output.Samples {
	ps := &popSamples{size: size, q: q}
	if rc != nil && rc.file != nil {
		ps.file = rc.file
	}
	for _, s := range ss {
		p := part{lo: s.Lo, rec: s.Rec}
		if rc != nil {
			if bs := rc.blocks[s.Rec]; bs != nil {
				p.blocks = bs[q]
			}
		}
		ps.parts = append(ps.parts, p)
	}
	return ps
}

// popSamples implement output.Samples over the slices of a population: the
// blocks in the spool, then what the cores still buffer.
type popSamples struct {
	size  int
	q     core.Quantity
	file  io.ReaderAt
	parts []part // by lo
}

type part struct {
	lo     int
	rec    *core.Recorder
	blocks []block
}

func (ps *popSamples) Neurons() int { return ps.size }

func (ps *popSamples) Neuron(i int, dst []float64) ([]float64, error) {
	k := sort.Search(len(ps.parts), func(k int) bool { return ps.parts[k].lo > i }) - 1
	if k < 0 || i >= ps.size {
		return dst, fmt.Errorf("neuron %d is not in the population (size %d)", i, ps.size)
	}
	p := &ps.parts[k]
	j := i - p.lo
	var buf [8 << 10]byte
	for _, b := range p.blocks {
		off := b.off + 8*int64(j)*int64(b.ticks)
		for left := b.ticks; left > 0; {
			c := min(left, len(buf)/8)
			if _, err := ps.file.ReadAt(buf[:8*c], off); err != nil {
				return dst, fmt.Errorf("reading the recording spool: %w", err)
			}
			for x := range c {
				dst = append(dst, math.Float64frombits(binary.LittleEndian.Uint64(buf[8*x:])))
			}
			off += 8 * int64(c)
			left -= c
		}
	}
	samples, ticks := p.rec.Buffered(ps.q)
	n := p.rec.Neurons()
	for t := range ticks {
		dst = append(dst, samples[t*n+j])
	}
	return dst, nil
}
