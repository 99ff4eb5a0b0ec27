package machine

import "fmt"

// hexLen is the number of hops of vector (dx, dy) on the triangular lattice,
// where NE/SW moves change x and y together: max(|dx|, |dy|) when both have
// the same sign, |dx|+|dy| otherwise.
func hexLen(dx, dy int) int {
	if (dx >= 0) == (dy >= 0) {
		return max(abs(dx), abs(dy))
	}
	return abs(dx) + abs(dy)
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

// shortestDelta returns the shortest lattice vector from src to dst, taking
// wrap-around into account where the machine wraps. Ties go to the first
// candidate in the order: no wrap, wrap backwards, wrap forwards.
func (m *Machine) shortestDelta(src, dst XY) (dx, dy int) {
	xs := wrapCandidates(dst.X-src.X, m.Width, m.WrapX)
	ys := wrapCandidates(dst.Y-src.Y, m.Height, m.WrapY)
	best := -1
	for _, x := range xs {
		for _, y := range ys {
			if d := hexLen(x, y); best < 0 || d < best {
				best, dx, dy = d, x, y
			}
		}
	}
	return dx, dy
}

// wrapCandidates lists the representatives of offset d worth trying: d alone
// when the dimension does not wrap, otherwise the residue r in [0, n) and its
// neighbours r-n, r+n, r-2n (a diagonal move can make a longer way round in
// one dimension pay off in the other).
func wrapCandidates(d, n int, wraps bool) []int {
	if !wraps {
		return []int{d}
	}
	r := mod(d, n)
	return []int{r, r - n, r + n, r - 2*n}
}

// Distance returns the number of hops between chips a and b on a fault-free
// machine of this shape (wrap-around included). It ignores dead chips and
// links; use len(Path) for the live distance.
func (m *Machine) Distance(a, b XY) int {
	return hexLen(m.shortestDelta(a, b))
}

// ldfRoute returns the longest-dimension-first route for vector (dx, dy):
// the vector is split into its shortest form along x (E/W), y (N/S) and the
// diagonal z (NE/SW), at most two of which are non-zero, and the longest
// component is travelled first. Ties keep the order x, y, z.
func ldfRoute(dx, dy int) []Link {
	z := 0
	switch {
	case dx > 0 && dy > 0:
		z = min(dx, dy)
	case dx < 0 && dy < 0:
		z = max(dx, dy)
	}
	type dim struct {
		n        int
		pos, neg Link
	}
	dims := [3]dim{{dx - z, East, West}, {dy - z, North, South}, {z, NorthEast, SouthWest}}
	// Stable ordering of three items by |n| descending.
	for i := 1; i < len(dims); i++ {
		for j := i; j > 0 && abs(dims[j].n) > abs(dims[j-1].n); j-- {
			dims[j], dims[j-1] = dims[j-1], dims[j]
		}
	}
	route := make([]Link, 0, hexLen(dx, dy))
	for _, d := range dims {
		l := d.pos
		if d.n < 0 {
			l = d.neg
		}
		for range abs(d.n) {
			route = append(route, l)
		}
	}
	return route
}

// Path returns a shortest route from src to dst as the links to take hop by
// hop. When the longest-dimension-first route (see the package comment) runs
// over live chips and links only, Path returns it; otherwise it returns the
// route found by a breadth-first search over live links that tries links in
// the order E, NE, N, W, SW, S. A path from a chip to itself is empty. The
// result is deterministic. It is an error if src or dst is not a live chip
// or dst cannot be reached.
func (m *Machine) Path(src, dst XY) ([]Link, error) {
	if !m.HasChip(src) {
		return nil, fmt.Errorf("machine: path %v->%v: source: %w", src, dst, ErrNoChip)
	}
	if !m.HasChip(dst) {
		return nil, fmt.Errorf("machine: path %v->%v: destination: %w", src, dst, ErrNoChip)
	}
	if src == dst {
		return []Link{}, nil
	}
	route := ldfRoute(m.shortestDelta(src, dst))
	if end, err := m.Follow(src, route); err == nil && end == dst {
		return route, nil
	}
	return m.bfs(src, dst)
}

// Follow walks route from src over live links and returns the chip reached.
// It fails at the first hop whose link is dead or leads nowhere.
func (m *Machine) Follow(src XY, route []Link) (XY, error) {
	if !m.HasChip(src) {
		return XY{}, fmt.Errorf("machine: follow from %v: %w", src, ErrNoChip)
	}
	cur := src
	for i, l := range route {
		next, ok := m.Neighbour(cur, l)
		if !ok {
			return cur, fmt.Errorf("machine: follow from %v: hop %d, link %v of %v: %w", src, i, l, cur, ErrNoLink)
		}
		cur = next
	}
	return cur, nil
}

// bfs finds a shortest path over live links, exploring links in hardware
// order so that the result is deterministic.
func (m *Machine) bfs(src, dst XY) ([]Link, error) {
	const unseen = -1
	via := make([]int8, len(m.live)) // link used to reach each chip
	for i := range via {
		via[i] = unseen
	}
	via[m.index(src)] = NumLinks // source marker
	queue := []XY{src}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for l := range Link(NumLinks) {
			next, ok := m.Neighbour(cur, l)
			if !ok || via[m.index(next)] != unseen {
				continue
			}
			via[m.index(next)] = int8(l)
			if next == dst {
				return m.backtrack(src, dst, via), nil
			}
			queue = append(queue, next)
		}
	}
	return nil, fmt.Errorf("machine: path %v->%v: %w", src, dst, ErrUnreachable)
}

func (m *Machine) backtrack(src, dst XY, via []int8) []Link {
	var rev []Link
	for cur := dst; cur != src; {
		l := Link(via[m.index(cur)])
		rev = append(rev, l)
		cur, _ = m.neighbour(cur, l.Opposite())
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}
