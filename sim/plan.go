package sim

import (
	"math/bits"
	"slices"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/router"
)

// MaxRunAhead is the most ticks a driver may run a core beyond the last
// tick its progress callback has seen: the actor driver runs the machine in
// windows of this many ticks (see Plan), and calls the callback for the
// window's ticks when the window is over. A recording buffer that the
// callback empties must hold MaxRunAhead−1 ticks more than it empties at a
// time.
const MaxRunAhead = 64

// Stage is a set of cores that may run a window of ticks together, after
// the stages before it in a Plan have run the same window.
type Stage struct {
	// Cores are indices into the mapping's Cores, ascending.
	Cores []int
	// Lockstep is set when the cores go through the window a tick at a
	// time, all together: they depend on each other's packets or SDRAM
	// within a tick, or end their ticks, or send only to such cores.
	// Otherwise no core of the stage depends on another of it, and each may
	// run the whole window in one go.
	Lockstep bool
}

// Plan orders a mapped machine's cores into stages for running ahead, as a
// conservative parallel simulation does with its lookahead: a core may run
// tick t+1 once every core whose packets (or SDRAM blocks) can reach it has
// run tick t, and its packets of tick t have arrived. A core with nothing
// upstream (a spike source, a population without inputs) may run a whole
// window of ticks at once; so may a core whose upstream cores are all in
// earlier stages and have already run the window. Cores that depend on one
// another within a tick (a recurrent population, a split population's
// neuron and synapse cores through SDRAM) go tick by tick together.
//
// Each core processes the same events in the same order whatever the plan
// (the packets of tick t−1, then the timer tick of t), so the results are
// the same as the sequential driver's, byte for byte.
//
// Dependencies come from the routing tables as loaded: a core's key space
// (its slice's key and mask) is followed from its chip through every entry
// it can match and the default routes of the keys no entry covers; a core
// whose keys the mapping does not describe is taken to send any key. The
// plan may so see dependencies that no packet uses (it errs on the side of
// waiting), never miss one. SDRAM regions shared between cores tie their
// owner and sharers together.
//
// Stages are levels of the graph of strongly connected components: a
// component's level is one more than the highest of the components it
// depends on. A level's single cores that can run ahead form one stage, its
// other components a lockstep stage; a core that could run ahead but sends
// only to cores in lockstep joins them instead.
func Plan(m *mapping.Mapped) []Stage {
	f := NewFabric(m)
	n := len(m.Cores)
	index := make(map[*core.Core]int, n)
	for i, c := range m.Cores {
		index[c] = i
	}
	chipOf := make([]int, n)
	for i, c := range m.Cores {
		chipOf[i], _ = f.Index(c.Chip)
	}

	// What each core sends: its slice's key space, none, or (unknown) any.
	type keySpace struct {
		key, mask uint32
		none      bool
	}
	sends := make([]keySpace, n) // zero: any key
	for _, ss := range m.Slices {
		for _, s := range ss {
			if s.Core != nil {
				if i, ok := index[s.Core]; ok {
					sends[i] = keySpace{key: s.Key, mask: s.Mask, none: !s.Sends}
				}
			}
			for _, sc := range s.SynCores {
				if i, ok := index[sc.Core]; ok {
					sends[i].none = true // synapse cores write SDRAM only
				}
			}
			for _, d := range s.Direct {
				if i, ok := index[d.Core]; ok {
					sends[i].none = true // a merged Poisson source writes SDRAM only
				}
			}
			if s.Delay != nil && s.Delay.Core != nil {
				if i, ok := index[s.Delay.Core]; ok {
					sends[i] = keySpace{key: s.Delay.Key, mask: s.Delay.Mask}
				}
			}
		}
	}
	for i, c := range m.Cores {
		if c.Silent {
			sends[i].none = true
		}
	}

	entries := make([][]router.Entry, f.Chips())
	for ci := range entries {
		entries[ci] = f.Router(ci).Table.Entries()
	}

	// Edges: core → the cores its packets can reach.
	adj := make([][]int32, n)
	self := make([]bool, n)
	type state struct{ chip, from int }
	seenCore := make([]int, n) // the sender that last reached it, +1
	seenAt := make([]int, f.Chips()*(machine.NumLinks+1))
	var queue []state
	for u := range n {
		ks := sends[u]
		if ks.none {
			continue
		}
		mark := u + 1
		visit := func(s state) {
			k := s.chip*(machine.NumLinks+1) + s.from - router.FromLocal
			if seenAt[k] != mark {
				seenAt[k] = mark
				queue = append(queue, s)
			}
		}
		queue = queue[:0]
		visit(state{chipOf[u], router.FromLocal})
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			var route router.Route
			covered := false
			for _, e := range entries[s.chip] {
				if (e.Key^ks.key)&e.Mask&ks.mask != 0 {
					continue // no key of the space matches
				}
				route |= e.Route
				if e.Mask&^ks.mask == 0 {
					covered = true // every key of the space matches
					break
				}
			}
			if !covered && s.from != router.FromLocal {
				route |= 1 << uint(machine.Link(s.from).Opposite())
			}
			for ls := uint32(route & router.LinkMask); ls != 0; ls &= ls - 1 {
				l := machine.Link(bits.TrailingZeros32(ls))
				if j := f.Neighbour(s.chip, l); j >= 0 {
					visit(state{j, int(l.Opposite())})
				}
			}
			for cs := uint32(route&router.CoreMask) >> machine.NumLinks; cs != 0; cs &= cs - 1 {
				c := f.Core(s.chip, bits.TrailingZeros32(cs))
				if c == nil {
					continue
				}
				v := index[c]
				if v == u {
					self[u] = true
				} else if seenCore[v] != mark {
					seenCore[v] = mark
					adj[u] = append(adj[u], int32(v))
				}
			}
		}
	}

	// SDRAM shared between cores ties them both ways; cores that end their
	// ticks go tick by tick.
	lockstep := make([]bool, n)
	for i, c := range m.Cores {
		lockstep[i] = c.EndsTicks()
	}
	for ci := range f.Chips() {
		for _, r := range f.Memory(ci).Regions() {
			if len(r.Sharers) == 0 {
				continue
			}
			group := []int{r.Owner}
			group = append(group, r.Sharers...)
			for _, p := range group {
				a := f.Core(ci, p)
				if a == nil {
					continue
				}
				for _, q := range group {
					if b := f.Core(ci, q); b != nil && p != q {
						adj[index[a]] = append(adj[index[a]], int32(index[b]))
					}
				}
			}
		}
	}

	comp, comps := components(adj)
	// Components come out of Tarjan's algorithm in reverse topological
	// order: a component's successors have lower numbers.
	size := make([]int, comps)
	for _, k := range comp {
		size[k]++
	}
	level := make([]int, comps)
	order := make([][]int, comps) // the cores of each component
	for u, k := range comp {
		order[k] = append(order[k], u)
	}
	top := 0
	for k := comps - 1; k >= 0; k-- { // predecessors before successors
		for _, u := range order[k] {
			for _, v := range adj[u] {
				if kv := comp[v]; kv != k && level[kv] < level[k]+1 {
					level[kv] = level[k] + 1
				}
			}
		}
		top = max(top, level[k])
	}
	ahead := make([]bool, n)
	for u, k := range comp {
		ahead[u] = size[k] == 1 && !self[u] && !lockstep[u]
	}
	// A core whose packets all go to cores in lockstep gains nothing by
	// running ahead of them, and a window of its packets would wait for
	// them out of the cache (a Poisson background feeding a recurrent
	// network): it joins the lockstep stage of its first consumers, a tick
	// at a time with them, which its dependencies allow (the cores it
	// depends on are at lower levels, those that depend on it at that level
	// or above).
	free := make([][]int, top+1)
	locked := make([][]int, top+1)
	for u, k := range comp {
		l := level[k]
		if ahead[u] && len(adj[u]) > 0 {
			first, all := top+1, true
			for _, v := range adj[u] {
				all = all && !ahead[v]
				first = min(first, level[comp[v]])
			}
			if all {
				locked[first] = append(locked[first], u)
				continue
			}
		}
		if ahead[u] {
			free[l] = append(free[l], u)
		} else {
			locked[l] = append(locked[l], u)
		}
	}
	for _, cs := range locked {
		slices.Sort(cs)
	}
	var stages []Stage
	for l := range top + 1 {
		if len(free[l]) > 0 {
			stages = append(stages, Stage{Cores: free[l]})
		}
		if len(locked[l]) > 0 {
			stages = append(stages, Stage{Cores: locked[l], Lockstep: true})
		}
	}
	return stages
}

// components numbers the strongly connected components of a graph (Tarjan's
// algorithm, without recursion): comp[u] is u's component; a component's
// successors have lower numbers than it.
func components(adj [][]int32) (comp []int, count int) {
	n := len(adj)
	comp = make([]int, n)
	index := make([]int, n) // discovery order, +1; 0: not yet visited
	low := make([]int, n)
	onStack := make([]bool, n)
	var stack []int
	type frame struct{ u, next int }
	var call []frame
	next := 1
	for root := range n {
		if index[root] != 0 {
			continue
		}
		call = append(call, frame{u: root})
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			fr := &call[len(call)-1]
			u := fr.u
			if fr.next < len(adj[u]) {
				v := int(adj[u][fr.next])
				fr.next++
				switch {
				case index[v] == 0:
					index[v], low[v] = next, next
					next++
					stack = append(stack, v)
					onStack[v] = true
					call = append(call, frame{u: v})
				case onStack[v]:
					low[u] = min(low[u], index[v])
				}
				continue
			}
			if low[u] == index[u] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = count
					if w == u {
						break
					}
				}
				count++
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].u
				low[p] = min(low[p], low[u])
			}
		}
	}
	return comp, count
}
