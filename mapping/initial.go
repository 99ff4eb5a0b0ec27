package mapping

import (
	"fmt"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/network"
)

// The initial values of IF_curr_exp, as initial values name them.
const (
	initV = iota
	initIsynExc
	initIsynInh
)

var initNames = [...]string{"v", "isyn_exc", "isyn_inh"}

// initial returns the initial values of a variable for the neurons of slice
// s of population pi: the file's number for every neuron, its list, or
// draws of its distribution. Draws are made for the whole population, in
// neuron order, from the stream "initial/<label>/<variable>", so they do not
// depend on how the population is sliced.
func (m *Mapped) initial(pi int, s *Slice, which int) []float64 {
	p := &m.Net.Populations[pi]
	v := [...]network.InitialValue{p.Init.V, p.Init.IsynExc, p.Init.IsynInh}[which]
	switch {
	case v.PerNeuron != nil:
		return v.PerNeuron[s.Lo:s.Hi]
	case v.IsConstant():
		return fill(s.Hi-s.Lo, v.Const)
	}
	if m.drawn == nil {
		m.drawn = map[[2]int][]float64{}
	}
	k := [2]int{pi, which}
	all, ok := m.drawn[k]
	if !ok {
		rng := Stream(m.Net.Seed, fmt.Sprintf("initial/%s/%s", p.Label, initNames[which]))
		all = make([]float64, p.Size)
		for i := range all {
			// The loader has checked the distribution, so a draw cannot fail.
			all[i], _ = connectors.Draw(v.Value, rng)
		}
		m.drawn[k] = all
	}
	return all[s.Lo:s.Hi]
}
