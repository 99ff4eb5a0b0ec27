package bench

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/sim"
)

// recordingNet is 1000 IF_curr_exp neurons driven by Poisson input,
// recording v for 20 s of biological time: 160 MB of samples.
const recordingNet = `{"format":"spinnsim-network/1","duration_ms":20000,"seed":1,
 "populations":[{"label":"in","size":1000,"cell_type":"SpikeSourcePoisson","parameters":{"rate":10}},
  {"label":"n","size":1000,"cell_type":"IF_curr_exp","record":["v"]}],
 "projections":[{"pre":"in","post":"n","connector":{"type":"FixedProbabilityConnector","p_connect":0.05},"synapse":{"type":"StaticSynapse","weight":0.5}}]}`

// BenchmarkRecording runs recordingNet with its samples in memory and with
// a 16 MiB recording buffer (sim.Recording spooling the rest to a file),
// then reads every neuron's samples back as writing v.csv does. It reports
// the peak of the live heap during the run and the read-back (sampled every
// 100 ticks and after each neuron), the run's ticks a second and the
// read-back's seconds.
func BenchmarkRecording(b *testing.B) {
	for _, budget := range []int64{1 << 30, 16 << 20} {
		b.Run(fmt.Sprintf("buffer=%dMiB", budget>>20), func(b *testing.B) {
			var peak uint64
			var run, read time.Duration
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			look := func() {
				metrics.Read(sample)
				peak = max(peak, sample[0].Value.Uint64())
			}
			for b.Loop() {
				b.StopTimer()
				m, err := mapping.Map(parse(b, recordingNet, "recording"))
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				b.StartTimer()
				start := time.Now()
				rc := sim.NewRecording(m, budget, b.TempDir())
				if err := (sim.Sequential{}).Run(b.Context(), m, func(t uint32) {
					rc.AfterTick(t)
					if t%100 == 0 {
						look()
					}
				}); err != nil {
					b.Fatal(err)
				}
				run += time.Since(start)
				start = time.Now()
				r, err := rc.Results(0)
				if err != nil {
					b.Fatal(err)
				}
				var v []float64
				for i := range r.Populations[1].V.Neurons() {
					if v, err = r.Populations[1].V.Neuron(i, v[:0]); err != nil {
						b.Fatal(err)
					}
					if len(v) != 20000 {
						b.Fatalf("neuron %d: %d samples", i, len(v))
					}
					look()
				}
				read += time.Since(start)
				if err := rc.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(b.N)*20000/run.Seconds(), "ticks/s")
			b.ReportMetric(read.Seconds()/float64(b.N), "read-s")
		})
	}
}
