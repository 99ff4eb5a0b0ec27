package mapping

import (
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/router"
)

// targetCores returns the cores of a slice that take its input, the ends of
// the routes into it: today the slice's one core. (A slice split into a
// neuron core and synapse cores will name its synapse cores here.)
func targetCores(s *Slice) []int { return []int{s.P} }

// route computes a multicast route for every source slice with edges,
// writes the entries every chip needs, and compresses the tables that hold
// more than a router does (or all of them, on request).
//
// A source slice's route is a tree: the breadth-first shortest-path tree
// from its chip over the live chips and links (links tried in the order E,
// NE, N, W, SW, S), pruned to the branches that lead to its targets. Dead
// chips and links are never on it; it crosses board boundaries as any other
// link. A chip gets an entry for the slice's key and mask with the links
// and cores the tree leaves it by, except where the router's default route
// does the same (the packet arrives on one link and leaves on the opposite
// one only).
func route(m *Mapped, es []fanOut) error {
	for _, f := range es {
		f.src.Sends = true
	}
	trees := map[machine.XY]*tree{}
	entries := map[machine.XY][]router.Entry{}
	for _, f := range es {
		src := f.src
		t := trees[src.Chip]
		if t == nil {
			t = newTree(m.Machine, src.Chip)
			trees[src.Chip] = t
		}
		routes := map[machine.XY]router.Route{}
		in := map[machine.XY]machine.Link{}
		for _, dst := range f.dsts {
			for _, p := range targetCores(dst) {
				routes[dst.Chip] |= router.CoreRoute(p)
			}
			for c := dst.Chip; c != src.Chip; {
				l, ok := t.parent[c]
				if !ok {
					return fmt.Errorf("machine: chip %v cannot be reached from chip %v over the live links", dst.Chip, src.Chip)
				}
				if _, seen := in[c]; seen {
					break // the rest of the way is marked already
				}
				from, _ := m.Machine.Neighbour(c, l.Opposite())
				routes[from] |= router.LinkRoute(l)
				in[c] = l
				c = from
			}
		}
		for c, r := range routes {
			if l, ok := in[c]; ok && r == router.LinkRoute(l) {
				continue // the router's default routing carries it straight on
			}
			entries[c] = append(entries[c], router.Entry{Key: src.Key, Mask: src.Mask, Route: r})
		}
	}
	return m.loadTables(entries)
}

// tree is a breadth-first shortest-path tree over the live links: for each
// chip reached, the link its parent sends on to reach it.
type tree struct {
	parent map[machine.XY]machine.Link
}

func newTree(mc *machine.Machine, src machine.XY) *tree {
	t := &tree{parent: map[machine.XY]machine.Link{}}
	seen := map[machine.XY]bool{src: true}
	queue := []machine.XY{src}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, l := range machine.Links() {
			n, ok := mc.Neighbour(c, l)
			if !ok || seen[n] {
				continue
			}
			seen[n] = true
			t.parent[n] = l
			queue = append(queue, n)
		}
	}
	return t
}

// loadTables writes every chip's entries into its router, in key order,
// compressing the tables that need it. A table that does not fit even
// compressed is an error; all such chips are named on one line.
func (m *Mapped) loadTables(entries map[machine.XY][]router.Entry) error {
	// Every key a core sends: a compressed table must leave those without an
	// entry on its chip unmatched.
	var sent []router.Block
	for _, ss := range m.Slices {
		for _, s := range ss {
			if s.Sends {
				sent = append(sent, router.Block{Key: s.Key, Mask: s.Mask})
			}
		}
	}
	m.Uncompressed = map[machine.XY][]router.Entry{}
	type overflow struct {
		chip          machine.XY
		before, after int
	}
	var over []overflow
	for _, r := range m.Routers {
		es := entries[r.Chip]
		if len(es) == 0 {
			continue
		}
		slices.SortFunc(es, func(a, b router.Entry) int {
			if a.Key < b.Key {
				return -1
			}
			return 1
		})
		m.Uncompressed[r.Chip] = es
		table := es
		if len(es) > router.UsableEntries || m.Options.CompressAlways {
			var miss []router.Block
			j := 0
			for _, b := range sent {
				for j < len(es) && es[j].Key < b.Key {
					j++
				}
				if j < len(es) && es[j].Key == b.Key {
					continue
				}
				miss = append(miss, b)
			}
			target := router.UsableEntries // ordered covering stops when the table fits
			if m.Options.CompressAlways {
				target = 0 // as far as it goes
			}
			c, err := router.Compress(m.Options.Compressor, es, miss, target)
			if err != nil {
				return fmt.Errorf("machine: chip %v: %w", r.Chip, err)
			}
			table = c
		}
		if len(table) > router.UsableEntries {
			over = append(over, overflow{r.Chip, len(es), len(table)})
			continue
		}
		for _, e := range table {
			if err := r.Table.Add(e); err != nil {
				return fmt.Errorf("machine: chip %v: %w", r.Chip, err)
			}
		}
	}
	if len(over) == 0 {
		return nil
	}
	worst := over[0]
	for _, o := range over {
		if o.after > worst.after {
			worst = o
		}
	}
	return errAt("machine", "%d chip(s) need more than the %d multicast routing entries a router holds, even after %s compression; the most is chip %v: %d entries, %d compressed. Use fewer, larger slices (max_atoms_per_core) or sparser connections",
		len(over), router.UsableEntries, m.Options.Compressor, worst.chip, worst.before, worst.after)
}
