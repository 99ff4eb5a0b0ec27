package mapping

import (
	"sort"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/network"
)

// fanOut is a source slice and the target slices that one of the
// projections between their populations may connect it to: each (source,
// target) pair is what sPyNNaker calls a machine edge. Every edge is routed
// and has a master population table entry on the target, whether or not
// the draws put a synapse on it.
type fanOut struct {
	src   *Slice
	dsts  []*Slice // by population, then slice
	kinds []int    // per target: rowsOther and/or rowsDopamine
}

// edges lists the edges of the network by source slice, in slice order
// (slices without edges are left out): they follow from the connectors
// alone, without a generated synapse.
func edges(net *network.Network, st *stats, m *Mapped) []fanOut {
	byPair, pairs := projectionsByPair(st)
	byPre := map[int][]popPair{}
	for _, k := range pairs {
		byPre[k.pre] = append(byPre[k.pre], k)
	}
	// FromList projections: the slice pairs their rows name.
	listed := map[int]map[[2]int]bool{}
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Connector.Type != network.FromList {
			continue
		}
		pre, post := m.Slices[st.proj[j].pre], m.Slices[st.proj[j].post]
		set := map[[2]int]bool{}
		for _, e := range pr.Connector.List {
			set[[2]int{sliceOf(pre, e.Pre), sliceOf(post, e.Post)}] = true
		}
		listed[j] = set
	}
	var out []fanOut
	for pi, ss := range m.Slices {
		for si, s := range ss {
			kinds := map[*Slice]int{}
			var dsts []*Slice
			for _, k := range byPre[pi] {
				nPre, nPost := net.Populations[k.pre].Size, net.Populations[k.post].Size
				for di, d := range m.Slices[k.post] {
					for _, j := range byPair[k] {
						pr := &net.Projections[j]
						var ok bool
						switch {
						case pr.Synapse.IsStructural():
							ok = true // rewiring may connect any pair
						case pr.Connector.Type == network.FromList:
							ok = listed[j][[2]int{si, di}]
						default:
							ok = connectors.CouldConnect(pr.Connector, nPre, nPost, k.pre == k.post, s.Lo, s.Hi, d.Lo, d.Hi)
						}
						if !ok {
							continue
						}
						if _, seen := kinds[d]; !seen {
							dsts = append(dsts, d)
						}
						if st.proj[j].kind == core.Neuromodulatory {
							kinds[d] |= rowsDopamine
						} else {
							kinds[d] |= rowsOther
						}
					}
				}
			}
			sort.SliceStable(dsts, func(a, b int) bool {
				if dsts[a].Pop != dsts[b].Pop {
					return dsts[a].Pop < dsts[b].Pop
				}
				return dsts[a].Lo < dsts[b].Lo
			})
			if len(dsts) > 0 {
				f := fanOut{src: s, dsts: dsts, kinds: make([]int, len(dsts))}
				for i, d := range dsts {
					f.kinds[i] = kinds[d]
				}
				out = append(out, f)
			}
		}
	}
	return out
}

// popPair is a (pre, post) pair of populations.
type popPair struct{ pre, post int }

// projectionsByPair groups the projections by their (pre, post) pair, in
// file order, and lists the pairs in the order first met.
func projectionsByPair(st *stats) (map[popPair][]int, []popPair) {
	byPair := map[popPair][]int{}
	var pairs []popPair
	for j := range st.proj {
		k := popPair{st.proj[j].pre, st.proj[j].post}
		if _, ok := byPair[k]; !ok {
			pairs = append(pairs, k)
		}
		byPair[k] = append(byPair[k], j)
	}
	return byPair, pairs
}

// estimate fills in every slice's estimate from the edges into it.
func estimate(net *network.Network, st *stats, m *Mapped, es []fanOut) {
	// Row lengths per kind for a (source population, target population,
	// target slice size): summed over the projections between them.
	byPair, _ := projectionsByPair(st)
	type lenKey struct {
		pair popPair
		n    int
	}
	rowLen := map[lenKey][numKinds]int{}
	for _, f := range es {
		for i, d := range f.dsts {
			d.Est.Sources++
			if f.kinds[i]&rowsDopamine != 0 {
				d.Est.everywhere++
			}
			d.Est.Rows += f.src.Hi - f.src.Lo
			k := lenKey{popPair{f.src.Pop, d.Pop}, d.Hi - d.Lo}
			lens, ok := rowLen[k]
			if !ok {
				for _, j := range byPair[k.pair] {
					lens[st.proj[j].kind] += st.rowLength(net, j, k.n)
				}
				rowLen[k] = lens
			}
			for kind, l := range lens {
				if l == 0 {
					continue
				}
				d.Est.MaxRow = max(d.Est.MaxRow, l)
				d.Est.SDRAM += int64(f.src.Hi-f.src.Lo) * int64(rowWords(core.Kind(kind), l)) * 4
			}
		}
	}
	for pi, ss := range m.Slices {
		p := &net.Populations[pi]
		for _, s := range ss {
			n := s.Hi - s.Lo
			if p.IsSource() {
				s.Est = sourceEstimate(net, p, s.Lo, s.Hi)
				continue
			}
			s.Est.RingBits = ringBits(n, st.maxDelay[pi])
			s.Est.Synapses = st.into[pi] * float64(n) / float64(p.Size)
			s.Est.SDRAM += recordingBytes(p, n, net.Ticks())
			s.Est.setMemory(coreMemory(net, st, pi, n, s.Est.RingBits, s.Est.Sources, s.Est.everywhere, s.Est.MaxRow))
		}
	}
}
