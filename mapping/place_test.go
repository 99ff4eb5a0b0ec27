package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
)

// multi is a slice that needs cores cores (one neuron and cores-1 synapse
// cores).
func multi(pop, lo, cores int) *Slice {
	s := &Slice{Pop: pop, Lo: lo, Hi: lo + 1}
	for range cores - 1 {
		s.SynCores = append(s.SynCores, SynapseCore{Block: -1})
	}
	return s
}

// placed is every core of a slice, its neuron core first.
func placed(s *Slice) []int {
	ps := []int{s.P}
	for _, sc := range s.SynCores {
		ps = append(ps, sc.P)
	}
	return ps
}

// A slice that needs several cores gets them all on one chip: a chip with
// too few left is passed over, and so is a chip without the SDRAM.
func TestPlaceMultiCoreSlices(t *testing.T) {
	net := &network.Network{Populations: []network.Population{{Label: "a", Size: 6}, {Label: "b", Size: 1}}}
	mc, err := machine.New(machine.SpiNN3, 1)
	require.NoError(t, err)
	require.NoError(t, mc.KillCore(machine.XY{X: 0, Y: 1}, 2))
	var a []*Slice
	for i := range 6 {
		a = append(a, multi(0, i, 5))
	}
	big := &Slice{Pop: 1, Lo: 0, Hi: 1, Est: Estimate{SDRAM: SDRAMPerChip - 1000}}
	big2 := &Slice{Pop: 1, Lo: 0, Hi: 1, Est: Estimate{SDRAM: 2000}}
	all := [][]*Slice{a, {big, big2}}
	require.NoError(t, place(net, mc, all))
	// 16 cores a chip: three 5-core slices fill 15; the fourth goes on.
	assert.Equal(t, machine.XY{X: 0, Y: 0}, a[2].Chip)
	assert.Equal(t, []int{11, 12, 13, 14, 15}, placed(a[2]))
	assert.Equal(t, machine.XY{X: 0, Y: 1}, a[3].Chip)
	assert.Equal(t, []int{1, 3, 4, 5, 6}, placed(a[3]), "the dead core 2 is passed over")
	for _, s := range a {
		assert.Len(t, placed(s), 5)
	}
	assert.Equal(t, machine.XY{X: 0, Y: 1}, a[5].Chip, "(0,1) has 15 live cores: room for three")
	assert.Equal(t, []int{12, 13, 14, 15, 16}, placed(a[5]))
	// big takes nearly all of (1,0)'s SDRAM: big2 needs more than is left
	// and goes to the next chip, though (1,0) has cores to spare.
	assert.Equal(t, machine.XY{X: 1, Y: 0}, big.Chip)
	assert.Equal(t, 1, big.P)
	assert.Equal(t, machine.XY{X: 1, Y: 1}, big2.Chip)

	// Thirteen slices of 5 cores need more than the 63 live cores.
	var many []*Slice
	for i := range 13 {
		many = append(many, multi(0, i, 5))
	}
	err = place(&network.Network{Populations: []network.Population{{Label: "a", Size: 13}}}, mc, [][]*Slice{many})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the network needs 65 cores")
	assert.Contains(t, err.Error(), "63 live application cores")
}
