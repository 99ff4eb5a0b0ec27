package machine

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hexDistance is the reference's hop count on a machine without wrap:
// max(|dx|,|dy|) when dx and dy have the same sign, |dx|+|dy| otherwise.
func hexDistance(a, b XY) int {
	dx, dy := b.X-a.X, b.Y-a.Y
	if dx*dy >= 0 {
		return max(abs(dx), abs(dy))
	}
	return abs(dx) + abs(dy)
}

func mustNew(t testing.TB, board string, boards int) *Machine {
	t.Helper()
	m, err := New(board, boards)
	require.NoError(t, err)
	return m
}

func TestPathAllPairsSpiNN5(t *testing.T) {
	m := mustNew(t, SpiNN5, 1)
	for _, src := range m.Chips() {
		for _, dst := range m.Chips() {
			p, err := m.Path(src, dst)
			require.NoError(t, err, "%v->%v", src, dst)
			require.Len(t, p, hexDistance(src, dst), "%v->%v: %v", src, dst, p)
			require.Equal(t, hexDistance(src, dst), m.Distance(src, dst))
			end, err := m.Follow(src, p)
			require.NoError(t, err)
			require.Equal(t, dst, end, "%v->%v: %v", src, dst, p)
		}
	}
}

// bfsDistances returns the hop count from src to every chip over live
// links (-1 when unreachable), indexed like Machine.live.
func bfsDistances(m *Machine, src XY) []int {
	dist := make([]int, len(m.live))
	for i := range dist {
		dist[i] = -1
	}
	dist[m.index(src)] = 0
	queue := []XY{src}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, l := range Links() {
			if n, ok := m.Neighbour(cur, l); ok && dist[m.index(n)] < 0 {
				dist[m.index(n)] = dist[m.index(cur)] + 1
				queue = append(queue, n)
			}
		}
	}
	return dist
}

// TestPathAllPairsTorus compares Path with breadth-first distances on
// fault-free wrapping machines, so wrap-around choices are shortest too.
func TestPathAllPairsTorus(t *testing.T) {
	for _, tc := range []struct {
		board  string
		boards int
	}{{SpiNN3, 1}, {SpiNN5, 3}, {SpiNN5, 6}, {SpiNN5, 12}, {SpiNN5, 18}} {
		t.Run(fmt.Sprintf("%s/%d", tc.board, tc.boards), func(t *testing.T) {
			m := mustNew(t, tc.board, tc.boards)
			step := 1 + len(m.Chips())/150 // sample sources on big machines
			for i, src := range m.Chips() {
				if i%step != 0 {
					continue
				}
				dist := bfsDistances(m, src)
				for _, dst := range m.Chips() {
					p, err := m.Path(src, dst)
					require.NoError(t, err)
					require.Len(t, p, dist[m.index(dst)], "%v->%v: %v", src, dst, p)
					require.Equal(t, len(p), m.Distance(src, dst))
					end, err := m.Follow(src, p)
					require.NoError(t, err)
					require.Equal(t, dst, end)
				}
			}
		})
	}
}

// TestPathFaultyIsShortest checks the BFS fallback against breadth-first
// distances on a board with several faults.
func TestPathFaultyIsShortest(t *testing.T) {
	m := mustNew(t, SpiNN5, 3)
	require.NoError(t, m.KillChip(XY{5, 5}))
	require.NoError(t, m.KillChip(XY{6, 5}))
	require.NoError(t, m.KillLink(XY{2, 2}, NorthEast))
	require.NoError(t, m.KillLink(XY{9, 1}, West))
	require.NoError(t, m.KillLink(XY{0, 0}, SouthWest))
	for _, src := range m.Chips() {
		dist := bfsDistances(m, src)
		for _, dst := range m.Chips() {
			p, err := m.Path(src, dst)
			require.NoError(t, err)
			require.Len(t, p, dist[m.index(dst)], "%v->%v: %v", src, dst, p)
			end, err := m.Follow(src, p)
			require.NoError(t, err)
			require.Equal(t, dst, end)
		}
	}
}

func TestPathExamples(t *testing.T) {
	s5 := mustNew(t, SpiNN5, 1)
	s3 := mustNew(t, SpiNN3, 1)
	triad := mustNew(t, SpiNN5, 3)
	E, NE, N, W, SW, S := East, NorthEast, North, West, SouthWest, South
	tests := []struct {
		name     string
		m        *Machine
		src, dst XY
		want     []Link
	}{
		{"self", s5, XY{2, 2}, XY{2, 2}, []Link{}},
		{"east", s5, XY{0, 0}, XY{3, 0}, []Link{E, E, E}},
		{"diagonal", s5, XY{0, 0}, XY{4, 4}, []Link{NE, NE, NE, NE}},
		{"longest first: x then diagonal", s5, XY{0, 0}, XY{4, 1}, []Link{E, E, E, NE}},
		{"tie: y before diagonal", s5, XY{0, 0}, XY{3, 6}, []Link{N, N, N, NE, NE, NE}},
		{"longest first: diagonal then y", s5, XY{1, 0}, XY{4, 5}, []Link{NE, NE, NE, N, N}},
		{"mixed signs", s5, XY{4, 0}, XY{1, 4}, []Link{N, N, N, N, W, W, W}},
		{"back SW", s5, XY{7, 7}, XY{4, 3}, []Link{SW, SW, SW, S}},
		{"spinn-3 wrap W is as short as E, E wins", s3, XY{0, 0}, XY{1, 0}, []Link{E}},
		{"spinn-3 diagonal", s3, XY{0, 0}, XY{1, 1}, []Link{NE}},
		{"triad wraps W", triad, XY{1, 5}, XY{10, 5}, []Link{W, W, W}},
		{"triad wraps SW", triad, XY{0, 0}, XY{10, 10}, []Link{SW, SW}},
		{"triad mixed signs wrap to diagonal", triad, XY{0, 6}, XY{6, 0}, []Link{NE, NE, NE, NE, NE, NE}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.Path(tt.src, tt.dst)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPathAvoidsDeadLink(t *testing.T) {
	m := mustNew(t, SpiNN5, 1)
	src, dst := XY{0, 0}, XY{3, 0}
	p, err := m.Path(src, dst)
	require.NoError(t, err)
	require.Equal(t, []Link{East, East, East}, p)

	require.NoError(t, m.KillLink(XY{1, 0}, East))
	p, err = m.Path(src, dst)
	require.NoError(t, err)
	assert.Len(t, p, 4, "one hop longer around the dead link: %v", p)
	assert.NotEqual(t, []Link{East, East, East}, p)
	end, err := m.Follow(src, p)
	require.NoError(t, err)
	assert.Equal(t, dst, end)
	cur := src
	for _, l := range p {
		assert.False(t, (cur == XY{1, 0} && l == East) || (cur == XY{2, 0} && l == West), "uses the dead link")
		cur, _ = m.Neighbour(cur, l)
	}
	again, err := m.Path(src, dst)
	require.NoError(t, err)
	assert.Equal(t, p, again, "deterministic")

	// A dead chip on the straight route is avoided too.
	m2 := mustNew(t, SpiNN5, 1)
	require.NoError(t, m2.KillChip(XY{2, 2}))
	p, err = m2.Path(XY{0, 0}, XY{4, 4})
	require.NoError(t, err)
	assert.Len(t, p, 5)
	end, err = m2.Follow(XY{0, 0}, p)
	require.NoError(t, err)
	assert.Equal(t, XY{4, 4}, end)
}

func TestPathUnreachable(t *testing.T) {
	m := mustNew(t, SpiNN5, 1)
	// (0,0) has three links on the board: E, NE, N. Cut them all.
	for _, l := range []Link{East, NorthEast, North} {
		require.NoError(t, m.KillLink(XY{0, 0}, l))
	}
	_, err := m.Path(XY{0, 0}, XY{5, 5})
	assert.ErrorIs(t, err, ErrUnreachable)
	assert.Contains(t, err.Error(), "(0,0)->(5,5)")
	_, err = m.Path(XY{5, 5}, XY{0, 0})
	assert.ErrorIs(t, err, ErrUnreachable)
	p, err := m.Path(XY{0, 0}, XY{0, 0})
	require.NoError(t, err)
	assert.Empty(t, p)

	_, err = m.Path(XY{0, 7}, XY{0, 0})
	assert.ErrorIs(t, err, ErrNoChip)
	require.NoError(t, m.KillChip(XY{5, 5}))
	_, err = m.Path(XY{1, 1}, XY{5, 5})
	assert.ErrorIs(t, err, ErrNoChip)
}

func TestFollowErrors(t *testing.T) {
	m := mustNew(t, SpiNN5, 1)
	_, err := m.Follow(XY{0, 0}, []Link{West})
	assert.ErrorIs(t, err, ErrNoLink)
	_, err = m.Follow(XY{0, 7}, nil)
	assert.ErrorIs(t, err, ErrNoChip)
}

func BenchmarkPath(b *testing.B) {
	for _, boards := range []int{1, 24} {
		m := mustNew(b, SpiNN5, boards)
		chips := m.Chips()
		src, dst := chips[0], chips[len(chips)/2+3]
		b.Run(fmt.Sprintf("boards=%d/ldf", boards), func(b *testing.B) {
			for b.Loop() {
				_, _ = m.Path(src, dst)
			}
		})
		p, err := m.Path(src, dst)
		require.NoError(b, err)
		require.NoError(b, m.KillLink(src, p[0])) // force the BFS fallback
		b.Run(fmt.Sprintf("boards=%d/bfs", boards), func(b *testing.B) {
			for b.Loop() {
				_, _ = m.Path(src, dst)
			}
		})
	}
}
