package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var guideCell = IFCurrExpParams{Cm: 0.3, TauM: 10, TauRefrac: 4, TauSynE: 1, TauSynI: 1,
	VRest: -65, VReset: -70, VThresh: -55.4, IOffset: 0}

// The constants of the reference §6 test case.
func TestIFCurrExpFixedConstants(t *testing.T) {
	m, err := NewIFCurrExpFixed(guideCell, 1.0)
	require.NoError(t, err)
	assert.EqualValues(t, 1092267, m.R)
	assert.EqualValues(t, 29650, m.E)
	assert.EqualValues(t, -1815347, m.VThresh)
	assert.EqualValues(t, 1580030169, m.Decay[SynExc])
	assert.EqualValues(t, 2714937127, m.Init[SynExc])
	assert.EqualValues(t, 4, m.TRef)
}

// §1.10: the static weight 6 (raw 6144 << 5) gives I_syn = 124279 and a spike.
func TestIFCurrExpFixedGuideSpike(t *testing.T) {
	m, err := NewIFCurrExpFixed(guideCell, 1.0)
	require.NoError(t, err)
	s, err := m.NewState(-65, 0, 0)
	require.NoError(t, err)
	m.AddInput(&s, SynExc, 6144<<5)
	assert.EqualValues(t, 124279, s.I[SynExc])
	assert.True(t, m.Update(&s), "V = -52.97 mV crosses -55.4 mV")
	assert.Equal(t, m.VReset, s.V)
	// Refractory for 4 ticks: V frozen at v_reset.
	for i := 0; i < 4; i++ {
		assert.False(t, m.Update(&s))
		assert.Equal(t, m.VReset, s.V)
	}
	m.Update(&s)
	assert.Greater(t, s.V, m.VReset, "integration restarts at t + T_ref + 1")
}

// The float neuron against the exact solution of τm dV/dt = −(V − V_rest) + R·I
// for a constant current: V(t) = V∞ + (V0 − V∞) exp(−t/τm), V∞ = V_rest + R·I.
func TestIFCurrExpFloatAnalytic(t *testing.T) {
	p := IFCurrExpParams{Cm: 0.25, TauM: 20, TauRefrac: 2, TauSynE: 5, TauSynI: 5,
		VRest: -65, VReset: -70, VThresh: 100, IOffset: 0.3}
	m := NewIFCurrExpFloat(p, 0.1)
	s := IFStateFloat{V: -70}
	vinf := p.VRest + p.TauM/p.Cm*p.IOffset
	for n := 1; n <= 2000; n++ {
		m.Update(&s)
		tms := float64(n) * 0.1
		want := vinf + (-70-vinf)*math.Exp(-tms/p.TauM)
		require.InDelta(t, want, s.V, 1e-9, "tick %d", n)
	}
}

// A synaptic input decays as exp(−t/τs) and its total charge is w·τs/h.
func TestIFCurrExpFloatSynapse(t *testing.T) {
	p := IFCurrExpParams{Cm: 1, TauM: 20, TauRefrac: 0.1, TauSynE: 5, TauSynI: 5,
		VRest: -65, VReset: -65, VThresh: -50}
	m := NewIFCurrExpFloat(p, 1)
	s := IFStateFloat{V: -65}
	m.AddInput(&s, SynExc, 2.0)
	charge := 0.0
	for n := 0; n < 400; n++ {
		charge += s.I[SynExc]
		m.Update(&s)
	}
	assert.InDelta(t, 2.0*5, charge, 1e-9)
}

// Fixed and float neurons agree within a stated tolerance: 0.01 mV over a
// second of constant drive below threshold (fixed rounds each step by at most
// one s16.15 LSB, 3e-5 mV, and the error does not grow since the map contracts).
func TestIFCurrExpFixedAgainstFloat(t *testing.T) {
	p := guideCell
	p.IOffset = 0.25
	fx, err := NewIFCurrExpFixed(p, 1)
	require.NoError(t, err)
	fl := NewIFCurrExpFloat(p, 1)
	sx, _ := fx.NewState(-65, 0, 0)
	sf := IFStateFloat{V: -65}
	for n := 0; n < 1000; n++ {
		fx.Update(&sx)
		fl.Update(&sf)
		require.InDelta(t, sf.V, S1615ToFloat(sx.V), 0.01, "tick %d", n)
	}
}

// The checked update is the chip's update bit for bit, and it says when the
// arithmetic wrapped: never for a neuron in its range, always when an input
// current too large for s16.15 after the product with R drives it.
func TestIFCurrExpChecked(t *testing.T) {
	p := IFCurrExpParams{Cm: 0.25, TauM: 20, TauRefrac: 2, TauSynE: 5, TauSynI: 5, VRest: -65, VReset: -70, VThresh: -50}
	m, err := NewIFCurrExpFixed(p, 1)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	wraps := 0
	for range 100000 {
		s := IFStateFixed{V: S1615(rng.Int32()), I: [NumSynapseTypes]S1615{S1615(rng.Int32()), S1615(rng.Int32() >> uint(rng.IntN(31)))}, Refract: rng.Int32N(3) - 1}
		c := s
		bias := S1615(rng.Int32() >> uint(rng.IntN(31)))
		spiked := m.UpdateBias(&s, bias)
		spikedC, wrapped := m.UpdateChecked(&c, bias)
		require.Equal(t, s, c)
		require.Equal(t, spiked, spikedC)
		if wrapped {
			wraps++
		}
	}
	assert.Positive(t, wraps, "random states wrap")

	s, err := m.NewState(-65, 0, 0)
	require.NoError(t, err)
	for range 1000 { // 1 nA: a normal drive
		m.AddInput(&s, SynExc, 32768)
		_, wrapped := m.UpdateChecked(&s, 0)
		require.False(t, wrapped)
	}
	s, _ = m.NewState(-65, 0, 0)
	m.AddInputChecked(&s, SynExc, 1000*32768) // 906 nA after init, · R = 80 ⇒ 72,500 mV: past s16.15
	_, wrapped := m.UpdateChecked(&s, 0)
	assert.True(t, wrapped)
}
