package core

import (
	"fmt"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sdram"
)

// PlasticConfig is the STDP rule of a population's plastic projections
// (sPyNNaker merges them into one rule per population).
type PlasticConfig struct {
	Pair kernels.PairRule        // timing rule and weight dependence
	NM   *kernels.NeuromodParams // neuromodulation; nil for plain STDP
}

// SynapseConfig is what a core that holds synapses needs to know.
type SynapseConfig struct {
	N        int     // post neurons (the slice)
	Float    bool    // arithmetic: float64 instead of SpiNNaker's fixed point
	HMs      float64 // timestep
	Shift    [kernels.NumSynapseTypes]uint32
	MaxDelay uint32 // the longest delay of any synapse onto the core, ticks
	Plastic  *PlasticConfig
	// Structural is the rewiring of the slice; nil without structural
	// projections in.
	Structural *StructuralConfig
	Quirks     kernels.Quirks // float: the chip's STDP quirks switched on
}

// NeuronConfig describes a neuron core running IF_curr_exp: combined (with
// its own synapses) unless Inputs names the SDRAM blocks of the synapse
// cores of a split population.
type NeuronConfig struct {
	SynapseConfig
	Key    uint32 // base key of the slice's spikes (neuron i sends Key | i)
	Params kernels.IFCurrExpParams
	Init   NeuronInit
	DC     []kernels.DCSource // current sources injected into every neuron
	Rec    *Recorder
	Inputs []sdram.RegionID
}

// Synapses is a core that holds synapses, as the mapping and the host see
// it: rows are added before the run and read back after it.
type Synapses interface {
	Application
	// AddSource adds the rows of one source slice (key/mask, nRows neurons
	// whose first has global index preLo). It sorts syns by row in place.
	AddSource(key, mask uint32, preLo, nRows int, syns []SourceSynapse) error
	// AddDelayedSource adds the rows of a source slice's delay-extension
	// core (key/mask): nRows rows laid out as dl says.
	AddDelayedSource(key, mask uint32, preLo, nRows int, dl Delayed, syns []SourceSynapse) error
	// Weights reads back the synapses of projection proj.
	Weights(proj int) []Weight
	// Loaded is called once every source is added: a core that rewires
	// builds its post-to-pre table from the initial rows.
	Loaded() error
	// Rewiring returns the formations and eliminations so far, in order.
	Rewiring() []RewiringEvent
}

// neuronCore is the application of a neuron core in one arithmetic: the
// neuron model, its input (its own synapse engine on a combined core, the
// synapse cores' SDRAM blocks on a split one) and its recording.
//
// Tick t on a combined core: the ring-buffer slot of t is the input; the
// neurons update; spikes are sent and enter the STDP history at t. On a
// split core the tick starts a DMA read of every synapse core's block (the
// slot of t, written at the end of t−1); when the last read completes, the
// blocks are summed and the neurons update; spikes are sent, and reach the
// synapse cores' histories over multicast.
type neuronCore[W Word, T Trace] struct {
	name  string
	key   uint32
	model NeuronModel[W]
	rec   *Recorder
	ar    arith[W, T]

	syn *engine[W, T] // combined

	lay    layout // split
	inputs []sdram.RegionID
	blocks [][]uint32
	got    int
	slot   []W
	in     Input[W]

	spiked []int32
}

// NewNeuronCore makes a neuron core; a combined one also implements
// Synapses.
func NewNeuronCore(cfg NeuronConfig) (Application, error) {
	if len(cfg.Init.V) != cfg.N || len(cfg.Init.IsynExc) != cfg.N || len(cfg.Init.IsynInh) != cfg.N {
		return nil, fmt.Errorf("initial values for %d neurons, want %d", len(cfg.Init.V), cfg.N)
	}
	if cfg.Float {
		return newNeuronCore(cfg, newIFCurrExpFloat(cfg.Params, cfg.HMs, cfg.Init, cfg.DC), floatArith{}, newFloatEngine)
	}
	model, err := newIFCurrExpFixed(cfg.Params, cfg.HMs, cfg.Init, cfg.Shift, cfg.DC)
	if err != nil {
		return nil, err
	}
	return newNeuronCore(cfg, model, newFixedArith(cfg.Shift), newFixedEngine)
}

func newNeuronCore[W Word, T Trace](cfg NeuronConfig, model NeuronModel[W], ar arith[W, T],
	newEngine func(SynapseConfig) (*engine[W, T], error)) (Application, error) {
	c := &neuronCore[W, T]{key: cfg.Key, model: model, rec: cfg.Rec, ar: ar}
	if cfg.Inputs == nil {
		syn, err := newEngine(cfg.SynapseConfig)
		if err != nil {
			return nil, err
		}
		c.syn = syn
		c.name = appName(model.Name(), cfg.Plastic)
		return &combinedCore[W, T]{c}, nil
	}
	c.name = model.Name() + "_neuron"
	c.lay = newLayout(cfg.N)
	c.inputs = cfg.Inputs
	c.blocks = make([][]uint32, len(cfg.Inputs))
	c.slot = make([]W, int(kernels.NumSynapseTypes)<<c.lay.indexBits)
	c.in = inputOf(c.slot, c.lay, cfg.N)
	return c, nil
}

// appName is the name of sPyNNaker's binary for a model and rule.
func appName(model string, p *PlasticConfig) string {
	if p == nil {
		return model
	}
	timing, weight := "pair", "additive"
	if p.Pair.Nearest {
		timing = "nearest_pair"
	}
	if p.Pair.Multiplicative {
		weight = "multiplicative"
	}
	if p.NM != nil {
		return model + "_stdp_izhikevich_neuromodulation_" + timing + "_" + weight
	}
	return model + "_stdp_mad_" + timing + "_" + weight
}

// Name implements Application.
func (c *neuronCore[W, T]) Name() string { return c.name }

// Memory implements Application: an estimate of what sPyNNaker's binary
// keeps in DTCM (neuron parameters and state, its input, recording buffers,
// plus 8 KiB of stacks and runtime) and its code size.
func (c *neuronCore[W, T]) Memory() Memory {
	n := c.model.Len()
	d := 8*1024 + 64*n + 4*n + 4*((n+31)/32)
	if c.syn == nil {
		return Memory{DTCM: d + 2*len(c.slot) + 8*len(c.inputs), ITCM: 12 * 1024}
	}
	return Memory{DTCM: d + c.syn.memory(), ITCM: codeSize(c.syn) + NeuronCodeSize}
}

// codeSize estimates the code of a synapse engine's rules.
func codeSize[W Word, T Trace](e *engine[W, T]) int {
	return SynapseCodeSize(e.rules[Plastic] != nil, e.rules[Neuromodulatory] != nil, e.rw != nil)
}

// SynapseCodeSize estimates the ITCM of a synapse engine's code (bytes):
// the engine with static rows, plus STDP, plus neuromodulation, plus
// structural plasticity. A combined core adds NeuronCodeSize.
func SynapseCodeSize(plastic, neuromodulation, structural bool) int {
	size := 12 * 1024
	if plastic {
		size += 6 * 1024
	}
	if neuromodulation {
		size += 4 * 1024
	}
	if structural {
		size += 8 * 1024
	}
	return size
}

// NeuronCodeSize is the ITCM that the neuron model adds on a combined core.
const NeuronCodeSize = 4 * 1024

// TimerTick implements Application.
func (c *neuronCore[W, T]) TimerTick(t uint32, r *Ready, cnt *Counters) {
	if c.syn != nil && t > 0 {
		c.syn.traced(t - 1) // the packets of t−1 are processed: tick t−1 has ended
	}
	if c.syn != nil {
		if err := c.syn.startTick(t, cnt); err != nil {
			panic(fmt.Sprintf("structural plasticity: %v", err))
		}
	}
	if len(c.inputs) == 0 {
		c.update(t, r, cnt)
		return
	}
	c.got = 0
	for i, id := range c.inputs {
		r.Transfers = append(r.Transfers, sdram.Transfer{Region: id, Words: uint32(c.ar.blockWords(len(c.slot))),
			Data: c.blocks[i][:0], Tag: uint32(i)})
	}
}

// DMADone implements DMAUser: the read of one synapse core's block.
func (c *neuronCore[W, T]) DMADone(t uint32, tr *sdram.Transfer, r *Ready, cnt *Counters) error {
	if tr.Write || int(tr.Tag) >= len(c.blocks) {
		return fmt.Errorf("unexpected DMA completion (tag %d)", tr.Tag)
	}
	c.blocks[tr.Tag] = tr.Data
	c.got++
	if c.got == len(c.inputs) {
		c.ar.sum(c.slot, c.blocks)
		c.update(t, r, cnt)
	}
	return nil
}

// pending implements pender: a combined core's ring buffer.
func (c *neuronCore[W, T]) pending(k *Counters) {
	if c.syn != nil {
		c.syn.pending(k)
	}
}

// update runs the neurons on this tick's input and sends their spikes.
func (c *neuronCore[W, T]) update(t uint32, r *Ready, cnt *Counters) {
	in := &c.in
	if c.syn != nil {
		*in = c.syn.input(t, cnt)
	}
	// No clearing after: a combined core's slot is cleared as it is taken,
	// a split one's written whole by the blocks' sum each tick.
	c.spiked = c.model.Update(t, in, c.rec, cnt, c.spiked[:0])
	for _, n := range c.spiked {
		r.Packets = append(r.Packets, packets.Multicast(c.key|uint32(n)))
		c.rec.spike(int(n), t)
		if c.syn != nil {
			c.syn.postSpike(int(n), t)
		}
	}
}

// Receive implements Application: a split neuron core has no synapses.
func (c *neuronCore[W, T]) Receive(t uint32, pkts []packets.Packet, r *Ready, cnt *Counters) {
	if c.syn != nil {
		c.syn.receive(t, pkts, cnt)
		return
	}
	cnt.PacketsDropped += uint64(len(pkts))
}

// combinedCore is a neuron core with its own synapses.
type combinedCore[W Word, T Trace] struct{ *neuronCore[W, T] }

// AddSource implements Synapses.
func (c *combinedCore[W, T]) AddSource(key, mask uint32, preLo, nRows int, syns []SourceSynapse) error {
	return c.syn.addSource(key, mask, preLo, nRows, syns, nil)
}

// AddDelayedSource implements Synapses.
func (c *combinedCore[W, T]) AddDelayedSource(key, mask uint32, preLo, nRows int, dl Delayed, syns []SourceSynapse) error {
	return c.syn.addSource(key, mask, preLo, nRows, syns, &dl)
}

// Weights implements Synapses.
func (c *combinedCore[W, T]) Weights(proj int) []Weight { return c.syn.weights(proj) }

// Loaded implements Synapses.
func (c *combinedCore[W, T]) Loaded() error { return c.syn.loaded() }

// Rewiring implements Synapses.
func (c *combinedCore[W, T]) Rewiring() []RewiringEvent { return c.syn.rewiring() }
