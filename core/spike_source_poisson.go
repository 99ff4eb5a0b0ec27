package core

import (
	"math"
	"math/rand/v2"

	"github.com/spinnsim/spinnsim/packets"
)

// maxPoissonPart is the largest mean drawn in one go (exp(−30) ≈ 1e−13).
const maxPoissonPart = 30

// SpikeSourcePoisson sends Poisson spike trains: in each tick of its active
// period, neuron i sends a number of spikes drawn from a Poisson distribution
// of mean rate_i·h. Each core draws from its own random stream, derived from
// the run's seed and the slice, so the trains do not depend on placement or
// scheduling.
type SpikeSourcePoisson struct {
	key        uint32
	expNeg     []float64 // exp(−λ_i/parts_i), λ_i = rate_i · h
	parts      []int     // λ_i is drawn as parts_i Poisson counts of λ_i/parts_i
	start, end []uint32  // active ticks [start, end)
	rng        *rand.PCG
	Rec        *Recorder

	// same: every neuron has the same rate, drawn in one part, and the
	// same active ticks (a population of one rate: the microcircuit's
	// background), so that a tick reads no per-neuron state.
	same bool

	// counts, when set (a direct Poisson source, countInto), receives each
	// neuron's spikes of the tick instead of packets.
	counts *poissonCounts
}

// poissonCounts is a tick's spikes of a direct Poisson source: how many
// each neuron sent, and which neurons sent any, in order, so that the tick's
// input is written from those alone.
type poissonCounts struct {
	n     []uint32 // by neuron
	fired []int32  // the neurons with n > 0
}

// countInto makes the source add each neuron's spikes to counts instead of
// sending packets: the same draws and recording, for a direct Poisson
// source, whose spikes never become packets.
func (p *SpikeSourcePoisson) countInto(counts *poissonCounts) { p.counts = counts }

// NewSpikeSourcePoisson makes the application for a slice: rates in Hz,
// active ticks [start_i, end_i), timestep hMs.
func NewSpikeSourcePoisson(key uint32, ratesHz []float64, start, end []uint32, hMs float64, rng *rand.PCG, rec *Recorder) *SpikeSourcePoisson {
	p := &SpikeSourcePoisson{key: key, start: start, end: end, rng: rng, Rec: rec,
		expNeg: make([]float64, len(ratesHz)), parts: make([]int, len(ratesHz))}
	for i, r := range ratesHz {
		lambda := r * hMs / 1000
		p.parts[i] = max(1, int(math.Ceil(lambda/maxPoissonPart)))
		p.expNeg[i] = math.Exp(-lambda / float64(p.parts[i]))
	}
	p.same = len(ratesHz) > 0
	for i := range ratesHz {
		if p.expNeg[i] != p.expNeg[0] || p.parts[i] != 1 || start[i] != start[0] || end[i] != end[0] {
			p.same = false
			break
		}
	}
	return p
}

// Name implements Application.
func (p *SpikeSourcePoisson) Name() string { return "spike_source_poisson" }

// Memory implements Application: per neuron its rate, period and next state.
func (p *SpikeSourcePoisson) Memory() Memory {
	return Memory{DTCM: 6*1024 + 24*len(p.expNeg), ITCM: 10 * 1024}
}

// TimerTick implements Application.
func (p *SpikeSourcePoisson) TimerTick(t uint32, r *Ready, _ *Counters) {
	if p.same {
		if e := p.expNeg[0]; t >= p.start[0] && t < p.end[0] && e != 1 {
			p.tickSame(t, r, e)
		}
		return
	}
	rng := p.rng
	// uniform is rand.Rand's Float64 on the same generator, value for
	// value, without the call through its Source interface.
	uniform := func() float64 { return float64(rng.Uint64()<<11>>11) / (1 << 53) }
	expNeg := p.expNeg
	start, end, parts := p.start[:len(expNeg)], p.end[:len(expNeg)], p.parts[:len(expNeg)]
	for i, e := range expNeg {
		if t < start[i] || t >= end[i] || e == 1 {
			continue
		}
		// Knuth's multiplication method: count uniforms until their product
		// falls below exp(−λ). Exact; a large λ is drawn in parts small
		// enough that exp(−λ) does not underflow.
		n := 0
		for range parts[i] {
			for prod := uniform(); prod > e; prod *= uniform() {
				n++
			}
		}
		if n > 0 && p.counts != nil {
			p.count(i, t, n)
		} else {
			p.emit(r, i, t, n)
		}
	}
}

// tickSame is TimerTick for sources that all have the decay e and are
// active at t: the same draws, in the same order, with nothing read per
// neuron, and the first draw compared as an integer. Its draw loop is
// TimerTick's written again: as a function of its own (not inlined) it cost
// a fifth of the source's speed.
func (p *SpikeSourcePoisson) tickSame(t uint32, r *Ready, e float64) {
	rng := p.rng
	uniform := func() float64 { return float64(rng.Uint64()<<11>>11) / (1 << 53) }
	// The first uniform, m/2^53, exceeds e exactly when m > ⌊e·2^53⌋ (the
	// product is exact): most ticks end at that integer comparison.
	first := uint64(e * (1 << 53))
	for i := range p.expNeg {
		n := 0
		if m := rng.Uint64() << 11 >> 11; m > first {
			for prod := float64(m) / (1 << 53); prod > e; prod *= uniform() {
				n++
			}
		}
		if n > 0 && p.counts != nil {
			p.count(i, t, n)
		} else {
			p.emit(r, i, t, n)
		}
	}
}

// emit sends and records n spikes of neuron i at tick t. The draw loops
// call count instead for a direct Poisson source: emit stays small enough
// to be inlined into them.
func (p *SpikeSourcePoisson) emit(r *Ready, i int, t uint32, n int) {
	for ; n > 0; n-- {
		r.Packets = append(r.Packets, packets.Multicast(p.key|uint32(i)))
		p.Rec.spike(i, t)
	}
}

// count is emit for a direct Poisson source (countInto), for n > 0.
//
//go:noinline
func (p *SpikeSourcePoisson) count(i int, t uint32, n int) {
	c := p.counts
	if c.n[i] == 0 {
		c.fired = append(c.fired, int32(i))
	}
	c.n[i] += uint32(n)
	for ; n > 0; n-- {
		p.Rec.spike(i, t)
	}
}

// Receive implements Application: a source has no synapses.
func (p *SpikeSourcePoisson) Receive(uint32, []packets.Packet, *Ready, *Counters) {}
