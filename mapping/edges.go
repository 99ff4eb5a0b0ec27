package mapping

import (
	"slices"
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
			var dsts, late []*Slice // late: targets of its delay extension
			for _, k := range byPre[pi] {
				nPre, nPost := net.Populations[k.pre].Size, net.Populations[k.post].Size
				for di, d := range m.Slices[k.post] {
					for _, j := range byPair[k] {
						pr := &net.Projections[j]
						if m.direct[j] {
							continue // no packets: through SDRAM
						}
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
						if m.viaDelay[j] && (len(late) == 0 || late[len(late)-1] != d) {
							late = append(late, d)
						}
						if st.proj[j].kind == core.Neuromodulatory {
							kinds[d] |= rowsDopamine
						} else {
							kinds[d] |= rowsOther
						}
					}
				}
			}
			sortSlices(dsts)
			if len(dsts) > 0 {
				f := fanOut{src: s, dsts: dsts, kinds: make([]int, len(dsts))}
				for i, d := range dsts {
					f.kinds[i] = kinds[d]
				}
				out = append(out, f)
			}
			// The delay extension's edges follow the slice's own, so that
			// a target numbers its incoming edges in the order of the
			// pairs (sortedPairs).
			if len(late) > 0 {
				sortSlices(late)
				late = slices.Compact(late)
				f := fanOut{src: &s.Delay.Slice, dsts: late, kinds: make([]int, len(late))}
				for i := range late {
					f.kinds[i] = rowsOther
				}
				out = append(out, f)
			}
		}
	}
	return out
}

// delayOf returns the delay-extension core that s is, or nil when s is a
// population's slice.
func delayOf(m *Mapped, s *Slice) *DelaySlice {
	ss := m.Slices[s.Pop]
	src := ss[sliceOf(ss, s.Lo)]
	if src.Delay != nil && &src.Delay.Slice == s {
		return src.Delay
	}
	return nil
}

// sortSlices sorts slices by population, then by first neuron.
func sortSlices(ss []*Slice) {
	sort.SliceStable(ss, func(a, b int) bool {
		if ss[a].Pop != ss[b].Pop {
			return ss[a].Pop < ss[b].Pop
		}
		return ss[a].Lo < ss[b].Lo
	})
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
		rows := f.src.Hi - f.src.Lo
		if de := delayOf(m, f.src); de != nil {
			rows *= de.Stages // a row per stage and neuron
		}
		for i, d := range f.dsts {
			d.Est.Sources++
			if f.kinds[i]&rowsDopamine != 0 {
				d.Est.everywhere++
			}
			d.Est.Rows += rows
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
				// A delay extension's synapses spread over its stages' rows:
				// a neuron's synapses once, and the headers of every row.
				n := int64(f.src.Hi - f.src.Lo)
				d.Est.SDRAM += n*int64(rowWords(core.Kind(kind), l))*4 + (int64(rows)-n)*int64(rowWords(core.Kind(kind), 0))*4
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
			s.Est.RingBits = ringBits(n, st.directDelay(pi, n))
			s.Est.Synapses = st.into[pi] * float64(n) / float64(p.Size)
			s.Est.SDRAM += recordingBytes(p, n, net.Ticks())
			s.Est.setMemory(coreMemory(net, st, pi, n, s.Est.RingBits, s.Est.Sources, s.Est.everywhere, s.Est.MaxRow))
		}
	}
}
