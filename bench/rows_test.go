package bench

import (
	"fmt"
	"math"
	"testing"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/packets"
)

// Keys of the row benchmarks' synapse cores.
const (
	preKey    = 0x10000    // the pre-synaptic rows, mask 0xFFFF0000
	rewardKey = 0x20000    // one reward row onto every neuron
	loopKey   = 0xF0000000 // the core's own neurons' spikes (post events)
	loopMask  = 0xFFFFFF00
	benchRows = 32 // rows processed per cycle
)

// rowLengths, windowEvents and ariths are the sizes of the row benchmarks.
var (
	rowLengths   = []int{16, 64, 256}
	windowEvents = []int{0, 1, 4, 15}
	ariths       = []string{"fixed", "float"}
)

// rule is the synapse dynamics a row benchmark runs.
type rule int

const (
	static   rule = iota
	stdp          // plain STDP (SpikePairRule, additive)
	neuromod      // neuromodulated STDP
)

// synapseCore builds a split population's synapse core of n neurons with
// benchRows rows of n synapses each (all to all) of the rule, and for
// neuromodulation one reward row onto every neuron.
func synapseCore(b *testing.B, r rule, n int, float bool) core.Application {
	cfg := core.SynapseConfig{N: n, Float: float, HMs: 1, Shift: [2]uint32{5, 5}, MaxDelay: 1}
	kind := core.Static
	if r != static {
		kind = core.Plastic
		cfg.Plastic = &core.PlasticConfig{
			Pair: kernels.PairRule{TauPlus: 20, TauMinus: 20, APlus: 0.1, AMinus: 0.12, WMin: 0, WMax: 20}}
		if r == neuromod {
			cfg.Plastic.NM = &kernels.NeuromodParams{TauC: 1000, TauD: 200, WMin: 0, WMax: 20}
		}
	}
	app, err := core.NewSynapseCore(cfg, loopKey, loopMask, 0)
	if err != nil {
		b.Fatal(err)
	}
	var syns []core.SourceSynapse
	for row := range benchRows {
		for p := range n {
			syns = append(syns, core.SourceSynapse{Row: int32(row), Post: uint16(p), Kind: kind, Weight: 0.5, Delay: 1})
		}
	}
	if err := app.AddSource(preKey, 0xFFFF0000, 0, benchRows, syns); err != nil {
		b.Fatal(err)
	}
	if r == neuromod {
		var rew []core.SourceSynapse
		for p := range n {
			rew = append(rew, core.SourceSynapse{Row: 0, Post: uint16(p), Kind: core.Neuromodulatory, Weight: 0.01, Delay: 1})
		}
		if err := app.AddSource(rewardKey, 0xFFFF0000, 0, 1, rew); err != nil {
			b.Fatal(err)
		}
	}
	if err := app.Loaded(); err != nil {
		b.Fatal(err)
	}
	return app
}

// rowCycle drives a synapse core through cycles of events+1 ticks: in each
// of the first events ticks every neuron gets one post-synaptic event (a
// spike of its own, or under neuromodulation every other one a reward), and
// in the last tick every row is processed once. So every synapse update
// walks exactly events events of its window, and a cycle is benchRows × n
// synaptic events.
type rowCycle struct {
	app    core.Application
	ender  core.TickEnder
	events int
	post   []packets.Packet // one spike of every neuron
	reward []packets.Packet
	pre    []packets.Packet // every row
	t      uint32
	r      core.Ready
	cnt    core.Counters
}

func newRowCycle(b *testing.B, r rule, n, events int, float bool) *rowCycle {
	c := &rowCycle{app: synapseCore(b, r, n, float), events: events}
	c.ender = c.app.(core.TickEnder)
	for i := range n {
		c.post = append(c.post, packets.Multicast(loopKey|uint32(i)))
	}
	if r == neuromod {
		c.reward = []packets.Packet{packets.Multicast(rewardKey)}
	}
	for row := range benchRows {
		c.pre = append(c.pre, packets.Multicast(preKey|uint32(row)))
	}
	return c
}

func (c *rowCycle) tick(pkts []packets.Packet) {
	c.r.Packets, c.r.Transfers = c.r.Packets[:0], c.r.Transfers[:0]
	c.app.TimerTick(c.t, &c.r, &c.cnt)
	c.app.Receive(c.t, pkts, &c.r, &c.cnt)
	c.ender.EndTick(c.t, &c.r, &c.cnt)
	c.t++
}

func (c *rowCycle) cycle() {
	for e := range c.events {
		if c.reward != nil && e%2 == 1 {
			c.tick(c.reward)
		} else {
			c.tick(c.post)
		}
	}
	c.tick(c.pre)
}

// benchmarkRows runs rowCycle for every size and reports synaptic events
// per second and nanoseconds per synaptic event.
func benchmarkRows(b *testing.B, r rule, events []int) {
	for _, arith := range ariths {
		for _, n := range rowLengths {
			for _, ev := range events {
				name := fmt.Sprintf("%s/row=%d", arith, n)
				if r != static {
					name += fmt.Sprintf("/events=%d", ev)
				}
				b.Run(name, func(b *testing.B) {
					c := newRowCycle(b, r, n, ev, arith == "float")
					for range 20 { // past the first pre spikes' empty windows
						c.cycle()
					}
					c.cnt = core.Counters{}
					b.ReportAllocs()
					for b.Loop() {
						c.cycle()
					}
					reportEvents(b, c.cnt.SynapticEvents)
				})
			}
		}
	}
}

func reportEvents(b *testing.B, events uint64) {
	if events == 0 {
		b.Fatal("no synaptic events")
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/s, "events/s")
	b.ReportMetric(s*1e9/float64(events), "ns/event")
}

// BenchmarkSTDPDopamineRows: the neuromodulated STDP row update on a
// synapse core, rows of 16, 64 and 256 synapses, each synapse's window
// holding 0, 1, 4 or 15 post-synaptic events (post spikes and rewards in
// turn), in both arithmetics.
func BenchmarkSTDPDopamineRows(b *testing.B) { benchmarkRows(b, neuromod, windowEvents) }

// BenchmarkSTDPRows: the plain STDP row update (SpikePairRule, additive), as
// BenchmarkSTDPDopamineRows with post spikes only.
func BenchmarkSTDPRows(b *testing.B) { benchmarkRows(b, stdp, windowEvents) }

// BenchmarkStaticRows: static rows of 16, 64 and 256 synapses.
func BenchmarkStaticRows(b *testing.B) { benchmarkRows(b, static, []int{0}) }

// BenchmarkNeuronUpdate: the timer tick of a combined core of 256
// IF_curr_exp neurons with no synapses, driven by i_offset to fire every
// dozen ticks or so; reports neuron updates per second.
func BenchmarkNeuronUpdate(b *testing.B) {
	const n = 256
	cell := kernels.IFCurrExpParams{Cm: 0.25, TauM: 20, TauRefrac: 2, TauSynE: 1, TauSynI: 1,
		VRest: -65, VReset: -70, VThresh: -50, IOffset: 0.9}
	for _, arith := range ariths {
		b.Run(arith, func(b *testing.B) {
			init := core.NeuronInit{V: make([]float64, n), IsynExc: make([]float64, n), IsynInh: make([]float64, n)}
			for i := range n {
				init.V[i] = -65 + 15*float64(i)/n // spread, so that they do not fire together
			}
			app, err := core.NewNeuronCore(core.NeuronConfig{
				SynapseConfig: core.SynapseConfig{N: n, Float: arith == "float", HMs: 1, Shift: [2]uint32{5, 5}, MaxDelay: 1},
				Key:           0x10000, Params: cell, Init: init, Rec: core.NewRecorder(n, core.Record{}),
			})
			if err != nil {
				b.Fatal(err)
			}
			timerTicks(b, app, n, "neurons/s")
		})
	}
}

// BenchmarkPoissonSource: the timer tick of a Poisson source core of 256
// neurons, at the rates of a dense family's sources (20 Hz at 1 ms) and of
// the microcircuit's background (about 1,300 Hz for each neuron's K_ext
// sources at 0.1 ms, the direct Poisson source's draws); reports neuron
// draws per second.
func BenchmarkPoissonSource(b *testing.B) {
	const n = 256
	for _, c := range []struct {
		name      string
		rate, hMs float64
	}{{"20Hz_1ms", 20, 1}, {"1300Hz_0.1ms", 1300, 0.1}} {
		b.Run(c.name, func(b *testing.B) {
			rates, start, end := make([]float64, n), make([]uint32, n), make([]uint32, n)
			for i := range n {
				rates[i], end[i] = c.rate, math.MaxUint32
			}
			src := core.NewSpikeSourcePoisson(0x10000, rates, start, end, c.hMs, mapping.StreamPCG(1, "bench"), core.NewRecorder(n, core.Record{}))
			timerTicks(b, src, n, "draws/s")
		})
	}
}

// timerTicks runs app's timer tick once per benchmark iteration, tick after
// tick, checks that it spiked, and reports its n neurons' updates a second
// as unit.
func timerTicks(b *testing.B, app core.Application, n int, unit string) {
	var r core.Ready
	var cnt core.Counters
	t, spikes := uint32(0), 0
	b.ReportAllocs()
	for b.Loop() {
		r.Packets = r.Packets[:0]
		app.TimerTick(t, &r, &cnt)
		spikes += len(r.Packets)
		t++
	}
	if spikes == 0 {
		b.Fatal("no spikes")
	}
	b.ReportMetric(float64(t)*float64(n)/b.Elapsed().Seconds(), unit)
}
