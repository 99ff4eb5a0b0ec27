package kernels

import "math"

// ExpLUT is an exponential decay lookup table as sPyNNaker builds it on the
// host and reads it on chip (reference §1.3).
//
// For a timestep h and time constant τ, with λ = h/τ, the table covers
// ln(2048)/λ timesteps: raw = ln(2048)/λ is divided by 2^shift and written as
// 2q + e (q whole, e in [0, 2)); the table has 2(q + [e > 0]) entries, always
// even. Entry i is floor(2048 · exp(−i · 2^shift · λ)), computed in float64.
//
// Lookup: decay(Δt) = L[Δt >> shift] while that index is inside the table,
// else 0. With shift 2 every Δt in 0…3 returns 2048: the staircase of quirk Q1.
type ExpLUT struct {
	Shift  uint32
	Values []S411
}

// ExpLUTSize is the number of entries of the table (reported as +Inf-safe:
// a huge time constant gives a huge size, which callers must check before
// building the table).
func ExpLUTSize(tauMs, hMs float64, shift uint32) float64 {
	raw := math.Log(2048) / (hMs / tauMs)
	scaled := raw / float64(uint64(1)<<shift)
	q := math.Floor(scaled / 2)
	size := 2 * q
	if scaled-2*q > 0 {
		size += 2
	}
	return size
}

// NewExpLUT builds the table for time constant tauMs at timestep hMs.
func NewExpLUT(tauMs, hMs float64, shift uint32) ExpLUT {
	lambda := hMs / tauMs
	v := make([]S411, int(ExpLUTSize(tauMs, hMs, shift)))
	step := float64(uint64(1) << shift)
	for i := range v {
		v[i] = S411(math.Floor(2048 * math.Exp(-float64(i)*step*lambda)))
	}
	return ExpLUT{Shift: shift, Values: v}
}

// Decay is L(Δt) in s4.11.
func (l *ExpLUT) Decay(dt uint32) S411 { return lutAt(l.Values, dt>>l.Shift) }

// lutAt is values[i], or 0 past the table's end. The hot paths call it with
// the table's shift applied as a constant, which spares Decay's variable
// shift its range checks.
func lutAt(values []S411, i uint32) S411 {
	if i < uint32(len(values)) {
		return values[i]
	}
	return 0
}
