package core

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/packets"
)

// NeuronConfig describes a combined neuron+synapse core running IF_curr_exp.
type NeuronConfig struct {
	N        int     // neurons in the slice
	Float    bool    // arithmetic: float64 reference instead of fixed point
	HMs      float64 // timestep
	Key      uint32  // base key of the slice's spikes (neuron i sends Key | i)
	Params   kernels.IFCurrExpParams
	V0       []float64 // initial v per neuron (mV)
	IExc0    []float64 // initial isyn_exc per neuron (nA)
	IInh0    []float64
	Shift    [kernels.NumSynapseTypes]uint32 // ring-buffer left shift per type
	MaxDelay uint32                          // the longest delay of any synapse onto the core, ticks

	// Plastic is set when the core runs neuromodulated STDP.
	Plastic *PlasticConfig
	Rec     *Recorder
	// DC are the current sources injected into every neuron of the slice.
	DC []kernels.DCSource
}

// PlasticConfig is the neuromodulated STDP rule shared by every plastic
// synapse on the core.
type PlasticConfig struct {
	Pair kernels.PairRule
	NM   kernels.NeuromodParams
}

// NeuronCore is the application of a combined neuron+synapse core.
type NeuronCore struct {
	cfg     NeuronConfig
	lay     layout
	scale   [kernels.NumSynapseTypes]float64
	ring    []uint16
	ringF   []float64
	slotSh  uint32 // shift of the delay slot in the ring index
	slotMsk uint32

	fx     kernels.IFCurrExpFixed
	fxS    []kernels.IFStateFixed
	fl     kernels.IFCurrExpFloat
	flS    []kernels.IFStateFloat
	nmx    *kernels.NeuromodFixed
	nmf    *kernels.NeuromodFloat
	hx     []kernels.HistoryFixed
	hf     []kernels.HistoryFloat
	tbl    []popEntry
	mats   []matrix
	maxRow int
	dcx    []kernels.DCSourceFixed
}

// NewNeuronCore sets up the neurons, ring buffers and STDP tables.
func NewNeuronCore(cfg NeuronConfig) (*NeuronCore, error) {
	c := &NeuronCore{cfg: cfg, lay: newLayout(cfg.N)}
	delayBits := uint32(bits.Len32(cfg.MaxDelay))
	total := delayBits + c.lay.typeBits + c.lay.indexBits
	if total > MaxRingBufferBits {
		return nil, &RingBufferError{Delay: cfg.MaxDelay, N: cfg.N, Bits: total}
	}
	c.slotSh = c.lay.typeBits + c.lay.indexBits
	c.slotMsk = 1<<delayBits - 1
	size := 1 << total
	for t := range c.scale {
		c.scale[t] = kernels.WeightScale(cfg.Shift[t])
	}
	if cfg.Float {
		c.ringF = make([]float64, size)
		c.fl = kernels.NewIFCurrExpFloat(cfg.Params, cfg.HMs)
		c.flS = make([]kernels.IFStateFloat, cfg.N)
		for i := range c.flS {
			c.flS[i] = kernels.IFStateFloat{V: cfg.V0[i], I: [2]float64{cfg.IExc0[i], cfg.IInh0[i]}}
		}
		if cfg.Plastic != nil {
			c.nmf = kernels.NewNeuromodFloat(cfg.Plastic.Pair, cfg.Plastic.NM, cfg.HMs)
			c.hf = make([]kernels.HistoryFloat, cfg.N)
			for i := range c.hf {
				c.hf[i] = kernels.NewHistoryFloat()
			}
		}
		return c, nil
	}
	c.ring = make([]uint16, size)
	for _, d := range cfg.DC {
		f, err := d.Fixed()
		if err != nil {
			return nil, err
		}
		c.dcx = append(c.dcx, f)
	}
	var err error
	if c.fx, err = kernels.NewIFCurrExpFixed(cfg.Params, cfg.HMs); err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	c.fxS = make([]kernels.IFStateFixed, cfg.N)
	for i := range c.fxS {
		if c.fxS[i], err = c.fx.NewState(cfg.V0[i], cfg.IExc0[i], cfg.IInh0[i]); err != nil {
			return nil, fmt.Errorf("initial values: %w", err)
		}
	}
	if cfg.Plastic != nil {
		if c.nmx, err = kernels.NewNeuromodFixed(cfg.Plastic.Pair, cfg.Plastic.NM, cfg.HMs, cfg.Shift); err != nil {
			return nil, fmt.Errorf("STDP parameters: %w", err)
		}
		c.hx = make([]kernels.HistoryFixed, cfg.N)
		for i := range c.hx {
			c.hx[i] = kernels.NewHistoryFixed()
		}
	}
	return c, nil
}

// AddSource adds the rows of one source slice (key/mask, nRows neurons whose
// first has global index preLo). Synapses may come in any order.
func (c *NeuronCore) AddSource(key, mask uint32, preLo, nRows int, syns []SourceSynapse) error {
	e := popEntry{key: key, mask: mask, static: -1, plastic: -1, neuromod: -1}
	if lookup(c.tbl, key) != nil {
		return fmt.Errorf("key %#x added twice", key)
	}
	syns = slices.Clone(syns)
	slices.SortStableFunc(syns, func(a, b SourceSynapse) int { return a.Row - b.Row })
	for _, kind := range []Kind{Static, Plastic, Neuromodulatory} {
		m, err := c.buildMatrix(kind, preLo, nRows, syns)
		if err != nil {
			return err
		}
		if m == nil {
			continue
		}
		c.mats = append(c.mats, *m)
		idx := len(c.mats) - 1
		switch kind {
		case Static:
			e.static = idx
		case Plastic:
			e.plastic = idx
		default:
			e.neuromod = idx
		}
	}
	c.tbl = append(c.tbl, e)
	slices.SortFunc(c.tbl, func(a, b popEntry) int {
		if a.key < b.key {
			return -1
		}
		return 1
	})
	return nil
}

func (c *NeuronCore) buildMatrix(kind Kind, preLo, nRows int, syns []SourceSynapse) (*matrix, error) {
	m := &matrix{kind: kind, preLo: preLo, rowStart: make([]int32, nRows+1)}
	fl := c.cfg.Float
	for _, s := range syns {
		if s.Kind != kind {
			continue
		}
		if s.Row < 0 || s.Row >= nRows || s.Post < 0 || s.Post >= c.cfg.N {
			return nil, fmt.Errorf("synapse %d->%d outside the slices", s.Row, s.Post)
		}
		if kind != Neuromodulatory && (s.Delay < 1 || s.Delay > c.cfg.MaxDelay) {
			return nil, fmt.Errorf("delay %d ticks outside 1..%d", s.Delay, c.cfg.MaxDelay)
		}
		if kind != Static && c.nmx == nil && c.nmf == nil {
			return nil, fmt.Errorf("plastic or neuromodulation synapses onto a core without an STDP rule")
		}
		m.rowStart[s.Row+1]++
		m.proj = append(m.proj, int32(s.Proj))
		ctl := c.lay.pack(s.Post, s.Type, s.Delay)
		var w uint16
		if kind != Neuromodulatory && !fl {
			var err error
			if w, err = weightWord(s.Weight, c.scale[s.Type]); err != nil {
				return nil, err
			}
		}
		switch {
		case kind == Static && fl:
			m.words = append(m.words, uint32(ctl))
			m.weightsF = append(m.weightsF, s.Weight)
		case kind == Static:
			m.words = append(m.words, uint32(w)<<16|uint32(ctl))
		case kind == Plastic && fl:
			m.control = append(m.control, ctl)
			m.stateF = append(m.stateF, [2]float64{s.Weight, 0})
		case kind == Plastic:
			m.control = append(m.control, ctl)
			m.state = append(m.state, [2]uint16{w, 0})
		default: // neuromodulation: the signed step
			conc := kernels.Concentration(s.Weight)
			if s.Weight < 0 {
				conc = -conc
			}
			m.words = append(m.words, uint32(uint16(conc))<<16|uint32(s.Post))
			if fl {
				m.weightsF = append(m.weightsF, s.Weight)
			}
		}
	}
	if len(m.proj) == 0 {
		return nil, nil
	}
	for r := 0; r < nRows; r++ {
		if l := int(m.rowStart[r+1]); l > c.maxRow {
			c.maxRow = l
		}
		m.rowStart[r+1] += m.rowStart[r]
	}
	if kind == Plastic {
		m.preTime = make([]uint32, nRows)
		if fl {
			m.preTrF = make([]float64, nRows)
		} else {
			m.preTrace = make([]int16, nRows)
		}
	}
	return m, nil
}

// Name implements Application.
func (c *NeuronCore) Name() string {
	if c.cfg.Plastic != nil {
		return "IF_curr_exp_stdp_izhikevich_neuromodulation_pair_additive"
	}
	return "IF_curr_exp"
}

// Memory implements Application: an estimate of what sPyNNaker's binary keeps
// in DTCM (neuron parameters and state, ring buffers, master population
// table, two DMA row buffers, recording buffers, STDP tables and post
// histories, plus 8 KiB of stacks and runtime) and its code size.
func (c *NeuronCore) Memory() Memory {
	n := c.cfg.N
	d := 8*1024 + 64*n + 2*(int(c.slotMsk)+1)<<c.slotSh + 16*len(c.tbl) + 2*(12+8*c.maxRow) + 4*n + 4*((n+31)/32)
	code := 14 * 1024
	if c.cfg.Plastic != nil {
		d += n * (8 + kernels.HistorySize*8)
		if c.nmx != nil {
			d += 2 * (len(c.nmx.TauC.Values) + len(c.nmx.TauD.Values) + len(c.nmx.Pair.TauPlus.Values) + len(c.nmx.Pair.TauMinus.Values))
		}
		code = 24 * 1024
	}
	return Memory{DTCM: d, ITCM: code}
}

// TimerTick implements Application: transfer the ring-buffer slot of t into
// the synaptic currents, update every neuron, send and record spikes.
func (c *NeuronCore) TimerTick(t uint32, out []packets.Packet, _ *Counters) []packets.Packet {
	base := (t & c.slotMsk) << c.slotSh
	ib := c.lay.indexBits
	rec := c.cfg.Rec
	if c.cfg.Float {
		bias := kernels.DCOffsetFloat(c.cfg.DC, t)
		for n := range c.flS {
			s := &c.flS[n]
			for typ := 0; typ < kernels.NumSynapseTypes; typ++ {
				i := base | uint32(typ)<<ib | uint32(n)
				if v := c.ringF[i]; v != 0 {
					c.fl.AddInput(s, typ, v)
					c.ringF[i] = 0
				}
			}
			if rec.V {
				rec.VTrace[n] = append(rec.VTrace[n], s.V)
			}
			if c.fl.UpdateBias(s, bias) {
				out = append(out, packets.Multicast(c.cfg.Key|uint32(n)))
				rec.spike(n, t)
				if c.nmf != nil {
					c.nmf.PostSpike(&c.hf[n], t)
				}
			}
		}
		return out
	}
	bias := kernels.DCOffsetFixed(c.dcx, t)
	for n := range c.fxS {
		s := &c.fxS[n]
		for typ := 0; typ < kernels.NumSynapseTypes; typ++ {
			i := base | uint32(typ)<<ib | uint32(n)
			if v := c.ring[i]; v != 0 {
				c.fx.AddInput(s, typ, kernels.S1615(v)<<c.cfg.Shift[typ])
				c.ring[i] = 0
			}
		}
		if rec.V {
			rec.VTrace[n] = append(rec.VTrace[n], kernels.S1615ToFloat(s.V))
		}
		if c.fx.UpdateBias(s, bias) {
			out = append(out, packets.Multicast(c.cfg.Key|uint32(n)))
			rec.spike(n, t)
			if c.nmx != nil {
				c.nmx.PostSpike(&c.hx[n], t)
			}
		}
	}
	return out
}

// Receive implements Application: process the row of each packet's source
// neuron (plastic, then static, then neuromodulation).
func (c *NeuronCore) Receive(t uint32, pkts []packets.Packet, cnt *Counters) {
	for _, p := range pkts {
		e := lookup(c.tbl, p.Key)
		if e == nil {
			cnt.PacketsDropped++
			continue
		}
		row := int(p.Key &^ e.mask)
		if e.plastic >= 0 {
			cnt.SynapticEvents += uint64(c.plasticRow(&c.mats[e.plastic], row, t, cnt))
		}
		if e.static >= 0 {
			cnt.SynapticEvents += uint64(c.staticRow(&c.mats[e.static], row, t, cnt))
		}
		if e.neuromod >= 0 {
			cnt.DopamineEvents += uint64(c.neuromodRow(&c.mats[e.neuromod], row, t))
		}
	}
}

// addRing adds a weight word to ring slot (t+d, typ, n), saturating at 0xFFFF.
func (c *NeuronCore) addRing(t, d uint32, typ, n int, w uint16, cnt *Counters) {
	i := ((t+d)&c.slotMsk)<<c.slotSh | uint32(typ)<<c.lay.indexBits | uint32(n)
	s := uint32(c.ring[i]) + uint32(w)
	if s > 0xFFFF {
		s = 0xFFFF
		cnt.WeightSaturated++
	}
	c.ring[i] = uint16(s)
}

func (c *NeuronCore) addRingF(t, d uint32, typ, n int, w float64) {
	c.ringF[((t+d)&c.slotMsk)<<c.slotSh|uint32(typ)<<c.lay.indexBits|uint32(n)] += w
}

func (c *NeuronCore) staticRow(m *matrix, row int, t uint32, cnt *Counters) int {
	if row >= m.rows() {
		return 0
	}
	lo, hi := m.rowStart[row], m.rowStart[row+1]
	for j := lo; j < hi; j++ {
		w := m.words[j]
		n, typ, d := c.lay.unpack(uint16(w))
		if c.cfg.Float {
			c.addRingF(t, d, typ, n, m.weightsF[j])
		} else {
			c.addRing(t, d, typ, n, uint16(w>>16), cnt)
		}
	}
	return int(hi - lo)
}

func (c *NeuronCore) plasticRow(m *matrix, row int, t uint32, cnt *Counters) int {
	if row >= m.rows() {
		return 0
	}
	lo, hi := m.rowStart[row], m.rowStart[row+1]
	tlp := m.preTime[row]
	if c.cfg.Float {
		rlp := m.preTrF[row]
		for j := lo; j < hi; j++ {
			n, typ, d := c.lay.unpack(m.control[j])
			w := c.nmf.Synapse(&m.stateF[j], d, tlp, rlp, t, &c.hf[n])
			c.addRingF(t, d, typ, n, w)
		}
		m.preTrF[row] = c.nmf.PreTrace(rlp, tlp, t)
	} else {
		rlp := m.preTrace[row]
		for j := lo; j < hi; j++ {
			n, typ, d := c.lay.unpack(m.control[j])
			w := c.nmx.Synapse(&m.state[j], typ, d, tlp, rlp, t, &c.hx[n])
			c.addRing(t, d, typ, n, w, cnt)
		}
		m.preTrace[row] = c.nmx.Pair.PreTrace(rlp, tlp, t)
	}
	m.preTime[row] = t
	return int(hi - lo)
}

func (c *NeuronCore) neuromodRow(m *matrix, row int, t uint32) int {
	if row >= m.rows() {
		return 0
	}
	lo, hi := m.rowStart[row], m.rowStart[row+1]
	for j := lo; j < hi; j++ {
		w := m.words[j]
		n := int(uint16(w))
		if c.cfg.Float {
			c.nmf.Dopamine(&c.hf[n], t, m.weightsF[j])
		} else {
			c.nmx.Dopamine(&c.hx[n], t, int16(w>>16))
		}
	}
	return int(hi - lo)
}

// Weight is one synapse as read back by the host.
type Weight struct {
	Pre, Post  int // pre global index, post index within the slice
	Weight     float64
	DelayTicks uint32
}

// Weights reads back the synapses of projection proj as the host does:
// stored weight words divided by the weight scale of their type (fixed), or
// the float weights; a neuromodulation synapse reads back its step's size.
func (c *NeuronCore) Weights(proj int) []Weight {
	var ws []Weight
	fl := c.cfg.Float
	for mi := range c.mats {
		m := &c.mats[mi]
		for r := 0; r < m.rows(); r++ {
			for j := m.rowStart[r]; j < m.rowStart[r+1]; j++ {
				if int(m.proj[j]) != proj {
					continue
				}
				x := Weight{Pre: m.preLo + r, DelayTicks: 1}
				switch m.kind {
				case Static:
					n, typ, d := c.lay.unpack(uint16(m.words[j]))
					x.Post, x.DelayTicks = n, d
					if fl {
						x.Weight = m.weightsF[j]
					} else {
						x.Weight = float64(m.words[j]>>16) / c.scale[typ]
					}
				case Plastic:
					n, typ, d := c.lay.unpack(m.control[j])
					x.Post, x.DelayTicks = n, d
					if fl {
						x.Weight = m.stateF[j][0]
					} else {
						x.Weight = float64(m.state[j][0]) / c.scale[typ]
					}
				default:
					x.Post = int(uint16(m.words[j]))
					if fl {
						x.Weight = math.Abs(m.weightsF[j])
					} else {
						x.Weight = math.Abs(float64(int16(m.words[j]>>16)) / kernels.S411One)
					}
				}
				ws = append(ws, x)
			}
		}
	}
	return ws
}
