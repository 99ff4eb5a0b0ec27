package sdram

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/machine"
)

func TestAllocation(t *testing.T) {
	m := New(machine.XY{X: 1, Y: 2})
	a, err := m.Alloc("a", 3, nil, 10)
	require.NoError(t, err)
	b, err := m.Alloc("b", 4, []int{5}, 6)
	require.NoError(t, err)
	assert.Equal(t, Base, m.Region(a).Addr)
	assert.Equal(t, Base+40, m.Region(b).Addr, "regions follow each other")
	assert.Equal(t, 64, m.Used())
	assert.Nil(t, m.Region(7))
	_, err = m.Alloc("huge", 3, nil, Bytes/4)
	var full *FullError
	require.ErrorAs(t, err, &full)
	assert.ErrorContains(t, err, `chip (1,2): SDRAM region "huge" needs 134217728 bytes, 134217664 of 134217728 are free`)
	assert.Equal(t, 64, m.Used(), "a refused region takes nothing")
}

// A core writes a block that another core of the chip reads back.
func TestWriteThenRead(t *testing.T) {
	m := New(machine.XY{})
	id, err := m.Alloc("input", 2, []int{1}, 4)
	require.NoError(t, err)
	require.NoError(t, m.Do(2, &Transfer{Region: id, Offset: 1, Write: true, Data: []uint32{7, 8, 9}}))
	tr := Transfer{Region: id, Words: 4}
	require.NoError(t, m.Do(1, &tr))
	assert.Equal(t, []uint32{0, 7, 8, 9}, tr.Data)
	assert.EqualValues(t, 1, m.Reads)
	assert.EqualValues(t, 1, m.Writes)
	assert.EqualValues(t, 7, m.ReadWords+m.WriteWords)
}

// Accesses outside a region, to a region another core owns, or to a region
// that does not exist are errors naming chip, core, region and address, and
// change nothing.
func TestAccessErrors(t *testing.T) {
	m := New(machine.XY{X: 3, Y: 4})
	id, err := m.Alloc("input", 2, []int{1}, 4)
	require.NoError(t, err)
	for _, c := range []struct {
		p    int
		tr   Transfer
		want string
	}{
		{2, Transfer{Region: id, Offset: 3, Write: true, Data: []uint32{1, 2}},
			`chip (3,4) core 2: DMA write of 8 bytes at 0x7000000c, region "input": outside the region (0x70000000, 16 bytes)`},
		{1, Transfer{Region: id, Offset: 0, Words: 5},
			`chip (3,4) core 1: DMA read of 20 bytes at 0x70000000, region "input": outside the region`},
		{6, Transfer{Region: id, Words: 1},
			`chip (3,4) core 6: DMA read of 4 bytes at 0x70000000, region "input": the region belongs to core 2 and is not shared with core 6`},
		{2, Transfer{Region: 9, Words: 1}, `chip (3,4) core 2: DMA read of 4 bytes at 0x00000000, no region: region id 9 was never allocated`},
	} {
		err := m.Do(c.p, &c.tr)
		var ae *AccessError
		require.ErrorAs(t, err, &ae)
		assert.ErrorContains(t, err, c.want)
	}
	assert.Equal(t, []uint32{0, 0, 0, 0}, m.Region(id).Words)
	assert.Zero(t, m.Reads+m.Writes)
}
