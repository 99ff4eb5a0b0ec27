package core

import (
	"fmt"

	"github.com/spinnsim/spinnsim/kernels"
)

// Word is one ring-buffer entry: a uint16 in ring-buffer units in fixed
// arithmetic (shifted left by the type's ring-buffer shift it is an s16.15
// current), a current in nA in float.
type Word interface{ uint16 | float64 }

// Trace is an STDP trace as a history or row header holds it: s4.11 in an
// int16 in fixed arithmetic, float64 in float.
type Trace interface{ kernels.S411 | float64 }

// Input is one tick's synaptic input of a slice: for each synapse type, one
// Word per neuron (the ring-buffer slot of the tick, or the sum of the
// synapse cores' SDRAM blocks on a split population).
type Input[W Word] [kernels.NumSynapseTypes][]W

// NeuronModel is the dynamics of a slice's neurons in one arithmetic. The
// neuron core owns the input and the recording; the model owns the state.
// IF_curr_exp implements it today (ifCurrExpFixed, ifCurrExpFloat); another
// model (IF_cond_exp, Izhikevich) implements the same three methods.
type NeuronModel[W Word] interface {
	// Name is the model's sPyNNaker name, e.g. "IF_curr_exp".
	Name() string
	// Len is the number of neurons.
	Len() int
	// Update adds each neuron's input of tick t, records what rec asks for,
	// advances every neuron by one tick, and appends the neurons that spiked
	// (in index order) to spiked.
	// c counts what went wrong in the arithmetic (wrap-around).
	Update(t uint32, in *Input[W], rec *Recorder, c *Counters, spiked []int32) []int32
}

// NeuronInit are the initial values of a slice's neurons (mV, nA).
type NeuronInit struct {
	V, IsynExc, IsynInh []float64
}

// ifCurrExpFixed is IF_curr_exp in SpiNNaker's fixed point
// (kernels.IFCurrExpFixed): the ring-buffer word of a type, shifted left by
// the type's ring-buffer shift, is an s16.15 current.
type ifCurrExpFixed struct {
	m     kernels.IFCurrExpFixed
	s     []kernels.IFStateFixed
	shift [kernels.NumSynapseTypes]uint32
	dc    []kernels.DCSourceFixed
}

func newIFCurrExpFixed(p kernels.IFCurrExpParams, hMs float64, init NeuronInit, shift [kernels.NumSynapseTypes]uint32, dc []kernels.DCSource) (*ifCurrExpFixed, error) {
	m, err := kernels.NewIFCurrExpFixed(p, hMs)
	if err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	f := &ifCurrExpFixed{m: m, s: make([]kernels.IFStateFixed, len(init.V)), shift: shift}
	for _, d := range dc {
		x, err := d.Fixed()
		if err != nil {
			return nil, err
		}
		f.dc = append(f.dc, x)
	}
	for i := range f.s {
		if f.s[i], err = m.NewState(init.V[i], init.IsynExc[i], init.IsynInh[i]); err != nil {
			return nil, fmt.Errorf("initial values: %w", err)
		}
	}
	return f, nil
}

func (f *ifCurrExpFixed) Name() string { return "IF_curr_exp" }
func (f *ifCurrExpFixed) Len() int     { return len(f.s) }

func (f *ifCurrExpFixed) Update(t uint32, in *Input[uint16], rec *Recorder, c *Counters, spiked []int32) []int32 {
	samples := rec.Samples()
	bias := kernels.DCOffsetFixed(f.dc, t)
	// Locals the stores into the state cannot alias, so that the loop does
	// not reload them for every neuron.
	states := f.s
	exc, inh := in[kernels.SynExc][:len(states)], in[kernels.SynInh][:len(states)]
	shExc, shInh := f.shift[kernels.SynExc], f.shift[kernels.SynInh]
	for n := range states {
		s := &states[n]
		if v := exc[n]; v != 0 && f.m.AddInputChecked(s, kernels.SynExc, kernels.S1615(v)<<shExc) {
			c.InputWraps++
		}
		if v := inh[n]; v != 0 && f.m.AddInputChecked(s, kernels.SynInh, kernels.S1615(v)<<shInh) {
			c.InputWraps++
		}
		if samples {
			rec.sample(kernels.S1615ToFloat(s.V), kernels.S1615ToFloat(s.I[kernels.SynExc]), kernels.S1615ToFloat(s.I[kernels.SynInh]))
		}
	}
	// Then every neuron's update, in one call (each neuron's is its own:
	// inputs, sample, update, in that order, as on the chip).
	spiked, wraps := f.m.UpdateAll(states, bias, spiked)
	c.MembraneWraps += uint64(wraps)
	return spiked
}

// ifCurrExpFloat is IF_curr_exp in float64 (kernels.IFCurrExpFloat).
type ifCurrExpFloat struct {
	m  kernels.IFCurrExpFloat
	s  []kernels.IFStateFloat
	dc []kernels.DCSource
}

func newIFCurrExpFloat(p kernels.IFCurrExpParams, hMs float64, init NeuronInit, dc []kernels.DCSource) *ifCurrExpFloat {
	f := &ifCurrExpFloat{m: kernels.NewIFCurrExpFloat(p, hMs), s: make([]kernels.IFStateFloat, len(init.V)), dc: dc}
	for i := range f.s {
		f.s[i] = kernels.IFStateFloat{V: init.V[i], I: [kernels.NumSynapseTypes]float64{init.IsynExc[i], init.IsynInh[i]}}
	}
	return f
}

func (f *ifCurrExpFloat) Name() string { return "IF_curr_exp" }
func (f *ifCurrExpFloat) Len() int     { return len(f.s) }

func (f *ifCurrExpFloat) Update(t uint32, in *Input[float64], rec *Recorder, _ *Counters, spiked []int32) []int32 {
	samples := rec.Samples()
	bias := kernels.DCOffsetFloat(f.dc, t)
	states := f.s // locals, as in the fixed-point Update
	exc, inh := in[kernels.SynExc][:len(states)], in[kernels.SynInh][:len(states)]
	for n := range states {
		s := &states[n]
		if v := exc[n]; v != 0 {
			f.m.AddInput(s, kernels.SynExc, v)
		}
		if v := inh[n]; v != 0 {
			f.m.AddInput(s, kernels.SynInh, v)
		}
		if samples {
			rec.sample(s.V, s.I[kernels.SynExc], s.I[kernels.SynInh])
		}
		if f.m.UpdateBias(s, bias) {
			spiked = append(spiked, int32(n))
		}
	}
	return spiked
}
