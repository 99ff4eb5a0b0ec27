package mapping

import (
	"errors"
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/router"
)

// route writes a multicast route for every source slice that has targets.
func route(m *Mapped, groups map[pair][]core.SourceSynapse) error {
	targets := map[[2]int][]*Slice{}
	var order [][2]int
	for _, p := range sortedPairs(groups) {
		k := [2]int{p.srcPop, p.src}
		if _, ok := targets[k]; !ok {
			order = append(order, k)
		}
		targets[k] = append(targets[k], m.Slices[p.dstPop][p.dst])
	}
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
			routes[dst.Chip] |= router.CoreRoute(dst.P)
			c := dst.Chip
			for c != src.Chip {
				l, ok := parent[c]
				if !ok {
					return fmt.Errorf("chip %v cannot be reached from chip %v", dst.Chip, src.Chip)
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
