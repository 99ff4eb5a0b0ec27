package output

import (
	"fmt"
	"image"
	"image/color"
	imgdraw "image/draw"
	"image/png"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The raster's size: 15 × 5 inches at 100 dots per inch, 1500 × 500 pixels.
const (
	RasterWidth  = 15 * vg.Inch
	RasterHeight = 5 * vg.Inch
	RasterDPI    = 100
)

// Colours of the raster.
var (
	spikeColor      = color.RGBA{R: 0x10, G: 0x10, B: 0x30, A: 0xff}
	rewardColor     = color.RGBA{R: 0x00, G: 0xa0, B: 0x30, A: 0xff}
	punishmentColor = color.RGBA{R: 0xe0, G: 0x10, B: 0x10, A: 0xff}
	separatorColor  = color.RGBA{R: 0xc0, G: 0xc0, B: 0xc8, A: 0xff}
	bandColor       = color.RGBA{R: 0xee, G: 0xef, B: 0xf5, A: 0xff}
	groupLabelColor = color.RGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xff}
	noteColor       = color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
)

// rasterFont is the typeface of the raster's text.
var rasterFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// rasterGroup is one population's band of rows in the raster.
type rasterGroup struct {
	pop   *Population
	first int // y of its neuron 0
}

// writeRaster draws raster.png: one row per neuron of every population that
// records spikes (y = running index + 1, populations stacked in file order
// from the bottom, a light line between them and their labels on the right),
// a dot per spike, and reward (green) and punishment (red) times as
// triangles at y = 0.5.
func writeRaster(w io.Writer, r *Run) error {
	c := vgimg.NewWith(vgimg.UseWH(RasterWidth, RasterHeight), vgimg.UseDPI(RasterDPI))
	if err := drawRaster(draw.New(c), r); err != nil {
		return err
	}
	// The fastest compression: a raster is mostly flat colour, and the
	// default level takes several times longer for a few per cent.
	return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, c.Image())
}

func drawRaster(dc draw.Canvas, r *Run) error {
	clk := newClock(r.TimestepMs)
	tmax := clk.ms(r.Ticks)
	if !(tmax > 0) || math.IsInf(tmax, 0) {
		tmax = 1
	}

	var groups []rasterGroup
	rows, spikes := 0, 0
	for i := range r.Populations {
		p := &r.Populations[i]
		if !p.RecordSpikes {
			continue
		}
		groups = append(groups, rasterGroup{pop: p, first: rows + 1})
		rows += p.Size
		spikes += len(p.Spikes)
	}

	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: spikes (%s)", r.Name, r.Arithmetic)
	p.Title.TextStyle.Font = font.From(rasterFont, 15)
	p.Title.Padding = 6
	p.X.Label.Text = "Time (ms)"
	p.Y.Label.Text = "neuron"
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(rasterFont, 12)
		a.Tick.Label.Font = font.From(rasterFont, 10)
		a.Padding = 0
	}
	p.X.Min, p.X.Max = 0, tmax
	p.X.Tick.Marker = plot.TickerFunc(timeTicks)
	p.Y.Min, p.Y.Max = 0, float64(rows)+0.5
	if rows == 0 {
		p.Y.Max = 1.5
	}
	p.Y.Tick.Marker = plot.TickerFunc(neuronTicks(rows))

	// Room on the right for the population labels.
	labelStyle := text.Style{
		Color:   groupLabelColor,
		Font:    font.From(rasterFont, 10),
		XAlign:  draw.XLeft,
		YAlign:  draw.YCenter,
		Handler: p.TextHandler,
	}
	var right vg.Length = 12
	for _, g := range groups {
		right = max(right, labelStyle.Width(g.pop.Label)+16)
	}
	right = min(right, RasterWidth/6)
	pc := draw.Crop(dc, 0, -right, 0, 0)

	// The data area: needed for dot sizes and label places.
	rowHeight := (RasterHeight - 80) / vg.Length(max(rows, 1)+1)
	dot := min(max(rowHeight*0.3, 0.9), 2.2)

	// Every other population on a light band, a line between populations.
	if len(groups) > 1 {
		p.Add(bands{groups: groups, tmax: tmax})
	}

	// Spikes: a dot each, or past MaxRasterDots their density.
	var xys plotter.XYs
	dense := spikes > MaxRasterDots
	if dense {
		p.Add(&density{groups: groups, rows: rows, tmax: tmax, clk: clk})
	}
	if spikes > 0 && !dense {
		xys = make(plotter.XYs, 0, spikes)
		for _, g := range groups {
			for _, s := range g.pop.Spikes {
				// Points outside the axes would make the plot shrink its
				// data area to fit them.
				t, n := clk.ms(int(s.Tick)), int(s.Neuron)
				if t >= 0 && t <= tmax && n >= 0 && n < g.pop.Size {
					xys = append(xys, plotter.XY{X: t, Y: float64(g.first + n)})
				}
			}
		}
	}
	if len(xys) > 0 {
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: spikeColor, Radius: dot, Shape: draw.CircleGlyph{}}
		p.Add(sc)
	}

	// Reward and punishment times.
	var legend []legendEntry
	for _, kind := range []struct {
		name string
		col  color.Color
	}{{"reward", rewardColor}, {"punishment", punishmentColor}} {
		var xys plotter.XYs
		has := false
		for _, m := range r.Markers {
			if m.Kind != kind.name {
				continue
			}
			has = true
			for _, t := range m.TimesMs {
				if t >= 0 && t <= tmax {
					xys = append(xys, plotter.XY{X: t, Y: 0.5})
				}
			}
		}
		sty := draw.GlyphStyle{Color: kind.col, Radius: 4, Shape: draw.PyramidGlyph{}}
		if has { // even when it never fired
			legend = append(legend, legendEntry{kind.name, sty})
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		sc.GlyphStyle = sty
		p.Add(sc)
	}

	p.Draw(pc)
	da := p.DataCanvas(pc)

	// Population labels, right of the data, skipping any that would overlap
	// the one below.
	lastY := vg.Length(math.Inf(-1))
	lh := labelStyle.Height("Xg")
	for _, g := range groups {
		y := da.Y(p.Y.Norm(float64(g.first) + float64(g.pop.Size-1)/2))
		if y-lastY < lh {
			continue
		}
		da.FillText(labelStyle, vg.Point{X: da.Max.X + 8, Y: y}, clip(labelStyle, g.pop.Label, right-12))
		lastY = y
	}

	// A note when there is nothing to show.
	note := ""
	switch {
	case len(groups) == 0:
		note = "no population records spikes"
	case spikes == 0:
		note = "no spikes recorded"
	}
	if note != "" {
		sty := text.Style{
			Color:   noteColor,
			Font:    font.From(rasterFont, 16),
			XAlign:  draw.XCenter,
			YAlign:  draw.YCenter,
			Handler: p.TextHandler,
		}
		da.FillText(sty, da.Center(), note)
	}

	// Legend of the markers, right-aligned on the title's line, and what
	// a density shows.
	lsty := text.Style{
		Color:   color.Black,
		Font:    font.From(rasterFont, 11),
		XAlign:  draw.XRight,
		YAlign:  draw.YCenter,
		Handler: p.TextHandler,
	}
	x := dc.Max.X - 10
	y := dc.Max.Y - p.Title.TextStyle.Height(p.Title.Text)/2 - 2
	for i := len(legend) - 1; i >= 0; i-- {
		e := legend[i]
		dc.FillText(lsty, vg.Point{X: x, Y: y}, e.name)
		x -= lsty.Width(e.name) + 5 + e.style.Radius
		dc.DrawGlyphNoClip(e.style, vg.Point{X: x, Y: y})
		x -= e.style.Radius + 16
	}
	if dense {
		lsty.XAlign = draw.XLeft
		note := fmt.Sprintf("%s spikes, drawn as their density: the darker a pixel, the more spikes in it", thousands(spikes))
		dc.FillText(lsty, vg.Point{X: dc.Min.X + 10, Y: y}, note)
	}
	return nil
}

// MaxRasterDots is the most spikes raster.png draws as dots; past it, it
// draws their density: each pixel of the plot shaded by how many spikes
// fall in it, and the legend says so.
const MaxRasterDots = 20000

// thousands writes n with commas between thousands: 1,234,567.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// density draws the spikes of every group as an image with one pixel per
// pixel of the plot's data area, each shaded by the spikes in it: none is
// transparent (the bands show through), one is light, and the most is the
// colour of a dot, on a logarithmic scale.
type density struct {
	groups []rasterGroup
	rows   int
	tmax   float64
	clk    clock
}

// Plot implements plot.Plotter.
func (d *density) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	x0, x1 := trX(0), trX(d.tmax)
	y0, y1 := trY(0.5), trY(float64(d.rows)+0.5)
	w := int(math.Ceil(float64((x1 - x0) / vg.Inch * RasterDPI)))
	h := int(math.Ceil(float64((y1 - y0) / vg.Inch * RasterDPI)))
	if w <= 0 || h <= 0 || d.rows == 0 {
		return
	}
	counts := make([]uint32, w*h)
	most := uint32(0)
	for _, g := range d.groups {
		for _, s := range g.pop.Spikes {
			t, n := d.clk.ms(int(s.Tick)), int(s.Neuron)
			if !(t >= 0 && t <= d.tmax) || n < 0 || n >= g.pop.Size {
				continue
			}
			px := min(int(t/d.tmax*float64(w)), w-1)
			row := g.first + n - 1 // 0 … rows−1, from the bottom
			py := h - 1 - min(row*h/d.rows, h-1)
			i := py*w + px
			counts[i]++
			most = max(most, counts[i])
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	scale := math.Log1p(float64(most))
	for i, n := range counts {
		if n == 0 {
			continue
		}
		f := 0.2 + 0.8*math.Log1p(float64(n))/scale
		if most == 1 {
			f = 1
		}
		mix := func(a uint8) uint8 { return uint8(math.Round(255 - f*(255-float64(a)))) }
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = mix(spikeColor.R), mix(spikeColor.G), mix(spikeColor.B), 0xff
	}
	rect := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
	if vc, ok := imageCanvas(c); ok {
		// The image has a pixel for every pixel of the data area: laid
		// straight onto the canvas's pixels rather than through
		// DrawImage's bilinear transform, which took as long as the rest
		// of the raster together. (The two differ by at most half a pixel
		// at the area's edges.)
		dst := vc.Image()
		dpi := vc.DPI()
		px := int(math.Round(x0.Dots(dpi)))
		py := dst.Bounds().Dy() - int(math.Round(y0.Dots(dpi))) - h
		imgdraw.Draw(dst, image.Rect(px, py, px+w, py+h), img, image.Point{}, imgdraw.Over)
		return
	}
	c.DrawImage(rect, img)
}

// imageCanvas is the image canvas under c, which the plot wraps in draw.Canvases
// (a drawing area each, in the same coordinates), if it is one.
func imageCanvas(c draw.Canvas) (*vgimg.Canvas, bool) {
	cv := c.Canvas
	for {
		switch v := cv.(type) {
		case draw.Canvas:
			cv = v.Canvas
		case *draw.Canvas:
			cv = v.Canvas
		case *vgimg.Canvas:
			return v, true
		default:
			return nil, false
		}
	}
}

// bands shades every other population's rows and draws a line between
// populations.
type bands struct {
	groups []rasterGroup
	tmax   float64
}

// Plot implements plot.Plotter.
func (b bands) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	x0, x1 := trX(0), trX(b.tmax)
	for i, g := range b.groups {
		lo := trY(float64(g.first) - 0.5)
		hi := trY(float64(g.first+g.pop.Size) - 0.5)
		if i%2 == 1 {
			c.FillPolygon(bandColor, []vg.Point{{X: x0, Y: lo}, {X: x1, Y: lo}, {X: x1, Y: hi}, {X: x0, Y: hi}})
		}
		if i > 0 {
			c.StrokeLine2(draw.LineStyle{Color: separatorColor, Width: 0.6}, x0, lo, x1, lo)
		}
	}
}

type legendEntry struct {
	name  string
	style draw.GlyphStyle
}

// clip cuts s with "…" to fit width w.
func clip(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		t := string(rs[:n]) + "…"
		if sty.Width(t) <= w {
			return t
		}
	}
	return "…"
}

// timeTicks puts about ten labelled ticks on the time axis at round values,
// with four or five minor ticks between them.
func timeTicks(lo, hi float64) []plot.Tick {
	step := niceStep((hi - lo) / 10)
	minor := step / 5
	if m := step / math.Pow10(int(math.Floor(math.Log10(step)))); m == 2 {
		minor = step / 4
	}
	var ticks []plot.Tick
	for i := math.Ceil(lo / minor); ; i++ {
		v := i * minor
		if v > hi+minor*1e-9 {
			break
		}
		t := plot.Tick{Value: v}
		if k := v / step; math.Abs(k-math.Round(k)) < 1e-9 {
			t.Value = math.Round(k) * step
			t.Label = strconv.FormatFloat(t.Value, 'f', -1, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	p := math.Pow10(int(math.Floor(math.Log10(x))))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// neuronTicks labels whole neuron numbers from 1 to rows: every one when
// there are few, else round values.
func neuronTicks(rows int) func(lo, hi float64) []plot.Tick {
	return func(lo, hi float64) []plot.Tick {
		if rows == 0 {
			return nil
		}
		step := 1.0
		if rows > 10 {
			step = math.Max(1, niceStep(float64(rows)/8))
		}
		var ticks []plot.Tick
		if step > 1 {
			ticks = append(ticks, plot.Tick{Value: 1, Label: "1"})
		}
		for v := step; v <= float64(rows); v += step {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
		return ticks
	}
}
