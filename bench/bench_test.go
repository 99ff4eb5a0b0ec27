package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sim"
)

// stdpCore builds a neuron core of n IF_curr_exp neurons driven to fire
// about every 12 ticks, with rows plastic rows of n synapses each (all to
// all) and one reward row onto every neuron.
func stdpCore(b *testing.B, n, rows int, float bool) (core.Synapses, []packets.Packet) {
	cell := kernels.IFCurrExpParams{Cm: 0.25, TauM: 20, TauRefrac: 2, TauSynE: 1, TauSynI: 1,
		VRest: -65, VReset: -70, VThresh: -50, IOffset: 0.9}
	fill := func(v float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = v
		}
		return s
	}
	app, err := core.NewNeuronCore(core.NeuronConfig{
		SynapseConfig: core.SynapseConfig{N: n, Float: float, HMs: 1, Shift: [2]uint32{6, 6}, MaxDelay: 1,
			Plastic: &core.PlasticConfig{
				Pair: kernels.PairRule{TauPlus: 20, TauMinus: 20, APlus: 0.1, AMinus: 0.12, WMin: 0, WMax: 20},
				NM:   &kernels.NeuromodParams{TauC: 1000, TauD: 200, WMin: 0, WMax: 20}}},
		Key: 0xF0000000, Params: cell,
		Init: core.NeuronInit{V: fill(-65), IsynExc: fill(0), IsynInh: fill(0)},
		Rec:  core.NewRecorder(n, core.Record{}),
	})
	if err != nil {
		b.Fatal(err)
	}
	nc := app.(core.Synapses)
	var syns []core.SourceSynapse
	for r := 0; r < rows; r++ {
		for p := 0; p < n; p++ {
			syns = append(syns, core.SourceSynapse{Row: r, Post: p, Kind: core.Plastic, Weight: 0.5, Delay: 1})
		}
	}
	if err := nc.AddSource(0x10000, 0xFFFF0000, 0, rows, syns); err != nil {
		b.Fatal(err)
	}
	var rew []core.SourceSynapse
	for p := 0; p < n; p++ {
		rew = append(rew, core.SourceSynapse{Row: 0, Post: p, Kind: core.Neuromodulatory, Weight: 0.01, Delay: 1})
	}
	if err := nc.AddSource(0x20000, 0xFFFF0000, 0, 1, rew); err != nil {
		b.Fatal(err)
	}
	pkts := []packets.Packet{packets.Multicast(0x20000)}
	for r := 0; r < rows; r++ {
		pkts = append(pkts, packets.Multicast(0x10000|uint32(r)))
	}
	return nc, pkts
}

// BenchmarkSTDPDopamineRows: each iteration is one tick of a busy core: the
// neuron update (post spikes enter the histories), one reward packet, and
// every plastic row processed once (rows × n synaptic events).
func BenchmarkSTDPDopamineRows(b *testing.B) {
	for _, arith := range []string{"fixed", "float"} {
		for _, size := range [][2]int{{256, 64}, {64, 16}} {
			n, rows := size[0], size[1]
			b.Run(fmt.Sprintf("%s/neurons=%d/rows=%d", arith, n, rows), func(b *testing.B) {
				nc, pkts := stdpCore(b, n, rows, arith == "float")
				var cnt core.Counters
				var r core.Ready
				t := uint32(0)
				// Warm the histories up to their steady state.
				for ; t < 200; t++ {
					r.Packets = r.Packets[:0]
					nc.TimerTick(t, &r, &cnt)
					nc.Receive(t, pkts, &r, &cnt)
				}
				cnt = core.Counters{}
				b.ResetTimer()
				for b.Loop() {
					r.Packets = r.Packets[:0]
					nc.TimerTick(t, &r, &cnt)
					nc.Receive(t, pkts, &r, &cnt)
					t++
				}
				b.ReportMetric(float64(cnt.SynapticEvents)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}

// BenchmarkTenPops runs the guide's second example (12 s of biological time).
func BenchmarkTenPops(b *testing.B) {
	for _, d := range []struct {
		name string
		d    sim.Driver
	}{{"sequential", sim.Sequential{}}, {"actors", actors.Driver{}}} {
		b.Run(d.name, func(b *testing.B) {
			var ticks, events uint64
			for b.Loop() {
				net, err := network.Load("../examples/ten_pops.json")
				if err != nil {
					b.Fatal(err)
				}
				m, err := mapping.Map(net)
				if err != nil {
					b.Fatal(err)
				}
				if err := d.d.Run(context.Background(), m, nil); err != nil {
					b.Fatal(err)
				}
				ticks += uint64(m.Clock.Ticks)
				for _, c := range m.Cores {
					events += c.Counters.SynapticEvents
				}
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(ticks)/1000/sec, "x_realtime")
			b.ReportMetric(float64(events)/sec, "events/s")
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
