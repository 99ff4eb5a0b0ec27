package machine

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLink(t *testing.T) {
	tests := []struct {
		l        Link
		name     string
		dx, dy   int
		opposite Link
	}{
		{East, "E", 1, 0, West},
		{NorthEast, "NE", 1, 1, SouthWest},
		{North, "N", 0, 1, South},
		{West, "W", -1, 0, East},
		{SouthWest, "SW", -1, -1, NorthEast},
		{South, "S", 0, -1, North},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, i, int(tt.l), "link id")
			assert.Equal(t, tt.name, tt.l.String())
			dx, dy := tt.l.Delta()
			assert.Equal(t, [2]int{tt.dx, tt.dy}, [2]int{dx, dy})
			assert.Equal(t, tt.opposite, tt.l.Opposite())
			odx, ody := tt.l.Opposite().Delta()
			assert.Equal(t, [2]int{-dx, -dy}, [2]int{odx, ody}, "opposite points back")
		})
	}
	assert.Equal(t, "Link(7)", Link(7).String())
	assert.Panics(t, func() { Link(-1).Delta() })
	assert.Equal(t, Links(), []Link{East, NorthEast, North, West, SouthWest, South})
}

func TestXYAndCores(t *testing.T) {
	assert.Equal(t, "(3,-1)", XY{3, -1}.String())
	assert.Equal(t, uint16(0x0405), XY{4, 5}.ChipID())
	cores := AppCores()
	require.Len(t, cores, 16)
	assert.Equal(t, 1, cores[0])
	assert.Equal(t, 16, cores[15])
	cores[0] = 99
	assert.Equal(t, 1, AppCores()[0], "AppCores returns a fresh slice")
}

// spinn5Columns is the per-column chip range of a SpiNN-5 board as the
// reference lists it (x: y range).
var spinn5Columns = [8][2]int{{0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, 7}, {1, 7}, {2, 7}, {3, 7}}

func TestNewShapes(t *testing.T) {
	tests := []struct {
		board          string
		boards         int
		wantBoards     int
		w, h           int
		wrap           bool
		chips          int
		ethernetChips  []XY
		ethernetSample XY
	}{
		{"spinn-3", 1, 1, 2, 2, true, 4, []XY{{0, 0}}, XY{0, 0}},
		{"SpiNN-3", 1, 1, 2, 2, true, 4, []XY{{0, 0}}, XY{0, 0}},
		{"spinn-5", 1, 1, 8, 8, false, 48, []XY{{0, 0}}, XY{0, 0}},
		{"spinn-5", 3, 3, 12, 12, true, 144, []XY{{0, 0}, {4, 8}, {8, 4}}, XY{8, 4}},
		{"spinn-5", 3, 3, 12, 12, true, 144, nil, XY{4, 8}},
		{"spinn-5", 6, 6, 24, 12, true, 288, nil, XY{12, 0}},
		{"spinn-5", 12, 12, 24, 24, true, 576, nil, XY{16, 20}},
		{"spinn-5", 18, 18, 36, 24, true, 864, nil, XY{28, 20}},
		{"spinn-5", 1200, 1200, 240, 240, true, 57600, nil, XY{232, 236}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.board, tt.boards), func(t *testing.T) {
			m, err := New(tt.board, tt.boards)
			require.NoError(t, err)
			assert.Equal(t, tt.wantBoards, m.Boards)
			assert.Equal(t, [2]int{tt.w, tt.h}, [2]int{m.Width, m.Height})
			assert.Equal(t, [2]bool{tt.wrap, tt.wrap}, [2]bool{m.WrapX, m.WrapY})
			assert.Equal(t, tt.chips, m.NumChips())
			assert.Len(t, m.Chips(), tt.chips)
			eth := m.EthernetChips()
			assert.Len(t, eth, tt.wantBoards)
			if tt.ethernetChips != nil {
				assert.Equal(t, tt.ethernetChips, eth)
			}
			e, ok := m.BoardOf(tt.ethernetSample)
			assert.True(t, ok)
			assert.Equal(t, tt.ethernetSample, e, "sample is an Ethernet chip")
			for _, e := range eth {
				if m.Board == SpiNN5 && m.Boards > 1 {
					assert.Zero(t, e.X%4, "legal Ethernet x %v", e)
					assert.Zero(t, (e.X+e.Y)%12, "legal Ethernet x+y %v", e)
				}
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		board  string
		boards int
		want   string
	}{
		{"spinn-4", 1, `"spinn-4"`},
		{"", 1, `""`},
		{"spinn-3", 2, "got 2"},
		{"spinn-3", 0, "got 0"},
		{"spinn-5", 0, "count 0"},
		{"spinn-5", -3, "count -3"},
		{"spinn-5", 1201, "count 1201"},
		{"spinn-5", 2, "2 spinn-5 boards cannot be built"},
		{"spinn-5", 9, "(9 boards would get 12); ask for 6 or 12"},
		{"spinn-5", 13, "ask for 12 or 18"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.board, tt.boards), func(t *testing.T) {
			m, err := New(tt.board, tt.boards)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// The counts a machine can have: one board, or near-square rectangles of
// triads holding exactly that many boards.
func TestBuildableBoards(t *testing.T) {
	var got []int
	for n := range 60 {
		if BuildableBoards(n) {
			got = append(got, n)
		}
	}
	assert.Equal(t, []int{1, 3, 6, 12, 18, 27, 36, 48}, got)
	assert.True(t, BuildableBoards(1200), "400 triads, 20x20")
	below, above := NearestBoards(2)
	assert.Equal(t, [2]int{1, 3}, [2]int{below, above})
	below, above = NearestBoards(12)
	assert.Equal(t, [2]int{12, 12}, [2]int{below, above})
	below, above = NearestBoards(1201)
	assert.Equal(t, [2]int{1200, 0}, [2]int{below, above})
}

// Dead system cores take an application core with them.
func TestAppCoresOf(t *testing.T) {
	m, err := New(SpiNN5, 1)
	require.NoError(t, err)
	assert.Equal(t, AppCores(), m.AppCoresOf(XY{1, 1}))
	require.NoError(t, m.KillCore(XY{1, 1}, 5))
	require.NoError(t, m.KillCore(XY{1, 1}, 0))
	require.NoError(t, m.KillCore(XY{1, 1}, 17))
	assert.Equal(t, []int{1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14}, m.AppCoresOf(XY{1, 1}))
	require.NoError(t, m.KillChip(XY{2, 2}))
	assert.Empty(t, m.AppCoresOf(XY{2, 2}))
	assert.Empty(t, m.AppCoresOf(XY{7, 0}), "not on the board")
}

func TestSpiNN5Hexagon(t *testing.T) {
	m, err := New(SpiNN5, 1)
	require.NoError(t, err)
	var want []XY
	for x, r := range spinn5Columns {
		for y := r[0]; y <= r[1]; y++ {
			want = append(want, XY{x, y})
		}
	}
	require.Len(t, want, 48)
	assert.Equal(t, want, m.Chips(), "chips sorted by (x, y), exactly the reference ranges")
	for x := -1; x <= 8; x++ {
		for y := -1; y <= 8; y++ {
			in := x >= 0 && x < 8 && y >= spinn5Columns[x][0] && y <= spinn5Columns[x][1]
			assert.Equal(t, in, m.HasChip(XY{x, y}), "HasChip(%d,%d)", x, y)
		}
	}
	for _, c := range m.Chips() {
		e, ok := m.BoardOf(c)
		require.True(t, ok)
		assert.Equal(t, XY{0, 0}, e)
	}
}

func TestTriadTiling(t *testing.T) {
	// Every chip of a multi-board machine belongs to exactly one board
	// (New panics on overlap) and every board holds 48 chips whose offsets
	// from its Ethernet chip form the SpiNN-5 hexagon.
	for _, boards := range []int{3, 6, 12, 27} {
		t.Run(fmt.Sprint(boards), func(t *testing.T) {
			m, err := New(SpiNN5, boards)
			require.NoError(t, err)
			require.Equal(t, m.Width*m.Height, m.NumChips(), "full torus, no holes")
			perBoard := map[XY]int{}
			for _, c := range m.Chips() {
				e, ok := m.BoardOf(c)
				require.True(t, ok)
				perBoard[e]++
				lx, ly := mod(c.X-e.X, m.Width), mod(c.Y-e.Y, m.Height)
				assert.True(t, inHexagon(lx, ly), "%v on board %v at offset (%d,%d)", c, e, lx, ly)
			}
			assert.Len(t, perBoard, m.Boards)
			for e, n := range perBoard {
				assert.Equal(t, 48, n, "board %v", e)
			}
		})
	}
}

func TestNeighbour(t *testing.T) {
	s5, err := New(SpiNN5, 1)
	require.NoError(t, err)
	s3, err := New(SpiNN3, 1)
	require.NoError(t, err)
	big, err := New(SpiNN5, 3)
	require.NoError(t, err)
	tests := []struct {
		name string
		m    *Machine
		c    XY
		l    Link
		want XY
		ok   bool
	}{
		{"s5 interior E", s5, XY{3, 3}, East, XY{4, 3}, true},
		{"s5 interior SW", s5, XY{3, 3}, SouthWest, XY{2, 2}, true},
		{"s5 origin W off box", s5, XY{0, 0}, West, XY{}, false},
		{"s5 origin S off box", s5, XY{0, 0}, South, XY{}, false},
		{"s5 origin SW off box", s5, XY{0, 0}, SouthWest, XY{}, false},
		{"s5 origin NE", s5, XY{0, 0}, NorthEast, XY{1, 1}, true},
		{"s5 top of column 0 N missing chip", s5, XY{0, 3}, North, XY{}, false},
		{"s5 top of column 0 NE", s5, XY{0, 3}, NorthEast, XY{1, 4}, true},
		{"s5 (4,0) E missing chip (5,0)", s5, XY{4, 0}, East, XY{}, false},
		{"s5 (7,7) NE off box", s5, XY{7, 7}, NorthEast, XY{}, false},
		{"s5 (7,3) S missing chip", s5, XY{7, 3}, South, XY{}, false},
		{"s5 (7,3) W", s5, XY{7, 3}, West, XY{6, 3}, true},
		{"s5 no such chip", s5, XY{0, 7}, East, XY{}, false},
		{"s5 invalid link", s5, XY{3, 3}, Link(6), XY{}, false},
		{"s3 E", s3, XY{0, 0}, East, XY{1, 0}, true},
		{"s3 W wraps", s3, XY{0, 0}, West, XY{1, 0}, true},
		{"s3 S wraps", s3, XY{0, 0}, South, XY{0, 1}, true},
		{"s3 SW wraps", s3, XY{0, 0}, SouthWest, XY{1, 1}, true},
		{"s3 NE wraps", s3, XY{1, 1}, NorthEast, XY{0, 0}, true},
		{"triad W wraps", big, XY{0, 5}, West, XY{11, 5}, true},
		{"triad NE wraps both", big, XY{11, 11}, NorthEast, XY{0, 0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.m.Neighbour(tt.c, tt.l)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestNeighbourSymmetry checks that links are symmetric: if b is a's neighbour over l,
// a is b's neighbour over l.Opposite().
func TestNeighbourSymmetry(t *testing.T) {
	for _, tc := range []struct {
		board  string
		boards int
	}{{SpiNN3, 1}, {SpiNN5, 1}, {SpiNN5, 6}} {
		m, err := New(tc.board, tc.boards)
		require.NoError(t, err)
		require.NoError(t, m.KillLink(XY{1, 1}, North))
		for _, c := range m.Chips() {
			for _, l := range Links() {
				n, ok := m.Neighbour(c, l)
				if !ok {
					continue
				}
				back, ok := m.Neighbour(n, l.Opposite())
				require.True(t, ok, "%s: %v -%v-> %v has no way back", tc.board, c, l, n)
				assert.Equal(t, c, back)
			}
		}
	}
}

func TestFaults(t *testing.T) {
	m, err := New(SpiNN5, 1)
	require.NoError(t, err)

	// Cores.
	assert.True(t, m.CoreAlive(XY{2, 2}, 0))
	assert.True(t, m.CoreAlive(XY{2, 2}, 17))
	assert.False(t, m.CoreAlive(XY{2, 2}, 18))
	assert.False(t, m.CoreAlive(XY{2, 2}, -1))
	assert.False(t, m.CoreAlive(XY{0, 7}, 1), "no such chip")
	require.NoError(t, m.KillCore(XY{2, 2}, 5))
	require.NoError(t, m.KillCore(XY{2, 2}, 5), "idempotent")
	assert.False(t, m.CoreAlive(XY{2, 2}, 5))
	assert.True(t, m.CoreAlive(XY{2, 2}, 6))
	assert.True(t, m.CoreAlive(XY{2, 3}, 5))
	assert.ErrorIs(t, m.KillCore(XY{2, 2}, 18), ErrNoCore)
	assert.ErrorIs(t, m.KillCore(XY{0, 7}, 1), ErrNoChip)

	// Links die in both directions.
	require.NoError(t, m.KillLink(XY{3, 3}, NorthEast))
	_, ok := m.Neighbour(XY{3, 3}, NorthEast)
	assert.False(t, ok)
	_, ok = m.Neighbour(XY{4, 4}, SouthWest)
	assert.False(t, ok)
	_, ok = m.Neighbour(XY{3, 3}, North)
	assert.True(t, ok)
	assert.ErrorIs(t, m.KillLink(XY{0, 0}, West), ErrNoLink, "leaves the board")
	assert.ErrorIs(t, m.KillLink(XY{0, 3}, North), ErrNoLink, "(0,4) is not on the board")
	assert.ErrorIs(t, m.KillLink(XY{0, 0}, Link(9)), ErrNoLink)
	assert.ErrorIs(t, m.KillLink(XY{9, 9}, East), ErrNoChip)

	// Chips.
	require.NoError(t, m.KillChip(XY{0, 0}))
	assert.False(t, m.HasChip(XY{0, 0}))
	assert.Equal(t, 47, m.NumChips())
	assert.Len(t, m.Chips(), 47)
	assert.NotContains(t, m.Chips(), XY{0, 0})
	assert.Empty(t, m.EthernetChips(), "the only Ethernet chip is dead")
	assert.False(t, m.CoreAlive(XY{0, 0}, 1))
	_, ok = m.Neighbour(XY{1, 1}, SouthWest)
	assert.False(t, ok, "link into a dead chip")
	assert.ErrorIs(t, m.KillChip(XY{0, 0}), ErrNoChip)
	e, ok := m.BoardOf(XY{1, 1})
	assert.True(t, ok)
	assert.Equal(t, XY{0, 0}, e, "board identity survives its Ethernet chip")
}
