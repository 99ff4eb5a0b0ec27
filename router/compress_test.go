package router

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/machine"
)

var compressors = []string{Pair, OrderedCovering}

// table loads entries into a Table.
func table(t testing.TB, es []Entry) *Table {
	t.Helper()
	tb := &Table{}
	for _, e := range es {
		require.NoError(t, tb.Add(e))
	}
	return tb
}

// lookup routes a key through entries, first match wins (independent of
// Table, so that the Table's own lookup is not what is being tested).
func lookup(es []Entry, key uint32) (Route, bool) {
	for _, e := range es {
		if key&e.Mask == e.Key {
			return e.Route, true
		}
	}
	return 0, false
}

// sameRouting checks every key of the blocks against both tables.
func sameRouting(t *testing.T, before, after []Entry, keys []uint32) {
	t.Helper()
	for _, k := range keys {
		r1, ok1 := lookup(before, k)
		r2, ok2 := lookup(after, k)
		require.Equal(t, ok1, ok2, "key 0x%08x matched before %v, after %v", k, ok1, ok2)
		require.Equal(t, r1, r2, "key 0x%08x routed to %v before, %v after", k, r1, r2)
	}
}

// Eight slices of 256 neurons (keys s<<8 | n) with two routes: the four
// slices of each route are an aligned block and merge into one entry each.
func TestCompressAlignedBlocks(t *testing.T) {
	a, b := CoreRoute(1), LinkRoute(machine.East)
	var es []Entry
	for s := range uint32(8) {
		r := a
		if s >= 4 {
			r = b
		}
		es = append(es, Entry{Key: s << 8, Mask: 0xFFFFFF00, Route: r})
	}
	for _, c := range compressors {
		t.Run(c, func(t *testing.T) {
			out, err := Compress(c, es, nil, 0)
			require.NoError(t, err)
			assert.Len(t, out, 2)
			var keys []uint32
			for k := range uint32(8 << 8) {
				keys = append(keys, k)
			}
			sameRouting(t, es, out, keys)
		})
	}
}

// A key that must stay unmatched (it reaches the chip and is default-routed)
// keeps two same-route entries on either side of it apart; without it they
// merge.
func TestCompressKeepsDefaultRoutes(t *testing.T) {
	r := CoreRoute(3)
	es := []Entry{{Key: 0x000, Mask: 0xF00, Route: r}, {Key: 0x200, Mask: 0xF00, Route: r}}
	for _, c := range compressors {
		t.Run(c, func(t *testing.T) {
			out, err := Compress(c, es, nil, 0)
			require.NoError(t, err)
			assert.Equal(t, []Entry{{Key: 0x000, Mask: 0xD00, Route: r}}, out, "0x000 and 0x200 differ in one bit")
			out, err = Compress(c, es, []Block{{Key: 0x100, Mask: 0xF00}}, 0)
			require.NoError(t, err)
			assert.Equal(t, []Entry{{Key: 0x000, Mask: 0xD00, Route: r}}, out, "the merge does not take 0x1xx")
			out, err = Compress(c, []Entry{es[0], {Key: 0x100, Mask: 0xF00, Route: r}}, []Block{{Key: 0x300, Mask: 0xF00}}, 0)
			require.NoError(t, err)
			assert.Equal(t, []Entry{{Key: 0x000, Mask: 0xE00, Route: r}}, out, "aligned halves merge exactly")
			out, err = Compress(c, []Entry{es[0], {Key: 0x300, Mask: 0xF00, Route: r}}, []Block{{Key: 0x100, Mask: 0xF00}}, 0)
			require.NoError(t, err)
			assert.Len(t, out, 2, "0x000 and 0x300 would cover the must-miss 0x100")
		})
	}
}

// The pair compressor puts the commonest route last, as general entries:
// here the rare route's entry stays first and the common route's six
// entries become one entry covering all eight slices.
func TestPairOrdersByFrequency(t *testing.T) {
	rare, common := CoreRoute(2), LinkRoute(machine.North)
	var es []Entry
	for s := range uint32(8) {
		r := common
		if s == 2 || s == 5 {
			r = rare
		}
		es = append(es, Entry{Key: s << 8, Mask: 0xFFFFFF00, Route: r})
	}
	out, err := Compress(Pair, es, nil, 0)
	require.NoError(t, err)
	require.Less(t, len(out), len(es))
	assert.Equal(t, rare, out[0].Route, "the rarest route first")
	assert.Equal(t, common, out[len(out)-1].Route, "the commonest last")
	assert.Equal(t, Entry{Key: 0, Mask: 0xFFFFF800, Route: common}, out[len(out)-1])
	var keys []uint32
	for k := range uint32(8 << 8) {
		keys = append(keys, k)
	}
	sameRouting(t, es, out, keys)
}

func TestCompressRejectsOverlaps(t *testing.T) {
	for _, c := range compressors {
		_, err := Compress(c, []Entry{{Key: 0x100, Mask: 0xF00}, {Key: 0x100, Mask: 0xFF0}}, nil, 0)
		assert.ErrorIs(t, err, ErrOverlap, c)
		_, err = Compress(c, []Entry{{Key: 0x100, Mask: 0xF00}}, []Block{{Key: 0x110, Mask: 0xFF0}}, 0)
		assert.ErrorIs(t, err, ErrOverlap, c)
		_, err = Compress(c, []Entry{{Key: 0x1, Mask: 0x5}, {Key: 0x2, Mask: 0x6}}, nil, 0)
		assert.ErrorIs(t, err, ErrOverlap, "non-interval masks: 0b0?1 and 0b01? share 0b011 (%s)", c)
		_, err = Compress(c, []Entry{{Key: 0x1, Mask: 0x5}, {Key: 0x4, Mask: 0x6}}, nil, 0)
		assert.NoError(t, err, "0b0?1 and 0b10? share nothing (%s)", c)
	}
	_, err := Compress("best", nil, nil, 0)
	assert.ErrorContains(t, err, `unknown compressor "best"`)
}

// Ordered covering stops at its target.
func TestOrderedCoveringTarget(t *testing.T) {
	var es []Entry
	for s := range uint32(64) {
		r := CoreRoute(1 + int(s/16))
		if s%7 == 3 {
			r = LinkRoute(machine.West)
		}
		es = append(es, Entry{Key: s << 4, Mask: 0xFFFFFFF0, Route: r})
	}
	full, err := Compress(OrderedCovering, es, nil, 0)
	require.NoError(t, err)
	require.Less(t, len(full), 40)
	part, err := Compress(OrderedCovering, es, nil, 40)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(part), 40)
	assert.GreaterOrEqual(t, len(part), len(full))
	var keys []uint32
	for k := range uint32(64 << 4) {
		keys = append(keys, k)
	}
	sameRouting(t, es, full, keys)
	sameRouting(t, es, part, keys)
}

// randomCase builds an orthogonal table over 12-bit keys (above them a fixed
// prefix) with few routes, and blocks that must stay unmatched: aligned
// blocks of random sizes, and, with nonInterval, blocks whose masks have
// holes.
func randomCase(rng *rand.Rand, nonInterval bool) ([]Entry, []Block, []uint32) {
	const prefixBits = 0xABC00000
	var taken []Block
	free := func(b Block) bool {
		for _, c := range taken {
			if c.Intersects(b) {
				return false
			}
		}
		return true
	}
	randBlock := func() Block {
		m := uint32(0xFFFFFFFF) << rng.IntN(5)
		if nonInterval && rng.IntN(4) == 0 {
			m &^= 1 << (5 + rng.IntN(7)) // a hole above the low bits
		}
		k := (prefixBits | rng.Uint32()&0xFFF) & m
		return Block{k, m}
	}
	nRoutes := 1 + rng.IntN(5)
	routes := make([]Route, nRoutes)
	for i := range routes {
		routes[i] = Route(rng.Uint32()) & ValidMask
	}
	var es []Entry
	var miss []Block
	for range 40 + rng.IntN(200) {
		b := randBlock()
		if !free(b) {
			continue
		}
		taken = append(taken, b)
		if rng.IntN(3) == 0 {
			miss = append(miss, b)
		} else {
			es = append(es, Entry{Key: b.Key, Mask: b.Mask, Route: routes[rng.IntN(nRoutes)]})
		}
	}
	var keys []uint32
	for k := range uint32(1 << 12) {
		keys = append(keys, prefixBits|k)
	}
	return es, miss, keys
}

// Property: on random orthogonal tables with keys that must stay unmatched,
// both compressors route every key of the table and of those blocks as the
// table did (a key that matched nothing still matches nothing), and never
// make the table longer.
func TestCompressRandomTables(t *testing.T) {
	for _, c := range compressors {
		for _, holes := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/holes=%v", c, holes), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, 11))
				shorter := 0
				for i := range 80 {
					es, miss, keys := randomCase(rng, holes)
					out, err := Compress(c, es, miss, 0)
					require.NoError(t, err, "case %d", i)
					require.LessOrEqual(t, len(out), len(es), "case %d", i)
					if len(out) < len(es) {
						shorter++
					}
					// Keys in neither the table nor miss are free: check the others.
					var mustKeep []uint32
					for _, k := range keys {
						in := false
						for _, b := range miss {
							in = in || b.Contains(k)
						}
						_, hit := lookup(es, k)
						if in || hit {
							mustKeep = append(mustKeep, k)
						}
					}
					sameRouting(t, es, out, mustKeep)
					// The router's own table agrees.
					tb := table(t, out)
					for _, k := range mustKeep {
						r1, _, ok1 := tb.Lookup(k)
						r2, ok2 := lookup(out, k)
						require.Equal(t, []any{r2, ok2}, []any{r1, ok1})
					}
				}
				assert.Greater(t, shorter, 50, "compression usually finds merges")
			})
		}
	}
}

func TestMergeAligned(t *testing.T) {
	const m8, m4 = 0xFFFFFFFF, 0xFFFFFFF0
	in := []Block{{0x00, m8}, {0x01, m8}, {0x02, m8}, {0x03, m8}, {0x05, m8}, {0x10, m4}, {0x06, 0xFFFFFFF5}}
	assert.Equal(t, []Block{{0x00, 0xFFFFFFFC}, {0x05, m8}, {0x06, 0xFFFFFFF5}, {0x10, m4}}, mergeAligned(in),
		"0–3 become one block; 5 has no partner; a mask with holes is kept")
	assert.Equal(t, []Block{{0, 0}}, mergeAligned([]Block{{0, 0x80000000}, {0x80000000, 0x80000000}}), "two halves of everything")
}
