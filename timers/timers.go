// Package timers is the machine's clock: integer ticks of one timestep, from
// tick 0 to the end of the run, and the conversions between ticks and the
// milliseconds users write. Every core of the machine sees the same tick at
// the same time (SpiNNaker's start-up synchronisation); timer drift and
// overruns are not modelled yet.
package timers

import "math"

// Clock counts the ticks of a run.
type Clock struct {
	TimestepMs float64
	Ticks      uint32 // the run lasts ticks 0 … Ticks−1
}

// New makes the clock of a run of durationMs.
func New(timestepMs, durationMs float64) Clock {
	return Clock{TimestepMs: timestepMs, Ticks: uint32(math.Round(durationMs / timestepMs))}
}

// Run calls tick for every tick in order.
func (c Clock) Run(tick func(t uint32)) {
	for t := uint32(0); t < c.Ticks; t++ {
		tick(t)
	}
}

// Ms is the time of tick t in ms.
func (c Clock) Ms(t uint32) float64 { return float64(t) * c.TimestepMs }

// SpikeTick is the tick at which a spike source sends a spike timed at tMs:
// ceil(floor(1000·tMs) / h_µs), as sPyNNaker converts SpikeSourceArray times.
// ok is false for a time at or past tick 2^32−1, which no run reaches.
func SpikeTick(tMs, timestepMs float64) (tick uint32, ok bool) {
	us := math.Floor(tMs * 1000)
	hus := math.Round(timestepMs * 1000)
	t := math.Ceil(us / hus)
	if !(t < math.MaxUint32) {
		return math.MaxUint32, false
	}
	return uint32(max(t, 0)), true
}

// Before reports whether a spike timed at tMs falls in the first ticks of a
// run, and at which tick.
func (c Clock) Before(tMs float64) (uint32, bool) {
	t, ok := SpikeTick(tMs, c.TimestepMs)
	return t, ok && t < c.Ticks
}

// DelayTicks is a delay in whole ticks: rint(delay / h), at least 1.
func DelayTicks(delayMs, timestepMs float64) uint32 {
	d := math.RoundToEven(delayMs / timestepMs)
	if d < 1 {
		return 1
	}
	return uint32(d)
}
