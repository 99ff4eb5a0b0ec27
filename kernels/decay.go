package kernels

import "math"

// floatDecay is e^{−Δt·λ} for a whole number of ticks Δt and λ = h/τ, as the
// float arithmetic uses it: exact, or, with QuirkLUTStaircase, read from the
// chip's table: e^{−(Δt >> s)·2^s·λ} while Δt >> s is inside the table (its
// size as ExpLUTSize gives it), else 0.
//
// Exact decays keep the first expDecayTicks values in a table computed by the
// same expression, so a lookup gives exactly what computing it again would.
type floatDecay struct {
	lambda float64
	table  []float64
	shift  uint32
	stair  bool
}

// expDecayTicks is how many of the first exact decays a floatDecay keeps.
const expDecayTicks = 512

func newFloatDecay(tauMs, hMs float64, shift uint32, staircase bool) floatDecay {
	e := floatDecay{lambda: hMs / tauMs, shift: shift, stair: staircase}
	if staircase {
		e.table = make([]float64, int(ExpLUTSize(tauMs, hMs, shift)))
		for i := range e.table {
			e.table[i] = math.Exp(-float64(uint64(i)<<shift) * e.lambda)
		}
		return e
	}
	e.table = make([]float64, expDecayTicks)
	for i := range e.table {
		e.table[i] = math.Exp(-float64(i) * e.lambda)
	}
	return e
}

// at is the decay over dt ticks.
func (e *floatDecay) at(dt uint32) float64 {
	if e.stair {
		if i := dt >> e.shift; i < uint32(len(e.table)) {
			return e.table[i]
		}
		return 0
	}
	if dt < uint32(len(e.table)) {
		return e.table[dt]
	}
	return math.Exp(-float64(dt) * e.lambda)
}
