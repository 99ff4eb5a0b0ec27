package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
)

// A slice that needs several cores gets them all on one chip: a chip with
// too few left is passed over, and so is a chip without the SDRAM.
func TestPlaceMultiCoreSlices(t *testing.T) {
	net := &network.Network{Populations: []network.Population{{Label: "a", Size: 6}, {Label: "b", Size: 1}}}
	mc, err := machine.New(machine.SpiNN3, 1)
	require.NoError(t, err)
	require.NoError(t, mc.KillCore(machine.XY{X: 0, Y: 1}, 2))
	var a []*Slice
	for i := range 6 {
		a = append(a, &Slice{Pop: 0, Lo: i, Hi: i + 1, Cores: 5})
	}
	big := &Slice{Pop: 1, Lo: 0, Hi: 1, Cores: 1, Est: Estimate{SDRAM: SDRAMPerChip - 1000}}
	big2 := &Slice{Pop: 1, Lo: 0, Hi: 1, Cores: 1, Est: Estimate{SDRAM: 2000}}
	all := [][]*Slice{a, {big, big2}}
	require.NoError(t, place(net, mc, all))
	// 16 cores a chip: three 5-core slices fill 15; the fourth goes on.
	assert.Equal(t, machine.XY{X: 0, Y: 0}, a[2].Chip)
	assert.Equal(t, []int{11, 12, 13, 14, 15}, a[2].Ps)
	assert.Equal(t, machine.XY{X: 0, Y: 1}, a[3].Chip)
	assert.Equal(t, []int{1, 3, 4, 5, 6}, a[3].Ps, "the dead core 2 is passed over")
	assert.Equal(t, a[3].Ps[0], a[3].P)
	for _, s := range a {
		assert.Len(t, s.Ps, 5)
	}
	assert.Equal(t, machine.XY{X: 0, Y: 1}, a[5].Chip, "(0,1) has 15 live cores: room for three")
	assert.Equal(t, []int{12, 13, 14, 15, 16}, a[5].Ps)
	// big takes nearly all of (1,0)'s SDRAM: big2 needs more than is left
	// and goes to the next chip, though (1,0) has cores to spare.
	assert.Equal(t, machine.XY{X: 1, Y: 0}, big.Chip)
	assert.Equal(t, 1, big.P)
	assert.Equal(t, machine.XY{X: 1, Y: 1}, big2.Chip)

	// Thirteen slices of 5 cores need more than the 63 live cores.
	var many []*Slice
	for i := range 13 {
		many = append(many, &Slice{Pop: 0, Lo: i, Hi: i + 1, Cores: 5})
	}
	err = place(&network.Network{Populations: []network.Population{{Label: "a", Size: 13}}}, mc, [][]*Slice{many})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the network needs 65 cores")
	assert.Contains(t, err.Error(), "63 live application cores")
}
