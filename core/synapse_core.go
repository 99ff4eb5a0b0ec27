package core

import (
	"fmt"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sdram"
)

// synapseCore is the application of a split population's synapse core
// (sPyNNaker's synapse-only binaries, reference spynnaker-neuromodulation.md
// §5): a synapse engine with no neurons. Its neuron core's spikes come back
// to it over multicast as post-synaptic events. At the end of tick t it
// processes the tick's packets, then writes its ring-buffer slot of t+1 into
// its SDRAM block, which the neuron core reads and sums at t+1, and clears
// the slot.
type synapseCore[W Word, T Trace] struct {
	name string
	syn  *engine[W, T]
	out  sdram.RegionID
	buf  []uint32
}

// NewSynapseCore makes a synapse core for a slice of cfg.N neurons whose
// spikes carry loopKey/loopMask, writing its input to the SDRAM region out
// (BlockWords words).
func NewSynapseCore(cfg SynapseConfig, loopKey, loopMask uint32, out sdram.RegionID) (Synapses, error) {
	if cfg.Float {
		return newSynapseCore(cfg, loopKey, loopMask, out, floatArith{}, newFloatEngine)
	}
	return newSynapseCore(cfg, loopKey, loopMask, out, newFixedArith(cfg.Shift), newFixedEngine)
}

func newSynapseCore[W Word, T Trace](cfg SynapseConfig, loopKey, loopMask uint32, out sdram.RegionID, ar arith[W, T],
	newEngine func(SynapseConfig) (*engine[W, T], error)) (Synapses, error) {
	syn, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	syn.loop, syn.loopKey, syn.loopMask = cfg.Plastic != nil, loopKey, loopMask
	return &synapseCore[W, T]{name: appName("synapses", cfg.Plastic), syn: syn, out: out,
		buf: make([]uint32, ar.blockWords(syn.slotEntries()))}, nil
}

// BlockWords is the size in words of the SDRAM block through which a
// synapse core of a slice of n neurons hands its input to the neuron core:
// one ring-buffer slot, every type and 2^ceil(log2 n) neurons of each.
func BlockWords(n int, float bool) int {
	entries := kernels.NumSynapseTypes << newLayout(n).indexBits
	if float {
		return floatArith{}.blockWords(entries)
	}
	return fixedArith{}.blockWords(entries)
}

// Name implements Application.
func (c *synapseCore[W, T]) Name() string { return c.name }

// Memory implements Application.
func (c *synapseCore[W, T]) Memory() Memory {
	return Memory{DTCM: 8*1024 + c.syn.memory() + 4*len(c.buf), ITCM: codeSize(c.syn)}
}

// TimerTick implements Application: the start of a tick rewires (structural
// plasticity); the rest of a synapse core's work is done at the end of the
// tick.
func (c *synapseCore[W, T]) TimerTick(t uint32, _ *Ready, cnt *Counters) {
	if err := c.syn.startTick(t, cnt); err != nil {
		panic(fmt.Sprintf("structural plasticity: %v", err))
	}
}

// Receive implements Application.
func (c *synapseCore[W, T]) Receive(t uint32, pkts []packets.Packet, r *Ready, cnt *Counters) {
	c.syn.receive(t, pkts, cnt)
}

// EndTick implements TickEnder: hand the slot of t+1 to the neuron core.
func (c *synapseCore[W, T]) EndTick(t uint32, r *Ready, cnt *Counters) {
	c.syn.ar.encode(c.buf, c.syn.slot(t+1, cnt))
	r.Transfers = append(r.Transfers, sdram.Transfer{Region: c.out, Write: true, Data: c.buf})
	c.syn.traced(t)
}

// pending implements pender.
func (c *synapseCore[W, T]) pending(k *Counters) { c.syn.pending(k) }

// DMADone implements DMAUser: the write of the block has completed.
func (c *synapseCore[W, T]) DMADone(t uint32, tr *sdram.Transfer, r *Ready, cnt *Counters) error {
	if !tr.Write {
		return fmt.Errorf("unexpected DMA read completion")
	}
	return nil
}

// AddSource implements Synapses.
func (c *synapseCore[W, T]) AddSource(key, mask uint32, preLo, nRows int, syns []SourceSynapse) error {
	return c.syn.addSource(key, mask, preLo, nRows, syns, nil)
}

// AddDelayedSource implements Synapses.
func (c *synapseCore[W, T]) AddDelayedSource(key, mask uint32, preLo, nRows int, dl Delayed, syns []SourceSynapse) error {
	return c.syn.addSource(key, mask, preLo, nRows, syns, &dl)
}

// Weights implements Synapses.
func (c *synapseCore[W, T]) Weights(proj int) []Weight { return c.syn.weights(proj) }

// Loaded implements Synapses.
func (c *synapseCore[W, T]) Loaded() error { return c.syn.loaded() }

// Rewiring implements Synapses.
func (c *synapseCore[W, T]) Rewiring() []RewiringEvent { return c.syn.rewiring() }

// newFixedEngine builds a synapse engine in fixed point with the rules of
// the configuration.
func newFixedEngine(cfg SynapseConfig) (*engine[uint16, kernels.S411], error) {
	var rules [numKinds]rowRule[uint16, kernels.S411]
	rules[Static] = staticFixed{}
	var post func(*kernels.HistoryFixed, uint32)
	if p := cfg.Plastic; p != nil {
		if p.NM != nil {
			k, err := kernels.NewNeuromodFixed(p.Pair, *p.NM, cfg.HMs, cfg.Shift)
			if err != nil {
				return nil, fmt.Errorf("STDP parameters: %w", err)
			}
			rules[Plastic], rules[Neuromodulatory], post = neuromodFixed{k}, dopamineFixed{k}, k.PostSpike
		} else {
			k, err := kernels.NewSTDPFixed(p.Pair, cfg.HMs, cfg.Shift)
			if err != nil {
				return nil, fmt.Errorf("STDP parameters: %w", err)
			}
			rules[Plastic], post = stdpFixed{k}, k.PostSpike
		}
	}
	ar := newFixedArith(cfg.Shift)
	e, err := newEngine(cfg.N, cfg.MaxDelay, arith[uint16, kernels.S411](ar), rules, post, kernels.NewHistoryFixed)
	if err != nil || cfg.Structural == nil {
		return e, err
	}
	return withStructural(e, cfg, newFixedRewire(*cfg.Structural, ar.scale, cfg.Plastic != nil && cfg.Plastic.NM != nil))
}

// withStructural adds rewiring to an engine: structural rows run the
// population's plastic rule, or the static one.
func withStructural[W Word, T Trace](e *engine[W, T], cfg SynapseConfig, ops rewireOps[W, T]) (*engine[W, T], error) {
	e.rules[Structural] = e.rules[Static]
	if cfg.Plastic != nil {
		e.rules[Structural] = e.rules[Plastic]
	}
	rw, err := newRewirer(*cfg.Structural, ops, e.ar, cfg.N)
	if err != nil {
		return nil, err
	}
	e.rw = rw
	return e, nil
}

// newFloatEngine builds a synapse engine in float64.
func newFloatEngine(cfg SynapseConfig) (*engine[float64, float64], error) {
	var rules [numKinds]rowRule[float64, float64]
	rules[Static] = staticFloat{}
	var post func(*kernels.HistoryFloat, uint32)
	newHistory := kernels.NewHistoryFloat
	// Without the chip's capacity, the histories are pruned (histories.go).
	var pr *historyPruner
	if p := cfg.Plastic; p != nil {
		// Rewiring can form a synapse on any row of a structural source,
		// so no event can be forgotten there: no pruning.
		if !cfg.Quirks.Has(kernels.QuirkHistoryCapacity) && cfg.Structural == nil {
			pr = &historyPruner{limit: 64}
		}
		if p.NM != nil {
			k := kernels.NewNeuromodFloatQuirks(p.Pair, *p.NM, cfg.HMs, cfg.Quirks)
			rules[Plastic], rules[Neuromodulatory], post, newHistory = neuromodFloat{k}, dopamineFloat{k, pr}, k.PostSpike, k.NewHistory
		} else {
			k := kernels.NewSTDPFloatQuirks(p.Pair, cfg.HMs, cfg.Quirks)
			rules[Plastic], post, newHistory = stdpFloat{k}, k.PostSpike, k.NewHistory
		}
	}
	if pr != nil {
		record := post
		post = func(h *kernels.HistoryFloat, t uint32) {
			record(h, t)
			pr.added(1, t)
		}
	}
	e, err := newEngine(cfg.N, cfg.MaxDelay, arith[float64, float64](floatArith{}), rules, post, newHistory)
	if pr != nil {
		pr.e = e
	}
	if err != nil || cfg.Structural == nil {
		return e, err
	}
	return withStructural(e, cfg, &floatRewire{f: cfg.Structural.Formation, el: cfg.Structural.Elimination})
}
