// Package kernels holds the mathematics of the models spinnsim runs, one model
// a file, each in two arithmetics:
//
//   - fixed: SpiNNaker's own fixed point, bit for bit (s16.15 "accum", s4.11
//     STDP values, u0.32 fractions, lookup-table exponentials, floor rounding
//     and the implementation's quirks), as sPyNNaker computes on the ARM968;
//   - float: a float64 reference of the same model's mathematics, with exact
//     exponentials and no quantisation.
//
// Files: fixed.go (number formats and their arithmetic), lut.go (exponential
// lookup tables), if_curr_exp.go (the neuron), stdp_pair.go (the pair rule and
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
