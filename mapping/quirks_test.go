package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/network"
)

// The loader's quirk names are the kernels' quirks, every one of them; in
// fixed they switch nothing.
func TestQuirkNames(t *testing.T) {
	net := &network.Network{Arithmetic: network.ArithmeticFloat, FloatQuirks: network.FloatQuirks}
	q, err := quirks(net)
	require.NoError(t, err)
	assert.Equal(t, kernels.AllQuirks, q)
	assert.Equal(t, kernels.QuirkNames(), network.FloatQuirks)
	net.Arithmetic = network.ArithmeticFixed
	q, err = quirks(net)
	require.NoError(t, err)
	assert.Zero(t, q)
	net = &network.Network{Arithmetic: network.ArithmeticFloat, FloatQuirks: []string{"nope"}}
	_, err = quirks(net)
	assert.ErrorContains(t, err, `float_quirks: unknown float quirk "nope"`)
}
