package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The plain STDP tests follow spynnaker-stdp.md: §1.3 (tables), §4 (the
// worked example of sPyNNaker's integration tests) and §3 (quirks).

// stdpDefault is SpikePairRule and AdditiveWeightDependence at PyNN's
// defaults, with w_max 5 as in the reference's §4 network.
var stdpDefault = PairRule{TauPlus: 20, TauMinus: 20, APlus: 0.01, AMinus: 0.01, WMin: 0, WMax: 5}

func ruleVariant(multiplicative, nearest bool) PairRule {
	r := stdpDefault
	r.Multiplicative, r.Nearest = multiplicative, nearest
	return r
}

// fixedRun drives one plastic synapse as a core would: the row header
// (tlp, rlp), one post history, the stored word. Within a tick the neuron
// update (post spikes) comes first, then the tick's rows; with d ≥ 1 the
// order does not matter (reference §1.5).
type fixedRun struct {
	r     *STDPFixed
	h     HistoryFixed
	d     uint32
	tlp   uint32
	rlp   S411
	w     uint16
	steps []STDPStep
}

func newFixedRun(t *testing.T, rule PairRule, k, d uint32, w uint16) *fixedRun {
	t.Helper()
	r, err := NewSTDPFixed(rule, 1, [NumSynapseTypes]uint32{k, k})
	require.NoError(t, err)
	f := &fixedRun{r: r, h: NewHistoryFixed(), d: d, w: w}
	r.Trace = func(s STDPStep) { f.steps = append(f.steps, s) }
	return f
}

func (f *fixedRun) pre(t uint32) uint16 {
	f.steps = f.steps[:0]
	w := f.r.Synapse(&f.w, SynExc, f.d, f.tlp, f.rlp, t, &f.h)
	f.rlp = f.r.PreTrace(f.rlp, f.tlp, t)
	f.tlp = t
	return w
}

func (f *fixedRun) post(ts ...uint32) {
	for _, t := range ts {
		f.r.PostSpike(&f.h, t)
	}
}

type floatRun struct {
	r   *STDPFloat
	h   HistoryFloat
	d   uint32
	tlp uint32
	rlp float64
	w   float64
}

func newFloatRun(rule PairRule, d uint32, w float64) *floatRun {
	return &floatRun{r: NewSTDPFloat(rule, 1), h: NewHistoryFloat(), d: d, w: w}
}

func (f *floatRun) pre(t uint32) float64 {
	w := f.r.Synapse(&f.w, f.d, f.tlp, f.rlp, t, &f.h)
	f.rlp = f.r.PreTrace(f.rlp, f.tlp, t)
	f.tlp = t
	return w
}

func (f *floatRun) post(ts ...uint32) {
	for _, t := range ts {
		f.r.PostSpike(&f.h, t)
	}
}

// §1.3: the τ = 20 ms table.
func TestSTDPLUTTau20(t *testing.T) {
	l := NewExpLUT(20, 1, 0)
	require.Len(t, l.Values, 154)
	assert.Equal(t, []S411{2048, 1948, 1853, 1762, 1676, 1594, 1517, 1443}, l.Values[:8])
	for i, v := range map[int]S411{7: 1443, 15: 967, 18: 832, 25: 586, 40: 277} {
		assert.EqualValues(t, v, l.Values[i], "L[%d]", i)
	}
	assert.Equal(t, []S411{1, 1, 1, 0}, l.Values[150:154])
	assert.EqualValues(t, 1, l.Decay(152), "last non-zero decay")
	assert.EqualValues(t, 0, l.Decay(153))
	assert.EqualValues(t, 0, l.Decay(154), "past the end")
}

// §1.3: the weight-rule words.
func TestSTDPFixedConstants(t *testing.T) {
	r, err := NewSTDPFixed(stdpDefault, 1, [NumSynapseTypes]uint32{4, 4})
	require.NoError(t, err)
	assert.EqualValues(t, 328, r.Pair.APlus)
	assert.EqualValues(t, 328, r.Pair.AMinus)
	assert.EqualValues(t, 163840, r.Pair.WMax)
	assert.EqualValues(t, 0, r.Pair.WMin)
	_, err = NewNeuromodFixed(ruleVariant(false, true), guideNM, 1, [NumSynapseTypes]uint32{4, 4})
	assert.ErrorIs(t, err, ErrNearestNeuromod)
}

// §4: pre 1010 and 1050, post spikes 1014, 1032, 1053, d = 3, k = 4
// (scale 2048), w0 2.5 (raw 5120); the weight is read back after the run.
const (
	ex4K     = 4
	ex4D     = 3
	ex4W0    = 5120
	ex4Scale = 2048.0
)

func runEx4Fixed(t *testing.T, rule PairRule) (*fixedRun, []STDPStep) {
	f := newFixedRun(t, rule, ex4K, ex4D, ex4W0)
	assert.EqualValues(t, ex4W0, f.pre(1010), "empty window, dummy prev: untouched")
	assert.Empty(t, f.steps)
	f.post(1014, 1032)
	f.pre(1050)
	steps := append([]STDPStep(nil), f.steps...)
	f.post(1053) // appended, never used (P11)
	return f, steps
}

func runEx4Float(rule PairRule) float64 {
	f := newFloatRun(rule, ex4D, ex4W0/ex4Scale)
	f.pre(1010)
	f.post(1014, 1032)
	f.pre(1050)
	f.post(1053)
	return f.w
}

// §4.1, step by step.
func TestSTDPPairAdditiveExample(t *testing.T) {
	f, steps := runEx4Fixed(t, stdpDefault)
	assert.EqualValues(t, 1050, f.tlp)
	assert.EqualValues(t, 2325, f.rlp, "r = M(2048, L[40]) + 2048")
	require.Equal(t, 3, f.h.Len())
	assert.EqualValues(t, 2048, f.h.o[1], "post 1014")
	assert.EqualValues(t, 2880, f.h.o[2], "post 1032: M(2048, L[18]) + 2048")
	assert.Equal(t, []STDPStep{
		{Kind: "pot", Time: 1017, Dt: 7, X: 1443, W: 82151},
		{Kind: "pot", Time: 1035, Dt: 25, X: 586, W: 82244},
		{Kind: "dep", Time: 1050, Dt: 15, X: 1359, W: 82027},
	}, steps)
	assert.EqualValues(t, 5126, f.w)
	assert.Equal(t, 2.5029296875, float64(f.w)/ex4Scale)

	// The test's float formula, and the float kernel, which computes the
	// same pairings (no clamp is reached, additive changes commute).
	formula := 2.5 + 0.01*(math.Exp(-7.0/20)+math.Exp(-25.0/20)) - 0.01*(math.Exp(-33.0/20)+math.Exp(-15.0/20))
	assert.InDelta(t, 2.50326776425, formula, 1e-11)
	assert.InDelta(t, 2.50326776425, runEx4Float(stdpDefault), 1e-9)
}

// §4.2: the other three rules on the same network.
//
// Float: the integration tests' formulas for Multiplicative (sPyNNaker's
// synapse_dynamics_utils.py and the nearest-pair tests) are linearised: every
// pairing is scaled by the *initial* weight's distance to its bound,
// (w_max − w0)·A+·x and (w0 − w_min)·A−·x. The model, like the chip, applies
// the pairings one after another, each scaled by the weight the previous one
// left. So the float kernel gives 2.50795463064 (pair) and 2.50572482065
// (nearest) where the formulas give 2.50816941063 and 2.50580803842; the
// chip's read-backs, 2.5078125 and 2.50537109375, are nearer the sequential
// values. The additive rules have no such difference.
func TestSTDPExampleRules(t *testing.T) {
	e := func(dt float64) float64 { return math.Exp(-dt / 20) }
	cases := []struct {
		name                 string
		mult, nearest        bool
		steps                []STDPStep
		raw                  uint16
		readBack             float64
		formula, float       float64 // the test's formula; the float model
		formulaCheck, closed float64 // the same, recomputed here
	}{
		{
			name: "pair/multiplicative", mult: true,
			steps: []STDPStep{
				{Kind: "pot", Time: 1017, Dt: 7, X: 1443, W: 82497},
				{Kind: "pot", Time: 1035, Dt: 25, X: 586, W: 82729},
				{Kind: "dep", Time: 1050, Dt: 15, X: 1359, W: 82180},
			},
			raw: 5136, readBack: 2.5078125,
			formula: 2.50816941063, float: 2.50795463064,
			formulaCheck: 2.5 + 2.5*0.01*(e(7)+e(25)) - 2.5*0.01*(e(33)+e(15)),
			closed: func() float64 {
				w := 2.5
				w += (5 - w) * 0.01 * e(7)
				w += (5 - w) * 0.01 * e(25)
				return w - w*0.01*(e(33)+e(15))
			}(),
		},
		{
			name: "nearest/additive", nearest: true,
			steps: []STDPStep{
				{Kind: "pot", Time: 1017, Dt: 7, X: 1443, W: 82151},
				{Kind: "pot", Time: 1035, Dt: 25, X: 0, W: 82151}, // τ_prev 1014 > 1010
				{Kind: "dep", Time: 1050, Dt: 15, X: 967, W: 81997},
			},
			raw: 5124, readBack: 2.501953125,
			formula: 2.50232321537, float: 2.50232321537,
			formulaCheck: 2.5 + 0.01*e(7) - 0.01*e(15),
			closed:       2.5 + 0.01*e(7) - 0.01*e(15),
		},
		{
			name: "nearest/multiplicative", mult: true, nearest: true,
			steps: []STDPStep{
				{Kind: "pot", Time: 1017, Dt: 7, X: 1443, W: 82497},
				{Kind: "pot", Time: 1035, Dt: 25, X: 0, W: 82497},
				{Kind: "dep", Time: 1050, Dt: 15, X: 967, W: 82108},
			},
			raw: 5131, readBack: 2.50537109375,
			formula: 2.50580803842, float: 2.50572482065,
			formulaCheck: 2.5 + 2.5*0.01*e(7) - 2.5*0.01*e(15),
			closed: func() float64 {
				w := 2.5 + 2.5*0.01*e(7)
				return w - w*0.01*e(15)
			}(),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rule := ruleVariant(c.mult, c.nearest)
			f, steps := runEx4Fixed(t, rule)
			assert.Equal(t, c.steps, steps)
			assert.Equal(t, c.raw, f.w)
			assert.Equal(t, c.readBack, float64(f.w)/ex4Scale)
			if c.nearest {
				assert.Zero(t, f.rlp, "nearest pair keeps no trace")
				assert.Zero(t, f.h.o[2])
			}
			assert.InDelta(t, c.formula, c.formulaCheck, 1e-11)
			assert.InDelta(t, c.float, c.closed, 1e-11)
			assert.InDelta(t, c.closed, runEx4Float(rule), 1e-12)
		})
	}
	// Multiplicative scale steps of the reference: A(81920, 328) = 820 and
	// F(820, 1443) = 577; A(163840 − 82497, 328) = 814; A(82729, 328) = 828.
	assert.EqualValues(t, 820, MulAccum(81920, 328))
	assert.EqualValues(t, 577, MulAccumS411(820, 1443))
	assert.EqualValues(t, 814, MulAccum(163840-82497, 328))
	assert.EqualValues(t, 232, MulAccumS411(814, 586))
	assert.EqualValues(t, 828, MulAccum(82729, 328))
	assert.EqualValues(t, 549, MulAccumS411(828, 1359))
	assert.EqualValues(t, 825, MulAccum(82497, 328))
	assert.EqualValues(t, 389, MulAccumS411(825, 967))
}

// §4.2 post_spike_same_time: pre every 2 ticks from 0 to 8, post spikes at
// 4 and 8, d = 1, k = 3, w0 4.0. The test formula (which drops Δt = 0
// pairs, P4) and the float model agree here: with d = 1 no post event is
// delayed onto a pre spike (4 + 1 and 8 + 1 are odd).
func TestSTDPPostSpikeSameTime(t *testing.T) {
	f := newFixedRun(t, stdpDefault, 3, 1, 4*4096)
	g := newFloatRun(stdpDefault, 1, 4)
	var at6 []STDPStep
	for tick := uint32(0); tick <= 8; tick += 2 {
		if tick == 4 || tick == 8 {
			f.post(tick)
			g.post(tick)
		}
		f.pre(tick)
		g.pre(tick)
		if tick == 4 {
			assert.EqualValues(t, 5577, f.rlp, "r after the pre spike at 4")
		}
		if tick == 6 {
			at6 = append(at6, f.steps...)
			assert.EqualValues(t, 16451, f.w, "131610 >> 3: floor loses 2")
		}
	}
	assert.Equal(t, []STDPStep{
		{Kind: "pot", Time: 5, Dt: 1, X: 5304, W: 131072 + 849},
		{Kind: "dep", Time: 6, Dt: 1, X: 1948, W: 131072 + 849 - 311},
	}, at6)
	assert.Equal(t, []STDPStep{{Kind: "dep", Time: 8, Dt: 3, X: 1762, W: 16451<<3 - 282}}, f.steps)
	assert.EqualValues(t, 16415, f.w)
	assert.Equal(t, 4.007568359375, float64(f.w)/4096)

	e := func(dt float64) float64 { return math.Exp(-dt / 20) }
	formula := 4 + 0.01*(e(1)+e(3)+e(5)) - 0.01*(e(1)+e(3))
	assert.InDelta(t, 4.00778800783, formula, 1e-11)
	assert.InDelta(t, formula, g.w, 1e-12)

	// Two identical projections give bit-equal weights.
	f2 := newFixedRun(t, stdpDefault, 3, 1, 4*4096)
	for tick := uint32(0); tick <= 8; tick += 2 {
		if tick == 4 || tick == 8 {
			f2.post(tick)
		}
		f2.pre(tick)
	}
	assert.Equal(t, f.w, f2.w)
}

// P4: a post event delayed onto the pre spike (τ + d = t) is depression
// with the full amount L[0] at that pre spike, in both arithmetics; its
// potentiation with the earlier pre spike still applies.
func TestSTDPDeltaTZero(t *testing.T) {
	f := newFixedRun(t, stdpDefault, ex4K, 3, ex4W0)
	g := newFloatRun(stdpDefault, 3, 2.5)
	f.pre(5)
	g.pre(5)
	f.post(7)
	g.post(7)
	f.pre(10)
	g.pre(10)
	assert.Equal(t, []STDPStep{
		{Kind: "pot", Time: 10, Dt: 5, X: 1594, W: 82175},
		{Kind: "dep", Time: 10, Dt: 0, X: 2048, W: 81847},
	}, f.steps)
	assert.EqualValues(t, 5115, f.w)
	assert.InDelta(t, 2.5+0.01*math.Exp(-5.0/20)-0.01, g.w, 1e-12)
}

// P6: only 15 post events are kept. 20 post spikes between two pre spikes:
// the 5 oldest lose their potentiation, but the depression is unchanged, as
// o accumulated all 20 when it was added.
func TestSTDPHistoryOverflow(t *testing.T) {
	posts := func(from, to uint32) []uint32 {
		var ts []uint32
		for t := from; t <= to; t++ {
			ts = append(ts, t)
		}
		return ts
	}
	run := func(from uint32) *fixedRun {
		f := newFixedRun(t, stdpDefault, ex4K, 1, ex4W0)
		f.pre(100)
		f.post(posts(from, 129)...)
		f.pre(200)
		return f
	}
	all, last15 := run(110), run(115)
	require.Len(t, all.steps, 16)
	require.Len(t, last15.steps, 16)
	assert.EqualValues(t, 116, all.steps[0].Time, "the first kept event is 115")
	for i := range 15 {
		assert.Equal(t, last15.steps[i], all.steps[i], "potentiation %d", i)
	}
	assert.EqualValues(t, 83505, all.steps[14].W)
	// o after 20 spikes every tick is 26526 (after 15, 22144).
	assert.EqualValues(t, 26526, all.h.o[15])
	assert.EqualValues(t, 22144, last15.h.o[15])
	assert.Equal(t, STDPStep{Kind: "dep", Time: 200, Dt: 70, X: 790, W: 83379}, all.steps[15])
	assert.Equal(t, STDPStep{Kind: "dep", Time: 200, Dt: 70, X: 659, W: 83400}, last15.steps[15])
	assert.EqualValues(t, 5211, all.w)

	// Float keeps every event: all 20 potentiate. With the chip's capacity
	// (QuirkHistoryCapacity) the same 5 are lost as in fixed.
	var o float64
	for tau := 110.0; tau <= 129; tau++ {
		o += math.Exp(-(129 - tau) / 20)
	}
	for _, c := range []struct {
		q     Quirks
		first float64
	}{{0, 110}, {QuirkHistoryCapacity, 115}} {
		g := newFloatRun(stdpDefault, 1, 2.5)
		g.r = NewSTDPFloatQuirks(stdpDefault, 1, c.q)
		g.h = g.r.NewHistory()
		g.pre(100)
		g.post(posts(110, 129)...)
		g.pre(200)
		want := 2.5
		for tau := c.first; tau <= 129; tau++ {
			want += 0.01 * math.Exp(-(tau+1-100)/20)
		}
		want -= 0.01 * o * math.Exp(-70.0/20)
		assert.InDelta(t, want, g.w, 1e-12, "quirks %v", c.q)
		post, _ := g.h.Lost()
		assert.EqualValues(t, 20-(130-c.first), post, "events lost before a pre spike used them")
	}
	post, da := all.h.Lost()
	assert.EqualValues(t, 5, post, "fixed: the 5 oldest were lost unused")
	assert.Zero(t, da)

	// When everything at or before the window was pushed out, prev falls
	// back to the dummy: here, with d = 16, the post spike at 10 is lost and
	// the 15 kept ones are all after the window's end (99), so nothing is
	// applied at all.
	fallback := func(n uint32) *fixedRun {
		f := newFixedRun(t, stdpDefault, ex4K, 16, ex4W0)
		f.pre(5)
		f.post(10)
		f.post(posts(100, 100+n-1)...)
		f.pre(115)
		return f
	}
	lost := fallback(15)
	assert.Empty(t, lost.steps)
	assert.EqualValues(t, ex4W0, lost.w)
	kept := fallback(14)
	assert.Equal(t, []STDPStep{
		{Kind: "pot", Time: 26, Dt: 21, X: 716, W: 82034},
		{Kind: "dep", Time: 115, Dt: 89, X: 23, W: 82031},
	}, kept.steps)
	assert.EqualValues(t, 5126, kept.w)
}

// P8: the header starts at (0, 0). The first pre trace is 2048; post spikes
// before the first pre spike depress at it, and their potentiation uses
// r_lp = 0: it adds nothing but still applies the additive clamp. A pre
// spike with no post event held leaves the weight alone, even above w_max.
func TestSTDPFirstSpikes(t *testing.T) {
	rule := stdpDefault
	rule.WMax = 2 // 65536; w0 2.5 is above it
	f := newFixedRun(t, rule, ex4K, 1, ex4W0)
	f.post(5)
	f.pre(20)
	assert.EqualValues(t, 2048, f.rlp)
	assert.Equal(t, []STDPStep{
		{Kind: "pot", Time: 6, Dt: 6, X: 0, W: 65536},
		{Kind: "dep", Time: 20, Dt: 14, X: 1017, W: 65374},
	}, f.steps)
	assert.EqualValues(t, 4085, f.w)

	untouched := newFixedRun(t, rule, ex4K, 1, ex4W0)
	untouched.pre(20)
	untouched.pre(40)
	assert.Empty(t, untouched.steps)
	assert.EqualValues(t, ex4W0, untouched.w)

	g := newFloatRun(rule, 1, 2.5)
	g.post(5)
	g.pre(20)
	assert.InDelta(t, 2-0.01*math.Exp(-14.0/20), g.w, 1e-12)

	// Nearest pair has no trace to say "no pre spike yet": the chip pairs
	// the post spike with a pre spike at tick 0 (x = L[6]); the float model
	// does not (its pre flag is 0 before the first pre spike).
	nearest := ruleVariant(false, true)
	fn := newFixedRun(t, nearest, ex4K, 1, ex4W0)
	fn.post(5)
	fn.pre(20)
	assert.Equal(t, []STDPStep{
		{Kind: "pot", Time: 6, Dt: 6, X: 1517, W: 82162},
		{Kind: "dep", Time: 20, Dt: 14, X: 1017, W: 82000},
	}, fn.steps)
	assert.EqualValues(t, 5125, fn.w)
	gn := newFloatRun(nearest, 1, 2.5)
	gn.post(5)
	gn.pre(20)
	assert.InDelta(t, 2.5-0.01*math.Exp(-14.0/20), gn.w, 1e-12)
}

// P10: nearest pair decides "first post event after the previous pre spike"
// with the undelayed time of the previous window event. Post spikes at 97
// and 98 with d = 5 are taken at 102 and 103, both after the pre spike at
// 100; the chip potentiates both (97 ≤ 100). With d = 1 and post spikes at
// 101 and 102 (the same delayed times) it zeroes the second. The float
// model zeroes it in both cases.
func TestSTDPNearestUndelayedPrev(t *testing.T) {
	nearest := ruleVariant(false, true)
	cases := []struct {
		d     uint32
		posts []uint32
		steps []STDPStep
		w     uint16
	}{
		{5, []uint32{97, 98}, []STDPStep{
			{Kind: "pot", Time: 102, Dt: 2, X: 1853, W: 82216},
			{Kind: "pot", Time: 103, Dt: 3, X: 1762, W: 82498},
			{Kind: "dep", Time: 200, Dt: 97, X: 16, W: 82496},
		}, 5156},
		{1, []uint32{101, 102}, []STDPStep{
			{Kind: "pot", Time: 102, Dt: 2, X: 1853, W: 82216},
			{Kind: "pot", Time: 103, Dt: 3, X: 0, W: 82216},
			{Kind: "dep", Time: 200, Dt: 97, X: 16, W: 82214},
		}, 5138},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("d=%d", c.d), func(t *testing.T) {
			f := newFixedRun(t, nearest, ex4K, c.d, ex4W0)
			g := newFloatRun(nearest, c.d, 2.5)
			f.pre(100)
			g.pre(100)
			f.post(c.posts...)
			g.post(c.posts...)
			f.pre(200)
			g.pre(200)
			assert.Equal(t, c.steps, f.steps)
			assert.Equal(t, c.w, f.w)
			assert.InDelta(t, 2.5+0.01*math.Exp(-2.0/20)-0.01*math.Exp(-97.0/20), g.w, 1e-12)
		})
	}
}

// The additive clamp is applied after every event (P3): potentiation above
// w_max is lost before the depression of the same pre spike.
func TestSTDPAdditivePerEventClamp(t *testing.T) {
	rule := stdpDefault
	rule.APlus, rule.AMinus, rule.WMax = 1, 0.5, 3
	f := newFixedRun(t, rule, ex4K, 1, ex4W0)
	g := newFloatRun(rule, 1, 2.5)
	f.pre(10)
	g.pre(10)
	f.post(12)
	g.post(12)
	f.pre(20)
	g.pre(20)
	// pot: Δ = 3, 81920 + F(32768, 1762) = 110112 is clamped to 98304;
	// dep: Δ = 7, F(16384, 1443) = 11544 from the clamped value.
	require.Len(t, f.steps, 2)
	assert.EqualValues(t, 98304, f.steps[0].W)
	assert.EqualValues(t, 98304-MulAccumS411(16384, 1443), f.steps[1].W)
	assert.InDelta(t, 3-0.5*math.Exp(-7.0/20), g.w, 1e-12)
}

// Multiplicative has no clamp: with A·x > 1 the weight overshoots w_max.
func TestSTDPMultiplicativeNoClamp(t *testing.T) {
	rule := ruleVariant(true, false)
	rule.APlus = 2
	f := newFixedRun(t, rule, ex4K, 1, ex4W0)
	f.pre(10)
	f.post(11, 12)
	f.pre(14)
	// Δ = 2: 81920 + F(A(163840 − 81920, 65536), 1853) = 230160.
	assert.Equal(t, STDPStep{Kind: "pot", Time: 12, Dt: 2, X: 1853, W: 230160}, f.steps[0])
}

// The float decays looked up are the ones computed directly.
func TestSTDPFloatDecay(t *testing.T) {
	e := newFloatDecay(20, 1, 0, false)
	for _, dt := range []uint32{0, 1, 7, 153, expDecayTicks - 1, expDecayTicks, 100000} {
		assert.Equal(t, math.Exp(-float64(dt)*(1.0/20)), e.at(dt), "Δ %d", dt)
	}
}

// The row update allocates nothing.
func TestSTDPSynapseNoAllocs(t *testing.T) {
	for _, nearest := range []bool{false, true} {
		rule := ruleVariant(false, nearest)
		fx, err := NewSTDPFixed(rule, 1, [NumSynapseTypes]uint32{4, 4})
		require.NoError(t, err)
		fl := NewSTDPFloat(rule, 1)
		hx, hf := NewHistoryFixed(), NewHistoryFloat()
		for _, t := range []uint32{3, 9, 15} {
			fx.PostSpike(&hx, t)
			fl.PostSpike(&hf, t)
		}
		w, wf := uint16(5120), 2.5
		allocs := testing.AllocsPerRun(100, func() {
			fx.Synapse(&w, SynExc, 2, 1, 2048, 20, &hx)
			fl.Synapse(&wf, 2, 1, 1, 20, &hf)
		})
		assert.Zero(t, allocs)
	}
}

// BenchmarkSTDPSynapse measures the per-synapse update of a row: rows of 256
// synapses (delays 1…16) onto one post neuron, a pre spike every 20 ticks,
// two post spikes between them, so each window holds about two events.
func BenchmarkSTDPSynapse(b *testing.B) {
	const rowLen = 256
	rules := []struct {
		name string
		rule PairRule
	}{
		{"pair-additive", ruleVariant(false, false)},
		{"pair-multiplicative", ruleVariant(true, false)},
		{"nearest-additive", ruleVariant(false, true)},
	}
	for _, rc := range rules {
		b.Run("fixed/"+rc.name, func(b *testing.B) {
			r, err := NewSTDPFixed(rc.rule, 1, [NumSynapseTypes]uint32{4, 4})
			require.NoError(b, err)
			h := NewHistoryFixed()
			var w [rowLen]uint16
			for i := range w {
				w[i] = 5120
			}
			var tlp, t uint32 = 0, 20
			var rlp S411
			n := 0
			for b.Loop() {
				for i := range w {
					r.Synapse(&w[i], SynExc, uint32(i%16+1), tlp, rlp, t, &h)
				}
				rlp = r.PreTrace(rlp, tlp, t)
				tlp = t
				r.PostSpike(&h, t+7)
				r.PostSpike(&h, t+13)
				t += 20
				n += rowLen
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "synapses/s")
		})
		b.Run("float/"+rc.name, func(b *testing.B) {
			r := NewSTDPFloat(rc.rule, 1)
			h := NewHistoryFloat()
			var w [rowLen]float64
			for i := range w {
				w[i] = 2.5
			}
			var tlp, t uint32 = 0, 20
			var rlp float64
			n := 0
			for b.Loop() {
				for i := range w {
					r.Synapse(&w[i], uint32(i%16+1), tlp, rlp, t, &h)
				}
				rlp = r.PreTrace(rlp, tlp, t)
				tlp = t
				r.PostSpike(&h, t+7)
				r.PostSpike(&h, t+13)
				t += 20
				n += rowLen
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "synapses/s")
		})
	}
}
