package router

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
)

// Routing-table compression (reference §5.4). A chip whose table needs more
// entries than the router holds gets a shorter table that routes every key
// the same way: entries with the same route are merged into entries whose
// masks leave out the bits in which their keys differ, and the order of the
// table (first match wins) keeps a merged entry from taking keys that belong
// to other routes.
//
// Both compressors take an orthogonal table (no key matches two entries, as
// the mapping builds them: one entry per source slice) and the blocks of
// keys that must stay unmatched: the keys of the network that reach the chip
// without an entry there (the router's default route carries them straight
// on, or drops them if they are local) or never reach it. Listing every key
// of the network that is not in the table there makes the result exact for
// every key of the network, at every chip, whatever the path of a packet.
// Keys that are in neither (keys that no core sends) may be matched by a
// merged entry.

// Compressor names, as sPyNNaker's configuration names them.
const (
	Pair            = "pair"
	OrderedCovering = "ordered_covering"
)

// ErrOverlap is returned when a table given to a compressor is not
// orthogonal, or one of its entries matches a key that must stay unmatched.
var ErrOverlap = errors.New("router: compression needs a table whose entries match disjoint keys, none of them in a block that must stay unmatched")

// Block is a set of keys: k is in it when k & Mask == Key.
type Block struct{ Key, Mask uint32 }

// Intersects reports whether the blocks share a key.
func (b Block) Intersects(c Block) bool { return b.Key&c.Mask == c.Key&b.Mask }

// Contains reports whether key k is in the block.
func (b Block) Contains(k uint32) bool { return k&b.Mask == b.Key }

// block is the key/mask of an entry.
func (e Entry) block() Block { return Block{e.Key, e.Mask} }

// merged is the smallest key/mask that covers both blocks: the bits in which
// the keys (or the masks) differ become don't-cares.
func merged(a, b Block) Block {
	m := a.Mask & b.Mask &^ (a.Key ^ b.Key)
	return Block{a.Key & m, m}
}

// generality is the number of don't-care bits of a mask.
func generality(mask uint32) int { return 32 - bits.OnesCount32(mask) }

// prefix reports whether a mask's ones are all above its zeros: the block
// is then one interval of keys.
func prefix(mask uint32) bool { return ^mask&(^mask+1) == 0 }

// span is the smallest interval of keys holding the block.
func (b Block) span() (lo, hi uint32) { return b.Key, b.Key | ^b.Mask }

// Compress returns a table routing every key of entries and of miss as
// entries does, using the named compressor (Pair or OrderedCovering).
// Ordered covering stops once the table has at most target entries (0: as
// far as it goes); the pair compressor always goes as far as it can. entries
// must be orthogonal and miss no key of theirs (ErrOverlap otherwise); the
// blocks of miss may overlap each other.
func Compress(compressor string, entries []Entry, miss []Block, target int) ([]Entry, error) {
	if err := checkOrthogonal(entries, miss); err != nil {
		return nil, err
	}
	switch compressor {
	case Pair:
		return pairCompress(entries, miss), nil
	case OrderedCovering:
		return orderedCovering(entries, miss, target), nil
	}
	return nil, fmt.Errorf("router: unknown compressor %q (want %q or %q)", compressor, Pair, OrderedCovering)
}

// checkOrthogonal checks that no two entries, and no entry and miss block,
// share a key. Interval (prefix-mask) blocks are checked by sorting; others
// pairwise.
func checkOrthogonal(entries []Entry, miss []Block) error {
	var all []Block
	for _, e := range entries {
		all = append(all, e.block())
	}
	ix := newBlockIndex(all)
	if len(ix.intervals)+len(ix.others) != len(all) {
		return fmt.Errorf("%w: two entries match the same keys", ErrOverlap)
	}
	for i := 1; i < len(ix.intervals); i++ {
		_, hi := ix.intervals[i-1].span()
		if ix.intervals[i].Key <= hi {
			return fmt.Errorf("%w: 0x%08x/0x%08x and 0x%08x/0x%08x", ErrOverlap,
				ix.intervals[i-1].Key, ix.intervals[i-1].Mask, ix.intervals[i].Key, ix.intervals[i].Mask)
		}
	}
	for i, b := range ix.others {
		for _, c := range ix.others[i+1:] {
			if b.Intersects(c) {
				return fmt.Errorf("%w: 0x%08x/0x%08x and 0x%08x/0x%08x", ErrOverlap, b.Key, b.Mask, c.Key, c.Mask)
			}
		}
		if c, ok := ix.firstIntervalHit(b); ok {
			return fmt.Errorf("%w: 0x%08x/0x%08x and 0x%08x/0x%08x", ErrOverlap, b.Key, b.Mask, c.Key, c.Mask)
		}
	}
	for _, m := range miss {
		if c, ok := ix.first(m); ok {
			return fmt.Errorf("%w: entry 0x%08x/0x%08x matches keys of 0x%08x/0x%08x", ErrOverlap, c.Key, c.Mask, m.Key, m.Mask)
		}
	}
	return nil
}

// blockIndex answers "does this block share a key with any of the set?"
// quickly when the set is made of disjoint intervals (prefix masks), as the
// tables the mapping builds are; other blocks are checked one by one.
type blockIndex struct {
	intervals []Block // prefix masks, disjoint, sorted by key
	others    []Block
}

// newBlockIndex indexes blocks. Nested aligned intervals (an aligned block
// inside another) keep only the outer one, which holds every key of both.
func newBlockIndex(bs []Block) blockIndex {
	var ix blockIndex
	for _, b := range bs {
		if prefix(b.Mask) {
			ix.intervals = append(ix.intervals, b)
		} else {
			ix.others = append(ix.others, b)
		}
	}
	sort.Slice(ix.intervals, func(i, j int) bool {
		a, b := ix.intervals[i], ix.intervals[j]
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Mask < b.Mask // the wider first
	})
	out := ix.intervals[:0]
	for _, b := range ix.intervals {
		if n := len(out); n > 0 {
			_, hi := out[n-1].span()
			if b.Key <= hi { // aligned intervals nest or are disjoint
				continue
			}
		}
		out = append(out, b)
	}
	ix.intervals = out
	return ix
}

// first returns a block of the set that shares a key with b.
func (ix *blockIndex) first(b Block) (Block, bool) {
	if c, ok := ix.firstIntervalHit(b); ok {
		return c, true
	}
	for _, c := range ix.others {
		if c.Intersects(b) {
			return c, true
		}
	}
	return Block{}, false
}

// firstIntervalHit looks among the intervals that lie within b's span.
func (ix *blockIndex) firstIntervalHit(b Block) (Block, bool) {
	lo, hi := b.span()
	iv := ix.intervals
	// The last interval starting at or before lo may reach into the span.
	i := sort.Search(len(iv), func(i int) bool { return iv[i].Key > lo }) - 1
	if i < 0 {
		i = 0
	}
	for ; i < len(iv) && iv[i].Key <= hi; i++ {
		if iv[i].Intersects(b) {
			return iv[i], true
		}
	}
	return Block{}, false
}

// mergeAligned merges blocks whose masks end in the same bit and whose keys
// differ only in that bit (two halves of an aligned interval) until none
// are left: exact, since the merged block holds no key that neither half
// held. Blocks with other masks are kept as they are. The result is sorted
// by key.
func mergeAligned(bs []Block) []Block {
	type half struct {
		mask uint32
		key  uint32
	}
	set := map[half]bool{}
	var out []Block
	for _, b := range bs {
		if prefix(b.Mask) && b.Mask != 0 {
			set[half{b.Mask, b.Key}] = true
		} else {
			out = append(out, b)
		}
	}
	for len(set) > 0 {
		// Take the narrowest blocks first: their merges feed wider ones.
		narrow := uint32(0)
		for h := range set {
			if h.mask > narrow {
				narrow = h.mask
			}
		}
		bit := narrow & -narrow // the lowest bit of the mask
		var keys []uint32
		for h := range set {
			if h.mask == narrow {
				keys = append(keys, h.key)
				delete(set, h)
			}
		}
		slices.Sort(keys)
		for i := 0; i < len(keys); i++ {
			k := keys[i]
			if k&bit == 0 && i+1 < len(keys) && keys[i+1] == k|bit {
				if w := narrow &^ bit; w != 0 {
					set[half{w, k}] = true
				} else {
					out = append(out, Block{0, 0})
				}
				i++
				continue
			}
			out = append(out, Block{k, narrow})
		}
	}
	slices.SortFunc(out, func(a, b Block) int {
		if a.Key != b.Key {
			if a.Key < b.Key {
				return -1
			}
			return 1
		}
		if a.Mask < b.Mask {
			return -1
		}
		if a.Mask > b.Mask {
			return 1
		}
		return 0
	})
	return slices.Compact(out)
}
