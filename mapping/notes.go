package mapping

import (
	"fmt"

	"github.com/spinnsim/spinnsim/network"
)

// notes are the log's lines on the plan: populations given fewer neurons a
// core than their model's default, and why; sources with delay extensions.
func notes(net *network.Network, st *stats, m *Mapped, atoms []int) []string {
	var out []string
	for pi := range net.Populations {
		if AutoSplit(net, pi) {
			out = append(out, fmt.Sprintf("population %s: split into a neuron core and a synapse core by itself: its combined core's code would not fit a core's 32 KiB of ITCM", net.Populations[pi].Label))
		}
		if into := m.Slices[pi]; len(into) > 0 && into[0].Into != nil {
			out = append(out, fmt.Sprintf("population %s: merged into the neuron cores of %s (direct Poisson): its spikes go through SDRAM, never as packets",
				net.Populations[pi].Label, net.Populations[into[0].Into.Pop].Label))
		}
		if why, ok := st.notes[pi]; ok {
			out = append(out, fmt.Sprintf("population %s: %d neurons a core (with more, %s)", net.Populations[pi].Label, atoms[pi], why))
		}
		if ss := m.Slices[pi]; len(ss) > 0 && ss[0].Delay != nil {
			d := ss[0].Delay
			out = append(out, fmt.Sprintf("population %s: %d delay-extension core(s) with %d stage(s) of %d ticks, for delays up to %d ticks",
				net.Populations[pi].Label, len(ss), d.Stages, d.StageLen, (d.Stages+1)*int(d.StageLen)))
		}
	}
	return out
}
