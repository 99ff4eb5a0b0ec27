// Package core models one ARM968 application core of a SpiNNaker chip as a
// pure state machine: the timer tick and the multicast packets it receives
// go in, the packets it sends come out. No goroutines, no wall clock: the
// sequential driver (package sim) and the protoactor actors (package actors)
// drive the same Core values, so their results are identical.
//
// A Core holds an Application (SpikeSourceArray, SpikeSourcePoisson, or an
// IF_curr_exp neuron core with its synapses), checks the application fits the
// core's DTCM (64 KiB) and ITCM (32 KiB), buffers the packets that arrive in
// a tick and hands them to the application in a canonical order (by key), so
// that results never depend on how the packets were scheduled.
//
// Within a tick the order is: packets of tick t−1 are processed first (their
// rows land in ring buffers at t−1+d), then the timer tick of t runs the
// neuron update, whose spikes enter the STDP history at t before any packet
// of tick t is processed. This is the order sPyNNaker's event priorities give
// on a core that is not overloaded.
//
// Not modelled yet: cycle counts and timer overruns, DMA timing, the
// communications controller's queues, late packets and colour bits.
package core
