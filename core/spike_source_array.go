package core

import (
	"sort"

	"github.com/spinnsim/spinnsim/packets"
)

// SpikeSourceArray sends each neuron's spikes at the ticks given.
type SpikeSourceArray struct {
	key    uint32
	ticks  []uint32 // the schedule, sorted by (tick, neuron)
	neuron []int32
	next   int
	Rec    *Recorder
}

// NewSpikeSourceArray makes the application for a slice whose neuron i sends
// with key | i at every tick of ticks[i].
func NewSpikeSourceArray(key uint32, ticks [][]uint32, rec *Recorder) *SpikeSourceArray {
	type ev struct {
		t uint32
		n int32
	}
	var evs []ev
	for i, ts := range ticks {
		for _, t := range ts {
			evs = append(evs, ev{t, int32(i)})
		}
	}
	sort.SliceStable(evs, func(a, b int) bool {
		if evs[a].t != evs[b].t {
			return evs[a].t < evs[b].t
		}
		return evs[a].n < evs[b].n
	})
	s := &SpikeSourceArray{key: key, Rec: rec}
	for _, e := range evs {
		s.ticks = append(s.ticks, e.t)
		s.neuron = append(s.neuron, e.n)
	}
	return s
}

// Name implements Application.
func (s *SpikeSourceArray) Name() string { return "spike_source_array" }

// Memory implements Application. The schedule lives in SDRAM and is read a
// block at a time; DTCM holds the block buffer and the slice's state.
func (s *SpikeSourceArray) Memory() Memory {
	return Memory{DTCM: 8*1024 + 4*len(s.Rec.Counts), ITCM: 8 * 1024}
}

// TimerTick implements Application.
func (s *SpikeSourceArray) TimerTick(t uint32, r *Ready, _ *Counters) {
	for s.next < len(s.ticks) && s.ticks[s.next] < t {
		s.next++ // times before the run's first tick never fire
	}
	for s.next < len(s.ticks) && s.ticks[s.next] == t {
		n := s.neuron[s.next]
		r.Packets = append(r.Packets, packets.Multicast(s.key|uint32(n)))
		s.Rec.spike(int(n), t)
		s.next++
	}
}

// Receive implements Application: a source has no synapses.
func (s *SpikeSourceArray) Receive(uint32, []packets.Packet, *Ready, *Counters) {}
