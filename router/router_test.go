package router

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/packets"
)

func TestRouteBits(t *testing.T) {
	tests := []struct {
		name  string
		r     Route
		want  uint32
		links []machine.Link
		cores []int
		str   string
	}{
		{"none", 0, 0, []machine.Link{}, []int{}, "none"},
		{"E", LinkRoute(machine.East), 1 << 0, []machine.Link{machine.East}, []int{}, "E"},
		{"S", LinkRoute(machine.South), 1 << 5, []machine.Link{machine.South}, []int{}, "S"},
		{"core 0", CoreRoute(0), 1 << 6, []machine.Link{}, []int{0}, "core0"},
		{"core 17", CoreRoute(17), 1 << 23, []machine.Link{}, []int{17}, "core17"},
		{
			"mixed", CoreRoute(16) | LinkRoute(machine.North) | CoreRoute(1) | LinkRoute(machine.NorthEast),
			1<<1 | 1<<2 | 1<<7 | 1<<22,
			[]machine.Link{machine.NorthEast, machine.North}, []int{1, 16}, "NE+N+core1+core16",
		},
		{"all", ValidMask, 0x00FFFFFF, machine.Links(), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, uint32(tt.r))
			assert.Equal(t, tt.links, tt.r.Links())
			assert.Equal(t, tt.cores, tt.r.Cores())
			for _, l := range machine.Links() {
				assert.Equal(t, tt.r&(1<<uint(l)) != 0, tt.r.HasLink(l), "link %v", l)
			}
			for p := range machine.CoresPerChip {
				assert.Equal(t, tt.r&(1<<uint(6+p)) != 0, tt.r.HasCore(p), "core %d", p)
			}
			if tt.str != "" {
				assert.Equal(t, tt.str, tt.r.String())
			}
		})
	}
	assert.False(t, ValidMask.HasCore(18))
	assert.False(t, ValidMask.HasCore(-1))
	assert.False(t, ValidMask.HasLink(machine.Link(6)))
	assert.Panics(t, func() { CoreRoute(18) })
	assert.Panics(t, func() { LinkRoute(machine.Link(-1)) })
	assert.Equal(t, "E+0x01000000", (LinkRoute(machine.East) | 1<<24).String())
}

func TestTableFirstMatchWins(t *testing.T) {
	var tb Table
	entries := []Entry{
		{Key: 0x00010000, Mask: 0xFFFFFF00, Route: CoreRoute(1)},                                // 0: 0x000100xx
		{Key: 0x00010000, Mask: 0xFFFF0000, Route: CoreRoute(2)},                                // 1: 0x0001xxxx, shadowed for 0x000100xx
		{Key: 0x00010010, Mask: 0xFFFFFFF0, Route: CoreRoute(3)},                                // 2: fully shadowed by 0
		{Key: 0x00000000, Mask: 0x00000000, Route: LinkRoute(machine.East)},                     // 3: catch-all
		{Key: 0x00020000, Mask: 0xFFFF0000, Route: CoreRoute(4)},                                // 4: shadowed by the catch-all
		{Key: 0x00010000, Mask: 0xFFFFFF00, Route: CoreRoute(5) | LinkRoute(machine.SouthWest)}, // 5: duplicate of 0
	}
	for _, e := range entries {
		require.NoError(t, tb.Add(e))
	}
	require.Equal(t, len(entries), tb.Len())
	assert.Equal(t, entries, tb.Entries())

	tests := []struct {
		key   uint32
		index int
	}{
		{0x00010000, 0},
		{0x000100FF, 0},
		{0x00010015, 0},
		{0x00010100, 1},
		{0x0001FFFF, 1},
		{0x00020000, 3},
		{0xFFFFFFFF, 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("0x%08x", tt.key), func(t *testing.T) {
			for _, mode := range []struct {
				name string
				f    func(uint32) (Route, int, bool)
			}{{"auto", tb.Lookup}, {"linear", tb.lookupLinear}, {"groups", tb.lookupGroups}} {
				r, i, ok := mode.f(tt.key)
				require.True(t, ok, mode.name)
				assert.Equal(t, tt.index, i, mode.name)
				assert.Equal(t, entries[tt.index].Route, r, mode.name)
			}
		})
	}
}

func TestTableMiss(t *testing.T) {
	var tb Table
	r, i, ok := tb.Lookup(0)
	assert.False(t, ok)
	assert.Equal(t, -1, i)
	assert.Zero(t, r)
	require.NoError(t, tb.Add(Entry{Key: 0x100, Mask: 0xF00, Route: CoreRoute(1)}))
	_, i, ok = tb.Lookup(0x200)
	assert.False(t, ok)
	assert.Equal(t, -1, i)
	_, _, ok = tb.lookupGroups(0x200)
	assert.False(t, ok)
	tb.Reset()
	assert.Zero(t, tb.Len())
	_, _, ok = tb.Lookup(0x100)
	assert.False(t, ok)
}

func TestTableAddErrors(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
		want error
	}{
		{"key bit outside mask", Entry{Key: 0x1, Mask: 0xFFFFFFF0}, ErrUnmatchable},
		{"SARK's cleared entry", Entry{Key: 0xFFFFFFFF, Mask: 0, Route: 0}, ErrUnmatchable},
		{"route bit 24", Entry{Key: 0, Mask: 0, Route: 1 << 24}, ErrBadRoute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tb Table
			err := tb.Add(tt.e)
			require.ErrorIs(t, err, tt.want)
			assert.Zero(t, tb.Len())
		})
	}
}

func TestTableFull(t *testing.T) {
	var tb Table
	for i := range UsableEntries {
		require.NoError(t, tb.Add(Entry{Key: uint32(i), Mask: 0xFFFFFFFF, Route: CoreRoute(i % 18)}), "entry %d", i)
	}
	require.Equal(t, UsableEntries, tb.Len())
	assert.Equal(t, TableSize-1, tb.Len(), "one entry stays reserved for the system")
	err := tb.Add(Entry{Key: 0xFFFF, Mask: 0xFFFFFFFF})
	assert.ErrorIs(t, err, ErrTableFull, "entry 1024 does not fit")
	assert.Equal(t, ErrTableFull, err, "returned as is")
	assert.Equal(t, UsableEntries, tb.Len())
	r, i, ok := tb.Lookup(UsableEntries - 1)
	require.True(t, ok)
	assert.Equal(t, UsableEntries-1, i)
	assert.Equal(t, CoreRoute((UsableEntries-1)%18), r)
}

// fillRandom adds n entries to tb whose masks come from a pool of nMasks
// masks and whose keys come from a small space, so that entries overlap
// often.
func fillRandom(t testing.TB, rng *rand.Rand, tb *Table, n, nMasks int) {
	masks := make([]uint32, nMasks)
	for i := range masks {
		masks[i] = rng.Uint32() | 0xFF000000
	}
	for range n {
		m := masks[rng.IntN(nMasks)]
		k := (rng.Uint32() & 0x0F0F0F0F) & m // small key space: lots of overlap
		require.NoError(t, tb.Add(Entry{Key: k, Mask: m, Route: Route(rng.Uint32()) & ValidMask}))
	}
}

// TestLookupStrategiesAgree checks the grouped lookup against the plain
// first-match scan on random overlapping tables.
func TestLookupStrategiesAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, masks int }{{1, 1}, {10, 2}, {200, 3}, {1023, 8}, {1023, 100}, {1023, 1023}} {
		t.Run(fmt.Sprintf("entries=%d/masks=%d", tc.n, tc.masks), func(t *testing.T) {
			tb := &Table{}
			fillRandom(t, rng, tb, tc.n, tc.masks)
			for range 5000 {
				var key uint32
				if rng.IntN(2) == 0 {
					key = rng.Uint32() & 0x0F0F0F0F
				} else {
					e := tb.Entries()[rng.IntN(tb.Len())]
					key = e.Key | (rng.Uint32() &^ e.Mask)
				}
				r1, i1, ok1 := tb.lookupLinear(key)
				r2, i2, ok2 := tb.lookupGroups(key)
				r3, i3, ok3 := tb.Lookup(key)
				require.Equal(t, []any{r1, i1, ok1}, []any{r2, i2, ok2}, "key 0x%08x", key)
				require.Equal(t, []any{r1, i1, ok1}, []any{r3, i3, ok3}, "key 0x%08x", key)
			}
		})
	}
}

func TestDefaultRouting(t *testing.T) {
	tests := []struct {
		from machine.Link
		want machine.Link
	}{
		{machine.East, machine.West},
		{machine.NorthEast, machine.SouthWest},
		{machine.North, machine.South},
		{machine.West, machine.East},
		{machine.SouthWest, machine.NorthEast},
		{machine.South, machine.North},
	}
	for _, tt := range tests {
		t.Run(tt.from.String(), func(t *testing.T) {
			r := New(machine.XY{X: 1, Y: 2})
			require.NoError(t, r.Table.Add(Entry{Key: 0x100, Mask: 0xFFFFFF00, Route: CoreRoute(3)}))
			route, ok := r.Route(packets.Multicast(0x200), int(tt.from))
			require.True(t, ok)
			assert.Equal(t, LinkRoute(tt.want), route)
			assert.Equal(t, []machine.Link{tt.want}, route.Links())
			assert.Empty(t, route.Cores())
			assert.Equal(t, Counters{ExternalMC: 1, DefaultRouted: 1}, r.Counters)
		})
	}
}

func TestRouterRoute(t *testing.T) {
	r := New(machine.XY{X: 0, Y: 0})
	assert.Equal(t, machine.XY{}, r.Chip)
	hit := CoreRoute(1) | CoreRoute(2) | LinkRoute(machine.North)
	require.NoError(t, r.Table.Add(Entry{Key: 0xAB00, Mask: 0xFF00, Route: hit}))

	type step struct {
		name  string
		p     packets.Packet
		from  int
		want  Route
		ok    bool
		after Counters
	}
	steps := []step{
		{"local hit", packets.Multicast(0xAB01), FromLocal, hit, true,
			Counters{LocalMC: 1, Routed: 1}},
		{"external hit", packets.MulticastPayload(0xABFF, 9), int(machine.SouthWest), hit, true,
			Counters{LocalMC: 1, ExternalMC: 1, Routed: 2}},
		{"local miss dropped", packets.Multicast(0xCD00), FromLocal, 0, false,
			Counters{LocalMC: 2, ExternalMC: 1, Routed: 2, LocalDropped: 1}},
		{"external miss default-routed", packets.Multicast(0xCD00), int(machine.North), LinkRoute(machine.South), true,
			Counters{LocalMC: 2, ExternalMC: 2, Routed: 2, LocalDropped: 1, DefaultRouted: 1}},
		{"fixed-route packet not handled", packets.Packet{Type: packets.FR, Key: 0xAB00}, FromLocal, 0, false,
			Counters{LocalMC: 2, ExternalMC: 2, Routed: 2, LocalDropped: 1, DefaultRouted: 1}},
		{"P2P packet not handled", packets.Packet{Type: packets.P2P, Key: 0xAB00}, int(machine.East), 0, false,
			Counters{LocalMC: 2, ExternalMC: 2, Routed: 2, LocalDropped: 1, DefaultRouted: 1}},
	}
	for _, s := range steps {
		route, ok := r.Route(s.p, s.from)
		assert.Equal(t, s.ok, ok, s.name)
		assert.Equal(t, s.want, route, s.name)
		assert.Equal(t, s.after, r.Counters, s.name)
		c := r.Counters
		assert.Equal(t, c.LocalMC+c.ExternalMC, c.Routed+c.DefaultRouted+c.LocalDropped, "%s: conservation", s.name)
	}
	r.Dump()
	assert.Equal(t, uint64(1), r.Counters.Dumped)

	assert.Panics(t, func() { r.Route(packets.Multicast(1), 6) })
	assert.Panics(t, func() { r.Route(packets.Multicast(1), -2) })
}

func TestRouteDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, masks := range []int{4, 1023} {
		r := New(machine.XY{})
		fillRandom(t, rng, &r.Table, UsableEntries, masks)
		allocs := testing.AllocsPerRun(200, func() {
			r.Route(packets.Multicast(rng.Uint32()), FromLocal)
			r.Route(packets.Multicast(rng.Uint32()), int(machine.North))
		})
		assert.Zero(t, allocs, "masks=%d", masks)
	}
}

// BenchmarkLookup measures Lookup on a full table (1023 entries). Keys are
// chosen to hit the first entry, the last entry, and nothing; "masks" is the
// number of distinct masks in the table: 8 is typical of tables built from
// key/mask allocations, 1023 (every mask different) forces a linear scan.
func BenchmarkLookup(b *testing.B) {
	for _, nMasks := range []int{1, 8, 64, 1023} {
		var tb Table
		masks := make([]uint32, nMasks)
		for i := range masks {
			masks[i] = ^uint32(0) << (i % 16) // 0xFFFFFFFF, 0xFFFFFFFE, ...
			masks[i] &^= uint32(i/16) << 20   // make them distinct beyond 16
		}
		for i := range UsableEntries {
			m := masks[i%nMasks]
			require.NoError(b, tb.Add(Entry{Key: (uint32(i) << 16) & m, Mask: m, Route: CoreRoute(i % 18)}))
		}
		require.Equal(b, nMasks, len(tb.groups))
		entries := tb.Entries()
		keys := map[string]uint32{
			"first": entries[0].Key,
			"last":  entries[UsableEntries-1].Key,
			"miss":  0xFFFFFFFF,
		}
		for _, which := range []string{"first", "last", "miss"} {
			key := keys[which]
			want, _, wantOK := tb.lookupLinear(key)
			for _, mode := range []struct {
				name string
				f    func(uint32) (Route, int, bool)
			}{{"auto", tb.Lookup}, {"linear", tb.lookupLinear}, {"groups", tb.lookupGroups}} {
				b.Run(fmt.Sprintf("masks=%d/%s/%s", nMasks, which, mode.name), func(b *testing.B) {
					for b.Loop() {
						r, _, ok := mode.f(key)
						if ok != wantOK || r != want {
							b.Fatal("wrong result")
						}
					}
				})
			}
		}
	}
}

func BenchmarkRouterRoute(b *testing.B) {
	r := New(machine.XY{})
	for i := range UsableEntries {
		require.NoError(b, r.Table.Add(Entry{Key: uint32(i) << 11, Mask: 0xFFFFF800, Route: CoreRoute(1 + i%16)}))
	}
	p := packets.Multicast(uint32(UsableEntries/2)<<11 | 5)
	for b.Loop() {
		if _, ok := r.Route(p, FromLocal); !ok {
			b.Fatal("miss")
		}
	}
}

// TestRouteMemoMatchesRoute routes batches of packets (runs of keys of one
// entry, as a core sends them, and stray keys) through RouteMemo and
// through Route on two routers with one table, and wants the same route for
// every packet and the same counters. The tables mix entries that share no
// key with an earlier one (the memo may keep them) with entries that do: a
// hole punched before its covering entry, a catch-all at the end, and the
// heavily overlapping random tables.
func TestRouteMemoMatchesRoute(t *testing.T) {
	allocation := func(t testing.TB, rng *rand.Rand, tb *Table) {
		require.NoError(t, tb.Add(Entry{Key: 0x1800, Mask: 0xffffff00, Route: CoreRoute(17)})) // a hole in entry 3
		for i := range uint32(200) {
			require.NoError(t, tb.Add(Entry{Key: i << 11, Mask: 0xfffff800, Route: Route(rng.Uint32()) & ValidMask}))
		}
		require.NoError(t, tb.Add(Entry{Key: 0, Mask: 0xfff00000, Route: CoreRoute(1)})) // catch-all
	}
	tables := []struct {
		name    string
		fill    func(testing.TB, *rand.Rand, *Table)
		minHits float64 // share of packets the memo routes, at least
	}{
		{"allocation", allocation, 0.5},
		{"random/200/3", func(t testing.TB, rng *rand.Rand, tb *Table) { fillRandom(t, rng, tb, 200, 3) }, 0},
		{"random/1023/8", func(t testing.TB, rng *rand.Rand, tb *Table) { fillRandom(t, rng, tb, 1023, 8) }, 0},
		// Few entries: most keys match none and go on by default.
		{"sparse", func(t testing.TB, rng *rand.Rand, tb *Table) {
			for i := range uint32(8) {
				require.NoError(t, tb.Add(Entry{Key: (i*7 + 1) << 8, Mask: 0xffffff00, Route: Route(rng.Uint32()) & ValidMask}))
			}
			require.NoError(t, tb.Add(Entry{Key: 0x70000, Mask: 0xffff0000, Route: LinkRoute(2)}))
		}, 0.5},
	}
	for _, tc := range tables {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			plain, memo := New(machine.XY{}), New(machine.XY{})
			tc.fill(t, rand.New(rand.NewPCG(5, 6)), &plain.Table)
			tc.fill(t, rand.New(rand.NewPCG(5, 6)), &memo.Table)
			entries := plain.Table.Entries()
			packetsRouted, hits := 0, 0
			for range 2000 {
				from := rng.IntN(machine.NumLinks+1) - 1
				var m Memo
				for range rng.IntN(40) {
					e := entries[rng.IntN(len(entries))]
					base := e.Key | rng.Uint32()&^e.Mask&^0xff
					if rng.IntN(8) == 0 {
						base = rng.Uint32() & 0x0fffffff
					}
					for k := range uint32(rng.IntN(30)) {
						p := packets.Multicast(base | k)
						if m.ok && p.Key&m.mask == m.key || m.missOK && p.Key&memo.Table.union == m.missKey {
							hits++
						}
						r1, ok1 := plain.Route(p, from)
						r2, ok2 := memo.RouteMemo(p, from, &m)
						require.Equal(t, ok1, ok2, "key %#x from %d", p.Key, from)
						require.Equal(t, r1, r2, "key %#x from %d", p.Key, from)
						packetsRouted++
					}
				}
			}
			assert.Equal(t, plain.Counters, memo.Counters)
			assert.GreaterOrEqual(t, float64(hits), tc.minHits*float64(packetsRouted), "memo hits of %d packets", packetsRouted)
			t.Logf("%d packets, %d routed from the memo", packetsRouted, hits)
		})
	}
}
