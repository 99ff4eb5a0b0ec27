package mapping

import (
	"sort"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/network"
)

// edge joins a source slice to a target slice that one of the projections
// between their populations may connect: what sPyNNaker calls a machine
// edge. Every edge is routed and has a master population table entry on the
// target, whether or not the draws put a synapse on it.
type edge struct {
	src, dst *Slice
}

// edges lists every edge of the network, grouped by source slice in slice
// order, then by target slice in order: they follow from the connectors
// alone, without a generated synapse.
func edges(net *network.Network, st *stats, m *Mapped) []edge {
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
	var out []edge
	for pi, ss := range m.Slices {
		for si, s := range ss {
			var dsts []*Slice
			for _, k := range byPre[pi] {
				nPre, nPost := net.Populations[k.pre].Size, net.Populations[k.post].Size
				for di, d := range m.Slices[k.post] {
					for _, j := range byPair[k] {
						pr := &net.Projections[j]
						ok := false
						if pr.Connector.Type == network.FromList {
							ok = listed[j][[2]int{si, di}]
						} else {
							ok = connectors.CouldConnect(pr.Connector, nPre, nPost, k.pre == k.post, s.Lo, s.Hi, d.Lo, d.Hi)
						}
						if ok {
							dsts = append(dsts, d)
							break
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
			for i, d := range dsts {
				if i > 0 && dsts[i-1] == d {
					continue
				}
				out = append(out, edge{s, d})
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
func estimate(net *network.Network, st *stats, m *Mapped, es []edge) {
	type inKey struct {
		dst *Slice
		pre int
	}
	// Sources and rows per target slice; row lengths per (target slice,
	// source population, kind), the same for every edge of the pair but
	// where OneToOne or FromList decide.
	byPair, _ := projectionsByPair(st)
	rowLen := map[inKey][3]int{}
	for _, e := range es {
		d := e.dst
		d.Est.Sources++
		d.Est.Rows += e.src.Hi - e.src.Lo
		k := inKey{d, e.src.Pop}
		if _, done := rowLen[k]; done {
			continue
		}
		var lens [3]int
		for _, j := range byPair[popPair{e.src.Pop, d.Pop}] {
			lens[st.proj[j].kind] += st.rowLength(net, j, d.Hi-d.Lo)
		}
		rowLen[k] = lens
	}
	for _, e := range es {
		d := e.dst
		lens := rowLen[inKey{d, e.src.Pop}]
		for kind, l := range lens {
			if l == 0 {
				continue
			}
			d.Est.MaxRow = max(d.Est.MaxRow, l)
			d.Est.SDRAM += int64(e.src.Hi-e.src.Lo) * int64(rowWords(core.Kind(kind), l)) * 4
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
			s.Est.DTCM, s.Est.ITCM = neuronMemory(n, s.Est.RingBits, s.Est.Sources, s.Est.MaxRow, st.plastic[pi],
				net.Arithmetic == network.ArithmeticFloat, net.TimestepMs)
		}
	}
}
