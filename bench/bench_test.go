package bench

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/sim"
)

// drivers are the two ways to run a machine.
var drivers = []struct {
	name string
	d    sim.Driver
}{{"sequential", sim.Sequential{}}, {"actors", actors.Driver{}}}

// parse reads a network file's text.
func parse(b *testing.B, text, name string) *network.Network {
	b.Helper()
	net, err := network.Parse([]byte(text), name)
	if err != nil {
		b.Fatal(err)
	}
	return net
}

// runStats are what one run of a mapped network did.
type runStats struct {
	ticks, events, packets uint64
	mallocs                uint64
	run                    time.Duration
}

func (s *runStats) add(o runStats) {
	s.ticks += o.ticks
	s.events += o.events
	s.packets += o.packets
	s.mallocs += o.mallocs
	s.run += o.run
}

// runMapped runs m through d and counts what it did.
func runMapped(b *testing.B, d sim.Driver, m *mapping.Mapped) runStats {
	b.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	if err := d.Run(context.Background(), m, nil); err != nil {
		b.Fatal(err)
	}
	s := runStats{run: time.Since(start), ticks: uint64(m.Clock.Ticks)}
	runtime.ReadMemStats(&after)
	s.mallocs = after.Mallocs - before.Mallocs
	for _, c := range m.Cores {
		s.events += c.Counters.SynapticEvents
		s.packets += c.Counters.PacketsReceived
	}
	return s
}

// report reports a machine benchmark's figures: ticks a second, times
// faster than real time (1 ms ticks) and synaptic events a second, over the
// runs only, and the heap allocations of a run, setting up the driver
// included (actors.TestNoAllocationPerTick checks that a tick in steady
// state allocates nothing).
func (s runStats) report(b *testing.B, hMs float64) {
	sec := s.run.Seconds()
	b.ReportMetric(float64(s.ticks)/sec, "ticks/s")
	b.ReportMetric(float64(s.ticks)*hMs/1000/sec, "x_realtime")
	if s.events > 0 {
		b.ReportMetric(float64(s.events)/sec, "events/s")
	}
	b.ReportMetric(float64(s.mallocs)/float64(b.N), "allocs/run")
}

// BenchmarkIdleBoard runs a SpiNN-5 board with one idle neuron on each of
// its 768 application cores for 2 s of biological time: what driving the
// machine costs, per driver. Mapping is not timed.
func BenchmarkIdleBoard(b *testing.B) {
	for _, d := range drivers {
		b.Run(d.name, func(b *testing.B) {
			var s runStats
			for b.Loop() {
				b.StopTimer()
				m, err := mapping.Map(parse(b, IdleBoard(768, 2000), "idle_board"))
				if err != nil {
					b.Fatal(err)
				}
				if len(m.Cores) != 768 {
					b.Fatalf("%d cores, want 768", len(m.Cores))
				}
				b.StartTimer()
				s.add(runMapped(b, d.d, m))
			}
			s.report(b, 1)
		})
	}
}

// BenchmarkTenPops runs the guide's second example (12 s of biological
// time) through each driver: load, map and run (the time per op), and the
// run alone (the metrics).
func BenchmarkTenPops(b *testing.B) {
	for _, d := range drivers {
		b.Run(d.name, func(b *testing.B) {
			var s runStats
			for b.Loop() {
				net, err := network.Load("../examples/ten_pops.json")
				if err != nil {
					b.Fatal(err)
				}
				m, err := mapping.Map(net)
				if err != nil {
					b.Fatal(err)
				}
				s.add(runMapped(b, d.d, m))
			}
			s.report(b, 1)
		})
	}
}

// largeK is the fan-in of the dense networks too large to run unless the
// -bench pattern names them (K=1000: 10 million synapses, 2 GB).
var largeK = map[int]bool{1000: true}

// wanted reports whether a sub-benchmark of a large size was asked for by
// name in -test.bench.
func wanted(b *testing.B, k int) bool {
	if !largeK[k] {
		return true
	}
	f := flag.Lookup("test.bench")
	if f != nil && strings.Contains(f.Value.String(), fmt.Sprintf("K=%d", k)) {
		return true
	}
	b.Skipf("K=%d runs only when -bench names it, e.g. -bench 'Dense/K=%d'", k, k)
	return false
}

// BenchmarkDense runs the dense family, dense(P=10, N=1000, K) for 2 s
// (bench.Dense), through each driver: the time per op is generation,
// mapping and the run; s_map is generation and mapping, and the other
// metrics are the run's. K=1000 runs only when -bench names it.
//
//	go test -run '^$' -bench 'Dense/K=100/' -benchtime 1x ./bench
//	go test -run '^$' -bench 'Dense/K=1000/' -benchtime 1x ./bench
func BenchmarkDense(b *testing.B) {
	for _, k := range []int{100, 1000} {
		b.Run(fmt.Sprintf("K=%d", k), func(b *testing.B) {
			if !wanted(b, k) {
				return
			}
			d := DefaultDense(k)
			text := d.JSON()
			for _, dr := range drivers {
				b.Run(dr.name, func(b *testing.B) {
					var s runStats
					var mapped time.Duration
					for b.Loop() {
						start := time.Now()
						m, err := mapping.Map(parse(b, text, d.Name()))
						if err != nil {
							b.Fatal(err)
						}
						mapped += time.Since(start)
						s.add(runMapped(b, dr.d, m))
					}
					s.report(b, 1)
					b.ReportMetric(mapped.Seconds()/float64(b.N), "s_map")
					b.ReportMetric(s.run.Seconds()/float64(b.N), "s_run")
				})
			}
		})
	}
}

// BenchmarkDenseMap generates and maps the dense family alone (no run).
func BenchmarkDenseMap(b *testing.B) {
	for _, k := range []int{100, 1000} {
		b.Run(fmt.Sprintf("K=%d", k), func(b *testing.B) {
			if !wanted(b, k) {
				return
			}
			d := DefaultDense(k)
			text := d.JSON()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mapping.Map(parse(b, text, d.Name())); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(d.P*d.N*d.K)*float64(b.N)/b.Elapsed().Seconds(), "synapses/s")
		})
	}
}

// denseNet is the first large network: pops populations of size
// IF_curr_exp neurons (driven by i_offset to fire at a few Hz), each
// projecting to every population with probability p, delays uniform in
// 1–50 ms, run for 100 ms.
func denseNet(pops, size int, p float64) string {
	var ps, prs []string
	for i := range pops {
		ps = append(ps, fmt.Sprintf(`{"label":"p%d","size":%d,"cell_type":"IF_curr_exp","parameters":{"i_offset":0.8},
		  "initial_values":{"v":{"distribution":"uniform","low":-65,"high":-50}}}`, i, size))
	}
	for i := range pops {
		for j := range pops {
			prs = append(prs, fmt.Sprintf(`{"pre":"p%d","post":"p%d","connector":{"type":"FixedProbabilityConnector","p_connect":%g},
			  "synapse":{"type":"StaticSynapse","weight":0.01,"delay":{"distribution":"uniform","low":1,"high":50}}}`, i, j, p))
		}
	}
	return `{"format":"spinnsim-network/1","name":"dense","duration_ms":100,"populations":[` + strings.Join(ps, ",") +
		`],"projections":[` + strings.Join(prs, ",") + `]}`
}

// BenchmarkDenseRun maps, loads and runs 100 populations of 1,000 neurons
// with 11 million synapses for 100 ms (the first network): the
// time to map and load, and the run's speed, separately. Every spike goes to
// every one of the 800 cores (each has about 0.14 synapses a row from each
// source), so the run is bound by packets received, not synaptic events.
//
//	go test -run '^$' -bench DenseRun -benchtime 1x ./bench
func BenchmarkDenseRun(b *testing.B) {
	for b.Loop() {
		net, err := network.Parse([]byte(denseNet(100, 1000, 0.0011)), "dense")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		m, err := mapping.Map(net)
		if err != nil {
			b.Fatal(err)
		}
		mapped := time.Since(start)
		most, syn := 0, 0
		for _, r := range m.Routers {
			most = max(most, r.Table.Len())
		}
		for _, n := range m.Synapses {
			syn += n
		}
		start = time.Now()
		if err := (sim.Sequential{}).Run(context.Background(), m, nil); err != nil {
			b.Fatal(err)
		}
		ran := time.Since(start)
		var events, packets uint64
		for _, c := range m.Cores {
			events += c.Counters.SynapticEvents
			packets += c.Counters.PacketsReceived
		}
		b.ReportMetric(mapped.Seconds(), "s_map+load")
		b.ReportMetric(ran.Seconds(), "s_run")
		b.ReportMetric(float64(syn), "synapses")
		b.ReportMetric(float64(most), "entries_max")
		b.ReportMetric(float64(events)/ran.Seconds(), "events/s")
		b.ReportMetric(float64(packets)/ran.Seconds(), "packets_received/s")
	}
}
