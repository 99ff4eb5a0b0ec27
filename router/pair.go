package router

import (
	"cmp"
	"slices"
)

// pairCompress is the pair compressor, sPyNNaker's default (reference
// §5.4, PACMAN's PairCompressor and the on-chip pair compressor):
//
//  1. Entries are grouped by route, and the groups ordered by how many
//     entries they hold, fewest first (ties by route word), so that the
//     route most entries share ends up last, as a few general entries.
//  2. Within each group, halves of an aligned interval are merged first
//     (exact: such a merge takes no key that was not already the group's).
//  3. Then, group by group, pairs are merged into the smallest key/mask
//     covering both, and a merge is kept only if it takes no key of a later
//     group nor any key that must stay unmatched. Earlier groups come first
//     in the table, so a merge may cover their keys: they still match first.
//
// The result routes every key of the table and of miss as the table did.
func pairCompress(entries []Entry, miss []Block) []Entry {
	groups := map[Route][]Block{}
	for _, e := range entries {
		groups[e.Route] = append(groups[e.Route], e.block())
	}
	routes := make([]Route, 0, len(groups))
	for r := range groups {
		routes = append(routes, r)
	}
	for _, r := range routes {
		groups[r] = mergeAligned(groups[r])
	}
	// Fewest entries first (after the exact merges), ties by route word.
	slices.SortFunc(routes, func(a, b Route) int {
		return cmp.Or(cmp.Compare(len(groups[a]), len(groups[b])), cmp.Compare(a, b))
	})

	// blockers[i] is what the merges of group i must not touch: every later
	// group and the keys that must stay unmatched.
	later := mergeAligned(miss)
	var out []Entry
	suffix := make([][]Block, len(routes)+1)
	suffix[len(routes)] = later
	for i := len(routes) - 1; i >= 0; i-- {
		suffix[i] = append(slices.Clip(suffix[i+1]), groups[routes[i]]...)
	}
	for i, r := range routes {
		ix := newBlockIndex(suffix[i+1])
		for _, b := range mergePairs(groups[r], &ix) {
			out = append(out, Entry{Key: b.Key, Mask: b.Mask, Route: r})
		}
	}
	return out
}

// mergePairs merges the blocks of one route pairwise wherever the merged
// block shares no key with the blockers, until no pair merges. Blocks are
// tried in key order, each against the ones after it, so that neighbours,
// the likeliest to merge, are tried first.
func mergePairs(bs []Block, blockers *blockIndex) []Block {
	bs = slices.Clone(bs)
	slices.SortFunc(bs, func(a, b Block) int { return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Mask, b.Mask)) })
	for i := 0; i < len(bs); i++ {
		for j := i + 1; j < len(bs); {
			m := merged(bs[i], bs[j])
			if _, hit := blockers.first(m); hit {
				j++
				continue
			}
			bs[i] = m
			bs = slices.Delete(bs, j, j+1)
			// Blocks the merge now covers go with it.
			for k := len(bs) - 1; k > i; k-- {
				if bs[k].Key&m.Mask == m.Key && bs[k].Mask&m.Mask == m.Mask {
					bs = slices.Delete(bs, k, k+1)
				}
			}
			j = i + 1
		}
	}
	return bs
}
