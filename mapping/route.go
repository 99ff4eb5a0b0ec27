package mapping

import (
	"errors"
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/router"
)

// corePlace is a core of the machine.
type corePlace struct {
	chip machine.XY
	p    int
}

// targets lists the cores each source slice must reach: for every target
// slice, its core, or on a split population the synapse core that holds the
// source's rows (every synapse core for dopamine rows); and a split plastic
// slice's own synapse cores, which take its spikes as post-synaptic events.
func targets(m *Mapped, groups map[pair][]core.SourceSynapse) (map[[2]int][]corePlace, [][2]int) {
	out := map[[2]int][]corePlace{}
	var order [][2]int
	add := func(src [2]int, pl corePlace) {
		if _, ok := out[src]; !ok {
			order = append(order, src)
		}
		out[src] = append(out[src], pl)
	}
	incoming := incomingPairs(groups)
	for _, dk := range sortedKeys(incoming) {
		dst := m.Slices[dk[0]][dk[1]]
		for i, pr := range incoming[dk] {
			src := [2]int{pr.srcPop, pr.src}
			if len(dst.SynCores) == 0 {
				add(src, corePlace{dst.Chip, dst.P})
				continue
			}
			dopamine, other := false, groups[pr] != nil && len(groups[pr]) == 0 // an empty pair is a structural one
			for _, s := range groups[pr] {
				if s.Kind == core.Neuromodulatory {
					dopamine = true
				} else {
					other = true
				}
			}
			for j, sc := range dst.SynCores {
				if dopamine || other && j == synapseCoreOf(i, len(dst.SynCores)) {
					add(src, corePlace{dst.Chip, sc.P})
				}
			}
		}
	}
	for pi, ss := range m.Slices {
		if !hasPlastic(m.Net, pi) {
			continue
		}
		for si, s := range ss {
			for _, sc := range s.SynCores {
				add([2]int{pi, si}, corePlace{s.Chip, sc.P})
			}
		}
	}
	return out, order
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

// route writes a multicast route for every source slice that has targets.
func route(m *Mapped, groups map[pair][]core.SourceSynapse) error {
	targets, order := targets(m, groups)
	for _, ss := range m.Slices {
		for si, s := range ss {
			_, sends := targets[[2]int{s.Pop, si}]
			s.Core.Silent = !sends
		}
	}
	entries := map[machine.XY][]router.Entry{}
	for _, k := range order {
		src := m.Slices[k[0]][k[1]]
		parent, err := tree(m.Machine, src.Chip)
		if err != nil {
			return err
		}
		routes := map[machine.XY]router.Route{}
		in := map[machine.XY]machine.Link{}
		for _, dst := range targets[k] {
			routes[dst.chip] |= router.CoreRoute(dst.p)
			c := dst.chip
			for c != src.Chip {
				l, ok := parent[c]
				if !ok {
					return fmt.Errorf("chip %v cannot be reached from chip %v", dst.chip, src.Chip)
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
	var errs []error
	for _, r := range m.Routers {
		es := entries[r.Chip]
		slices.SortFunc(es, func(a, b router.Entry) int {
			if a.Key < b.Key {
				return -1
			}
			return 1
		})
		for _, e := range es {
			if err := r.Table.Add(e); err != nil {
				errs = append(errs, fmt.Errorf("machine: chip %v needs %d multicast routing entries, more than the %d a router holds (routing-table compression is not built yet): %w",
					r.Chip, len(es), router.UsableEntries, err))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// tree is a breadth-first shortest-path tree from src over the live links,
// links tried in order E, NE, N, W, SW, S: for each chip reached, the link
// its parent sends on to reach it.
func tree(mc *machine.Machine, src machine.XY) (map[machine.XY]machine.Link, error) {
	parent := map[machine.XY]machine.Link{}
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
			parent[n] = l
			queue = append(queue, n)
		}
	}
	return parent, nil
}
