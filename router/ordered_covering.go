package router

import (
	"slices"
)

// orderedCovering is Ordered Covering (Mundy, Heathcote and Garside, HPSR
// 2016; rig's minimiser, an option of sPyNNaker's tool chain; reference
// §5.4). The table is kept sorted by generality (more don't-care bits lower
// down). Each step takes, among the routes with two or more entries, the set
// of that route's entries whose merge removes the most entries once refined
// so that nothing changes:
//
//   - up-check: the merged entry goes below every entry that is as specific
//     or more, so an entry of the set is left out if a key it routed would
//     now meet an entry of another route on the way down;
//   - down-check: the merged entry must take no key that reaches an entry
//     below it (or must stay unmatched); where it would, a bit is fixed
//     (the one that leaves out fewest entries) to exclude those keys.
//
// Every entry remembers the original blocks it routes (its aliases) so the
// checks compare real keys, not masks. It stops when the table holds at
// most target entries (0: when no merge is left). Entries that the
// router's default route would reproduce are never in the mapping's tables,
// so the final removal of such entries has nothing to do and is left out.
func orderedCovering(entries []Entry, miss []Block, target int) []Entry {
	t := &ocTable{}
	for _, e := range entries {
		t.rows = append(t.rows, ocRow{b: e.block(), route: e.Route, aliases: []Block{e.block()}})
	}
	slices.SortStableFunc(t.rows, func(a, b ocRow) int { return generality(a.b.Mask) - generality(b.b.Mask) })
	for _, m := range mergeAligned(miss) {
		t.miss = append(t.miss, m)
	}
	for target <= 0 || len(t.rows) > target {
		best := t.bestMerge()
		if len(best) < 2 {
			break
		}
		t.apply(best)
	}
	out := make([]Entry, len(t.rows))
	for i, r := range t.rows {
		out[i] = Entry{Key: r.b.Key, Mask: r.b.Mask, Route: r.route}
	}
	return out
}

// ocRow is an entry of the table being minimised.
type ocRow struct {
	b       Block
	route   Route
	aliases []Block // the original blocks this entry routes
}

type ocTable struct {
	rows []ocRow
	miss []Block // keys that must stay unmatched: below every entry
}

// bestMerge returns the indices (ascending) of the refined merge that
// removes the most entries; ties go to the lower route word.
func (t *ocTable) bestMerge() []int {
	byRoute := map[Route][]int{}
	var routes []Route
	for i, r := range t.rows {
		if _, ok := byRoute[r.route]; !ok {
			routes = append(routes, r.route)
		}
		byRoute[r.route] = append(byRoute[r.route], i)
	}
	slices.Sort(routes)
	var best []int
	for _, r := range routes {
		set := byRoute[r]
		if len(set) < 2 || len(set) <= len(best) {
			continue
		}
		if m := t.refine(set); len(m) > len(best) {
			best = m
		}
	}
	return best
}

// cover is the merged block of rows set.
func (t *ocTable) cover(set []int) Block {
	b := t.rows[set[0]].b
	for _, i := range set[1:] {
		b = merged(b, t.rows[i].b)
	}
	return b
}

// insertAt is where a merged entry of generality g goes: after every row
// (not in the set) that is at most as general.
func (t *ocTable) insertAt(g int, in map[int]bool) int {
	at := 0
	for i, r := range t.rows {
		if !in[i] && generality(r.b.Mask) <= g {
			at = i + 1
		}
	}
	return at
}

// refine shrinks a same-route set until its merge changes no key's route.
func (t *ocTable) refine(set []int) []int {
	set = slices.Clone(set)
	for len(set) >= 2 {
		in := map[int]bool{}
		for _, i := range set {
			in[i] = true
		}
		m := t.cover(set)
		at := t.insertAt(generality(m.Mask), in)
		// Up-check: a row between a member and the new position that shares
		// a key with the member's aliases would now take that key first.
		route := t.rows[set[0]].route
		var keep []int
		for _, i := range set {
			ok := true
			for j := i + 1; j < at && ok; j++ {
				if in[j] || t.rows[j].route == route {
					continue
				}
				for _, a := range t.rows[i].aliases {
					if t.rows[j].b.Intersects(a) {
						ok = false
						break
					}
				}
			}
			if ok {
				keep = append(keep, i)
			}
		}
		if len(keep) != len(set) {
			set = keep
			continue
		}
		// Down-check: keys that reach a row below, or must stay unmatched,
		// must not be taken.
		clash, found := t.firstClash(m, route, at, in)
		if !found {
			return set
		}
		set = t.exclude(set, m, clash)
	}
	return nil
}

// firstClash finds an alias of a row below at with another route (or a
// block of miss) that shares a key with m. Keys of a row below with the same
// route may be taken: they keep their route.
func (t *ocTable) firstClash(m Block, route Route, at int, in map[int]bool) (Block, bool) {
	for j := at; j < len(t.rows); j++ {
		if in[j] || t.rows[j].route == route || !t.rows[j].b.Intersects(m) {
			continue
		}
		for _, a := range t.rows[j].aliases {
			if a.Intersects(m) {
				return a, true
			}
		}
	}
	for _, a := range t.miss {
		if a.Intersects(m) {
			return a, true
		}
	}
	return Block{}, false
}

// exclude drops members so that the merge no longer covers clash: it picks a
// bit that is a don't-care in the merge and fixed in clash, and keeps the
// members whose key has the other value there (and fix that bit), choosing
// the bit that keeps the most members. Without such a bit the merge is
// impossible.
func (t *ocTable) exclude(set []int, m, clash Block) []int {
	var best []int
	for bit := uint32(1); bit != 0; bit <<= 1 {
		if m.Mask&bit != 0 || clash.Mask&bit == 0 {
			continue
		}
		want := ^clash.Key & bit
		var keep []int
		for _, i := range set {
			r := t.rows[i].b
			if r.Mask&bit != 0 && r.Key&bit == want {
				keep = append(keep, i)
			}
		}
		if len(keep) > len(best) {
			best = keep
		}
	}
	return best
}

// apply replaces the rows of set by their merge, placed by generality.
func (t *ocTable) apply(set []int) {
	m := t.cover(set)
	row := ocRow{b: m, route: t.rows[set[0]].route}
	for _, i := range set {
		row.aliases = append(row.aliases, t.rows[i].aliases...)
	}
	in := map[int]bool{}
	for _, i := range set {
		in[i] = true
	}
	at := t.insertAt(generality(m.Mask), in)
	var rows []ocRow
	for i, r := range t.rows {
		if i == at {
			rows = append(rows, row)
		}
		if !in[i] {
			rows = append(rows, r)
		}
	}
	if at == len(t.rows) {
		rows = append(rows, row)
	}
	t.rows = rows
}
