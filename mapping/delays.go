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
// to one (73,728 ticks), and says so; and so it does for a target whose
// short L would hold up a source's longer delays onto another target
// (fitStages). sPyNNaker refuses both and leaves the choice of
// max_atoms_per_core to the user. Populations with structural plasticity
// hold all their delays themselves.

// stagePlan is, for slices of the given sizes, which projections go
// through delay extensions (via), and per source population the stage
// length (the shortest ring buffer among its targets) and the longest
// delay its delay extensions carry.
type stagePlan struct {
	via      []bool
	stageLen map[int]uint32
	longest  map[int]uint32
}

func planStages(st *stats, atoms []int) stagePlan {
	p := stagePlan{via: make([]bool, len(st.proj)), stageLen: map[int]uint32{}, longest: map[int]uint32{}}
	for j, ps := range st.proj {
		l := core.MaxDirectDelay(atoms[ps.post])
		if ps.kind == core.Neuromodulatory || st.direct[ps.post] || l == 0 || ps.maxDelay <= l {
			continue
		}
		p.via[j] = true
		if old, ok := p.stageLen[ps.pre]; ok {
			l = min(l, old)
		}
		p.stageLen[ps.pre] = l
		p.longest[ps.pre] = max(p.longest[ps.pre], ps.maxDelay)
	}
	return p
}

// stages is the number of stages source population pi's delay extensions
// need (0 for none).
func (p stagePlan) stages(pi int) int {
	l, ok := p.stageLen[pi]
	if !ok {
		return 0
	}
	return int((p.longest[pi]+l-1)/l) - 1
}

// fitStages makes the stages of every source fit a delay extension: a
// source's stages are as long as the shortest ring buffer among its
// targets, so a target with a short one, fed by a source whose delays onto
// another target are long, is given fewer neurons a core (a longer ring
// buffer) until they fit, as planAtoms does for a population's own delays.
// With max_atoms_per_core set on such a target, or at one neuron a core,
// the source is refused (planDelays says so).
func fitStages(net *network.Network, st *stats, atoms []int) {
	for changed := true; changed; {
		changed = false
		p := planStages(st, atoms)
		for pi, l := range p.stageLen {
			if p.stages(pi) <= core.MaxDelayStages {
				continue
			}
			for j, ps := range st.proj {
				t := ps.post
				if !p.via[j] || ps.pre != pi || core.MaxDirectDelay(atoms[t]) != l || atoms[t] == 1 || net.Populations[t].MaxAtomsPerCore > 0 {
					continue
				}
				atoms[t] = (atoms[t] + 1) / 2
				st.notes[t] = fmt.Sprintf("the delay extensions of %s carry delays up to %d ticks, in at most %d stages as long as the shortest ring buffer of its targets",
					net.Populations[pi].Label, p.longest[pi], core.MaxDelayStages)
				changed = true
			}
		}
	}
}

// planDelays decides which projections go through delay extensions and
// gives their source slices delay-extension cores; it refuses a source
// whose targets' stages cannot agree.
func planDelays(net *network.Network, st *stats, m *Mapped, atoms []int) error {
	p := planStages(st, atoms)
	m.viaDelay = p.via
	var pb problems
	for pi, ss := range m.Slices {
		l, ok := p.stageLen[pi]
		if !ok {
			continue
		}
		stages := p.stages(pi)
		if stages > core.MaxDelayStages {
			var worst int
			for j, ps := range st.proj {
				if m.viaDelay[j] && ps.pre == pi && ps.maxDelay == p.longest[pi] {
					worst = j
					break
				}
			}
			pb.add("delay", fmt.Sprintf("projections[%d].synapse.delay", worst),
				"delays up to %d ticks from %s need %d stages of %d ticks (the shortest ring buffer among its targets, whose max_atoms_per_core fixes it), more than a delay extension's %d: set a smaller max_atoms_per_core on its targets with short ring buffers, or use shorter delays",
				p.longest[pi], net.Populations[pi].Label, stages, l, core.MaxDelayStages)
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
