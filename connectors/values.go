package connectors

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/spinnsim/spinnsim/network"
)

// ErrDelayTooLong is wrapped by the error Build returns for a delay longer
// than the mapping reaches: a core's ring buffer and its delay extensions'
// stages (mapping/delays.go).
var ErrDelayTooLong = errors.New("delay longer than a core's ring buffer and its delay extensions reach")

// errNoRNG is returned when a random choice is needed and rng is nil.
var errNoRNG = errors.New("connectors: a random choice is needed but rng is nil")

// maxRedraws bounds the draws of one normal_clipped value; the loader makes
// sure [low, high] holds at least 1% of the distribution, so reaching it
// means the distribution was never checked.
const maxRedraws = 1 << 20

// draw returns one value of v: the constant, or a draw from its distribution.
// Uniform draws lie in [low, high); normal draws are mu + sigma·N(0, 1);
// normal_clipped draws normal values until one lies in [low, high], as PyNN
// does.
func draw(v network.Value, rng *rand.Rand) (float64, error) {
	switch v.Distribution {
	case "":
		return v.Const, nil
	case network.DistUniform:
		if rng == nil {
			return 0, errNoRNG
		}
		return v.Low + (v.High-v.Low)*rng.Float64(), nil
	case network.DistNormal:
		if rng == nil {
			return 0, errNoRNG
		}
		return v.Mu + v.Sigma*rng.NormFloat64(), nil
	case network.DistNormalClipped:
		if rng == nil {
			return 0, errNoRNG
		}
		for range maxRedraws {
			if x := v.Mu + v.Sigma*rng.NormFloat64(); x >= v.Low && x <= v.High {
				return x, nil
			}
		}
		return 0, fmt.Errorf("connectors: normal_clipped (mu %g, sigma %g) drew nothing in [%g, %g] in %d draws", v.Mu, v.Sigma, v.Low, v.High, maxRedraws)
	default:
		return 0, fmt.Errorf("connectors: unknown distribution %q", v.Distribution)
	}
}

// delayRounder converts delays in ms to whole ticks.
type delayRounder struct {
	timestepMs float64
	stepsPerMs float64
	maxTicks   int
}

// newDelayRounder mirrors sPyNNaker, which holds the timestep as a whole
// number of microseconds and converts a delay d (ms) to rint(d · steps per ms)
// with steps per ms = 1000 / timestep_us. Multiplying by the reciprocal
// rounds differently from dividing in a few float64 cases (0.15 ms at
// 0.1 ms: 0.15·10 = 1.5 → 2 ticks, 0.15/0.1 = 1.4999999999999998 → 1 tick),
// so the product is what is computed. A timestep that is not a whole number
// of microseconds uses 1/timestep.
func newDelayRounder(timestepMs float64, maxTicks int) delayRounder {
	us := math.Round(timestepMs * 1000)
	steps := 1 / timestepMs
	if us >= 1 && math.Abs(us-timestepMs*1000) <= 1e-9*us {
		steps = 1000 / us
	}
	return delayRounder{timestepMs: timestepMs, stepsPerMs: steps, maxTicks: maxTicks}
}

// ticks rounds a delay in ms to whole ticks (half to even), at least one.
func (d delayRounder) ticks(ms float64) (int, error) {
	if math.IsNaN(ms) {
		return 0, fmt.Errorf("connectors: delay is NaN")
	}
	t := math.RoundToEven(ms * d.stepsPerMs)
	if t < 1 {
		t = 1
	}
	if t > float64(d.maxTicks) {
		return 0, fmt.Errorf("%w: delay %g ms is %.0f ticks of %g ms, more than the maximum of %d ticks (%g ms)",
			ErrDelayTooLong, ms, t, d.timestepMs, d.maxTicks, float64(d.maxTicks)*d.timestepMs)
	}
	return int(t), nil
}

// Draw returns one value of v (the constant, or a draw of its distribution
// from rng), as Build draws weights and delays.
func Draw(v network.Value, rng *rand.Rand) (float64, error) { return draw(v, rng) }
