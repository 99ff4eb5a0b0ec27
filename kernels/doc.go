// Package kernels holds the mathematics of the models spinnsim runs, one model
// a file, each in two arithmetics:
//
//   - fixed: SpiNNaker's own fixed point, bit for bit (s16.15 "accum", s4.11
//     STDP values, u0.32 fractions, lookup-table exponentials, floor rounding
//     and the implementation's quirks), as sPyNNaker computes on the ARM968;
//   - float: the same model's equations in float64, exact and event-driven,
//     with SpiNNaker's observable timing (the same ticks and delays, weights
//     updated at pre spikes) and nothing else of the chip: exact
//     exponentials, no quantisation, no wrap-around, no limit on the
//     history of post and dopamine events. The chip's quirks can be
//     switched on one at a time (Quirks), to trace a difference between the
//     two arithmetics to its cause.
//
// Files: fixed.go (number formats and their arithmetic), lut.go (exponential
// lookup tables), decay.go (float decays, exact or through the tables),
// quirks.go (the chip's quirks as float switches), history.go (the
// post-synaptic history: the chip's 16 entries, float's log), if_curr_exp.go (the neuron), stdp_pair.go (the pair rule and
// weight dependences), stdp.go (plain STDP: pair and nearest-pair rules with
// additive or multiplicative weights), neuromodulation.go (Izhikevich 2007 dopamine STDP as
// sPyNNaker implements it), weight_scale.go (ring-buffer shifts), jkiss.go
// (the chip's random generator and the rewiring seeds), structural.go
// (structural plasticity: formation, elimination, partner selection and the
// rewiring schedule, with the host's tables and encodings).
//
// Nothing here knows about cores, packets or time beyond integer ticks; the
// core package lays the state out in rows and ring buffers and calls in.
package kernels
