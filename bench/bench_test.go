package bench

import (
	"fmt"
	"testing"

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
func stdpCore(b *testing.B, n, rows int, float bool) (*core.NeuronCore, []packets.Packet) {
	cell := kernels.IFCurrExpParams{Cm: 0.25, TauM: 20, TauRefrac: 2, TauSynE: 1, TauSynI: 1,
		VRest: -65, VReset: -70, VThresh: -50, IOffset: 0.9}
	fill := func(v float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = v
		}
		return s
	}
	nc, err := core.NewNeuronCore(core.NeuronConfig{
		N: n, Float: float, HMs: 1, Key: 0xF0000000, Params: cell,
		V0: fill(-65), IExc0: fill(0), IInh0: fill(0), Shift: [2]uint32{6, 6}, MaxDelay: 1,
		Plastic: &core.PlasticConfig{
			Pair: kernels.PairRule{TauPlus: 20, TauMinus: 20, APlus: 0.1, AMinus: 0.12, WMin: 0, WMax: 20},
			NM:   kernels.NeuromodParams{TauC: 1000, TauD: 200, WMin: 0, WMax: 20}},
		Rec: core.NewRecorder(n, false, false),
	})
	if err != nil {
		b.Fatal(err)
	}
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
				var out []packets.Packet
				t := uint32(0)
				// Warm the histories up to their steady state.
				for ; t < 200; t++ {
					out = nc.TimerTick(t, out[:0], &cnt)
					nc.Receive(t, pkts, &cnt)
				}
				cnt = core.Counters{}
				b.ResetTimer()
				for b.Loop() {
					out = nc.TimerTick(t, out[:0], &cnt)
					nc.Receive(t, pkts, &cnt)
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
				if err := d.d.Run(b.Context(), m, nil); err != nil {
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
