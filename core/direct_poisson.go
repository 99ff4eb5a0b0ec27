package core

import (
	"errors"
	"fmt"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sdram"
)

// DirectPoissonConfig is a Poisson source merged into the neuron core of a
// split slice of the same neurons (sPyNNaker's SplitterPoissonDelegate):
// its one projection onto the slice, OneToOne, static, one tick of delay.
type DirectPoissonConfig struct {
	Source *SpikeSourcePoisson // the slice's spikes (and their recording)
	// N is the target slice's size; Float and Shift its arithmetic and
	// ring-buffer shifts.
	N     int
	Float bool
	Shift [kernels.NumSynapseTypes]uint32
	// Weights[i] (nA) of the synapse from source neuron i onto target
	// neuron i, of synapse type Type; Proj its projection (for read-back).
	Weights []float64
	Type    int
	Proj    int
	PreLo   int // global index of the source slice's first neuron
	// Out is the SDRAM block the neuron core reads with its synapse cores'.
	Out sdram.RegionID
}

// directPoisson is the application of a direct Poisson source
// (reference spynnaker-neuromodulation.md §5, "Direct Poisson option"): it
// draws the slice's Poisson spikes as a SpikeSourcePoisson core does, but
// sends no packet. At the end of each tick it writes, into an SDRAM block
// laid out as a synapse core's (one ring-buffer slot), the weight of each
// neuron's synapse times its spikes of the tick; the neuron core reads and
// sums it with its synapse cores' blocks at the next tick. That is the
// timing of a packet with one tick of delay, so in fixed point the result
// is the packet path's exactly, unless a neuron's input in a tick passes 16
// bits: the packet path saturates its ring-buffer entry at 0xFFFF, while
// here the weight word times the spikes wraps in its half-word, and the
// neuron core's sum of the blocks as 32-bit words carries into the next
// neuron's half-word (as between a split slice's synapse cores). In float the
// inputs are added in another order than the packet path's, which can
// change the last bits of a neuron's input.
type directPoisson[W Word, T Trace] struct {
	cfg    DirectPoissonConfig
	ar     arith[W, T]
	lay    layout
	words  []W // weight word of each neuron's synapse
	counts poissonCounts
	slot   []W
	buf    []uint32
	scrap  Ready // the source's Ready, left empty: it counts instead of sending
}

// NewDirectPoisson makes a direct Poisson source's application; it
// implements Synapses (holding the one projection's weights for read-back)
// so that the mapping keeps it with the slice's synapse cores.
func NewDirectPoisson(cfg DirectPoissonConfig) (Synapses, error) {
	if len(cfg.Weights) != cfg.N {
		return nil, fmt.Errorf("direct Poisson: %d weights for %d neurons", len(cfg.Weights), cfg.N)
	}
	if cfg.Float {
		return newDirectPoisson[float64, float64](cfg, floatArith{})
	}
	return newDirectPoisson[uint16, kernels.S411](cfg, newFixedArith(cfg.Shift))
}

func newDirectPoisson[W Word, T Trace](cfg DirectPoissonConfig, ar arith[W, T]) (Synapses, error) {
	d := &directPoisson[W, T]{cfg: cfg, ar: ar, lay: newLayout(cfg.N), counts: poissonCounts{n: make([]uint32, cfg.N)}}
	cfg.Source.countInto(&d.counts)
	d.slot = make([]W, kernels.NumSynapseTypes<<d.lay.indexBits)
	d.buf = make([]uint32, ar.blockWords(len(d.slot)))
	for i, w := range cfg.Weights {
		x, err := ar.word(w, cfg.Type)
		if err != nil {
			return nil, fmt.Errorf("direct Poisson neuron %d: %w", i, err)
		}
		d.words = append(d.words, x)
	}
	return d, nil
}

// Name implements Application.
func (d *directPoisson[W, T]) Name() string { return "spike_source_poisson_direct" }

// Memory implements Application: the Poisson source's, its weights and its
// block's buffer.
func (d *directPoisson[W, T]) Memory() Memory {
	m := d.cfg.Source.Memory()
	m.DTCM += 2*len(d.words) + 4*len(d.buf)
	return m
}

// TimerTick implements Application: draw the tick's spikes, which the
// source counts into d.counts.
func (d *directPoisson[W, T]) TimerTick(t uint32, _ *Ready, c *Counters) {
	d.cfg.Source.TimerTick(t, &d.scrap, c)
}

// Receive implements Application: a source receives nothing.
func (d *directPoisson[W, T]) Receive(_ uint32, pkts []packets.Packet, _ *Ready, c *Counters) {
	c.PacketsDropped += uint64(len(pkts))
}

// EndTick implements TickEnder: write the tick's input into the block.
func (d *directPoisson[W, T]) EndTick(t uint32, r *Ready, _ *Counters) {
	slot := d.slot[d.cfg.Type<<d.lay.indexBits:][:len(d.words)]
	n := d.counts.n[:len(d.words)]
	for _, i := range d.counts.fired {
		slot[i] = d.words[i] * W(n[i])
		n[i] = 0
	}
	d.counts.fired = d.counts.fired[:0]
	d.ar.encode(d.buf, d.slot)
	clear(d.slot)
	r.Transfers = append(r.Transfers, sdram.Transfer{Region: d.cfg.Out, Write: true, Data: d.buf})
}

// DMADone implements DMAUser: the write of the block has completed.
func (d *directPoisson[W, T]) DMADone(_ uint32, tr *sdram.Transfer, _ *Ready, _ *Counters) error {
	if !tr.Write {
		return errors.New("unexpected DMA read completion")
	}
	return nil
}

// AddSource implements Synapses: a direct Poisson source has no rows.
func (d *directPoisson[W, T]) AddSource(uint32, uint32, int, int, []SourceSynapse) error {
	return errors.New("a direct Poisson source holds no rows")
}

// AddDelayedSource implements Synapses.
func (d *directPoisson[W, T]) AddDelayedSource(uint32, uint32, int, int, Delayed, []SourceSynapse) error {
	return errors.New("a direct Poisson source holds no rows")
}

// Loaded implements Synapses.
func (d *directPoisson[W, T]) Loaded() error { return nil }

// Rewiring implements Synapses.
func (d *directPoisson[W, T]) Rewiring() []RewiringEvent { return nil }

// Weights implements Synapses: the projection's synapses i → i, read back
// as the host reads a synapse core's (the stored word over the scale).
func (d *directPoisson[W, T]) Weights(proj int) []Weight {
	if proj != d.cfg.Proj {
		return nil
	}
	ws := make([]Weight, len(d.words))
	for i, w := range d.words {
		ws[i] = Weight{Pre: d.cfg.PreLo + i, Post: i, Weight: d.ar.value(w, d.cfg.Type), DelayTicks: 1}
	}
	return ws
}
