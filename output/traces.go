package output

import (
	"bufio"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// SynapseTrace is one traced synapse of a projection (its "trace" in the
// network file) and its samples.
type SynapseTrace struct {
	Projection string
	Pre, Post  int // neuron indices in their populations
	// Neuromodulated: the samples have an eligibility and a dopamine level.
	Neuromodulated bool
	Samples        []TraceSample // in time order
}

// TraceSample is a traced synapse at the end of a tick: what the core holds
// (the weight and eligibility stored at the synapse's last pre spike, the
// dopamine level of the post neuron's newest history event) and what the
// rule would give if the synapse were updated then (every post and dopamine
// event that has reached it, the weight integral and the decays run to
// that time, no pairing with a pre spike). Weights and eligibility in nA.
type TraceSample struct {
	Tick                                   int
	Weight, Eligibility, Dopamine          float64
	WeightNow, EligibilityNow, DopamineNow float64
}

const tracesHeader = "projection,pre,post,time_ms,weight,eligibility,dopamine,weight_now,eligibility_now,dopamine_now\n"

func tracesSynapses(r *Run) bool { return len(r.Traces) > 0 }

// writeSynapseTracesCSV writes traces.csv: one row per traced synapse and
// sample; the eligibility and dopamine columns are empty for plain STDP.
func writeSynapseTracesCSV(w io.Writer, r *Run) error {
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(tracesHeader); err != nil {
		return err
	}
	c := newClock(r.TimestepMs)
	for i := range r.Traces {
		tr := &r.Traces[i]
		var prefix []byte
		prefix = append(prefix, csvField(tr.Projection)...)
		prefix = append(prefix, ',')
		prefix = strconv.AppendInt(prefix, int64(tr.Pre), 10)
		prefix = append(prefix, ',')
		prefix = strconv.AppendInt(prefix, int64(tr.Post), 10)
		prefix = append(prefix, ',')
		for _, s := range tr.Samples {
			b := append(bw.AvailableBuffer(), prefix...)
			b = appendCSVFloat(b, c.ms(s.Tick))
			b = append(b, ',')
			b = appendCSVFloat(b, s.Weight)
			b = append(b, ',')
			if tr.Neuromodulated {
				b = appendCSVFloat(b, s.Eligibility)
				b = append(b, ',')
				b = appendCSVFloat(b, s.Dopamine)
			} else {
				b = append(b, ',')
			}
			b = append(b, ',')
			b = appendCSVFloat(b, s.WeightNow)
			b = append(b, ',')
			if tr.Neuromodulated {
				b = appendCSVFloat(b, s.EligibilityNow)
				b = append(b, ',')
				b = appendCSVFloat(b, s.DopamineNow)
			} else {
				b = append(b, ',')
			}
			b = append(b, '\n')
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// traceColors tell the traced synapses apart.
var traceColors = []color.Color{
	color.RGBA{R: 0x1f, G: 0x4e, B: 0xa0, A: 0xff},
	color.RGBA{R: 0xd0, G: 0x60, B: 0x10, A: 0xff},
	color.RGBA{R: 0x60, G: 0x30, B: 0x90, A: 0xff},
	color.RGBA{R: 0x10, G: 0x80, B: 0x80, A: 0xff},
	color.RGBA{R: 0x90, G: 0x20, B: 0x40, A: 0xff},
	color.RGBA{R: 0x50, G: 0x50, B: 0x50, A: 0xff},
}

// writeTracesPlot draws traces.png (the raster's size): the weight of every
// traced synapse against time, as stored (a step at each pre spike, solid)
// and as an update would give it at each sample (thin, dashed), with the
// reward (green) and punishment (red) times along the bottom as in the
// raster.
func writeTracesPlot(w io.Writer, r *Run) error {
	c := vgimg.NewWith(vgimg.UseWH(RasterWidth, RasterHeight), vgimg.UseDPI(RasterDPI))
	if err := drawTraces(draw.New(c), r); err != nil {
		return err
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

func drawTraces(dc draw.Canvas, r *Run) error {
	clk := newClock(r.TimestepMs)
	tmax := clk.ms(r.Ticks)
	if !(tmax > 0) || math.IsInf(tmax, 0) {
		tmax = 1
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: traced weights (%s)", r.Name, r.Arithmetic)
	p.Title.TextStyle.Font = font.From(rasterFont, 15)
	p.Title.Padding = 6
	p.X.Label.Text = "Time (ms)"
	p.Y.Label.Text = "weight (nA)"
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(rasterFont, 12)
		a.Tick.Label.Font = font.From(rasterFont, 10)
	}
	p.X.Min, p.X.Max = 0, tmax
	p.X.Tick.Marker = plot.TickerFunc(timeTicks)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font = font.From(rasterFont, 10)

	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range r.Traces {
		for _, s := range r.Traces[i].Samples {
			lo, hi = min(lo, s.Weight, s.WeightNow), max(hi, s.Weight, s.WeightNow)
		}
	}
	if lo > hi {
		lo, hi = 0, 1
	}
	lo = min(lo, 0)
	span := hi - lo
	if !(span > 0) {
		span = 1
	}
	p.Y.Min, p.Y.Max = lo-0.08*span, hi+0.06*span

	for i := range r.Traces {
		tr := &r.Traces[i]
		if len(tr.Samples) == 0 {
			continue
		}
		stored := make(plotter.XYs, len(tr.Samples))
		now := make(plotter.XYs, len(tr.Samples))
		for k, s := range tr.Samples {
			t := clk.ms(s.Tick)
			stored[k] = plotter.XY{X: t, Y: s.Weight}
			now[k] = plotter.XY{X: t, Y: s.WeightNow}
		}
		col := traceColors[i%len(traceColors)]
		ln, err := plotter.NewLine(now)
		if err != nil {
			return err
		}
		ln.LineStyle = draw.LineStyle{Color: col, Width: 0.8, Dashes: []vg.Length{3, 2}}
		st, err := plotter.NewLine(stored)
		if err != nil {
			return err
		}
		st.StepStyle = plotter.PostStep
		st.LineStyle = draw.LineStyle{Color: col, Width: 1.6}
		p.Add(ln, st)
		name := fmt.Sprintf("%s %d→%d", tr.Projection, tr.Pre, tr.Post)
		p.Legend.Add(name+" (stored)", st)
		p.Legend.Add(name+" (if updated now)", ln)
	}

	y := lo - 0.05*span
	for _, kind := range []struct {
		name string
		col  color.Color
	}{{"reward", rewardColor}, {"punishment", punishmentColor}} {
		var xys plotter.XYs
		for _, m := range r.Markers {
			if m.Kind != kind.name {
				continue
			}
			for _, t := range m.TimesMs {
				if t >= 0 && t <= tmax {
					xys = append(xys, plotter.XY{X: t, Y: y})
				}
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: kind.col, Radius: 4, Shape: draw.PyramidGlyph{}}
		p.Add(sc)
		p.Legend.Add(kind.name, sc)
	}
	p.Draw(dc)
	return nil
}
