package kernels

import (
	"fmt"
	"math"
)

// DCSource: PyNN's DCSource(amplitude, start, stop) injected into a neuron,
// as sPyNNaker's current_source_dc does it.
//
// The host turns start and stop into whole ticks by truncation,
// int(ms · steps_per_ms) with steps_per_ms = 1000 / timestep_µs, and writes
// the amplitude as s16.15 (nA). On the chip the neuron update of tick t adds
// the amplitude of every source with start ≤ t < stop to the neuron's input,
// next to i_offset: I = I_exc − I_inh + i_offset + Σ amplitudes. The current
// therefore acts from the update of tick start to that of tick stop − 1, and
// even while the neuron is refractory it is read (but V is frozen then).
//
// Parameters: amplitude nA (PyNN default 1.0), start ms (0), stop ms (PyNN's
// None, never off: here +Inf, which becomes the largest tick).
// Reference: sPyNNaker neural_modelling/src/neuron/current_sources and
// spynnaker/pyNN/models/current_sources/dc_source.py.

// DCSource is one source with its times in ticks: on during [Start, Stop).
type DCSource struct {
	Amplitude   float64 // nA
	Start, Stop uint32  // ticks
}

// NewDCSource converts a source's times (ms) to ticks as sPyNNaker's host
// does. A stop of +Inf (or beyond the tick counter) never switches off.
func NewDCSource(amplitude, startMs, stopMs, hMs float64) DCSource {
	perMs := 1000 / math.Round(hMs*1000)
	tick := func(ms float64) uint32 {
		t := math.Floor(ms * perMs)
		if t >= math.MaxUint32 || math.IsInf(ms, 1) {
			return math.MaxUint32
		}
		return uint32(max(t, 0))
	}
	return DCSource{Amplitude: amplitude, Start: tick(startMs), Stop: tick(stopMs)}
}

// On reports whether the source injects at tick t.
func (d DCSource) On(t uint32) bool { return t >= d.Start && t < d.Stop }

// DCSourceFixed is a DCSource with its amplitude in s16.15.
type DCSourceFixed struct {
	Amplitude   S1615
	Start, Stop uint32
}

// Fixed converts the amplitude to s16.15 (round half to even, as the host).
func (d DCSource) Fixed() (DCSourceFixed, error) {
	a, err := ToS1615(d.Amplitude)
	if err != nil {
		return DCSourceFixed{}, fmt.Errorf("DCSource amplitude: %w", err)
	}
	return DCSourceFixed{Amplitude: a, Start: d.Start, Stop: d.Stop}, nil
}

// DCOffsetFixed is the current that the sources inject at tick t: the sum of
// the amplitudes of those on (s16.15, wrapping as the chip's accum adds do).
func DCOffsetFixed(srcs []DCSourceFixed, t uint32) S1615 {
	var sum S1615
	for _, d := range srcs {
		if t >= d.Start && t < d.Stop {
			sum += d.Amplitude
		}
	}
	return sum
}

// DCOffsetFloat is DCOffsetFixed in float64 (nA).
func DCOffsetFloat(srcs []DCSource, t uint32) float64 {
	var sum float64
	for _, d := range srcs {
		if d.On(t) {
			sum += d.Amplitude
		}
	}
	return sum
}
