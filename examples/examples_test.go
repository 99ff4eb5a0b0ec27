// Package examples holds the example networks; its tests run every one.
package examples

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/sim"
)

// runNet loads, maps, runs and writes a network, and returns the folder.
func runNet(t *testing.T, file string, d sim.Driver, edit func(*network.Network)) (string, *output.Run) {
	t.Helper()
	net, err := network.Load(file)
	require.NoError(t, err)
	if edit != nil {
		edit(net)
	}
	m, err := mapping.Map(net)
	require.NoError(t, err)
	require.NoError(t, d.Run(context.Background(), m, nil))
	r := sim.Results(m, 0)
	dir := t.TempDir()
	require.NoError(t, output.Write(dir, r))
	return dir, r
}

// readAll returns every output file's bytes.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		require.NoError(t, err)
		out[f.Name()] = b
	}
	return out
}

// Every example runs, through the actors and through the sequential driver,
// with byte-identical outputs, for GOMAXPROCS 1 and 2.
func TestEveryExample(t *testing.T) {
	files, err := filepath.Glob("*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			seq, _ := runNet(t, f, sim.Sequential{}, nil)
			want := readAll(t, seq)
			require.Contains(t, want, "summary.json")
			require.Contains(t, want, "raster.png")
			for _, procs := range []int{1, 2} {
				old := runtime.GOMAXPROCS(procs)
				act, _ := runNet(t, f, actors.Driver{}, nil)
				runtime.GOMAXPROCS(old)
				got := readAll(t, act)
				for name := range want {
					assert.True(t, bytes.Equal(want[name], got[name]), "%s differs with GOMAXPROCS %d", name, procs)
				}
			}
		})
	}
}

// The guide's second experiment shows what its Figure 1 shows: rewards raise
// the post neurons' response, punishments take it away. Spike rates of all
// 50 post neurons over the phases 0–2 s (baseline), 2–5 s (rewards), 5–6 s,
// 6–9 s (punishments) and 9–12 s; in fixed, float, and float with every
// quirk of the chip (the README's table).
func TestTenPopsPhases(t *testing.T) {
	for _, v := range []struct {
		name, arith string
		quirks      []string
	}{{"fixed", network.ArithmeticFixed, nil}, {"float", network.ArithmeticFloat, nil},
		{"float_all_quirks", network.ArithmeticFloat, allQuirks}} {
		t.Run(v.name, func(t *testing.T) {
			_, r := runNet(t, "ten_pops.json", sim.Sequential{}, func(n *network.Network) {
				n.Arithmetic, n.FloatQuirks = v.arith, v.quirks
			})
			rates := PhaseRates(r)
			t.Logf("%s: rates per phase (Hz): %.2f", v.name, rates)
			base := rates[0]
			require.Greater(t, base, 1.0, "the baseline is not silent")
			assert.GreaterOrEqual(t, rates[2], 5*base, "after the rewards, at least five times the baseline")
			assert.LessOrEqual(t, rates[4], base/2, "after the punishments, at most half the baseline")
		})
	}
}

// PhaseRates is the mean rate of the post populations' neurons in each phase.
func PhaseRates(r *output.Run) [5]float64 {
	phases := [5][2]float64{{0, 2000}, {2000, 5000}, {5000, 6000}, {6000, 9000}, {9000, 12000}}
	var counts [5]int
	n := 0
	for _, p := range r.Populations {
		if p.CellType != network.IFCurrExp {
			continue
		}
		n += p.Size
		for _, s := range p.Spikes {
			ms := float64(s.Tick) * r.TimestepMs
			for i, ph := range phases {
				if ms >= ph[0] && ms < ph[1] {
					counts[i]++
				}
			}
		}
	}
	var rates [5]float64
	for i, ph := range phases {
		rates[i] = float64(counts[i]) / float64(n) / ((ph[1] - ph[0]) / 1000)
	}
	return rates
}

// The same seed gives byte-identical files (but for the wall time in
// summary.json); another seed gives other Poisson trains.
func TestSeeds(t *testing.T) {
	a, _ := runNet(t, "ten_pops.json", actors.Driver{}, nil)
	b, _ := runNet(t, "ten_pops.json", actors.Driver{}, nil)
	fa, fb := readAll(t, a), readAll(t, b)
	wall := regexp.MustCompile(`"wall_seconds": [0-9.e+-]+`)
	for name := range fa {
		x, y := fa[name], fb[name]
		if name == "summary.json" {
			x, y = wall.ReplaceAll(x, nil), wall.ReplaceAll(y, nil)
		}
		assert.True(t, bytes.Equal(x, y), name)
	}
	c, _ := runNet(t, "ten_pops.json", actors.Driver{}, func(n *network.Network) { n.Seed = 2 })
	assert.NotEqual(t, fa["spikes.csv"], readAll(t, c)["spikes.csv"])
}

// Pinning the sources to chip (1,1) and the post population to chip (0,0)
// changes nothing but the path: the spikes now cross the link between them.
func TestGuideAcrossChips(t *testing.T) {
	_, local := runNet(t, "izhikevich_single.json", actors.Driver{}, nil)
	_, far := runNet(t, "izhikevich_single.json", actors.Driver{}, func(n *network.Network) {
		for i := range n.Populations {
			p := &n.Populations[i]
			if p.IsSource() {
				p.Placement = &network.Placement{X: 1, Y: 1}
			} else {
				p.Placement = &network.Placement{X: 0, Y: 0}
			}
		}
	})
	assert.Equal(t, local.Projections, far.Projections)
	assert.Equal(t, 10.0654296875, far.Projections[1].Weights[0].Weight)
	assert.Equal(t, local.Populations, far.Populations)
	var src, dst *output.RouterProvenance
	for i := range far.Provenance.Routers {
		r := &far.Provenance.Routers[i]
		switch r.Chip {
		case [2]int{1, 1}:
			src = r
		case [2]int{0, 0}:
			dst = r
		}
	}
	require.NotNil(t, src)
	require.NotNil(t, dst)
	assert.EqualValues(t, 4, src.LocalMC, "pre ×2, reward, stimulus leave chip (1,1)")
	assert.EqualValues(t, 4, dst.ExternalMC, "and arrive at chip (0,0) over a link")
	assert.EqualValues(t, 0, local.Provenance.Routers[0].ExternalMC)
	for _, c := range far.Provenance.Cores {
		if c.Label == "post1[0:1]" {
			assert.Equal(t, [3]int{0, 0, 1}, c.Core)
			assert.EqualValues(t, 4, c.PacketsReceived)
		}
	}
}

// spikesOf reads one population's spike times from spikes.csv.
func spikesOf(t *testing.T, dir, pop string) []float64 {
	f, err := os.Open(filepath.Join(dir, "spikes.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var ts []float64
	for _, r := range rows[1:] {
		if r[0] == pop {
			v, err := strconv.ParseFloat(r[2], 64)
			require.NoError(t, err)
			ts = append(ts, v)
		}
	}
	return ts
}

func TestGuideSpikes(t *testing.T) {
	for _, arith := range []string{network.ArithmeticFixed, network.ArithmeticFloat} {
		dir, _ := runNet(t, "izhikevich_single.json", actors.Driver{}, func(n *network.Network) { n.Arithmetic = arith })
		assert.Equal(t, []float64{1503, 2401}, spikesOf(t, dir, "post1"), arith)
	}
}

// The ten-population run leaves a readable raster: the planned size, spikes
// drawn in dark dots, reward and punishment marks in green and red.
func TestTenPopsRaster(t *testing.T) {
	dir, _ := runNet(t, "ten_pops.json", sim.Sequential{}, nil)
	f, err := os.Open(filepath.Join(dir, "raster.png"))
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	b := img.Bounds()
	assert.Equal(t, 1500, b.Dx(), "15 inches at 100 dpi")
	assert.Equal(t, 500, b.Dy())
	var dark, green, red int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			switch {
			case r < 80 && g < 80 && bl < 120:
				dark++
			case g > 120 && r < 100 && bl < 100:
				green++
			case r > 180 && g < 80 && bl < 80:
				red++
			}
		}
	}
	assert.Greater(t, dark, 20000, "thousands of spikes")
	assert.Greater(t, green, 50)
	assert.Greater(t, red, 50)
}

// Fixed against float on the guide's first example: within 0.02 nA, the
// tolerance sPyNNaker's own integration test allows the chip against the
// closed form.
func TestGuideFixedAgainstFloat(t *testing.T) {
	_, fx := runNet(t, "izhikevich_single.json", sim.Sequential{}, nil)
	_, fl := runNet(t, "izhikevich_single.json", sim.Sequential{}, func(n *network.Network) { n.Arithmetic = network.ArithmeticFloat })
	wx, wf := fx.Projections[1].Weights[0].Weight, fl.Projections[1].Weights[0].Weight
	assert.Equal(t, 10.0654296875, wx)
	assert.InDelta(t, 10.0552710465, wf, 1e-6)
	assert.InDelta(t, wf, wx, 0.02)
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Golden outputs: the spikes and final weights of both examples in both
// arithmetics, byte for byte. A change to the kernels, the mapping or the
// order of events inside a tick shows here first; if it is meant, rerun
// with -update and say why in the commit.
func TestGolden(t *testing.T) {
	for _, f := range []string{"izhikevich_single.json", "ten_pops.json"} {
		for _, arith := range []string{network.ArithmeticFixed, network.ArithmeticFloat} {
			dir, _ := runNet(t, f, sim.Sequential{}, func(n *network.Network) { n.Arithmetic = arith })
			files := readAll(t, dir)
			h := sha256.New()
			for _, name := range []string{"spikes.csv", "weights.csv"} {
				h.Write([]byte(name))
				h.Write(files[name])
			}
			got := fmt.Sprintf("%x\n", h.Sum(nil))
			golden := filepath.Join("testdata", strings.TrimSuffix(f, ".json")+"_"+arith+".sha256")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), got, "%s in %s: spikes.csv or weights.csv changed", f, arith)
		}
	}
}

// The microcircuit (Potjans and Diesmann 2014) at 2% of its neurons and
// in-degrees: every population fires, each neuron's Poisson input fires at
// K_ext × 8 Hz (scaled), and the inhibitory populations of layers 2/3, 5
// and 6 fire faster than their excitatory ones, as in the full model.
func TestMicrocircuit(t *testing.T) {
	_, r := runNet(t, "microcircuit.json", sim.Sequential{}, nil)
	rate := map[string]float64{}
	for i := range r.Populations {
		p := &r.Populations[i]
		rate[p.Label] = p.MeanRateHz(r)
		if p.CellType == network.IFCurrExp {
			assert.Positive(t, p.SpikeCount, p.Label)
		}
	}
	t.Logf("rates (Hz): %v", rate)
	kExt := map[string]float64{"L23E": 1600, "L23I": 1500, "L4E": 2100, "L4I": 1900, "L5E": 2000, "L5I": 1900, "L6E": 2900, "L6I": 2100}
	for pop, k := range kExt {
		assert.InEpsilon(t, 8*k*0.02, rate[pop+"_input"], 0.05, pop)
	}
	for _, layer := range []string{"L23", "L5", "L6"} {
		assert.Greater(t, rate[layer+"I"], rate[layer+"E"], layer)
	}
}

// A population split into a neuron core and N synapse cores, exchanging
// input through SDRAM, gives byte for byte the spikes and weights of the
// combined core, in both arithmetics, through both drivers.
func TestSplitMatchesCombined(t *testing.T) {
	for _, f := range []string{"izhikevich_single.json", "ten_pops.json"} {
		for _, arith := range []string{network.ArithmeticFixed, network.ArithmeticFloat} {
			setArith := func(n *network.Network) { n.Arithmetic = arith }
			comb, _ := runNet(t, f, sim.Sequential{}, setArith)
			want := readAll(t, comb)
			for _, k := range []int{1, 2} {
				split := func(n *network.Network) {
					setArith(n)
					for i := range n.Populations {
						if !n.Populations[i].IsSource() {
							n.Populations[i].SynapseCores = k
						}
					}
				}
				for _, d := range []sim.Driver{sim.Sequential{}, actors.Driver{}} {
					dir, r := runNet(t, f, d, split)
					got := readAll(t, dir)
					for _, name := range []string{"spikes.csv", "weights.csv"} {
						assert.True(t, bytes.Equal(want[name], got[name]), "%s %s with %d synapse cores (%T): %s differs", f, arith, k, d, name)
					}
					// Each split slice is 1 + k cores; the neuron cores
					// read the synapse cores' blocks every tick.
					var neuron, synapse int
					ticks := uint64(r.Ticks)
					for _, c := range r.Provenance.Cores {
						switch {
						case strings.HasSuffix(c.Application, "_neuron"):
							neuron++
							assert.Equal(t, uint64(k)*ticks, c.DMAReads, c.Label)
						case strings.HasPrefix(c.Application, "synapses"):
							synapse++
							assert.Equal(t, ticks, c.DMAWrites, c.Label)
						}
					}
					assert.Positive(t, neuron)
					assert.Equal(t, k*neuron, synapse)
				}
			}
		}
	}
}

// sPyNNaker's plain STDP integration tests (test_STDP_pair_additive and its
// siblings; reference spynnaker-stdp.md §4): the post neuron fires at 1014,
// 1032 and 1053; fixed gives the reference's raw weights bit for bit, within
// the tests' rtol 1e-3 of their formulas. Float gives the equations with the
// chip's timing: for additive rules that is the tests' formula; for
// multiplicative ones the formula scales every pairing by the initial weight,
// where the chip (and float) apply the pairings one after another, each on
// the weight the last one left, so float is that sequence's value. Split and
// combined agree.
func TestPlainSTDP(t *testing.T) {
	e := math.Exp
	seqPair := 2.5 + (5-2.5)*0.01*e(-7.0/20)                    // potentiation, Δ 7
	seqPair += (5 - seqPair) * 0.01 * e(-25.0/20)               // potentiation, Δ 25
	seqPair -= seqPair * 0.01 * (1 + e(-18.0/20)) * e(-15.0/20) // depression with both post spikes' trace, Δ 15
	seqNearest := 2.5 + (5-2.5)*0.01*e(-7.0/20)                 // first post spike only
	seqNearest -= seqNearest * 0.01 * e(-15.0/20)               // the nearest post spike
	for _, c := range []struct {
		timing, weight string
		raw            int     // stored word at scale 2048
		formula        float64 // the integration test's float value
		float          float64 // the equations applied in the chip's order
	}{
		{network.SpikePairRule, network.AdditiveWeightDependence, 5126, 2.50326776425, 2.50326776425},
		{network.SpikePairRule, network.MultiplicativeWeightDependence, 5136, 2.50816941063, seqPair},
		{network.SpikeNearestPairRule, network.AdditiveWeightDependence, 5124, 2.50232321537, 2.50232321537},
		{network.SpikeNearestPairRule, network.MultiplicativeWeightDependence, 5131, 2.50580803842, seqNearest},
	} {
		for _, arith := range []string{network.ArithmeticFixed, network.ArithmeticFloat} {
			for _, split := range []int{0, 1} {
				name := fmt.Sprintf("%s/%s/%s/split=%d", c.timing, c.weight, arith, split)
				_, r := runNet(t, "stdp_pair_additive.json", sim.Sequential{}, func(n *network.Network) {
					n.Arithmetic = arith
					n.Populations[2].SynapseCores = split
					s := &n.Projections[2].Synapse
					s.Timing.Type, s.WeightDep.Type = c.timing, c.weight
				})
				var spikes []int
				for _, s := range r.Populations[2].Spikes {
					spikes = append(spikes, int(s.Tick))
				}
				assert.Equal(t, []int{1014, 1032, 1053}, spikes, name)
				require.Len(t, r.Projections[2].Weights, 1, name)
				w := r.Projections[2].Weights[0].Weight
				if arith == network.ArithmeticFixed {
					assert.Equal(t, float64(c.raw)/2048, w, name)
					assert.InDelta(t, c.formula, w, 1e-3*c.formula, "%s: sPyNNaker's rtol", name)
				} else {
					assert.InDelta(t, c.float, w, 1e-9, name)
					assert.InDelta(t, c.formula, w, 1e-3*c.formula, "%s: sPyNNaker's rtol", name)
				}
			}
		}
	}
}
