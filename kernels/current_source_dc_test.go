package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewDCSourceTicks(t *testing.T) {
	cases := []struct {
		start, stop, h float64
		wantLo, wantHi uint32
	}{
		{25, 125, 1, 25, 125},
		{25.7, 125.2, 1, 25, 125}, // truncated, as int() on the host
		{2.5, 12.55, 0.1, 25, 125},
		{0, math.Inf(1), 1, 0, math.MaxUint32},
		{0, 1e300, 0.1, 0, math.MaxUint32},
	}
	for _, c := range cases {
		d := NewDCSource(0.5, c.start, c.stop, c.h)
		assert.Equal(t, c.wantLo, d.Start, "start %g at h %g", c.start, c.h)
		assert.Equal(t, c.wantHi, d.Stop, "stop %g at h %g", c.stop, c.h)
	}
	d := NewDCSource(0.5, 25, 125, 1)
	assert.False(t, d.On(24))
	assert.True(t, d.On(25))
	assert.True(t, d.On(124))
	assert.False(t, d.On(125), "stop is exclusive")
}

func TestDCOffsetSums(t *testing.T) {
	a := NewDCSource(0.5, 10, 20, 1)
	b := NewDCSource(-0.125, 15, 30, 1)
	srcs := []DCSource{a, b}
	fa, err := a.Fixed()
	require.NoError(t, err)
	fb, err := b.Fixed()
	require.NoError(t, err)
	fsrcs := []DCSourceFixed{fa, fb}
	for _, c := range []struct {
		t    uint32
		want float64
	}{{9, 0}, {10, 0.5}, {15, 0.375}, {20, -0.125}, {30, 0}} {
		assert.Equal(t, c.want, DCOffsetFloat(srcs, c.t), "tick %d", c.t)
		assert.Equal(t, c.want, S1615ToFloat(DCOffsetFixed(fsrcs, c.t)), "tick %d (exact in s16.15)", c.t)
	}
	_, err = NewDCSource(70000, 0, 1, 1).Fixed()
	assert.ErrorContains(t, err, "DCSource amplitude")
}

// A DC step charges the membrane as τm dV/dt = −(V − v_rest) + R·I: after n
// updates with the current on, V = v_rest + R·I·(1 − e^{−n·h/τm}); after the
// step it relaxes back as e^{−m·h/τm}. Float is exact. Fixed point follows
// the same curve with E = e^{−h/τm} as the chip holds it (s16.15: 32605/32768
// instead of 0.9950125, so it approaches 0.26 % slower) to within 12.5 µV:
// each update floors two products (at most 2 steps of 2^-15 mV), and the
// membrane forgets such an error only by E per step, so the errors add up to
// at most 2·2^-15/(1 − E) = 12.3 µV. Against the exact curve the slower
// approach adds up to 24 mV · 0.26 % · max(x·e^{−x}) = 23 µV: 40 µV in all.
func TestDCStepMembrane(t *testing.T) {
	p := IFCurrExpParams{Cm: 0.25, TauM: 20, TauRefrac: 2, TauSynE: 5, TauSynI: 5,
		VRest: -65, VReset: -70, VThresh: 0, IOffset: 0} // no spike: threshold out of reach
	const h, amp = 0.1, 0.3
	const start, stop = 10.0, 30.0 // ms: ticks 100 to 299 inject
	dc := NewDCSource(amp, start, stop, h)
	fdc, err := dc.Fixed()
	require.NoError(t, err)
	fl := NewIFCurrExpFloat(p, h)
	fx, err := NewIFCurrExpFixed(p, h)
	require.NoError(t, err)
	sf := IFStateFloat{V: p.VRest}
	sx, err := fx.NewState(p.VRest, 0, 0)
	require.NoError(t, err)

	r := p.TauM / p.Cm
	// curve is V after the update of tick, for a per-step decay e.
	curve := func(tick uint32, e float64) float64 {
		switch {
		case tick < dc.Start:
			return p.VRest
		case tick < dc.Stop:
			n := float64(tick - dc.Start + 1)
			return p.VRest + r*amp*(1-math.Pow(e, n))
		default:
			vStop := p.VRest + r*amp*(1-math.Pow(e, float64(dc.Stop-dc.Start)))
			return p.VRest + (vStop-p.VRest)*math.Pow(e, float64(tick-dc.Stop+1))
		}
	}
	exact := math.Exp(-h / p.TauM)
	chip := S1615ToFloat(fx.E)
	require.Equal(t, 32605.0/32768, chip)
	for tick := uint32(0); tick < 500; tick++ {
		assert.False(t, fl.UpdateBias(&sf, DCOffsetFloat([]DCSource{dc}, tick)))
		assert.False(t, fx.UpdateBias(&sx, DCOffsetFixed([]DCSourceFixed{fdc}, tick)))
		require.InDelta(t, curve(tick, exact), sf.V, 1e-9, "float at tick %d", tick)
		require.InDelta(t, curve(tick, chip), S1615ToFloat(sx.V), 12.5e-3, "fixed at tick %d against its own E", tick)
		require.InDelta(t, curve(tick, exact), S1615ToFloat(sx.V), 40e-3, "fixed at tick %d against the exact curve", tick)
	}
	// The step really moved the membrane: 20 ms at τm = 20 ms reaches 63 % of R·I = 24 mV.
	assert.InDelta(t, -65+24*(1-math.Exp(-1)), curve(299, exact), 1e-9)
}
