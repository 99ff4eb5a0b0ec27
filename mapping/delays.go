package mapping

import (
	"fmt"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/network"
)

// This file gives delay-extension cores to the source slices whose
// projections have delays longer than their targets' ring buffers hold, as
// sPyNNaker's delay support adder does (reference spinnaker-machine.md
// §5.6):
//
//   - a target population's core holds delays up to its ring buffer's
//     length, L = 2^(14 − type bits − index bits) ticks (32 for 256
//     neurons); when its delays are longer, they go through delay
//     extensions, and the core keeps its size;
//   - a source population whose projections need it gets one
//     delay-extension core per slice, on the slice's chip, with stages of
//     L ticks (the smallest L of its targets, so that every target holds
//     the remainders), and as many stages as its longest delay needs,
//     ceil(d / L) − 1, at most core.MaxDelayStages (8);
//   - a synapse of delay d > L goes in the target's row for (stage
//     s = ⌊(d−1)/L⌋, neuron) under the delay extension's key, with the
//     remainder d − s·L (1..L) as its delay.
//
// So delays reach 9·L ticks: 288 for cores of 256 neurons. Beyond that the
// plan gives the target population fewer neurons a core (a longer L), down
// to one (73,728 ticks), and says so; sPyNNaker refuses instead and leaves
// the choice of max_atoms_per_core to the user. Populations with structural
// plasticity hold all their delays themselves.

// planDelays decides which projections go through delay extensions and
// gives their source slices delay-extension cores; it refuses a source
// whose targets' stages cannot agree.
func planDelays(net *network.Network, st *stats, m *Mapped, atoms []int) error {
	m.viaDelay = make([]bool, len(st.proj))
	stageLen := map[int]uint32{} // source population → L
	longest := map[int]uint32{}
	for j, ps := range st.proj {
		if ps.kind == core.Neuromodulatory || st.direct[ps.post] || ps.maxDelay <= core.MaxDirectDelay(atoms[ps.post]) {
			continue
		}
		m.viaDelay[j] = true
		l, ok := stageLen[ps.pre]
		if !ok || core.MaxDirectDelay(atoms[ps.post]) < l {
			l = core.MaxDirectDelay(atoms[ps.post])
		}
		stageLen[ps.pre] = l
		longest[ps.pre] = max(longest[ps.pre], ps.maxDelay)
	}
	var pb problems
	for pi, ss := range m.Slices {
		l, ok := stageLen[pi]
		if !ok {
			continue
		}
		stages := int((longest[pi]+l-1)/l) - 1
		if stages > core.MaxDelayStages {
			var worst int
			for j, ps := range st.proj {
				if m.viaDelay[j] && ps.pre == pi && ps.maxDelay == longest[pi] {
					worst = j
					break
				}
			}
			pb.add("delay", fmt.Sprintf("projections[%d].synapse.delay", worst),
				"delays up to %d ticks from %s need %d stages of %d ticks (the shortest ring buffer among its targets), more than a delay extension's %d: give its targets with short ring buffers fewer neurons a core (max_atoms_per_core) or use shorter delays",
				longest[pi], net.Populations[pi].Label, stages, l, core.MaxDelayStages)
			continue
		}
		for _, s := range ss {
			d := &DelaySlice{Slice: Slice{Pop: pi, Lo: s.Lo, Hi: s.Hi}, Stages: stages, StageLen: l}
			d.Enabled = make([][]bool, stages)
			for k := range d.Enabled {
				d.Enabled[k] = make([]bool, s.Hi-s.Lo)
			}
			s.Delay = d
		}
	}
	return pb.err()
}

// split divides a delay d of a projection into a delay-extension stage and
// the remainder its target holds: stage 0 when the target holds d itself.
func (d *DelaySlice) split(delay uint32) (stage int, rest uint32) {
	if delay <= d.StageLen {
		return 0, delay
	}
	s := (delay - 1) / d.StageLen
	return int(s), delay - s*d.StageLen
}

// rows is the number of rows a target has under the delay extension's key.
func (d *DelaySlice) rows() int { return d.Stages << d.AtomBits }

// loadDelays builds the delay-extension cores.
func loadDelays(m *Mapped) error {
	for _, ss := range m.Slices {
		for _, s := range ss {
			d := s.Delay
			if d == nil {
				continue
			}
			app, err := core.NewDelayExtension(core.DelayExtensionConfig{
				InKey: s.Key, InMask: s.Mask, N: s.Hi - s.Lo, OutKey: d.Key, AtomBits: d.AtomBits,
				StageLen: d.StageLen, Stages: d.Stages, Enabled: d.Enabled,
			})
			if err != nil {
				return err
			}
			label := fmt.Sprintf("%s[%d:%d] delays", m.Net.Populations[s.Pop].Label, s.Lo, s.Hi)
			c, err := core.New(d.Chip, d.P, label, app)
			if err != nil {
				return err
			}
			d.Core = c
			m.Cores = append(m.Cores, c)
		}
	}
	return nil
}
