package kernels

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The host conversions of the reference §6 test case and §1.3.
func TestHostConversions(t *testing.T) {
	r, err := ToS1615(10.0 / 0.3)
	require.NoError(t, err)
	assert.EqualValues(t, 1092267, r, "R = tau_m/cm")
	vt, err := ToS1615(-55.4)
	require.NoError(t, err)
	assert.EqualValues(t, -1815347, vt, "V_thresh")
	k, err := ToS1615(1 / -(1.0/1000 + 1.0/200))
	require.NoError(t, err)
	assert.EqualValues(t, -5461333, k, "K for tau_c 1000, tau_d 200")
	k2, err := ToS1615(1 / -(1.0/100 + 1.0/5))
	require.NoError(t, err)
	assert.EqualValues(t, -156038, k2, "K for tau_c 100, tau_d 5")
	// Round half to even on exact halves.
	h, _ := ToS1615(0.5 / 32768)
	assert.EqualValues(t, 0, h)
	h, _ = ToS1615(1.5 / 32768)
	assert.EqualValues(t, 2, h)
	_, err = ToS1615(70000)
	assert.Error(t, err)
}

func TestMultiplies(t *testing.T) {
	// §1.8: F(19936, 205) = 1995; F(1995, -2031) = -1979 (floor of -1978.4).
	assert.EqualValues(t, 1995, MulAccumS411(19936, 205))
	assert.EqualValues(t, -1979, MulAccumS411(1995, -2031))
	// A(-1979, -5461333) = 329833.
	assert.EqualValues(t, 329833, MulAccum(-1979, -5461333))
	// M(935, 38) = 17.
	assert.EqualValues(t, 17, Mul16(935, 38))
	// SMULBB reads only the low halves: a wide 0x10000 + 2048 is read as
	// 2048 once it is an S411; a wide 20.5 (41984) wraps to -23552 (P7).
	wide := S411Wide(0x10000 + 2048)
	assert.EqualValues(t, 2048, Mul16(S411(wide), 2048))
	trace := S411Wide(41984)
	assert.EqualValues(t, -23552, S411(trace))
	// The product itself is 32-bit: 15.99 × 15.99 does not wrap.
	assert.EqualValues(t, 32767*32767>>11, Mul16(32767, 32767))
}

// The table sizes and entries of the reference §1.3.
func TestExpLUTs(t *testing.T) {
	cases := []struct {
		tau   float64
		shift uint32
		size  int
		first []S411
	}{
		{1000, 4, 478, []S411{2048, 2015, 1983, 1952, 1921, 1890, 1860, 1831}},
		{200, 2, 382, []S411{2048, 2007, 1967, 1928, 1890, 1853, 1816, 1780}},
		{100, 4, 48, []S411{2048, 1745, 1487, 1267, 1079, 920, 784, 668}},
		{5, 2, 10, []S411{2048, 920, 413, 185, 83, 37, 16, 7, 3, 1}},
		{10, 0, 78, []S411{2048, 1853, 1676, 1517, 1372}},
		{12, 0, 92, []S411{2048, 1884, 1733, 1594, 1467}},
		{2, 0, 16, []S411{2048, 1242, 753, 456, 277}},
		{1, 0, 8, []S411{2048, 753, 277, 101, 37, 13, 5, 1}},
	}
	for _, c := range cases {
		l := NewExpLUT(c.tau, 1.0, c.shift)
		assert.Len(t, l.Values, c.size, "tau %v shift %v", c.tau, c.shift)
		assert.Equal(t, c.first, l.Values[:len(c.first)], "tau %v", c.tau)
	}
	tc := NewExpLUT(1000, 1, 4)
	assert.EqualValues(t, 1860, tc.Values[6])
	assert.EqualValues(t, 935, tc.Values[49])
	assert.EqualValues(t, 1860, tc.Decay(97))
	assert.EqualValues(t, 935, tc.Decay(799))
	td := NewExpLUT(200, 1, 2)
	assert.EqualValues(t, 38, td.Values[199])
	assert.EqualValues(t, 38, td.Decay(799))
	tp := NewExpLUT(10, 1, 0)
	assert.EqualValues(t, 1372, tp.Decay(4))
	tm := NewExpLUT(12, 1, 0)
	assert.EqualValues(t, 0, tm.Decay(97), "past the end of the table")
	// Staircase: shift 2 means no decay at all over 0..3 ticks.
	for dt := uint32(0); dt < 4; dt++ {
		assert.EqualValues(t, 2048, td.Decay(dt))
	}
}
