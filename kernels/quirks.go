package kernels

import (
	"fmt"
	"math"
	"strings"
)

// Quirks are behaviours of SpiNNaker's STDP code that the float arithmetic
// leaves out by default and can switch on one at a time (the network file's
// float_quirks), so that a difference between fixed and float can be traced
// to its cause. Fixed point always has all of them. With all of them on,
// float differs from fixed only by quantisation: the 11-bit values of the
// tables, the s4.11 traces and dopamine step, the s16.15 weights and
// eligibility, and the floor of every product and of the stored words.
//
// Reference: spynnaker-neuromodulation.md §1.11 (Q1–Q5), spynnaker-stdp.md
// §3 (P6, P7).
type Quirks uint8

const (
	// QuirkLUTStaircase (Q1): every decay is read from the chip's table:
	// e^{−(Δt >> s)·2^s·h/τ} while Δt >> s is inside the table, 0 past its
	// end (s = 4 for τc, 2 for τd, 0 for τ±; the table ends where the s4.11
	// value would reach 0). The values stay exact: their 11-bit floor is
	// quantisation.
	QuirkLUTStaircase Quirks = 1 << iota
	// QuirkHistoryCapacity (Q2, P6): only the 15 newest post and dopamine
	// events of a neuron are kept; a window that starts before the oldest
	// kept one starts from nothing (the chip's dummy entry).
	QuirkHistoryCapacity
	// QuirkMarkerMisalignment (Q3): the window's events take the
	// dopamine/post kinds of the newest events of the history, which are
	// theirs only when no event is newer than the window's end.
	QuirkMarkerMisalignment
	// QuirkUndelayedPrev (Q4): the dopamine level at the start of a window
	// is decayed from the undelayed time of the event before it.
	QuirkUndelayedPrev
	// QuirkInt16Wrap (Q5, P7): the post trace o, the dopamine level D and
	// the pre trace r are stored in s4.11, so a value at or above 16 wraps
	// to −16 (and one below −16 to +16).
	QuirkInt16Wrap

	// The conventions of a clock-driven simulator such as Brian2, for
	// comparison; not chip behaviours, and not accepted in network files.

	// ConventionLatePostStamp stamps a post spike one tick after the tick in
	// which the neuron crossed threshold.
	ConventionLatePostStamp
	// ConventionZeroLagPotentiates pairs a post event that arrives at the
	// same time as a pre spike (Δt = 0) as potentiation of the following
	// update, where the chip depresses with it.
	ConventionZeroLagPotentiates
)

// AllQuirks are the chip's quirks (not the conventions).
const AllQuirks = QuirkLUTStaircase | QuirkHistoryCapacity | QuirkMarkerMisalignment | QuirkUndelayedPrev | QuirkInt16Wrap

var quirkNames = []struct {
	name string
	q    Quirks
}{
	{"lut_staircase", QuirkLUTStaircase},
	{"history_capacity", QuirkHistoryCapacity},
	{"marker_misalignment", QuirkMarkerMisalignment},
	{"undelayed_prev", QuirkUndelayedPrev},
	{"int16_wrap", QuirkInt16Wrap},
	{"late_post_stamp", ConventionLatePostStamp},
	{"zero_lag_potentiates", ConventionZeroLagPotentiates},
}

// QuirkNames are the names of the chip's quirks, in the order of their bits.
func QuirkNames() []string {
	var ns []string
	for _, n := range quirkNames {
		if n.q&AllQuirks != 0 {
			ns = append(ns, n.name)
		}
	}
	return ns
}

// ParseQuirks turns names (chip quirks or conventions) into Quirks.
func ParseQuirks(names []string) (Quirks, error) {
	var q Quirks
	for _, s := range names {
		found := false
		for _, n := range quirkNames {
			if n.name == s {
				q |= n.q
				found = true
			}
		}
		if !found {
			return q, fmt.Errorf("unknown float quirk %q (want %s)", s, strings.Join(QuirkNames(), ", "))
		}
	}
	return q, nil
}

// Has reports whether every quirk of x is on.
func (q Quirks) Has(x Quirks) bool { return q&x == x }

// String lists the names of the quirks that are on, comma-separated.
func (q Quirks) String() string {
	var ns []string
	for _, n := range quirkNames {
		if q&n.q != 0 {
			ns = append(ns, n.name)
		}
	}
	return strings.Join(ns, ",")
}

// wrap16 is Q5 in float: a value stored as s4.11 keeps its low 16 bits, so
// it lives in [−16, 16) and wraps around by 32.
func wrap16(x float64) float64 {
	if x >= -16 && x < 16 {
		return x
	}
	y := math.Mod(x+16, 32)
	if y < 0 {
		y += 32
	}
	return y - 16
}
