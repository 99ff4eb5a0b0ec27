package output

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Headers of the CSV files.
const (
	spikesHeader   = "population,neuron,time_ms\n"
	vHeader        = "population,neuron,time_ms,v_mv\n"
	gsynExcHeader  = "population,neuron,time_ms,gsyn_exc_na\n"
	gsynInhHeader  = "population,neuron,time_ms,gsyn_inh_na\n"
	weightsHeader  = "projection,pre,post,weight,delay_ms\n"
	rewiringHeader = "population,projection,time_ms,pre,post,event\n"
)

// bufSize is the buffer of a file being written. Rows are appended straight
// into its free space (AvailableBuffer), so writing a row does not allocate.
const bufSize = 256 << 10

// writeSpikesCSV writes spikes.csv: one row per recorded spike.
func writeSpikesCSV(w io.Writer, r *Run) error {
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(spikesHeader); err != nil {
		return err
	}
	c := newClock(r.TimestepMs)
	for i := range r.Populations {
		p := &r.Populations[i]
		if !p.RecordSpikes {
			continue
		}
		label := csvField(p.Label)
		for _, s := range sortedSpikes(p.Spikes) {
			b := append(bw.AvailableBuffer(), label...)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(s.Neuron), 10)
			b = append(b, ',')
			b = appendCSVFloat(b, c.ms(int(s.Tick)))
			b = append(b, '\n')
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// writeVCSV writes v.csv: one row per neuron and tick of every population
// that records v. A neuron's rows are as many as its V slice is long.
func writeVCSV(w io.Writer, r *Run) error {
	return writeTraceCSV(w, r, vHeader, func(p *Population) Samples {
		if !p.RecordV {
			return nil
		}
		return p.V
	})
}

// writeGsynExcCSV writes gsyn_exc.csv, as v.csv.
func writeGsynExcCSV(w io.Writer, r *Run) error {
	return writeTraceCSV(w, r, gsynExcHeader, func(p *Population) Samples { return p.GsynExc })
}

// writeGsynInhCSV writes gsyn_inh.csv, as v.csv.
func writeGsynInhCSV(w io.Writer, r *Run) error {
	return writeTraceCSV(w, r, gsynInhHeader, func(p *Population) Samples { return p.GsynInh })
}

// writeTraceCSV writes one row per neuron and tick of every population whose
// trace is not nil, reading one neuron's samples at a time.
func writeTraceCSV(w io.Writer, r *Run, header string, trace func(*Population) Samples) error {
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(header); err != nil {
		return err
	}
	c := newClock(r.TimestepMs)
	var times [][]byte // the time column per tick, made once
	timeOf := func(tick int) []byte {
		for len(times) <= tick {
			times = append(times, appendCSVFloat(nil, c.ms(len(times))))
		}
		return times[tick]
	}
	for i := range r.Populations {
		p := &r.Populations[i]
		tr := trace(p)
		if tr == nil {
			continue
		}
		label := csvField(p.Label)
		var vs []float64
		for n := range tr.Neurons() {
			var err error
			if vs, err = tr.Neuron(n, vs[:0]); err != nil {
				return fmt.Errorf("population %q: neuron %d: %w", p.Label, n, err)
			}
			var prefix []byte
			prefix = append(prefix, label...)
			prefix = append(prefix, ',')
			prefix = strconv.AppendInt(prefix, int64(n), 10)
			prefix = append(prefix, ',')
			for tick, v := range vs {
				b := append(bw.AvailableBuffer(), prefix...)
				b = append(b, timeOf(tick)...)
				b = append(b, ',')
				b = appendCSVFloat(b, v)
				b = append(b, '\n')
				if _, err := bw.Write(b); err != nil {
					return err
				}
			}
		}
	}
	return bw.Flush()
}

// writeWeightsCSV writes weights.csv: one row per synapse of every projection
// that records weight.
func writeWeightsCSV(w io.Writer, r *Run) error {
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(weightsHeader); err != nil {
		return err
	}
	for i := range r.Projections {
		p := &r.Projections[i]
		if !p.RecordWeight {
			continue
		}
		label := csvField(p.Label)
		for _, s := range sortedWeights(p.Weights) {
			b := append(bw.AvailableBuffer(), label...)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(s.Pre), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(s.Post), 10)
			b = append(b, ',')
			b = appendCSVFloat(b, s.Weight)
			b = append(b, ',')
			b = appendCSVFloat(b, s.DelayMs)
			b = append(b, '\n')
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func cmpSpike(a, b Spike) int {
	return cmp.Or(cmp.Compare(a.Neuron, b.Neuron), cmp.Compare(a.Tick, b.Tick))
}

func cmpWeight(a, b Weight) int {
	return cmp.Or(cmp.Compare(a.Pre, b.Pre), cmp.Compare(a.Post, b.Post),
		cmp.Compare(a.Weight, b.Weight), cmp.Compare(a.DelayMs, b.DelayMs))
}

// sortedSpikes returns s sorted by (neuron, tick): s itself when it already
// is (as Run promises), else a sorted copy; the Run is never modified.
func sortedSpikes(s []Spike) []Spike {
	if slices.IsSortedFunc(s, cmpSpike) {
		return s
	}
	s = slices.Clone(s)
	slices.SortFunc(s, cmpSpike)
	return s
}

// sortedWeights returns w sorted by (pre, post, weight, delay), as
// sortedSpikes does.
func sortedWeights(w []Weight) []Weight {
	if slices.IsSortedFunc(w, cmpWeight) {
		return w
	}
	w = slices.Clone(w)
	slices.SortFunc(w, cmpWeight)
	return w
}

// writeRewiringCSV writes rewiring.csv: one row per formation or elimination
// of the populations that record rewiring, in the order of Run.Rewiring.
func writeRewiringCSV(w io.Writer, r *Run) error {
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(rewiringHeader); err != nil {
		return err
	}
	c := newClock(r.TimestepMs)
	for _, e := range r.Rewiring {
		b := append(bw.AvailableBuffer(), csvField(e.Population)...)
		b = append(b, ',')
		b = append(b, csvField(e.Projection)...)
		b = append(b, ',')
		b = appendCSVFloat(b, c.ms(e.Tick))
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(e.Pre), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(e.Post), 10)
		if e.Formation {
			b = append(b, ",formation\n"...)
		} else {
			b = append(b, ",elimination\n"...)
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}
