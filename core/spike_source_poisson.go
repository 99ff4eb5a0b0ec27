package core

import (
	"math"
	"math/rand/v2"

	"github.com/spinnsim/spinnsim/packets"
)

// SpikeSourcePoisson sends Poisson spike trains: in each tick of its active
// period, neuron i sends a number of spikes drawn from a Poisson distribution
// of mean rate_i·h. Each core draws from its own random stream, derived from
// the run's seed and the slice, so the trains do not depend on placement or
// scheduling.
type SpikeSourcePoisson struct {
	key        uint32
	expNeg     []float64 // exp(−λ_i), λ_i = rate_i · h
	start, end []uint32  // active ticks [start, end)
	rng        *rand.Rand
	Rec        *Recorder
}

// NewSpikeSourcePoisson makes the application for a slice: rates in Hz,
// active ticks [start_i, end_i), timestep hMs.
func NewSpikeSourcePoisson(key uint32, ratesHz []float64, start, end []uint32, hMs float64, rng *rand.Rand, rec *Recorder) *SpikeSourcePoisson {
	p := &SpikeSourcePoisson{key: key, start: start, end: end, rng: rng, Rec: rec,
		expNeg: make([]float64, len(ratesHz))}
	for i, r := range ratesHz {
		p.expNeg[i] = math.Exp(-r * hMs / 1000)
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
func (p *SpikeSourcePoisson) TimerTick(t uint32, out []packets.Packet, _ *Counters) []packets.Packet {
	for i, e := range p.expNeg {
		if t < p.start[i] || t >= p.end[i] || e == 1 {
			continue
		}
		// Knuth's multiplication method: count uniforms until their product
		// falls below exp(−λ). Exact for the small λ of spike sources.
		n := 0
		for prod := p.rng.Float64(); prod > e; prod *= p.rng.Float64() {
			n++
		}
		for ; n > 0; n-- {
			out = append(out, packets.Multicast(p.key|uint32(i)))
			p.Rec.spike(i, t)
		}
	}
	return out
}

// Receive implements Application: a source has no synapses.
func (p *SpikeSourcePoisson) Receive(uint32, []packets.Packet, *Counters) {}
