package mapping

import (
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/router"
)

// Kinds of rows an edge carries, for choosing the cores it goes to.
const (
	rowsOther    = 1 << iota // static, plastic or structural rows
	rowsDopamine             // neuromodulation (reward, punishment) rows
)

// targetCores returns the cores of target slice dst that take the spikes of
// its i-th incoming edge (edges into a slice numbered in the order of their
// source populations and slices, a source slice's delay-extension edge right
// after its own, as load's sortedPairs numbers them) carrying rows of the
// given kinds: the
// slice's core when it is combined; on a split slice the synapse core that
// holds the edge's rows (synapseCoreOf, as load deals them out), and every
// synapse core for dopamine rows, which each keep their own histories.
func targetCores(dst *Slice, i int, kinds int) []int {
	if len(dst.SynCores) == 0 {
		return []int{dst.P}
	}
	var ps []int
	for j, sc := range dst.SynCores {
		if kinds&rowsDopamine != 0 || kinds&rowsOther != 0 && j == synapseCoreOf(i, len(dst.SynCores)) {
			ps = append(ps, sc.P)
		}
	}
	return ps
}

// loopBack returns the cores of a slice that take its own spikes: on a
// split slice with STDP rows, its synapse cores, which need its spikes as
// post-synaptic events.
func loopBack(net *network.Network, s *Slice) []int {
	if len(s.SynCores) == 0 || !hasPlastic(net, s.Pop) {
		return nil
	}
	var ps []int
	for _, sc := range s.SynCores {
		ps = append(ps, sc.P)
	}
	return ps
}

// hasPlastic reports whether an STDP projection comes into population pi.
func hasPlastic(net *network.Network, pi int) bool {
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Post == net.Populations[pi].Label && pr.Synapse.IsPlastic() {
			return true
		}
	}
	return false
}

// route computes a multicast route for every source slice with targets,
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
	// Where each source slice's spikes go: the target cores of its edges,
	// and its own synapse cores when it loops back.
	type dest struct {
		chip  machine.XY
		cores []int
	}
	targets := map[*Slice][]dest{}
	var order []*Slice
	add := func(src *Slice, d dest) {
		if len(d.cores) == 0 {
			return
		}
		if _, ok := targets[src]; !ok {
			order = append(order, src)
		}
		targets[src] = append(targets[src], d)
	}
	edgeIndex := map[*Slice]int{}
	for _, f := range es {
		for k, dst := range f.dsts {
			add(f.src, dest{dst.Chip, targetCores(dst, edgeIndex[dst], f.kinds[k])})
			edgeIndex[dst]++
		}
	}
	for _, ss := range m.Slices {
		for _, s := range ss {
			add(s, dest{s.Chip, loopBack(m.Net, s)})
			if s.Delay != nil {
				add(s, dest{s.Chip, []int{s.Delay.P}})
			}
		}
	}
	slices.SortStableFunc(order, func(a, b *Slice) int {
		if a.Pop != b.Pop {
			return a.Pop - b.Pop
		}
		return a.Lo - b.Lo
	})
	for _, s := range order {
		s.Sends = true
	}
	trees := map[machine.XY]*tree{}
	entries := map[machine.XY][]router.Entry{}
	for _, src := range order {
		t := trees[src.Chip]
		if t == nil {
			t = newTree(m.Machine, src.Chip)
			trees[src.Chip] = t
		}
		routes := map[machine.XY]router.Route{}
		in := map[machine.XY]machine.Link{}
		for _, dst := range targets[src] {
			for _, p := range dst.cores {
				routes[dst.chip] |= router.CoreRoute(p)
			}
			for c := dst.chip; c != src.Chip; {
				l, ok := t.parent[c]
				if !ok {
					return fmt.Errorf("machine: chip %v cannot be reached from chip %v over the live links", dst.chip, src.Chip)
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
