package mapping

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/network"
)

// load builds every core's application. wmax is each projection's largest
// weight magnitude (for the ring-buffer shifts).
//
// It runs in three steps: the applications of every slice, in order (cheap,
// and what allocates SDRAM); the rows of the neuron slices' cores from
// their incoming synapses (most of the time), several slices at once,
// each core's rows built by one goroutine; then the cores, in order. An
// error is reported as the slice order would meet it one slice after the
// other.
func load(net *network.Network, m *Mapped, wmax []float64, groups map[pair][]core.SourceSynapse) error {
	m.Shift = make([][kernels.NumSynapseTypes]uint32, len(net.Populations))
	var errs []error
	incoming := incomingPairs(groups)
	var built []*builtSlice // in order, with the populations whose rule or shifts are wrong
populations:
	for pi := range net.Populations {
		p := &net.Populations[pi]
		var plastic *core.PlasticConfig
		if !p.IsSource() {
			var err error
			if plastic, err = plasticRule(net, pi); err != nil {
				built = append(built, &builtSlice{pi: pi, popErr: err})
				continue
			}
			k, err := shifts(net, pi, wmax)
			if err != nil {
				built = append(built, &builtSlice{pi: pi, popErr: err})
				continue
			}
			m.Shift[pi] = k
		}
		for si, s := range m.Slices[pi] {
			n := s.Hi - s.Lo
			if s.Into != nil {
				continue // a direct Poisson source, loaded with its target (loadDirect)
			}
			s.Rec = core.NewRecorder(n, core.Record{Spikes: p.RecordSpikes, V: p.RecordV,
				GsynExc: p.RecordGsynExc, GsynInh: p.RecordGsynInh})
			b := &builtSlice{pi: pi, s: s}
			switch p.CellType {
			case network.SpikeSourceArray:
				ticks := make([][]uint32, n)
				for i := range ticks {
					for _, t := range p.SpikeTimes[s.Lo+i] {
						if tk, ok := m.Clock.Before(t); ok {
							ticks[i] = append(ticks[i], tk)
						}
					}
				}
				b.app = core.NewSpikeSourceArray(s.Key, ticks, s.Rec)
			case network.SpikeSourcePoisson:
				b.app = poissonSource(net, m, p, s)
			default:
				in := incoming[[2]int{pi, si}]
				b.app, b.rows, b.err = neuronCores(net, m, pi, s, plastic, in, groups)
				for _, pr := range in {
					delete(groups, pr) // the rows' job holds them now, and frees them once loaded
				}
			}
			built = append(built, b)
			if b.err != nil && isShrink(b.err) {
				break populations // reported once the slices before it are
			}
		}
	}
	loadRows(net, m, built)
	for _, b := range built {
		if b.popErr != nil {
			errs = append(errs, b.popErr)
			continue
		}
		p := &net.Populations[b.pi]
		path := fmt.Sprintf("populations[%d]", b.pi)
		err := b.err
		if err == nil && b.rows != nil {
			err = b.rows.cores(m)
		}
		if err != nil {
			if isShrink(err) {
				return &shrinkError{pop: b.pi, err: err}
			}
			errs = append(errs, errAt(path, "%v", err))
			continue
		}
		s := b.s
		c, err := core.New(s.Chip, s.P, fmt.Sprintf("%s[%d:%d]", p.Label, s.Lo, s.Hi), b.app)
		if err != nil {
			var me *core.MemoryError
			if errors.As(err, &me) && !p.IsSource() {
				return &shrinkError{pop: b.pi, err: err}
			}
			errs = append(errs, errAt(path, "%v", err))
			continue
		}
		s.Core = c
		m.Cores = append(m.Cores, c)
	}
	return errors.Join(errs...)
}

// isShrink reports whether a slice's cores failed for want of room (ring
// buffer or core memory): the mapping then shrinks the population's slices.
func isShrink(err error) bool {
	var rb *core.RingBufferError
	var me *core.MemoryError
	return errors.As(err, &rb) || errors.As(err, &me)
}

// builtSlice is one slice's application between load's steps: with, for a
// neuron slice, the job that loads its rows. popErr instead says that
// population pi has no slices built (its rule or its shifts are wrong).
type builtSlice struct {
	pi     int
	s      *Slice
	app    core.Application
	rows   *rowsJob
	err    error
	popErr error
}

// rowsJob loads the rows of one neuron slice's cores (the combined core, or
// the synapse cores in order) from the synapses of its incoming pairs,
// which it holds until then.
type rowsJob struct {
	s     *Slice
	in    []pair
	lists [][]core.SourceSynapse // each incoming pair's synapses
	syns  []core.Synapses
	label string
	err   error
}

// split reports whether the slice is split into neuron and synapse cores.
func (j *rowsJob) split() bool { return len(j.s.SynCores) > 0 }

// run loads the rows, then lets go of the synapses.
func (j *rowsJob) run(net *network.Network, m *Mapped) {
	sc, k := -1, 0
	if j.split() {
		k = len(j.syns)
	}
	for i, syn := range j.syns {
		if j.split() {
			sc = i
		}
		if err := addSources(net, m, syn, j.in, j.lists, sc, k); err != nil {
			j.err = err
			break
		}
		if err := syn.Loaded(); err != nil {
			j.err = err
			break
		}
	}
	j.lists = nil
}

// cores makes the Core of each synapse core of a split slice, once its rows
// are loaded (a core's memory depends on them).
func (j *rowsJob) cores(m *Mapped) error {
	if j.err != nil {
		return j.err
	}
	if !j.split() {
		return nil
	}
	for i, app := range j.syns {
		sc := &j.s.SynCores[i]
		c, err := core.New(j.s.Chip, sc.P, fmt.Sprintf("%s synapses %d", j.label, i), app)
		if err != nil {
			return err
		}
		sc.Core = c
		m.Cores = append(m.Cores, c)
	}
	return nil
}

// loadRows runs the slices' row jobs, one goroutine a CPU, taking the
// slices in order (so that no more than one a goroutine holds its
// synapses and its rows at once). Each core's rows are one goroutine's
// work, so they do not depend on how the jobs are shared.
func loadRows(net *network.Network, m *Mapped, built []*builtSlice) {
	var jobs []*rowsJob
	for _, b := range built {
		if b.rows != nil && b.err == nil {
			jobs = append(jobs, b.rows)
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(jobs))) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(jobs)); i = next.Add(1) - 1 {
				jobs[i].run(net, m)
			}
		})
	}
	wg.Wait()
}

// poissonSource is the SpikeSourcePoisson application of a slice: its
// neurons active over [start, start + duration), clipped to the run, and
// its own random stream.
func poissonSource(net *network.Network, m *Mapped, p *network.Population, s *Slice) *core.SpikeSourcePoisson {
	n := s.Hi - s.Lo
	start, end := make([]uint32, n), make([]uint32, n)
	for i := range start {
		start[i], end[i] = m.Clock.Ticks, m.Clock.Ticks
		if tk, ok := m.Clock.Before(p.StartMs); ok {
			start[i] = tk
		}
		if tk, ok := m.Clock.Before(p.StartMs + p.DurationMs); ok {
			end[i] = tk
		}
	}
	rng := StreamPCG(net.Seed, fmt.Sprintf("poisson/%s/%d", p.Label, s.Lo))
	return core.NewSpikeSourcePoisson(s.Key, p.Rates[s.Lo:s.Hi], start, end, net.TimestepMs, rng, s.Rec)
}

// incomingPairs lists each target slice's (dstPop, dst) incoming pairs, in
// the order of sortedPairs.
func incomingPairs(groups map[pair][]core.SourceSynapse) map[[2]int][]pair {
	incoming := map[[2]int][]pair{}
	for _, p := range sortedPairs(groups) {
		k := [2]int{p.dstPop, p.dst}
		incoming[k] = append(incoming[k], p)
	}
	return incoming
}

func sortedKeys(m map[[2]int][]pair) [][2]int {
	ks := make([][2]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return ks
}

// neuronCores builds the application of a neuron slice's core and, for a
// split population, its synapse cores, and the job that loads their rows
// (rowsJob, which takes the incoming pairs' synapses over from groups).
func neuronCores(net *network.Network, m *Mapped, pi int, s *Slice, plastic *core.PlasticConfig, in []pair, groups map[pair][]core.SourceSynapse) (core.Application, *rowsJob, error) {
	p := &net.Populations[pi]
	n := s.Hi - s.Lo
	q, _ := quirks(net) // checked by Map
	cfg := core.NeuronConfig{
		SynapseConfig: core.SynapseConfig{N: n, Float: net.Arithmetic == network.ArithmeticFloat, HMs: net.TimestepMs,
			Shift: m.Shift[pi], MaxDelay: 1, Plastic: plastic, Quirks: q},
		Key: s.Key,
		Params: kernels.IFCurrExpParams{Cm: p.IF.Cm, TauM: p.IF.TauM, TauRefrac: p.IF.TauRefrac,
			TauSynE: p.IF.TauSynE, TauSynI: p.IF.TauSynI, VRest: p.IF.VRest, VReset: p.IF.VReset,
			VThresh: p.IF.VThresh, IOffset: p.IF.IOffset},
		Init: core.NeuronInit{V: m.initial(pi, s, initV), IsynExc: m.initial(pi, s, initIsynExc), IsynInh: m.initial(pi, s, initIsynInh)},
		Rec:  s.Rec,
	}
	for _, cs := range net.CurrentSources {
		if cs.InjectInto == p.Label {
			cfg.DC = append(cfg.DC, kernels.NewDCSource(cs.Amplitude, cs.StartMs, cs.StopMs, net.TimestepMs))
		}
	}
	cfg.Structural = structuralConfig(net, m, pi, s)
	structDelay := uint32(1)
	if cfg.Structural != nil {
		for _, sp := range cfg.Structural.Pres {
			structDelay = max(structDelay, sp.DelayHi)
		}
	}
	label := fmt.Sprintf("%s[%d:%d]", p.Label, s.Lo, s.Hi)
	job := &rowsJob{s: s, in: in, lists: make([][]core.SourceSynapse, len(in)), label: label}
	for i, pr := range in {
		job.lists[i] = groups[pr]
	}
	if !job.split() {
		cfg.MaxDelay = max(maxDelay(job.lists, -1, 0), structDelay)
		app, err := core.NewNeuronCore(cfg)
		if err != nil {
			return nil, nil, err
		}
		syn := app.(core.Synapses)
		job.syns = []core.Synapses{syn}
		s.Syn = []core.Synapses{syn}
		return app, job, nil
	}
	// Split: one SDRAM block per synapse core, written by it and read by
	// the neuron core.
	mem := m.Memory(s.Chip)
	words := core.BlockWords(n, cfg.Float)
	s.Syn = nil
	for i := range s.SynCores {
		sc := &s.SynCores[i]
		id, err := mem.Alloc(fmt.Sprintf("%s input from synapse core %d", label, sc.P), sc.P, []int{s.P}, words)
		if err != nil {
			return nil, nil, err
		}
		sc.Block = id
		cfg.Inputs = append(cfg.Inputs, id)
		sync := cfg.SynapseConfig
		sync.MaxDelay = max(maxDelay(job.lists, i, len(s.SynCores)), structDelay)
		app, err := core.NewSynapseCore(sync, s.Key, s.Mask, id)
		if err != nil {
			return nil, nil, err
		}
		job.syns = append(job.syns, app)
		s.Syn = append(s.Syn, app)
	}
	if err := loadDirect(net, m, s, &cfg); err != nil {
		return nil, nil, err
	}
	app, err := core.NewNeuronCore(cfg)
	return app, job, err
}

// synapseCoreOf is the synapse core (of k) that holds the non-dopamine rows
// of the i-th incoming source slice of a split slice: sources are dealt out
// in turn, in the order of the mapping, as sPyNNaker spreads incoming
// machine vertices over the synapse cores. Dopamine rows go to every
// synapse core, each of which keeps its own histories.
func synapseCoreOf(i, k int) int { return i % k }

// held selects the synapses of incoming pair i that synapse core sc (of k)
// holds; sc < 0 means the core holds them all (combined).
func held(syns []core.SourceSynapse, i, sc, k int) []core.SourceSynapse {
	if sc < 0 || synapseCoreOf(i, k) == sc {
		return syns
	}
	var out []core.SourceSynapse
	for _, s := range syns {
		if s.Kind == core.Neuromodulatory {
			out = append(out, s)
		}
	}
	return out
}

// maxDelay is the longest delay of the synapses synapse core sc (of k; −1
// and 0 for a combined core) holds of the incoming pairs' lists.
func maxDelay(lists [][]core.SourceSynapse, sc, k int) uint32 {
	d := uint32(1)
	for i, syns := range lists {
		for _, syn := range held(syns, i, sc, k) {
			if syn.Kind != core.Neuromodulatory {
				d = max(d, syn.Delay)
			}
		}
	}
	return d
}

// addSources adds to a core the rows of the incoming pairs, whose synapses
// are lists (by pair), that it holds: synapse core sc of k (−1 and 0 for a
// combined core).
func addSources(net *network.Network, m *Mapped, syn core.Synapses, in []pair, lists [][]core.SourceSynapse, sc, k int) error {
	for i, pr := range in {
		ss := held(lists[i], i, sc, k)
		// Every edge routed to this core gets its master population table
		// entry, with rows or without: the core that holds the edge's rows
		// (and on a split slice the others only for dopamine rows).
		if len(ss) == 0 && sc >= 0 && synapseCoreOf(i, k) != sc && !isStructural(net, pr.srcPop, pr.dstPop) {
			continue
		}
		src := m.Slices[pr.srcPop][pr.src]
		var err error
		if de := src.Delay; pr.delayed {
			err = syn.AddDelayedSource(de.Key, de.Mask, src.Lo, de.rows(), core.Delayed{AtomBits: de.AtomBits, StageLen: de.StageLen, N: src.Hi - src.Lo}, ss)
		} else {
			err = syn.AddSource(src.Key, src.Mask, src.Lo, src.Hi-src.Lo, ss)
		}
		if err != nil {
			return fmt.Errorf("synapses from %s: %w", net.Populations[pr.srcPop].Label, err)
		}
	}
	return nil
}

// isStructural reports whether a structural projection goes from population
// pre to population post.
func isStructural(net *network.Network, pre, post int) bool {
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Synapse.IsStructural() && net.Population(pr.Pre) == pre && net.Population(pr.Post) == post {
			return true
		}
	}
	return false
}

// structuralConfig is the rewiring of a slice of population pi, or nil when
// no structural projection comes in. The rules that the structural
// projections into one population share (the loader checks they agree) come
// from the first.
func structuralConfig(net *network.Network, m *Mapped, pi int, s *Slice) *core.StructuralConfig {
	label := net.Populations[pi].Label
	var cfg *core.StructuralConfig
	for j := range net.Projections {
		pr := &net.Projections[j]
		st := pr.Synapse.Structural
		if pr.Post != label || st == nil {
			continue
		}
		if cfg == nil {
			f, e := st.Formation, st.Elimination
			cfg = &core.StructuralConfig{
				SMax: st.SMax, WithReplacement: st.WithReplacement,
				Schedule: kernels.NewRewiringSchedule(st.FRew, uint32(math.Round(net.TimestepMs*1000))),
				Formation: kernels.DistanceDependentFormation{GridX: f.GridX, GridY: f.GridY,
					PFormForward: f.PFormForward, SigmaFormForward: f.SigmaFormForward,
					PFormLateral: f.PFormLateral, SigmaFormLateral: f.SigmaFormLateral},
				Elimination: kernels.RandomByWeightElimination{Threshold: e.Threshold,
					ProbDepressed: e.ProbDepressed, ProbPotentiated: e.ProbPotentiated},
				PopAtoms: net.Populations[pi].Size, Lo: s.Lo,
			}
			if st.PartnerSelection.Type == network.LastNeuronSelection {
				cfg.LastNeuron = st.PartnerSelection.SpikeBufferSize
			}
			cfg.Shared, cfg.Local = kernels.RewiringSeeds(net.Seed, label, s.Lo)
		}
		pre := net.Population(pr.Pre)
		lo, hi := kernels.InitialDelayTicks(st.InitialDelayLow, st.InitialDelayHigh, net.TimestepMs)
		sp := core.StructuralPre{Proj: j, Lateral: pre == pi, Type: kernels.SynExc,
			InitialWeight: st.InitialWeight, DelayLo: lo, DelayHi: hi}
		if pr.Receptor == network.Inhibitory {
			sp.Type = kernels.SynInh
		}
		for _, src := range m.Slices[pre] {
			sp.Slices = append(sp.Slices, core.StructuralSlice{Key: src.Key, Mask: src.Mask, Lo: src.Lo, N: src.Hi - src.Lo})
		}
		cfg.Pres = append(cfg.Pres, sp)
	}
	return cfg
}

func fill(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// plasticRule returns the STDP rule of a population's plastic projections,
// or nil when it has none: neuromodulated when a Neuromodulation projection
// comes in too, plain STDP otherwise. sPyNNaker merges every plastic
// projection into a population into one rule, so they must agree.
func plasticRule(net *network.Network, pi int) (*core.PlasticConfig, error) {
	label := net.Populations[pi].Label
	var first *network.Synapse
	firstIdx := -1
	var nm *network.Synapse
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Post != label {
			continue
		}
		switch {
		case pr.Synapse.IsPlastic():
			if first == nil {
				first, firstIdx = &pr.Synapse, j
			} else if *first.Timing != *pr.Synapse.Timing || *first.WeightDep != *pr.Synapse.WeightDep {
				return nil, errAt(fmt.Sprintf("projections[%d].synapse", j),
					"every STDPMechanism projection into %q must use the same timing and weight rules as projections[%d] (sPyNNaker merges them into one rule)", label, firstIdx)
			}
		case pr.Synapse.Type == network.Neuromodulation:
			if nm == nil {
				nm = &pr.Synapse
			}
		}
	}
	if first == nil {
		return nil, nil
	}
	t, w := first.Timing, first.WeightDep
	cfg := &core.PlasticConfig{
		Pair: kernels.PairRule{TauPlus: t.TauPlus, TauMinus: t.TauMinus, APlus: t.APlus, AMinus: t.AMinus,
			WMin: w.WMin, WMax: w.WMax, Multiplicative: w.Type == network.MultiplicativeWeightDependence,
			Nearest: t.Type == network.SpikeNearestPairRule},
	}
	if nm != nil {
		if cfg.Pair.Nearest {
			return nil, errAt(fmt.Sprintf("projections[%d].synapse.timing_dependence", firstIdx),
				"SpikeNearestPairRule cannot be neuromodulated: sPyNNaker has no neuromodulation build for it (use SpikePairRule)")
		}
		cfg.NM = &kernels.NeuromodParams{TauC: nm.TauC, TauD: nm.TauD, WMin: nm.WMin, WMax: nm.WMax}
	}
	return cfg, nil
}

// spikesPerTick is how many spikes per tick sPyNNaker assumes a source
// population may send (reference §1.7).
func spikesPerTick(p *network.Population, hMs float64) float64 {
	if p.CellType != network.SpikeSourcePoisson {
		return 1 // SpikeSourceArray and neurons: max(1, 30 Hz · h)
	}
	n := 1
	for _, r := range p.Rates {
		n = max(n, kernels.PoissonSpikesPerTick(r, hMs))
	}
	return float64(n)
}

// MaxShift is the largest ring-buffer shift. sPyNNaker sets no limit of its
// own: a shift k stores weights as w·2^(15−k), so k = 16 halves them and
// the ring buffer, shifted into an s16.15, still holds inputs up to 65,536
// nA (700 sources × 50 nA onto one neuron, which sPyNNaker's hardware test
// runs, needs 16). A bound of 65,536 nA or more (k ≥ 17) exceeds what an
// s16.15 synaptic input can hold at all, so it is refused.
const MaxShift = 16

// shifts computes a neuron population's ring-buffer shift per synapse type
// from each projection's largest weight magnitude, wmaxes.
func shifts(net *network.Network, pi int, wmaxes []float64) ([kernels.NumSynapseTypes]uint32, error) {
	var total, biggest [kernels.NumSynapseTypes]float64
	constant := [kernels.NumSynapseTypes]bool{true, true}
	label := net.Populations[pi].Label
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Post != label || pr.Synapse.Type == network.Neuromodulation {
			continue
		}
		typ := kernels.SynExc
		if pr.Receptor == network.Inhibitory {
			typ = kernels.SynInh
		}
		wmax := wmaxes[j]
		if pr.Synapse.IsPlastic() {
			wmax = max(wmax, pr.Synapse.WeightDep.WMax)
		}
		if st := pr.Synapse.Structural; st != nil {
			wmax = max(wmax, st.InitialWeight)
		}
		if !pr.Synapse.Delay.IsConstant() {
			constant[typ] = false
		}
		pre := net.Population(pr.Pre)
		nPre := net.Populations[pre].Size
		nConn := connectors.MaxPerPost(pr.Connector, nPre, net.Populations[pi].Size, pre == pi)
		total[typ] += spikesPerTick(&net.Populations[pre], net.TimestepMs) * wmax * float64(nConn)
		biggest[typ] = max(biggest[typ], wmax)
	}
	var k [kernels.NumSynapseTypes]uint32
	for t := range k {
		b := total[t]
		if constant[t] {
			b = max(b, biggest[t])
		}
		k[t] = kernels.RingBufferShift(b)
		if k[t] > MaxShift {
			return k, errAt(fmt.Sprintf("populations[%d]", pi),
				"its %s input can reach %.4g nA in one tick (spikes per tick × largest weight × connections per neuron, summed over projections), which needs a ring-buffer shift of %d, more than %d: the weights or rates are too large for SpiNNaker's s16.15 synaptic input (at most 65,536 nA)",
				[2]string{"excitatory", "inhibitory"}[t], b, k[t], MaxShift)
		}
	}
	return k, nil
}
