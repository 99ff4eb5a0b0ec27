package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The guide's first experiment (reference §1.8): pair rule τ+ 10, τ− 12,
// A± 1, additive [0, 20]; Neuromodulation τc 1000, τd 200, w_max 20, step 0.1;
// ring-buffer shift 5; every delay 1 tick.
var (
	guidePair = PairRule{TauPlus: 10, TauMinus: 12, APlus: 1, AMinus: 1, WMin: 0, WMax: 20}
	guideNM   = NeuromodParams{TauC: 1000, TauD: 200, WMin: 0, WMax: 20}
)

func TestConcentration(t *testing.T) {
	assert.EqualValues(t, 205, Concentration(0.1))
	assert.EqualValues(t, 102, Concentration(0.05))
	assert.EqualValues(t, 102, Concentration(-0.05), "weights are magnitudes")
}

// Step by step as the reference's table: eligibility 21952 then 19936, the
// increment 329833, the stored word 10307 (10.0654296875 at scale 1024) and
// eligibility 284.
func TestNeuromodFixedGuide(t *testing.T) {
	r, err := NewNeuromodFixed(guidePair, guideNM, 1, [NumSynapseTypes]uint32{5, 5})
	require.NoError(t, err)
	assert.EqualValues(t, -5461333, r.K)
	var steps []Step
	r.Trace = func(s Step) { steps = append(steps, s) }

	h := NewHistoryFixed()
	state := &[2]uint16{0, 0}
	var tlp uint32
	var rlp S411

	pre := func(t uint32) uint16 {
		w := r.Synapse(state, SynExc, 1, tlp, rlp, t, &h)
		rlp = r.Pair.PreTrace(rlp, tlp, t)
		tlp = t
		return w
	}
	assert.EqualValues(t, 0, pre(1500))
	assert.EqualValues(t, 2048, rlp)
	assert.Empty(t, steps, "empty window, dummy prev: nothing updated")

	r.PostSpike(&h, 1503)
	r.Dopamine(&h, 1600, Concentration(0.1))
	assert.Equal(t, 2, h.Len())
	assert.EqualValues(t, 2048, h.o[1])
	assert.EqualValues(t, 0, h.o[2], "τ− table has 92 entries, Δ = 97")
	assert.EqualValues(t, 205, h.d[2])

	w := pre(2400)
	require.Len(t, steps, 3)
	assert.Equal(t, Step{Kind: "post", Time: 1504, Ec: 2048, C: 21952}, steps[0])
	assert.Equal(t, Step{Kind: "dopamine", Time: 1601, Ec: 1860, C: 19936}, steps[1])
	assert.Equal(t, Step{Kind: "pre", Time: 2400, Ec: 935, Ed: 38, D: 205, DW: 329833, C: 9101, W: 329833}, steps[2])
	assert.EqualValues(t, 10307, w)
	assert.Equal(t, [2]uint16{10307, 284}, *state)
	assert.Equal(t, 10.0654296875, float64(w)/1024)
}

// The float model gives the guide's closed form, 10.0552710465.
func TestNeuromodFloatGuide(t *testing.T) {
	r := NewNeuromodFloat(guidePair, guideNM, 1)
	h := NewHistoryFloat()
	state := &[2]float64{0, 0}
	var tlp uint32
	var rlp float64
	pre := func(t uint32) float64 {
		w := r.Synapse(state, 1, tlp, rlp, t, &h)
		rlp = r.PreTrace(rlp, tlp, t)
		tlp = t
		return w
	}
	pre(1500)
	r.PostSpike(&h, 1503)
	r.Dopamine(&h, 1600, 0.1)
	w := pre(2400)
	c1601 := math.Exp(-0.4) * math.Exp(-97.0/1000)
	closed := c1601 * 0.1 * (1 / -(1.0/1000 + 1.0/200)) * (math.Exp(-799.0/200)*math.Exp(-799.0/1000) - 1)
	assert.InDelta(t, 10.0552710465, closed, 1e-10)
	assert.InDelta(t, closed, w, 1e-12)
}

// Only 15 events are kept: the 16th pushes the oldest out, and the markers
// follow their entries.
func TestHistoryCapacity(t *testing.T) {
	r, err := NewNeuromodFixed(guidePair, guideNM, 1, [NumSynapseTypes]uint32{5, 5})
	require.NoError(t, err)
	h := NewHistoryFixed()
	for i := uint32(1); i <= 20; i++ {
		if i%2 == 0 {
			r.Dopamine(&h, i*10, 100)
		} else {
			r.PostSpike(&h, i*10)
		}
	}
	assert.Equal(t, 15, h.Len())
	assert.EqualValues(t, 60, h.times[1], "events 10..50 were pushed out")
	assert.EqualValues(t, 200, h.times[15])
	for i := 1; i < HistorySize; i++ {
		isDA := h.markers&(1<<i) != 0
		assert.Equal(t, (h.times[i]/10)%2 == 0, isDA, "entry %d", i)
	}
}

// Punishment makes D negative, and with eligibility a later pre spike
// lowers the weight; the float model agrees in sign and roughly in size.
func TestPunishmentDepresses(t *testing.T) {
	fx, err := NewNeuromodFixed(guidePair, guideNM, 1, [NumSynapseTypes]uint32{5, 5})
	require.NoError(t, err)
	fl := NewNeuromodFloat(guidePair, guideNM, 1)
	hx, hf := NewHistoryFixed(), NewHistoryFloat()
	sx := &[2]uint16{5 * 1024, 0}
	sf := &[2]float64{5, 0}
	var tlp uint32
	var rx S411
	var rf float64
	pre := func(t uint32) {
		fx.Synapse(sx, SynExc, 1, tlp, rx, t, &hx)
		fl.Synapse(sf, 1, tlp, rf, t, &hf)
		rx = fx.Pair.PreTrace(rx, tlp, t)
		rf = fl.PreTrace(rf, tlp, t)
		tlp = t
	}
	pre(100)
	fx.PostSpike(&hx, 102)
	fl.PostSpike(&hf, 102)
	fx.Dopamine(&hx, 150, -Concentration(0.1))
	fl.Dopamine(&hf, 150, -0.1)
	pre(900)
	assert.Less(t, float64(sx[0])/1024, 5.0)
	assert.Less(t, sf[0], 5.0)
	assert.InDelta(t, sf[0], float64(sx[0])/1024, 0.05)
}

// The single synapse with the ten-population rules (pair rule τ+ 2,
// τ− 1, A± 1, additive [0, 20]; τc 100, τd 5, step 0.05; delay 1): pre
// spikes at 1000, 1050 and 1300, a post spike at 1000, a reward at every
// tick 1100…1199. The events reach the synapse a tick later. By
// superposition, with C0 the eligibility after the pre spike at 1050 (the
// post event at 1001 potentiated by e^{−1/2}, decayed to 1050, less the
// depression e^{−49}) and each reward's dopamine 0.05·e^{−(s − T_k)/τd}:
//
//	w = Σ_k 0.05·C0·e^{−(T_k − 1050)/τc}·(1 − e^{−(1300 − T_k)(1/τc + 1/τd)})/(1/τc + 1/τd)
//
// = 3.37503720722. With the chip's 16-entry history only the 15 newest
// rewards are left when the pre spike at 1300 comes, and the window starts
// from nothing: 0.42043313101.
func TestNeuromodFloatRewardTrain(t *testing.T) {
	pair := PairRule{TauPlus: 2, TauMinus: 1, APlus: 1, AMinus: 1, WMin: 0, WMax: 20}
	nm := NeuromodParams{TauC: 100, TauD: 5, WMin: 0, WMax: 20}
	e := math.Exp
	c0 := e(-0.5)*e(-49.0/100) - e(-49)
	rate := 1.0/100 + 1.0/5
	var closed float64
	for k := 0; k < 100; k++ {
		tk := float64(1101 + k)
		closed += 0.05 * c0 * e(-(tk-1050)/100) * (1 - e(-(1300-tk)*rate)) / rate
	}
	assert.InDelta(t, 3.37503720722, closed, 1e-11)

	run := func(q Quirks) (float64, *HistoryFloat) {
		r := NewNeuromodFloatQuirks(pair, nm, 1, q)
		h := r.NewHistory()
		state := &[2]float64{0, 0}
		var tlp uint32
		var rlp float64
		pre := func(t uint32) {
			r.Synapse(state, 1, tlp, rlp, t, &h)
			rlp = r.PreTrace(rlp, tlp, t)
			tlp = t
		}
		r.PostSpike(&h, 1000)
		pre(1000)
		pre(1050)
		for t := uint32(1100); t < 1200; t++ {
			r.Dopamine(&h, t, 0.05)
		}
		pre(1300)
		return state[0], &h
	}
	w, h := run(0)
	assert.InDelta(t, closed, w, 1e-9)
	assert.Equal(t, 101, h.Len(), "every event kept")
	w, h = run(QuirkHistoryCapacity)
	assert.InDelta(t, 0.42043313101, w, 1e-9)
	post, da := h.Lost()
	assert.Zero(t, post, "the post spike was used at 1050")
	assert.EqualValues(t, 85, da, "85 of the 100 rewards were evicted before any pre spike used them")
}

// The row update's hot path (update, without a tracer) and the traced one
// (advance) give the same words, bit for bit, over random histories that
// overflow, with every delay and with rewards and punishments.
func TestNeuromodFixedFastPathMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		d := []uint32{1, 2, 7, 20}[trial%4]
		fast, err := NewNeuromodFixed(tenPair, tenNM, 1, [NumSynapseTypes]uint32{5, 5})
		require.NoError(t, err)
		traced, err := NewNeuromodFixed(tenPair, tenNM, 1, [NumSynapseTypes]uint32{5, 5})
		require.NoError(t, err)
		traced.Trace = func(Step) {}
		hf, ht := NewHistoryFixed(), NewHistoryFixed()
		var sf, stt [2]uint16
		sf[0], stt[0] = 3000, 3000
		var tlp uint32
		var rlp S411
		for tk := uint32(1); tk < 600; tk++ {
			if rng.Float64() < 0.05 {
				fast.PostSpike(&hf, tk)
				traced.PostSpike(&ht, tk)
			}
			if tk%150 < 20 && rng.Float64() < 0.6 {
				c := Concentration(0.05)
				if tk > 300 {
					c = -c
				}
				fast.Dopamine(&hf, tk, c)
				traced.Dopamine(&ht, tk, c)
			}
			if rng.Float64() < 0.04 {
				a := fast.Synapse(&sf, SynExc, d, tlp, rlp, tk, &hf)
				b := traced.Synapse(&stt, SynExc, d, tlp, rlp, tk, &ht)
				require.Equal(t, b, a, "trial %d tick %d", trial, tk)
				require.Equal(t, stt, sf, "trial %d tick %d", trial, tk)
				rlp, tlp = fast.Pair.PreTrace(rlp, tlp, tk), tk
			}
		}
	}
}

// TestMDTableMatchesProduct checks the tabulated M(L_c, L_d) − 1 against the
// two lookups and the product it replaces, for every Δt up to past both
// tables' ends, with τd shorter and longer than τc and at 1 and 0.1 ms.
func TestMDTableMatchesProduct(t *testing.T) {
	for _, c := range []struct{ tauC, tauD, hMs float64 }{{1000, 200, 1}, {100, 500, 1}, {1000, 200, 0.1}, {20, 20, 1}} {
		r, err := NewNeuromodFixed(tenPair, NeuromodParams{TauC: c.tauC, TauD: c.tauD, WMin: 0, WMax: 10}, c.hMs, [NumSynapseTypes]uint32{5, 5})
		require.NoError(t, err)
		end := uint32(max(len(r.TauC.Values)<<TauCShift, len(r.TauD.Values)<<TauDShift)) + 100
		for dt := range end {
			want := Mul16(r.TauC.Decay(dt), r.TauD.Decay(dt)) - S411One
			require.Equal(t, want, r.mdOf(dt), "τc %v τd %v h %v Δt %d", c.tauC, c.tauD, c.hMs, dt)
		}
	}
}
