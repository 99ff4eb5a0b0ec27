package kernels

import (
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// IF_curr_exp: leaky integrate-and-fire neuron with exponentially decaying
// current-based synapses (PyNN's IF_curr_exp, sPyNNaker's LIF model with
// exponential synapse shaping and current input).
//
// Equations, for a timestep h:
//
//	τm dV/dt = −(V − V_rest) + R·I,   R = τm/cm,   I = I_exc − I_inh + i_offset
//	τs dI_s/dt = −I_s,                each arriving weight w adds w·init_s
//	init_s = (τs/h)(1 − exp(−h/τs)),  decay_s = exp(−h/τs)
//
// Each tick: the ring-buffer input of the tick is added to I_s (scaled by
// init_s, so that the charge of one weight is w·τs/h); unless refractory, V is
// integrated exactly over the step with I held constant,
// V ← α − exp(−h/τm)(α − V) with α = R·I + V_rest; V ≥ v_thresh makes a spike,
// V ← v_reset and the neuron is refractory for ceil(τ_refrac/h) ticks (V
// frozen, input still integrated into I_s); finally I_s ← I_s·decay_s.
//
// Parameters (PyNN names, units, defaults): cm nF 1.0, tau_m ms 20, tau_refrac
// ms 0.1, tau_syn_E ms 5, tau_syn_I ms 5, v_rest mV −65, v_reset mV −65,
// v_thresh mV −50, i_offset nA 0.
//
// Fixed point (sPyNNaker 2021, constants computed on the host): R, E =
// exp(−h/τm), voltages and currents s16.15; decay_s and init_s u0.32.
// Reference: spynnaker-neuromodulation.md §6.

// IFCurrExpParams are the model's PyNN parameters.
type IFCurrExpParams struct {
	Cm, TauM, TauRefrac, TauSynE, TauSynI float64
	VRest, VReset, VThresh, IOffset       float64
}

// Synapse types of a current-based neuron: the ring buffers' type index.
const (
	SynExc = 0
	SynInh = 1
	// NumSynapseTypes is the number of ring-buffer synapse types.
	NumSynapseTypes = 2
)

// RefractoryTicks is T_ref = ceil(τ_refrac / h).
func RefractoryTicks(tauRefracMs, hMs float64) int32 {
	return int32(math.Ceil(tauRefracMs / hMs))
}

// IFCurrExpFixed holds the derived constants in fixed point.
type IFCurrExpFixed struct {
	R, E                   S1615
	VRest, VReset, VThresh S1615
	IOffset                S1615
	Decay, Init            [NumSynapseTypes]U032
	TRef                   int32
}

// IFStateFixed is one neuron's state in fixed point.
type IFStateFixed struct {
	V       S1615
	I       [NumSynapseTypes]S1615
	Refract int32
}

// NewIFCurrExpFixed computes the constants as sPyNNaker's host does.
func NewIFCurrExpFixed(p IFCurrExpParams, hMs float64) (IFCurrExpFixed, error) {
	var m IFCurrExpFixed
	var errs []error
	conv := func(name string, x float64) S1615 {
		v, e := ToS1615(x)
		if e != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, e))
		}
		return v
	}
	convU := func(name string, x float64) U032 {
		v, e := ToU032(x)
		if e != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, e))
		}
		return v
	}
	m.R = conv("tau_m/cm", p.TauM/p.Cm)
	m.E = conv("exp(-h/tau_m)", math.Exp(-hMs/p.TauM))
	m.VRest = conv("v_rest", p.VRest)
	m.VReset = conv("v_reset", p.VReset)
	m.VThresh = conv("v_thresh", p.VThresh)
	m.IOffset = conv("i_offset", p.IOffset)
	for i, tau := range [NumSynapseTypes]float64{p.TauSynE, p.TauSynI} {
		name := [NumSynapseTypes]string{"tau_syn_E", "tau_syn_I"}[i]
		m.Decay[i] = convU(name, math.Exp(-hMs/tau))
		m.Init[i] = convU(name, tau/hMs*(1-math.Exp(-hMs/tau)))
	}
	err := errors.Join(errs...)
	m.TRef = RefractoryTicks(p.TauRefrac, hMs)
	return m, err
}

// NewState converts initial values (mV, nA).
func (m *IFCurrExpFixed) NewState(v, iExc, iInh float64) (IFStateFixed, error) {
	var s IFStateFixed
	var err error
	if s.V, err = ToS1615(v); err != nil {
		return s, fmt.Errorf("v: %w", err)
	}
	if s.I[SynExc], err = ToS1615(iExc); err != nil {
		return s, fmt.Errorf("isyn_exc: %w", err)
	}
	if s.I[SynInh], err = ToS1615(iInh); err != nil {
		return s, fmt.Errorf("isyn_inh: %w", err)
	}
	return s, nil
}

// AddInput adds a ring-buffer value x (already shifted to s16.15) to the
// synaptic current of type typ: I += (x · init) >> 32.
func (m *IFCurrExpFixed) AddInput(s *IFStateFixed, typ int, x S1615) {
	s.I[typ] += MulU032(x, m.Init[typ])
}

// Update advances the neuron by one tick (after its input was added) and
// reports whether it spiked.
func (m *IFCurrExpFixed) Update(s *IFStateFixed) bool { return m.UpdateBias(s, 0) }

// UpdateBias is Update with an extra current (nA, s16.15) added to the input
// next to i_offset for this tick: what injected current sources give
// (DCOffsetFixed).
func (m *IFCurrExpFixed) UpdateBias(s *IFStateFixed, bias S1615) bool {
	if s.Refract <= 0 {
		i := s.I[SynExc] - s.I[SynInh] + m.IOffset + bias
		alpha := MulAccum(i, m.R) + m.VRest
		s.V = alpha - MulAccum(m.E, alpha-s.V)
	} else {
		s.Refract--
	}
	spiked := s.V >= m.VThresh
	if spiked {
		s.V = m.VReset
		s.Refract = m.TRef
	}
	for t := range s.I {
		s.I[t] = MulU032(s.I[t], m.Decay[t])
	}
	return spiked
}

// AddInputChecked is AddInput that also reports whether the synaptic
// current wrapped around its 32 bits (the chip's accum add does not
// saturate), for the provenance of a run that overdrives a neuron.
func (m *IFCurrExpFixed) AddInputChecked(s *IFStateFixed, typ int, x S1615) (wrapped bool) {
	sum := int64(s.I[typ]) + int64(MulU032(x, m.Init[typ]))
	s.I[typ] = S1615(sum)
	return sum != int64(s.I[typ])
}

// UpdateChecked is UpdateBias, bit for bit, that also reports whether the
// membrane update wrapped around 32 bits anywhere (the input current, the
// product with R, the steady state α or V itself): the chip computes on
// without a word, which is why an overdriven neuron can sit at −30,000 mV.
func (m *IFCurrExpFixed) UpdateChecked(s *IFStateFixed, bias S1615) (spiked, wrapped bool) {
	var one [1]int32
	got, wraps := m.UpdateAll(unsafe.Slice(s, 1), bias, one[:0])
	return len(got) > 0, wraps > 0
}

// UpdateAll is UpdateChecked for every neuron of states, in order: it
// appends the index of each neuron that spiked to spiked and returns it,
// with the number of neurons whose update wrapped. One call a core's tick
// instead of one a neuron, so that the neurons' updates overlap.
func (m *IFCurrExpFixed) UpdateAll(states []IFStateFixed, bias S1615, spiked []int32) ([]int32, int) {
	wraps := 0
	for n := range states {
		s := &states[n]
		if s.Refract <= 0 {
			// A value wrapped where it differs from its 32-bit self; the
			// differences are ORed, so that no check is a branch.
			var bad int64
			fits := func(v int64) int32 {
				bad |= v ^ int64(int32(v))
				return int32(v)
			}
			i := fits(int64(s.I[SynExc]) - int64(s.I[SynInh]) + int64(m.IOffset) + int64(bias))
			alpha := fits(int64(fits(int64(i)*int64(m.R)>>15)) + int64(m.VRest))
			diff := fits(int64(alpha) - int64(s.V))
			s.V = S1615(fits(int64(alpha) - int64(MulAccum(m.E, S1615(diff)))))
			if bad != 0 {
				wraps++
			}
		} else {
			s.Refract--
		}
		if s.V >= m.VThresh {
			s.V = m.VReset
			s.Refract = m.TRef
			spiked = append(spiked, int32(n))
		}
		s.I[SynExc] = MulU032(s.I[SynExc], m.Decay[SynExc])
		s.I[SynInh] = MulU032(s.I[SynInh], m.Decay[SynInh])
	}
	return spiked, wraps
}

// UpdateAll decays the two synapse types written out.
var _ = [1]int{}[NumSynapseTypes-2]

// IFCurrExpFloat holds the derived constants in float64.
type IFCurrExpFloat struct {
	R, E                   float64
	VRest, VReset, VThresh float64
	IOffset                float64
	Decay, Init            [NumSynapseTypes]float64
	TRef                   int32
}

// IFStateFloat is one neuron's state in float64.
type IFStateFloat struct {
	V       float64
	I       [NumSynapseTypes]float64
	Refract int32
}

// NewIFCurrExpFloat computes the constants exactly.
func NewIFCurrExpFloat(p IFCurrExpParams, hMs float64) IFCurrExpFloat {
	m := IFCurrExpFloat{
		R: p.TauM / p.Cm, E: math.Exp(-hMs / p.TauM),
		VRest: p.VRest, VReset: p.VReset, VThresh: p.VThresh, IOffset: p.IOffset,
		TRef: RefractoryTicks(p.TauRefrac, hMs),
	}
	for i, tau := range [NumSynapseTypes]float64{p.TauSynE, p.TauSynI} {
		m.Decay[i] = math.Exp(-hMs / tau)
		m.Init[i] = tau / hMs * -math.Expm1(-hMs/tau)
	}
	return m
}

// AddInput adds a weight w (nA) to the synaptic current of type typ.
func (m *IFCurrExpFloat) AddInput(s *IFStateFloat, typ int, w float64) {
	s.I[typ] += w * m.Init[typ]
}

// Update advances the neuron by one tick and reports whether it spiked.
func (m *IFCurrExpFloat) Update(s *IFStateFloat) bool { return m.UpdateBias(s, 0) }

// UpdateBias is Update with an extra current (nA) added next to i_offset for
// this tick (DCOffsetFloat).
func (m *IFCurrExpFloat) UpdateBias(s *IFStateFloat, bias float64) bool {
	if s.Refract <= 0 {
		i := s.I[SynExc] - s.I[SynInh] + m.IOffset + bias
		alpha := i*m.R + m.VRest
		s.V = alpha - m.E*(alpha-s.V)
	} else {
		s.Refract--
	}
	spiked := s.V >= m.VThresh
	if spiked {
		s.V = m.VReset
		s.Refract = m.TRef
	}
	for t := range s.I {
		s.I[t] *= m.Decay[t]
	}
	return spiked
}
