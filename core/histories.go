package core

import (
	"github.com/spinnsim/spinnsim/kernels"
)

// Post-synaptic histories beyond what the chip keeps.
//
// Float keeps every post and dopamine event a synapse has not used yet (the
// chip keeps 15 a neuron). historyPruner bounds that memory: every so many
// events it finds, for each post neuron, the earliest window start of any
// plastic synapse onto it (t_lp − d of its row's last pre spike; t − d for
// a row that has never spiked, whose first update can only read the newest
// event at or before its window's end), and lets the history forget what
// came before. That is exact: an update reads the events after its window
// start and the newest one at or before it, and every later window starts
// later. In steady state (every row spiking now and then) a history holds
// the events since the oldest last pre spike of the rows onto its neuron;
// a row that stops firing keeps its post neurons' events until it fires.
//
// HistoryLosses reads back, for provenance, what the chip's 16-entry
// history (or float's with the history_capacity quirk) lost: the post and
// dopamine events evicted before any pre spike used them.

// historyPruner bounds the float histories of one synapse engine.
type historyPruner struct {
	e       *engine[float64, float64]
	pushed  int // events since the last pruning
	limit   int // events between prunings
	every   int // a fixed limit (tests); 0: as many as the core holds synapses / 4, at least 8 a neuron
	horizon []uint32
}

// added counts n events pushed at tick t and prunes when enough came.
func (p *historyPruner) added(n int, t uint32) {
	p.pushed += n
	if p.pushed >= p.limit {
		p.prune(t)
	}
}

// prune lets every history of the engine forget the events no synapse can
// read again, at tick t.
func (p *historyPruner) prune(t uint32) {
	e := p.e
	if p.horizon == nil {
		p.horizon = make([]uint32, e.n)
	}
	for i := range p.horizon {
		p.horizon[i] = t
	}
	synapses := 0
	for mi := range e.mats {
		m := &e.mats[mi]
		if m.kind != Plastic {
			continue
		}
		for r := range m.rows() {
			tlp := m.preTime[r]
			spiked := tlp != 0 || m.preTrace[r] != 0
			if !spiked {
				tlp = t
			}
			lo, hi := m.rowStart[r], m.rowStart[r+1]
			synapses += int(hi - lo)
			for j := lo; j < hi; j++ {
				n, _, d := e.lay.unpack(m.control[j])
				// One tick more than the window start: the zero-lag
				// convention's windows start a tick earlier.
				b := tlp - min(tlp, d+1)
				if b < p.horizon[n] {
					p.horizon[n] = b
				}
			}
		}
	}
	for n := range e.hist {
		e.hist[n].Forget(p.horizon[n])
	}
	p.pushed = 0
	p.limit = max(64, 8*e.n, synapses/4)
	if p.every > 0 {
		p.limit = p.every
	}
}

// HistoryLoss counts the events a post-synaptic history evicted before any
// pre spike's update used them.
type HistoryLoss struct {
	Post     uint64 // post spikes
	Dopamine uint64 // reward and punishment events
}

// Total is Post + Dopamine.
func (l HistoryLoss) Total() uint64 { return l.Post + l.Dopamine }

func (l *HistoryLoss) add(o HistoryLoss) { l.Post += o.Post; l.Dopamine += o.Dopamine }

// HistoryLosses reads what the post-synaptic histories of a core that holds
// synapses lost: in all (over the neurons that plastic synapses on the core
// target; a synapse core without plastic rows onto a neuron keeps its
// history, unread) and for each projection (over the neurons its plastic
// synapses on the core target; indexed by projection). A core without
// plastic synapses gives zero and nil.
func HistoryLosses(s Synapses) (HistoryLoss, map[int]HistoryLoss) {
	switch c := s.(type) {
	case *combinedCore[uint16, kernels.S411]:
		return historyLosses(c.syn)
	case *combinedCore[float64, float64]:
		return historyLosses(c.syn)
	case *synapseCore[uint16, kernels.S411]:
		return historyLosses(c.syn)
	case *synapseCore[float64, float64]:
		return historyLosses(c.syn)
	}
	return HistoryLoss{}, nil
}

func historyLosses[W Word, T Trace](e *engine[W, T]) (HistoryLoss, map[int]HistoryLoss) {
	if e.hist == nil {
		return HistoryLoss{}, nil
	}
	targets := map[int][]bool{} // projection → neurons its plastic synapses target
	targeted := make([]bool, e.n)
	for mi := range e.mats {
		m := &e.mats[mi]
		if m.kind != Plastic {
			continue
		}
		for j := range m.control {
			p := m.projOf(int32(j))
			n, _, _ := e.lay.unpack(m.control[j])
			ts := targets[int(p)]
			if ts == nil {
				ts = make([]bool, e.n)
				targets[int(p)] = ts
			}
			ts[n], targeted[n] = true, true
		}
	}
	loss := func(n int) HistoryLoss {
		post, da := e.hist[n].Lost()
		return HistoryLoss{Post: post, Dopamine: da}
	}
	var all HistoryLoss
	for n, ok := range targeted {
		if ok {
			all.add(loss(n))
		}
	}
	per := make(map[int]HistoryLoss, len(targets))
	for p, ts := range targets {
		var l HistoryLoss
		for n, ok := range ts {
			if ok {
				l.add(loss(n))
			}
		}
		per[p] = l
	}
	return all, per
}
