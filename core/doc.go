// Package core models one ARM968 application core of a SpiNNaker chip as a
// pure state machine. An event goes in (a timer tick, the packets of a tick,
// the end of a tick, a completed DMA transfer) and one Ready comes out: the
// multicast packets to send, the SDRAM transfers to start and (later) the
// cycles spent. No goroutines, no wall clock: the sequential driver
// (package sim) and the protoactor actors (package actors) drive the same
// Core values, so their results are identical.
//
// Files, by what they model:
//
//	core.go               Core, Application, Ready: the event interface and
//	                      the canonical order of a core's inbox
//	neuron_model.go       NeuronModel: a slice's neuron dynamics
//	                      (IF_curr_exp today, in both arithmetics)
//	neuron_core.go        the neuron core: a model, its input and recording;
//	                      combined (own synapses) or split (input from SDRAM)
//	synapse_engine.go     the synapse engine: master population table, rows,
//	                      ring buffers, post-synaptic histories
//	synapse_rows.go       the row layout: control words, matrices, keys
//	synapse_dynamics.go   the rules a row runs: static, STDP, neuromodulated
//	                      STDP, dopamine; and what differs per arithmetic
//	synapse_core.go       a split population's synapse core
//	histories.go          float's post-synaptic histories kept bounded;
//	                      what the chip's 16-entry history lost
//	traces.go             traced synapses sampled over time
//	spike_source_*.go     SpikeSourceArray and SpikeSourcePoisson
//	direct_poisson.go     a Poisson source merged into a split slice's
//	                      neuron core through SDRAM (no packets)
//	delay_extension.go    a delay-extension core: a source's spikes again
//	                      after 1–8 stages, for delays beyond ring buffers
//	recording.go          spikes, v, gsyn_exc and gsyn_inh as recorded
//
// The mathematics of each model and rule lives in package kernels; this
// package lays its state out as the chip does and calls in, once per row
// and once per neuron update.
//
// Within a tick the order is: packets of tick t−1 are processed first (their
// rows land in ring buffers at t−1+d), then the timer tick of t runs the
// neuron update, whose spikes enter the STDP history at t before any packet
// of tick t is processed. This is the order sPyNNaker's event priorities give
// on a core that is not overloaded.
//
// A split population (sPyNNaker's
// SplitterAbstractPopulationVertexNeuronsSynapses, reference
// spynnaker-neuromodulation.md §5) runs each slice as a neuron core and N
// synapse cores on one chip. At the end of tick t each synapse core
// processes the tick's packets (first its neuron core's spikes, looped back
// as post-synaptic events, then the rows sorted by key) and DMA-writes its
// ring-buffer slot of t+1 into its SDRAM block; at t+1 the neuron core reads
// every block, sums them as whole 32-bit words (two 16-bit lanes, so a carry
// spills from the low lane into the high one and nothing saturates), and
// updates. The net timing is that of a combined core, and so are the results
// unless the sum of several synapse cores overflows a lane, which on a
// combined core would saturate at 0xFFFF instead. On the chip the looped-back
// spikes and the tick's other packets arrive in no fixed order; spinnsim
// takes the looped-back spikes first, the order that matches a combined core.
// In float, the blocks of several synapse cores are added in float64 in the
// order of the cores, which can differ in the last bit from a combined core's
// order when two synapse cores add to the same neuron in the same tick.
//
// Not modelled yet: cycle counts and timer overruns, DMA timing, the
// communications controller's queues, late packets and colour bits.
package core
