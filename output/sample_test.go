package output

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// smallRun is a hand-made run shaped like the spec's example, with awkward
// labels.
func smallRun() *Run {
	return &Run{
		Name:        "izhikevich_single",
		Arithmetic:  "fixed",
		Seed:        1,
		Ticks:       3000,
		TimestepMs:  1.0,
		WallSeconds: 0.4,
		Machine:     MachineUse{Board: "spinn-5", Boards: 1, Chips: 48, CoresUsed: 5, RouterEntriesMax: 7},
		Populations: []Population{
			{Label: "pre", CellType: "SpikeSourceArray", Size: 1, SpikeCount: 2, RecordSpikes: true,
				Spikes: []Spike{{0, 1500}, {0, 2400}}},
			{Label: "reward", CellType: "SpikeSourceArray", Size: 1, SpikeCount: 1},
			{Label: `post, "one"`, CellType: "IF_curr_exp", Size: 2, SpikeCount: 3, RecordSpikes: true,
				Spikes:  []Spike{{1, 1502}, {0, 1503}, {0, 1400}},
				RecordV: true, V: SampleSlices{{-65, -64.5, -60.25}, {-65, -65.125, -70}}},
		},
		Projections: []Projection{
			{Label: "stim", Synapses: 2},
			{Label: "Pre-post projection", Synapses: 1, RecordWeight: true,
				Weights: []Weight{{0, 0, 10.0654296875, 1}}},
			{Label: `w, "x"`, Synapses: 3, RecordWeight: true,
				Weights: []Weight{{1, 0, 2, 1.5}, {0, 1, 0.1, 1}, {0, 0, 3.5, 2}}},
		},
		Markers: []Marker{
			{Label: "reward", Kind: "reward", TimesMs: []float64{1600}},
			{Label: "punish", Kind: "punishment", TimesMs: []float64{2000, 2500}},
		},
		Provenance: Provenance{PacketsSent: 6, Cores: []CoreProvenance{{Core: [3]int{0, 0, 1}, Application: "spike_source_array", Label: "pre[0:1]", SpikesSent: 2}}},
	}
}

// bigRun is many populations of Poisson-like neurons with v recorded.
func bigRun(pops, size, ticks int, rateHz float64) *Run {
	rng := rand.New(rand.NewPCG(1, 2))
	r := &Run{Name: "big", Arithmetic: "float", Seed: 7, Ticks: ticks, TimestepMs: 1, WallSeconds: 12.3,
		Machine: MachineUse{Board: "spinn-5", Boards: 1, Chips: 48, CoresUsed: 30, RouterEntriesMax: 12}}
	for p := range pops {
		pop := Population{Label: "pop" + string(rune('A'+p%26)) + string(rune('0'+p/26)), CellType: "IF_curr_exp",
			Size: size, RecordSpikes: true, RecordV: true}
		v := make(SampleSlices, size)
		pop.V = v
		for n := range size {
			v[n] = make([]float64, ticks)
			for t := range ticks {
				v[n][t] = -65 + rng.Float64()*10
				if rng.Float64() < rateHz/1000*float64(p+1)/float64(pops) {
					pop.Spikes = append(pop.Spikes, Spike{int32(n), uint32(t)})
				}
			}
		}
		pop.SpikeCount = len(pop.Spikes)
		r.Populations = append(r.Populations, pop)
	}
	for t := 500; t < ticks; t += 1000 {
		r.Markers = append(r.Markers, Marker{Label: "rw", Kind: "reward", TimesMs: []float64{float64(t)}})
		r.Markers = append(r.Markers, Marker{Label: "pn", Kind: "punishment", TimesMs: []float64{float64(t + 300)}})
	}
	return r
}

// TestWriteSamples writes sample outputs to $SPINNSIM_OUTPUT_SAMPLES for a
// person to look at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("SPINNSIM_OUTPUT_SAMPLES")
	if dir == "" {
		t.Skip("SPINNSIM_OUTPUT_SAMPLES not set")
	}
	empty := smallRun()
	for i := range empty.Populations {
		empty.Populations[i].RecordSpikes = false
	}
	empty.Markers = nil
	for name, r := range map[string]*Run{
		"small": smallRun(),
		"big":   bigRun(10, 10, 12000, 20),
		"wide":  bigRun(3, 300, 2000, 30),
		"empty": empty,
		"mixed": mixedRun(),
	} {
		if err := Write(filepath.Join(dir, name), r); err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + SummaryText(r, filepath.Join(dir, name)))
	}
}

// mixedRun has populations of very different sizes and long labels.
func mixedRun() *Run {
	r := bigRun(1, 1, 5000, 5)
	r.Name = "ten_pops"
	sizes := []int{1, 1, 1, 80, 2, 1, 30, 1, 1, 5}
	r.Populations = nil
	rng := rand.New(rand.NewPCG(5, 6))
	for i, n := range sizes {
		p := Population{Label: "population number " + string(rune('0'+i)), Size: n, RecordSpikes: i != 5}
		if i == 3 {
			p.Label = "a very long population label that will not fit in the margin"
		}
		for k := range n {
			for t := range r.Ticks {
				if rng.Float64() < 0.01 {
					p.Spikes = append(p.Spikes, Spike{int32(k), uint32(t)})
				}
			}
		}
		p.SpikeCount = len(p.Spikes)
		r.Populations = append(r.Populations, p)
	}
	r.Markers = r.Markers[:2]
	return r
}
