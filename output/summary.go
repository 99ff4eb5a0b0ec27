package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxListedWeights is the most weights FinalWeightLines lists on one line;
// a projection with more gets a line that says where they are instead.
const MaxListedWeights = 100

// FinalWeightLines returns one line per projection that records weight, in
// file order. A projection with at most MaxListedWeights synapses gets the
// line sPyNNaker's scripts print for projection.get("weight", "list"):
//
//	Final weight Pre-post projection: [(0, 0, 10.0654296875)]
//
// with sorted (pre, post, weight) tuples and weights written as Python's
// repr writes a float. A larger one gets its count, the mean and the range
// of its weights, and the file that holds them (weights.csv in dir):
//
//	Final weight big: 1000000 synapses, mean 0.5001, min 0.0, max 1.0, in out/big/weights.csv
func FinalWeightLines(r *Run, dir string) []string {
	var lines []string
	for i := range r.Projections {
		p := &r.Projections[i]
		if !p.RecordWeight {
			continue
		}
		if len(p.Weights) > MaxListedWeights {
			lines = append(lines, weightStatsLine(p, filepath.Join(dir, WeightsFile)))
			continue
		}
		b := make([]byte, 0, 32+len(p.Label)+24*len(p.Weights))
		b = append(b, "Final weight "...)
		b = append(b, p.Label...)
		b = append(b, ": ["...)
		for j, w := range sortedWeights(p.Weights) {
			if j > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '(')
			b = strconv.AppendInt(b, int64(w.Pre), 10)
			b = append(b, ", "...)
			b = strconv.AppendInt(b, int64(w.Post), 10)
			b = append(b, ", "...)
			b = appendPyFloat(b, w.Weight)
			b = append(b, ')')
		}
		b = append(b, ']')
		lines = append(lines, string(b))
	}
	return lines
}

// weightStatsLine sums up a projection with many weights on one line.
func weightStatsLine(p *Projection, file string) string {
	st := weightStats(p.Weights)
	return fmt.Sprintf("Final weight %s: %d synapses, mean %s, min %s, max %s, in %s", p.Label, len(p.Weights),
		PyFloat(roundSig(st.mean, 4)), PyFloat(st.min), PyFloat(st.max), file)
}

// stats are the mean, the (population) standard deviation and the range
// of some weights.
type stats struct{ mean, std, min, max float64 }

// weightStats sums weights up in the order given (two passes, so that the
// deviation does not cancel).
func weightStats(ws []Weight) stats {
	if len(ws) == 0 {
		return stats{}
	}
	st := stats{min: math.Inf(1), max: math.Inf(-1)}
	for _, w := range ws {
		st.mean += w.Weight
		st.min, st.max = min(st.min, w.Weight), max(st.max, w.Weight)
	}
	st.mean /= float64(len(ws))
	for _, w := range ws {
		d := w.Weight - st.mean
		st.std += d * d
	}
	st.std = math.Sqrt(st.std / float64(len(ws)))
	return st
}

// roundSig rounds x to n significant digits.
func roundSig(x float64, n int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return v
}

// MeanRateHz is a population's mean firing rate over the run: its spikes
// per neuron per second of simulated time (0 for an empty run).
func (p *Population) MeanRateHz(r *Run) float64 {
	s := r.DurationMs() / 1000
	if p.Size <= 0 || !(s > 0) {
		return 0
	}
	return float64(p.SpikeCount) / float64(p.Size) / s
}

// provenanceTotals is the provenance part of summary.json.
type provenanceTotals struct {
	PacketsSent    uint64 `json:"packets_sent"`
	PacketsDropped uint64 `json:"packets_dropped"`
	TimerOverruns  uint64 `json:"timer_overruns"`
}

// summaryJSON returns summary.json. It is written by hand, not with
// json.MarshalIndent, to keep the file's order (populations and projections
// as in the network file), to write floats as Python does (10.0, not 10),
// and to keep one line per population and per weight row.
func summaryJSON(r *Run) ([]byte, error) {
	var b []byte
	str := func(s string) { b = appendJSONString(b, s) }
	key := func(indent, k string) {
		b = append(b, indent...)
		str(k)
		b = append(b, ": "...)
	}
	nested := func(v any) error { // an indented object at depth 1
		j, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		b = append(b, j...)
		return nil
	}

	b = append(b, "{\n"...)
	key("  ", "name")
	str(r.Name)
	b = append(b, ",\n"...)
	if r.Source != nil {
		key("  ", "network_file")
		b = append(b, `{"path": `...)
		str(r.Source.Path)
		b = append(b, `, "sha256": `...)
		str(r.Source.SHA256)
		b = append(b, "},\n"...)
	}
	key("  ", "arithmetic")
	str(r.Arithmetic)
	b = append(b, ",\n"...)
	key("  ", "seed")
	b = strconv.AppendUint(b, r.Seed, 10)
	b = append(b, ",\n"...)
	key("  ", "ticks")
	b = strconv.AppendInt(b, int64(r.Ticks), 10)
	b = append(b, ",\n"...)
	key("  ", "partial")
	b = strconv.AppendBool(b, r.Partial)
	b = append(b, ",\n"...)
	if r.Partial {
		key("  ", "planned_ticks")
		b = strconv.AppendInt(b, int64(r.PlannedTicks), 10)
		b = append(b, ",\n"...)
	}
	key("  ", "timestep_ms")
	b = appendJSONFloat(b, r.TimestepMs)
	b = append(b, ",\n"...)
	key("  ", "duration_ms")
	b = appendJSONFloat(b, r.DurationMs())
	b = append(b, ",\n"...)
	key("  ", "wall_seconds")
	b = appendJSONFloat(b, r.WallSeconds)
	b = append(b, ",\n"...)
	if tm := r.Timings; tm != nil {
		key("  ", "timings")
		for i, f := range []struct {
			name string
			s    float64
		}{{"load_s", tm.Load}, {"generate_s", tm.Generate}, {"map_s", tm.Map}, {"run_s", tm.Run}, {"write_s", tm.Write}} {
			if i == 0 {
				b = append(b, '{')
			} else {
				b = append(b, ", "...)
			}
			key("", f.name)
			b = appendJSONFloat(b, roundSig(f.s, 4))
		}
		b = append(b, "},\n"...)
	}
	key("  ", "machine")
	if err := nested(r.Machine); err != nil {
		return nil, fmt.Errorf("machine: %w", err)
	}
	b = append(b, ",\n"...)

	key("  ", "populations")
	b = append(b, '{')
	for i := range r.Populations {
		p := &r.Populations[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		key("    ", p.Label)
		b = append(b, `{"cell_type": `...)
		str(p.CellType)
		b = append(b, `, "size": `...)
		b = strconv.AppendInt(b, int64(p.Size), 10)
		b = append(b, `, "spikes": `...)
		b = strconv.AppendInt(b, int64(p.SpikeCount), 10)
		b = append(b, `, "mean_rate_hz": `...)
		b = appendJSONFloat(b, p.MeanRateHz(r))
		if p.Structural {
			b = append(b, `, "formations": `...)
			b = strconv.AppendInt(b, int64(p.Formations), 10)
			b = append(b, `, "eliminations": `...)
			b = strconv.AppendInt(b, int64(p.Eliminations), 10)
		}
		b = append(b, '}')
	}
	if len(r.Populations) > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, "},\n"...)

	key("  ", "projections")
	b = append(b, '{')
	for i := range r.Projections {
		p := &r.Projections[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		key("    ", p.Label)
		b = append(b, `{"synapses": `...)
		b = strconv.AppendInt(b, int64(p.Synapses), 10)
		if p.Structural {
			b = append(b, `, "formations": `...)
			b = strconv.AppendInt(b, int64(p.Formations), 10)
			b = append(b, `, "eliminations": `...)
			b = strconv.AppendInt(b, int64(p.Eliminations), 10)
		}
		if p.RecordWeight && len(p.Weights) > MaxListedWeights {
			st := weightStats(p.Weights)
			b = append(b, `, "weights_file": `...)
			str(WeightsFile)
			b = append(b, `, "weight_stats": {"count": `...)
			b = strconv.AppendInt(b, int64(len(p.Weights)), 10)
			for _, f := range []struct {
				name string
				v    float64
			}{{"mean", st.mean}, {"std", st.std}, {"min", st.min}, {"max", st.max}} {
				b = append(b, ", "...)
				key("", f.name)
				b = appendJSONFloat(b, f.v)
			}
			b = append(b, '}')
		} else if p.RecordWeight {
			b = append(b, `, "weights": [`...)
			ws := sortedWeights(p.Weights)
			for j, w := range ws {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, "\n      ["...)
				b = strconv.AppendInt(b, int64(w.Pre), 10)
				b = append(b, ", "...)
				b = strconv.AppendInt(b, int64(w.Post), 10)
				b = append(b, ", "...)
				b = appendJSONFloat(b, w.Weight)
				b = append(b, ']')
			}
			if len(ws) > 0 {
				b = append(b, "\n    "...)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	if len(r.Projections) > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, "},\n"...)

	key("  ", "provenance")
	if err := nested(provenanceTotals{
		PacketsSent:    r.Provenance.PacketsSent,
		PacketsDropped: r.Provenance.PacketsDropped,
		TimerOverruns:  r.Provenance.TimerOverruns,
	}); err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	b = append(b, "\n}\n"...)
	return b, nil
}

// provenanceJSON returns provenance.json: the Provenance struct, indented,
// with one line per core and per router, and empty lists written as []
// rather than null.
func provenanceJSON(r *Run) ([]byte, error) {
	p := r.Provenance
	p.Cores, p.Routers, p.Projections = []CoreProvenance{}, []RouterProvenance{}, []ProjectionProvenance{}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	// Put the lists in place of the empty ones.
	cores, err := jsonLines(r.Provenance.Cores)
	if err != nil {
		return nil, fmt.Errorf("cores: %w", err)
	}
	routers, err := jsonLines(r.Provenance.Routers)
	if err != nil {
		return nil, fmt.Errorf("routers: %w", err)
	}
	projections, err := jsonLines(r.Provenance.Projections)
	if err != nil {
		return nil, fmt.Errorf("projections: %w", err)
	}
	b = bytes.Replace(b, []byte(`"cores": []`), append([]byte(`"cores": `), cores...), 1)
	b = bytes.Replace(b, []byte(`"routers": []`), append([]byte(`"routers": `), routers...), 1)
	b = bytes.Replace(b, []byte(`"projections": []`), append([]byte(`"projections": `), projections...), 1)
	return append(b, '\n'), nil
}

// jsonLines writes a list at depth 1 of an indented object, one compact
// item to a line.
func jsonLines[T any](items []T) ([]byte, error) {
	b := []byte{'['}
	for i, item := range items {
		j, err := json.Marshal(item)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		b = appendSpacedJSON(b, j)
	}
	if len(items) > 0 {
		b = append(b, "\n  "...)
	}
	return append(b, ']'), nil
}

// appendSpacedJSON appends compact JSON j with a space after every colon
// and comma that is not inside a string, as Python's json.dumps writes.
func appendSpacedJSON(b, j []byte) []byte {
	inString, escaped := false, false
	for _, c := range j {
		b = append(b, c)
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ':' || c == ','):
			b = append(b, ' ')
		}
	}
	return b
}

// appendJSONString appends s as a JSON string, without encoding/json's
// escaping of <, > and & (labels are not HTML).
func appendJSONString(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes (invalid UTF-8 becomes U+FFFD)
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// summaryRows is how many populations or projections SummaryText lists
// before it points to summary.json for the rest.
const summaryRows = 12

// SummaryText returns a short human summary of the run written to dir: what
// ran, how long it took, the machine it used, spikes per population,
// synapses per projection and the files written. It fits on one screen:
// long lists are cut short and point to summary.json.
func SummaryText(r *Run, dir string) string {
	var sb strings.Builder
	pf := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }

	pf("spinnsim run %q: %s arithmetic, seed %d\n", r.Name, r.Arithmetic, r.Seed)
	if r.Partial {
		pf("  PARTIAL    interrupted after %d of %d ticks; summary.json says \"partial\": true\n", r.Ticks, r.PlannedTicks)
	}
	simMs := r.DurationMs()
	pf("  simulated  %s ms (%d ticks of %s ms)", fmtNum(simMs), r.Ticks, fmtNum(r.TimestepMs))
	if r.WallSeconds > 0 {
		wall := time.Duration(r.WallSeconds * float64(time.Second))
		pf(" in %s wall time", roundDuration(wall))
		if simMs > 0 {
			pf(", %s real time", speed(simMs/1000/r.WallSeconds))
		}
	}
	pf("\n")

	m := r.Machine
	pf("  machine    ")
	if m.Board != "" {
		boards := m.Boards
		if boards < 1 {
			boards = 1
		}
		pf("%d × %s (%d chips): ", boards, m.Board, m.Chips)
	} else {
		pf("%d chips: ", m.Chips)
	}
	pf("%d cores used, at most %d router entries on a chip\n", m.CoresUsed, m.RouterEntriesMax)
	pv := r.Provenance
	pf("  traffic    %d packets sent, %d dropped, %d timer overruns\n",
		pv.PacketsSent, pv.PacketsDropped, pv.TimerOverruns)

	if len(r.Populations) > 0 {
		w := len("population")
		for _, p := range r.Populations {
			w = labelWidth(w, p.Label)
		}
		pf("\n  %-*s %7s %9s %11s  %s\n", w, "population", "size", "spikes", "mean rate", "recorded")
		for i, p := range r.Populations {
			if i == summaryRows && len(r.Populations) > summaryRows+1 {
				pf("  … and %d more (see summary.json)\n", len(r.Populations)-summaryRows)
				break
			}
			var rec []string
			if p.RecordSpikes {
				rec = append(rec, "spikes")
			}
			if p.RecordV {
				rec = append(rec, "v")
			}
			if p.GsynExc != nil {
				rec = append(rec, "gsyn_exc")
			}
			if p.GsynInh != nil {
				rec = append(rec, "gsyn_inh")
			}
			pf("  %s %7d %9d %8s Hz  %s\n", pad(p.Label, w), p.Size, p.SpikeCount,
				strconv.FormatFloat(p.MeanRateHz(r), 'f', 2, 64), strings.Join(rec, ", "))
		}
	}

	if len(r.Projections) > 0 {
		w := len("projection")
		for _, p := range r.Projections {
			w = labelWidth(w, p.Label)
		}
		pf("\n  %-*s %9s  %s\n", w, "projection", "synapses", "recorded")
		for i, p := range r.Projections {
			if i == summaryRows && len(r.Projections) > summaryRows+1 {
				pf("  … and %d more (see summary.json)\n", len(r.Projections)-summaryRows)
				break
			}
			rec := ""
			if p.RecordWeight {
				rec = "weight"
			}
			pf("  %s %9d  %s\n", pad(p.Label, w), p.Synapses, rec)
		}
	}

	pf("\n  files in %s:\n    %s\n", dir, strings.Join(files(r), "  "))
	return sb.String()
}

// maxLabelWidth is the widest a label gets in SummaryText before it is cut.
const maxLabelWidth = 32

// labelWidth widens a label column of width w to fit label, up to
// maxLabelWidth.
func labelWidth(w int, label string) int {
	return max(w, min(utf8.RuneCountInString(label), maxLabelWidth))
}

// pad left-aligns s in a column of w runes, cutting it with "…" if longer.
func pad(s string, w int) string {
	n := utf8.RuneCountInString(s)
	if n > w {
		rs := []rune(s)
		return string(rs[:w-1]) + "…"
	}
	return s + strings.Repeat(" ", w-n)
}

// fmtNum writes x in shortest form without an exponent.
func fmtNum(x float64) string {
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// roundDuration keeps three significant figures or so.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 100*time.Second:
		return d.Round(time.Second)
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// speed describes a ratio of simulated to wall time.
func speed(x float64) string {
	switch {
	case x >= 10:
		return strconv.FormatFloat(x, 'f', 0, 64) + "× faster than"
	case x >= 1.05:
		return strconv.FormatFloat(x, 'f', 1, 64) + "× faster than"
	case x > 0.95:
		return "about"
	case x >= 0.1:
		return strconv.FormatFloat(1/x, 'f', 1, 64) + "× slower than"
	}
	return strconv.FormatFloat(1/x, 'f', 0, 64) + "× slower than"
}
