package mapping

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/network"
)

// This file plans the mapping from the network file and the connectors'
// statistics alone, before a synapse is generated: the largest weight and
// delay each projection is likely to draw, how many neurons a core of each
// population can take, and what each core will need of its memories. The
// placement, the keys and the routes then follow from the plan, so a
// network can be mapped (-map-only) in seconds whatever its synapse count,
// as sPyNNaker maps from its connectors' statistics before it generates
// synapses on the machine.

// SDRAMPerChip is the SDRAM of a chip left to applications: 128 MiB less
// what the system keeps (reference §1.1).
const SDRAMPerChip = 123_469_792

// projStats is what the mapping knows of a projection before generating it.
type projStats struct {
	pre, post int     // population indices
	expected  float64 // expected synapses
	wmax      float64 // largest |weight| likely drawn (nA)
	maxDelay  uint32  // longest delay likely drawn, ticks (1 for neuromodulation)
	kind      core.Kind
}

// stats holds the statistics of every projection.
type stats struct {
	proj []projStats
	// maxDelay is the longest delay likely drawn into each population.
	maxDelay []uint32
	// into is the expected number of synapses into each population, and
	// incoming its projections.
	into     []float64
	incoming [][]int
	rows     map[[2]int]int // (projection, slice size) → probable row length
	plastic  []*core.PlasticConfig
	// direct marks the populations whose delays must all be held on their
	// own cores: those with structural plasticity, whose rewiring forms
	// synapses on the core (as in sPyNNaker, delay extensions do not serve
	// them).
	direct []bool
	// notes say why planAtoms gave a population fewer neurons a core than
	// its model's default (the last reason), by population.
	notes map[int]string
}

// kindOf is the kind of rows a projection's synapses go in.
func kindOf(syn *network.Synapse) core.Kind {
	switch {
	case syn.IsStructural():
		return core.Structural
	case syn.Type == network.STDPMechanism:
		return core.Plastic
	case syn.Type == network.Neuromodulation:
		return core.Neuromodulatory
	}
	return core.Static
}

// numKinds is the number of kinds of rows.
const numKinds = int(core.Structural) + 1

// newStats computes every projection's statistics.
func newStats(net *network.Network) (*stats, error) {
	st := &stats{proj: make([]projStats, len(net.Projections)), maxDelay: make([]uint32, len(net.Populations)),
		into: make([]float64, len(net.Populations)), incoming: make([][]int, len(net.Populations)),
		plastic: make([]*core.PlasticConfig, len(net.Populations)), rows: map[[2]int]int{},
		direct: make([]bool, len(net.Populations)), notes: map[int]string{}}
	for i := range st.maxDelay {
		st.maxDelay[i] = 1
	}
	var ps problems
	for i := range net.Projections {
		pr := &net.Projections[i]
		s := &st.proj[i]
		s.pre, s.post = net.Population(pr.Pre), net.Population(pr.Post)
		s.kind = kindOf(&pr.Synapse)
		nPre, nPost := net.Populations[s.pre].Size, net.Populations[s.post].Size
		s.expected = connectors.Expected(pr.Connector, nPre, nPost, s.pre == s.post)
		s.wmax = connectors.MaxMagnitude(pr.Synapse.Weight, s.expected)
		d := connectors.DelayTicks(connectors.MaxProbable(pr.Synapse.Delay, s.expected), net.TimestepMs)
		if pr.Connector.Type == network.FromList {
			s.wmax, d = listMaxima(pr, net.TimestepMs)
		}
		if s.kind == core.Neuromodulatory {
			d = 1
		}
		if rs := pr.Synapse.Structural; rs != nil {
			_, hi := kernels.InitialDelayTicks(rs.InitialDelayLow, rs.InitialDelayHigh, net.TimestepMs)
			d = max(d, int(hi)) // rewiring forms synapses with these delays
		}
		if s.kind == core.Structural {
			st.direct[s.post] = true
		}
		if d > maxDelayTicks {
			ps.add("delay", fmt.Sprintf("projections[%d].synapse.delay", i),
				"delays up to %g ms are %d ticks of %g ms, more than SpiNNaker reaches: %d ticks (a core of one neuron holds %d in its ring buffer, and a delay extension's %d stages as many again each)",
				float64(d)*net.TimestepMs, d, net.TimestepMs, maxDelayTicks, core.MaxDirectDelay(1), core.MaxDelayStages)
			d = maxDelayTicks
		}
		s.maxDelay = uint32(d)
		st.maxDelay[s.post] = max(st.maxDelay[s.post], s.maxDelay)
		st.into[s.post] += s.expected
		st.incoming[s.post] = append(st.incoming[s.post], i)
	}
	for pi := range net.Populations {
		if net.Populations[pi].IsSource() {
			continue
		}
		pc, err := plasticRule(net, pi)
		if err != nil {
			ps.addErr("plasticity", err)
			continue
		}
		st.plastic[pi] = pc
	}
	return st, ps.err()
}

// maxDelayTicks is the longest delay SpiNNaker reaches: a core of one
// neuron has no index bits and one type bit, leaving the rest of the ring
// buffer's bits to the delay (8192 ticks), and a delay extension's stages
// add as many again each.
const maxDelayTicks = (core.MaxDelayStages + 1) << (core.MaxRingBufferBits - 1)

// directDelay is the longest delay a core of n neurons of population pi
// holds in its ring buffer: all of them when they fit (or when the
// population must hold its delays itself), else the most its index bits
// leave, the rest going through delay extensions.
func (st *stats) directDelay(pi, n int) uint32 {
	if st.direct[pi] {
		return st.maxDelay[pi]
	}
	return min(st.maxDelay[pi], core.MaxDirectDelay(n))
}

// reach is the longest delay onto a core of n neurons of population pi:
// its ring buffer's, and with delay extensions MaxDelayStages stages more.
func (st *stats) reach(pi, n int) uint32 {
	d := core.MaxDirectDelay(n)
	if st.direct[pi] {
		return d
	}
	return (core.MaxDelayStages + 1) * d
}

// listMaxima is a FromListConnector's largest weight and delay: its rows'
// own, and the synapse's where a row gives none.
func listMaxima(pr *network.Projection, hMs float64) (wmax float64, delay int) {
	synW := connectors.MaxMagnitude(pr.Synapse.Weight, float64(len(pr.Connector.List)))
	synD := connectors.DelayTicks(connectors.MaxProbable(pr.Synapse.Delay, float64(len(pr.Connector.List))), hMs)
	for _, e := range pr.Connector.List {
		if e.Weight != nil {
			wmax = math.Max(wmax, math.Abs(*e.Weight))
		} else {
			wmax = math.Max(wmax, synW)
		}
		if e.Delay != nil {
			delay = max(delay, connectors.DelayTicks(*e.Delay, hMs))
		} else {
			delay = max(delay, synD)
		}
	}
	return wmax, max(delay, 1)
}

// wmaxes is every projection's largest weight for the ring-buffer shifts.
func (st *stats) wmaxes() []float64 {
	w := make([]float64, len(st.proj))
	for i := range st.proj {
		w[i] = st.proj[i].wmax
	}
	return w
}

// ringBits is the ring-buffer index bits of a core of n neurons whose
// longest delay is d ticks (as core.NewNeuronCore lays it out: delay slots,
// one synapse-type bit, neuron index).
func ringBits(n int, d uint32) uint32 {
	return core.DelayBits(d) + 1 + uint32(bits.Len(uint(n-1)))
}

// Estimate is what a core needs, estimated from the plan: the report shows
// it against what a core has, and the placement fills chips by it.
type Estimate struct {
	DTCM, ITCM int   // bytes of the core's tightly coupled memories
	SDRAM      int64 // bytes of its chip's shared memory: synaptic matrices, recording
	RingBits   uint32
	Sources    int // incoming source slices (master population table entries)
	Rows       int // synaptic rows: one per neuron of each incoming source slice
	MaxRow     int // the longest row likely, synapses
	Synapses   float64
	// SynDTCM and SynITCM are what each synapse core of a split slice
	// needs (DTCM and ITCM are then its neuron core's).
	SynDTCM, SynITCM int
	// everywhere counts the incoming source slices with dopamine rows,
	// which every synapse core of a split slice holds.
	everywhere int
}

// setMemory records the cores' memories.
func (e *Estimate) setMemory(neuron, synapse core.Memory) {
	e.DTCM, e.ITCM, e.SynDTCM, e.SynITCM = neuron.DTCM, neuron.ITCM, synapse.DTCM, synapse.ITCM
}

// dtcm is the most DTCM any of the slice's cores needs.
func (e *Estimate) dtcm() int { return max(e.DTCM, e.SynDTCM) }

// coreMemory estimates what the cores of a neuron slice of n neurons need,
// the way core's applications add it up (TestEstimateMatchesCores keeps the
// two together), from the plan instead of the built rows: the combined core,
// or when split its neuron core and each of its k synapse cores (which
// share the slice's sources out).
//
//   - a neuron core: 8 KiB of stacks and runtime, 68 bytes a neuron, spike
//     recording bits; combined, its synapse engine; split, its input slot
//     and 8 bytes an input block;
//   - a synapse engine: the ring buffers (2 bytes an entry), 16 bytes a
//     master population table entry, two DMA row buffers, for STDP the
//     post histories, for rewiring the post-to-pre table;
//   - a synapse core: 8 KiB, its engine and its SDRAM block's buffer.
func coreMemory(net *network.Network, st *stats, pi, n int, ring uint32, sources, everywhere, maxRow int) (neuron core.Memory, synapse core.Memory) {
	plastic := st.plastic[pi] != nil
	nm := plastic && st.plastic[pi].NM != nil
	structural, sMax, pres, last := false, 0, 0, 0
	for _, j := range st.incoming[pi] {
		if rs := net.Projections[j].Synapse.Structural; rs != nil {
			structural, sMax = true, max(sMax, rs.SMax)
			pres++
			if rs.PartnerSelection.Type == network.LastNeuronSelection {
				last = rs.PartnerSelection.SpikeBufferSize
			}
		}
	}
	engine := func(ring uint32, sources int) int {
		d := 2<<ring + 16*sources + 2*(12+8*maxRow)
		if plastic {
			d += n * (8 + kernels.HistorySize*8)
		}
		if structural {
			d += 4*n*sMax + 64*pres + 16*last
		}
		return d
	}
	base := 8*1024 + 64*n + 4*n + 4*((n+31)/32)
	code := core.SynapseCodeSize(plastic, nm, structural)
	k := synapseCores(net, pi)
	if k == 0 {
		return core.Memory{DTCM: base + engine(ring, sources), ITCM: code + core.NeuronCodeSize}, core.Memory{}
	}
	indexBits := uint32(bits.Len(uint(n - 1)))
	slot := kernels.NumSynapseTypes << indexBits
	neuron = core.Memory{DTCM: base + 2*slot + 8*k, ITCM: 12 * 1024}
	shared := sources - everywhere // dealt out in turn; dopamine sources go to every synapse core
	synapse = core.Memory{DTCM: 8*1024 + engine(ring, (shared+k-1)/k+everywhere) + 4*core.BlockWords(n, net.Arithmetic == network.ArithmeticFloat),
		ITCM: code}
	return neuron, synapse
}

// rowWords is the SDRAM words of one row of len synapses of a kind
// (reference §5.5): 3 header words, then a word a static or neuromodulation
// synapse, or for plastic rows the pre-synaptic header (time and trace, 2
// words), a (weight, eligibility) half-word pair and a control half-word
// per synapse.
func rowWords(kind core.Kind, n int) int {
	if kind == core.Plastic || kind == core.Structural {
		return 3 + 2 + (6*n+3)/4
	}
	return 3 + n
}

// recordingBytes is the SDRAM a core of n neurons records into over the
// run: a bit a neuron a tick for spikes, a word a neuron a tick for v.
func recordingBytes(p *network.Population, n, ticks int) int64 {
	var b int64
	if p.RecordSpikes {
		b += int64(ticks) * int64((n+31)/32) * 4
	}
	if p.RecordV {
		b += int64(ticks) * int64(n) * 4
	}
	return b
}

// planAtoms chooses how many neurons a core of each population takes:
// the model's default (or max_atoms_per_core), halved until the core's ring
// buffer holds the population's longest likely delay, and its estimated
// DTCM and SDRAM fit. The estimate depends on how the source populations
// are sliced, so it is repeated until no population shrinks.
func planAtoms(net *network.Network, st *stats) ([]int, error) {
	atoms := make([]int, len(net.Populations))
	for i := range net.Populations {
		atoms[i] = min(defaultAtoms(&net.Populations[i]), net.Populations[i].Size)
	}
	var ps problems
	failed := make([]bool, len(atoms))
	for changed := true; changed; {
		changed = false
		for pi := range net.Populations {
			p := &net.Populations[pi]
			if p.IsSource() || failed[pi] {
				continue
			}
			for {
				e := popEstimate(net, st, atoms, pi, atoms[pi])
				why := ""
				switch {
				case core.MaxDirectDelay(atoms[pi]) == 0:
					why = fmt.Sprintf("a core of %d neurons needs more than %d ring-buffer bits for its neuron index and synapse type alone",
						atoms[pi], core.MaxRingBufferBits)
				case st.maxDelay[pi] > st.reach(pi, atoms[pi]):
					how := "with delay extensions"
					if st.direct[pi] {
						how = "held on the core (structural plasticity)"
					}
					why = fmt.Sprintf("a delay of %d ticks onto %d neurons a core is more than the %d ticks they reach %s",
						st.maxDelay[pi], atoms[pi], st.reach(pi, atoms[pi]), how)
				case e.dtcm() > core.DTCMBytes:
					why = fmt.Sprintf("a core of %d neurons needs about %d bytes of DTCM (%d incoming source slices, rows up to %d synapses), a core has %d",
						atoms[pi], e.dtcm(), e.Sources, e.MaxRow, core.DTCMBytes)
				case e.SDRAM > SDRAMPerChip:
					why = fmt.Sprintf("a core of %d neurons needs about %.4g MB of SDRAM for its synaptic rows and recording, a chip has %.4g MB",
						atoms[pi], float64(e.SDRAM)/1e6, float64(SDRAMPerChip)/1e6)
				}
				if why == "" {
					break
				}
				path := fmt.Sprintf("populations[%d]", pi)
				if one := popEstimate(net, st, atoms, pi, 1); atoms[pi] > 1 && one.dtcm() > core.DTCMBytes {
					// Fewer neurons a core would not help: what does not fit
					// is the table of incoming source slices.
					ps.add("fit", path, "%s: %d incoming source slices need about %d bytes of DTCM on every core of it, more than the %d a core has: use fewer, larger source slices (max_atoms_per_core on the sources) or fewer projections into it",
						p.Label, one.Sources, one.dtcm(), core.DTCMBytes)
					failed[pi] = true
					break
				}
				if atoms[pi] == 1 {
					ps.add("fit", path, "%s (%s): even one neuron a core does not fit: use shorter delays or fewer, smaller inputs", p.Label, why)
					failed[pi] = true
					break
				}
				if p.MaxAtomsPerCore > 0 {
					ps.add("fit", path, "%s (%s): set a smaller max_atoms_per_core or use shorter delays", p.Label, why)
					failed[pi] = true
					break
				}
				atoms[pi] = (atoms[pi] + 1) / 2
				changed = true
				st.notes[pi] = why
			}
		}
	}
	return atoms, ps.err()
}

// popEstimate estimates what a core of n neurons of population pi needs,
// with every population sliced as atoms says: the largest of its slices,
// counting every source slice that could project to it.
func popEstimate(net *network.Network, st *stats, atoms []int, pi, n int) Estimate {
	var e Estimate
	p := &net.Populations[pi]
	e.RingBits = ringBits(n, st.directDelay(pi, n))
	// Per source population: slices that may connect, and per kind the
	// row length (summed over the projections from it).
	type src struct {
		slices   int
		rows     [numKinds]int
		width    int
		dopamine bool
		stages   int // delay-extension stages its rows onto pi take, 0 for none
	}
	srcs := map[int]*src{}
	var order []int
	for _, j := range st.incoming[pi] {
		s := &st.proj[j]
		pr := &net.Projections[j]
		q := &net.Populations[s.pre]
		x := srcs[s.pre]
		if x == nil {
			x = &src{width: atoms[s.pre]}
			srcs[s.pre] = x
			order = append(order, s.pre)
		}
		nSlices := (q.Size + atoms[s.pre] - 1) / atoms[s.pre]
		if pr.Connector.Type == network.OneToOne {
			nSlices = min(nSlices, (n+atoms[s.pre]-1)/atoms[s.pre]+1)
		}
		x.slices = max(x.slices, nSlices)
		if s.kind == core.Neuromodulatory {
			x.dopamine = true
		}
		if l := core.MaxDirectDelay(n); l > 0 && s.kind != core.Neuromodulatory && !st.direct[pi] && s.maxDelay > l {
			x.stages = max(x.stages, int((s.maxDelay+l-1)/l)-1)
		}
		x.rows[s.kind] += st.rowLength(net, j, n)
		e.Synapses += s.expected * float64(n) / float64(p.Size)
	}
	for _, q := range order {
		x := srcs[q]
		e.Sources += x.slices
		if x.dopamine {
			e.everywhere += x.slices
		}
		e.Rows += x.slices * x.width
		if x.stages > 0 {
			// Its delay extensions' entries and rows (delays.go).
			e.Sources += x.slices
			e.Rows += x.slices * x.width * x.stages
		}
		for k, r := range x.rows {
			if r == 0 {
				continue
			}
			e.MaxRow = max(e.MaxRow, r)
			e.SDRAM += int64(x.slices*x.width) * int64(rowWords(core.Kind(k), r)+3*x.stages) * 4
		}
	}
	e.SDRAM += recordingBytes(p, n, net.Ticks())
	e.setMemory(coreMemory(net, st, pi, n, e.RingBits, e.Sources, e.everywhere, e.MaxRow))
	return e
}

// rowLength is the probable longest row of projection j onto a slice of n
// neurons; for a FromList, the most rows of one pre neuron (a bound).
func (st *stats) rowLength(net *network.Network, j, n int) int {
	if l, ok := st.rows[[2]int{j, n}]; ok {
		return l
	}
	pr := &net.Projections[j]
	s := &st.proj[j]
	nPre, nPost := net.Populations[s.pre].Size, net.Populations[s.post].Size
	l := 0
	if rs := pr.Synapse.Structural; rs != nil {
		l = rs.SMax // structural rows have a fixed capacity
	}
	if pr.Connector.Type != network.FromList {
		l = max(l, connectors.MaxRow(pr.Connector, nPre, nPost, s.pre == s.post, n))
	} else {
		count := map[int]int{}
		for _, e := range pr.Connector.List {
			count[e.Pre]++
			l = max(l, count[e.Pre])
		}
		l = min(l, n)
		if rs := pr.Synapse.Structural; rs != nil {
			l = max(l, rs.SMax)
		}
	}
	st.rows[[2]int{j, n}] = l
	return l
}

// sourceEstimate is what a spike source's core needs: a few KiB of DTCM
// and code, its parameters (spike times or rates) and its recording in
// SDRAM.
func sourceEstimate(net *network.Network, p *network.Population, lo, hi int) Estimate {
	n := hi - lo
	e := Estimate{DTCM: 8*1024 + 16*n, ITCM: 8 * 1024}
	switch p.CellType {
	case network.SpikeSourceArray:
		times := 0
		for i := lo; i < hi; i++ {
			times += len(p.SpikeTimes[i])
		}
		e.SDRAM += int64(4*times + 4*n)
	case network.SpikeSourcePoisson:
		e.DTCM += 16 * n // rate, start, end and the next spike time per neuron
	}
	e.SDRAM += recordingBytes(p, n, net.Ticks())
	return e
}

// Host memory a run takes while it loads its cores, per synapse and per
// row of a synaptic matrix (each source neuron has a row on every core its
// projections reach, even an empty one: its start and, for plastic rows,
// its last pre spike). Calibrated on the peak resident memory of whole
// runs (2026-12-07): the microcircuit at S = K = 0.4 (47.9 M static
// synapses, few rows) 1.46 GB, 30 bytes a synapse; dense K=1000 (10 M
// plastic synapses, fixed or float) 321 MB, 32 bytes a synapse; 100
// populations of 1,000 neurons with 11 M static synapses and 80 M rows of
// 0.14 synapses (TestHundredPopulationsMapOnly's network) 949 MB, which
// 30 bytes a synapse leave at about 7.7 bytes a row. The constants are a
// third above those figures. The rows are counted roughly: also for
// projections a merged Poisson source sends through SDRAM and for those
// likely to draw no synapse, not for a delay extension's stages.
const (
	hostBytesPerSynapse = 40
	hostBytesPerRow     = 10
)

// hostBytes estimates the host memory a run of the network needs: its
// synapses and rows as they are loaded, with atoms neurons a core (nil: one
// core a population, the fewest rows), and its recorded v and gsyn samples,
// up to the recording buffer (beyond it they wait in a file).
func hostBytes(net *network.Network, st *stats, atoms []int, recording int64) float64 {
	b := 0.0
	for _, s := range st.proj {
		b += s.expected * hostBytesPerSynapse
		cores := 1
		if atoms != nil {
			cores = (net.Populations[s.post].Size + atoms[s.post] - 1) / atoms[s.post]
		}
		b += float64(net.Populations[s.pre].Size) * float64(cores) * hostBytesPerRow
	}
	samples := 0.0
	for i := range net.Populations {
		p := &net.Populations[i]
		for _, rec := range []bool{p.RecordV, p.RecordGsynExc, p.RecordGsynInh} {
			if rec {
				samples += float64(p.Size) * float64(net.Ticks()) * 8
			}
		}
	}
	return b + min(samples, float64(recording))
}
