package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseQuirks(t *testing.T) {
	q, err := ParseQuirks([]string{"lut_staircase", "int16_wrap"})
	require.NoError(t, err)
	assert.Equal(t, QuirkLUTStaircase|QuirkInt16Wrap, q)
	assert.Equal(t, "lut_staircase,int16_wrap", q.String())
	q, err = ParseQuirks(QuirkNames())
	require.NoError(t, err)
	assert.Equal(t, AllQuirks, q)
	_, err = ParseQuirks([]string{"lut"})
	assert.ErrorContains(t, err, `unknown float quirk "lut"`)
	assert.Equal(t, []string{"lut_staircase", "history_capacity", "marker_misalignment", "undelayed_prev", "int16_wrap"}, QuirkNames())
}

func TestWrap16(t *testing.T) {
	for x, want := range map[float64]float64{0: 0, 15.5: 15.5, 16: -16, 20: -12, -16: -16, -16.5: 15.5, 47: -17 + 32, 100: 100 - 96} {
		assert.Equal(t, want, wrap16(x), "%v", x)
	}
}

// ten-population rules: τ+ 2, τ− 1, A± 1, additive [0, 20]; τc 100, τd 5.
var (
	tenPair = PairRule{TauPlus: 2, TauMinus: 1, APlus: 1, AMinus: 1, WMin: 0, WMax: 20}
	tenNM   = NeuromodParams{TauC: 100, TauD: 5, WMin: 0, WMax: 20}
)

// Q1: with the staircase, τd's table (shift 2) does not decay within 3
// ticks and is 0 from 40 ticks on (10 entries); τc's (shift 4) holds for 16.
// The steps are the tables' exact values: the fixed tables are their floors.
func TestQuirkLUTStaircase(t *testing.T) {
	r := NewNeuromodFloatQuirks(tenPair, tenNM, 1, QuirkLUTStaircase)
	plain := NewNeuromodFloat(tenPair, tenNM, 1)
	h, hp := r.NewHistory(), plain.NewHistory()
	for _, tk := range []uint32{100, 103} {
		r.Dopamine(&h, tk, 0.05)
		plain.Dopamine(&hp, tk, 0.05)
	}
	assert.Equal(t, 0.1, h.Level(), "no decay over 3 ticks")
	assert.InDelta(t, 0.05*math.Exp(-3.0/5)+0.05, hp.Level(), 1e-15)
	fx, err := NewNeuromodFixed(tenPair, tenNM, 1, [NumSynapseTypes]uint32{6, 6})
	require.NoError(t, err)
	for dt := uint32(0); dt < 60; dt++ {
		assert.InDelta(t, float64(fx.TauD.Decay(dt))/2048, r.tauD.at(dt), 1.0/2048, "τd Δ %d", dt)
		assert.InDelta(t, float64(fx.TauC.Decay(dt))/2048, r.tauC.at(dt), 1.0/2048, "τc Δ %d", dt)
		assert.Equal(t, math.Floor(2048*r.tauD.at(dt)), float64(fx.TauD.Decay(dt)), "τd Δ %d: the fixed table is the floor", dt)
	}
	assert.Zero(t, r.tauD.at(40))
	assert.Equal(t, math.Exp(-36.0/5), r.tauD.at(39))
	assert.Equal(t, 1.0, r.tauC.at(15))
}

// oneSynapse drives one synapse through a list of events: ("pre", t),
// ("post", t), ("da", t, c).
type step struct {
	kind string
	t    uint32
	c    float64
}

func runFloat(r *NeuromodFloat, d uint32, steps []step) ([2]float64, HistoryFloat) {
	h := r.NewHistory()
	var st [2]float64
	var tlp uint32
	var rlp float64
	for _, s := range steps {
		switch s.kind {
		case "pre":
			r.Synapse(&st, d, tlp, rlp, s.t, &h)
			rlp, tlp = r.PreTrace(rlp, tlp, s.t), s.t
		case "post":
			r.PostSpike(&h, s.t)
		case "da":
			r.Dopamine(&h, s.t, s.c)
		}
	}
	return st, h
}

func runFixed(t *testing.T, d uint32, steps []step) ([2]uint16, HistoryFixed) {
	r, err := NewNeuromodFixed(tenPair, tenNM, 1, [NumSynapseTypes]uint32{5, 5})
	require.NoError(t, err)
	h := NewHistoryFixed()
	var st [2]uint16
	var tlp uint32
	var rlp S411
	for _, s := range steps {
		switch s.kind {
		case "pre":
			r.Synapse(&st, SynExc, d, tlp, rlp, s.t, &h)
			rlp, tlp = r.Pair.PreTrace(rlp, tlp, s.t), s.t
		case "post":
			r.PostSpike(&h, s.t)
		case "da":
			c := Concentration(s.c)
			if s.c < 0 {
				c = -c
			}
			r.Dopamine(&h, s.t, c)
		}
	}
	return st, h
}

// Q3: with a delay of 3, the pre spike at 108 takes the events up to 105;
// the reward at 106 is newer, so the chip reads the window's kinds one
// event late: the post spike at 100 takes the reward's kind and does not
// potentiate. With the post spike and the reward swapped, the reward is
// taken for a post spike and potentiates.
func TestQuirkMarkerMisalignment(t *testing.T) {
	on := NewNeuromodFloatQuirks(tenPair, tenNM, 1, QuirkMarkerMisalignment)
	off := NewNeuromodFloat(tenPair, tenNM, 1)
	postFirst := []step{{"pre", 99, 0}, {"post", 100, 0}, {"da", 106, 0.05}, {"pre", 108, 0}}
	daFirst := []step{{"pre", 99, 0}, {"da", 100, 0.05}, {"post", 106, 0}, {"pre", 108, 0}}

	all := NewNeuromodFloatQuirks(tenPair, tenNM, 1, AllQuirks)
	e := math.Exp
	st, _ := runFloat(off, 3, postFirst)
	// The post event at 103 potentiates by e^{−(103−99)/τ+}, C decays to
	// 108, and the pre spike at 108 depresses by e^{−(108−103)/τ−}.
	assert.InDelta(t, e(-4.0/2)*e(-5.0/100)-e(-5), st[1], 1e-15)
	st, _ = runFloat(on, 3, postFirst)
	assert.Zero(t, st[1], "taken for dopamine: no potentiation")
	fx, _ := runFixed(t, 3, postFirst)
	assert.Zero(t, fx[1], "as on the chip")

	st, _ = runFloat(off, 3, daFirst)
	assert.Zero(t, st[1])
	st, _ = runFloat(on, 3, daFirst)
	// Potentiated; no depression (the newest event is the reward, o = 0).
	assert.InDelta(t, e(-4.0/2)*e(-5.0/100), st[1], 1e-15, "the reward taken for a post spike")
	st, _ = runFloat(all, 3, daFirst)
	fx, _ = runFixed(t, 3, daFirst)
	assert.Equal(t, e(-2), st[1], "every quirk: the τc table does not decay within 16 ticks")
	assert.InDelta(t, st[1], float64(fx[1])/1024, 2.0/1024, "as on the chip")
}

// Q4: the level at the start of a window decays from the undelayed time of
// the event before it. Delay 10: the reward at 185 (reaching the synapse at
// 195) is the event before the window of the pre spike at 260, which
// starts at the pre spike at 200: the level there is 0.05·e^{−5/τd}, or
// with the quirk 0.05·e^{−15/τd}. Only the first interval, to the post
// event at 205, sees it.
func TestQuirkUndelayedPrev(t *testing.T) {
	steps := []step{{"pre", 80, 0}, {"post", 85, 0}, {"da", 185, 0.05}, {"pre", 200, 0}, {"post", 195, 0}, {"pre", 260, 0}}
	off := NewNeuromodFloat(tenPair, tenNM, 1)
	on := NewNeuromodFloatQuirks(tenPair, tenNM, 1, QuirkUndelayedPrev)
	c200, _ := runFloat(off, 10, steps[:4])
	require.Positive(t, c200[1])
	a, _ := runFloat(off, 10, steps)
	b, _ := runFloat(on, 10, steps)
	e := math.Exp
	k := 1 / -(1.0/100 + 1.0/5)
	want := c200[1] * 0.05 * (e(-15.0/5) - e(-5.0/5)) * k * (e(-5.0/100)*e(-5.0/5) - 1)
	assert.InDelta(t, want, b[0]-a[0], 1e-15)
	assert.Less(t, b[0], a[0])
}

// Q5: stored levels wrap in s4.11: five rewards of 4 in one tick make 20,
// which the chip stores as −12.
func TestQuirkInt16Wrap(t *testing.T) {
	steps := []step{{"da", 10, 4}, {"da", 10, 4}, {"da", 10, 4}, {"da", 10, 4}, {"da", 10, 4}}
	_, h := runFloat(NewNeuromodFloat(tenPair, tenNM, 1), 1, steps)
	assert.Equal(t, 20.0, h.Level())
	_, h = runFloat(NewNeuromodFloatQuirks(tenPair, tenNM, 1, QuirkInt16Wrap), 1, steps)
	assert.Equal(t, -12.0, h.Level())
	_, hx := runFixed(t, 1, steps)
	assert.EqualValues(t, -12*2048, hx.Level())
	// The pre trace wraps too: a pre spike every tick with τ+ 20 heads
	// for 20.5.
	r := NewNeuromodFloatQuirks(PairRule{TauPlus: 20, TauMinus: 20, APlus: 1, AMinus: 1, WMax: 20}, tenNM, 1, QuirkInt16Wrap)
	var rlp float64
	for tk := uint32(1); tk < 40; tk++ {
		rlp = r.PreTrace(rlp, tk-1, tk)
		assert.Less(t, rlp, 16.0)
	}
	assert.Negative(t, rlp)
}

// Every quirk on: float follows fixed up to quantisation on random event
// sequences (delays 1, 3 and 10, rewards and punishments in trains, post
// spikes), where float with none of them is far off on some.
func TestAllQuirksFollowFixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	on := NewNeuromodFloatQuirks(tenPair, tenNM, 1, AllQuirks)
	off := NewNeuromodFloat(tenPair, tenNM, 1)
	var worstOn, worstOff float64 // |Δw| / max(1, |w|)
	for trial := 0; trial < 300; trial++ {
		d := []uint32{1, 3, 10}[trial%3]
		var steps []step
		for tk := uint32(1); tk < 800; tk++ {
			// Within a tick: the post spike (neuron update), then the
			// pre spike's row and dopamine in either order.
			if rng.Float64() < 0.04 {
				steps = append(steps, step{"post", tk, 0})
			}
			var rest []step
			if rng.Float64() < 0.03 {
				rest = append(rest, step{"pre", tk, 0})
			}
			if tk%200 < 30 && rng.Float64() < 0.7 {
				c := 0.05
				if tk > 400 {
					c = -0.05
				}
				rest = append(rest, step{"da", tk, c})
			}
			if len(rest) == 2 && rng.IntN(2) == 0 {
				rest[0], rest[1] = rest[1], rest[0]
			}
			steps = append(steps, rest...)
		}
		steps = append(steps, step{"pre", 800, 0})
		fx, _ := runFixed(t, d, steps)
		a, _ := runFloat(on, d, steps)
		b, _ := runFloat(off, d, steps)
		w := float64(fx[0]) / 1024
		worstOn = max(worstOn, math.Abs(a[0]-w)/max(1, w))
		worstOff = max(worstOff, math.Abs(b[0]-w)/max(1, w))
	}
	t.Logf("largest |float − fixed| / max(1, fixed) weight over 300 sequences: %.4f with every quirk, %.4f with none", worstOn, worstOff)
	// What is left is quantisation: the dopamine step 102/2048 is 0.4% low
	// (float with that step: at most 1.9%), the tables are floors of
	// 2048·e^{−x} (L_d[9] = 1 for 1.53), every product and stored word is
	// floored, so fixed comes out a little low (by 0.3% on average here).
	assert.Less(t, worstOn, 0.03)
	assert.Greater(t, worstOff, 10*worstOn)
}

// Brian2's conventions. A post spike at 100 after a pre spike at 99 (delay
// 1): the chip pairs them at Δt = 2 (the post event reaches the synapse at
// 101), a post spike stamped a tick late at Δt = 3. A post spike at 99
// reaching the synapse at 100, with a pre spike at 100: the chip depresses
// with the full trace (Δt = 0); the other convention potentiates by A+
// with the pre trace that includes the spike at 100, at the next update.
func TestConventions(t *testing.T) {
	e := math.Exp
	steps := []step{{"pre", 99, 0}, {"post", 100, 0}, {"pre", 150, 0}}
	chip, _ := runFloat(NewNeuromodFloat(tenPair, tenNM, 1), 1, steps)
	late, _ := runFloat(NewNeuromodFloatQuirks(tenPair, tenNM, 1, ConventionLatePostStamp), 1, steps)
	assert.InDelta(t, e(-2.0/2)*e(-49.0/100)-e(-49), chip[1], 1e-15)
	assert.InDelta(t, e(-3.0/2)*e(-48.0/100)-e(-48), late[1], 1e-15)

	steps = []step{{"pre", 50, 0}, {"post", 99, 0}, {"pre", 100, 0}, {"pre", 150, 0}}
	st, _ := runFloat(NewNeuromodFloat(tenPair, tenNM, 1), 1, steps[:3])
	assert.Zero(t, st[1], "pre at 100: the post event at 100 depresses (C clamped at 0)")
	st, _ = runFloat(NewNeuromodFloat(tenPair, tenNM, 1), 1, steps)
	assert.Zero(t, st[1], "and never potentiates")
	zl := NewNeuromodFloatQuirks(tenPair, tenNM, 1, ConventionZeroLagPotentiates)
	st, _ = runFloat(zl, 1, steps)
	r100 := e(-50.0/2) + 1
	assert.InDelta(t, r100*e(-50.0/100)-e(-50), st[1], 1e-15, "potentiated at Δt = 0 by the pre trace after 100")
}
