package mapping

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/router"
	"github.com/spinnsim/spinnsim/sdram"
	"github.com/spinnsim/spinnsim/timers"
)

// Default slice sizes (atoms per core) of sPyNNaker's models.
const (
	DefaultNeuronsPerCore = 256
	DefaultPoissonPerCore = 500
	DefaultArrayPerCore   = 256
)

// Slice is one core's part of a population: the core that runs its neurons
// (or its spike source), and on a split population the synapse cores on the
// same chip that hold its synapses.
type Slice struct {
	Pop       int
	Lo, Hi    int // neurons [Lo, Hi)
	Chip      machine.XY
	P         int
	Key, Mask uint32
	// Sends is set when the slice has edges out: its spikes are routed.
	// Without, its core is silent (it records, but sends nothing).
	Sends bool
	// Est is what its cores need, estimated from the plan.
	Est  Estimate
	Core *core.Core
	Rec  *core.Recorder
	// Syn are the cores that hold the slice's synapses (its own core when
	// combined, its synapse cores when split); none for spike sources.
	Syn      []core.Synapses
	SynCores []SynapseCore // split only
	// Direct are the Poisson sources merged into this split slice's neuron
	// core (direct_poisson.go), on its chip; Into is, on such a source's
	// slice, the slice it feeds.
	Direct []*Slice
	Into   *Slice
	// Delay is the slice's delay-extension core (on the same chip), when
	// projections from it have delays longer than their targets' ring
	// buffers hold; nil otherwise.
	Delay *DelaySlice
}

// DelaySlice is a delay-extension core of a source slice: it has a key of
// its own, whose neuron field holds (stage−1)<<AtomBits | neuron, and its
// targets have rows under it (reference spinnaker-machine.md §5.6).
type DelaySlice struct {
	Slice    // Pop, Lo, Hi are the source slice's; Chip, P, Key, Mask, Core its own
	Stages   int
	StageLen uint32 // ticks
	AtomBits int    // the source's neuron bits within the key
	// Enabled[s−1][i]: some synapse of neuron i has a delay of stage s.
	Enabled [][]bool
}

// SynapseCore is one synapse core of a split slice, and the SDRAM block
// through which it hands the neuron core its input.
type SynapseCore struct {
	P     int
	Core  *core.Core
	Block sdram.RegionID
}

// Cores is the number of cores the slice needs on its chip.
func (s *Slice) Cores() int {
	n := 1 + len(s.SynCores) + len(s.Direct)
	if s.Delay != nil {
		n++
	}
	return n
}

// Mapped is a network placed on a machine, routed, and (unless mapped
// with Options.MapOnly) loaded and ready to run.
type Mapped struct {
	Net     *network.Network
	Options Options
	Machine *machine.Machine
	Clock   timers.Clock
	Cores   []*core.Core     // sorted by (x, y, p); empty when mapped only
	Routers []*router.Router // one per live chip, sorted by (x, y)
	SDRAM   []*sdram.Memory  // one per live chip, in the order of Routers
	// Drops are the injected packet losses per chip (run-time faults); nil
	// for none.
	Drops     map[machine.XY]*ChipDrops
	faultSeed uint64
	Slices    [][]*Slice // per population
	// Uncompressed is every chip's routing table as generated, before
	// compression (only chips with entries); Routers hold the tables as
	// loaded.
	Uncompressed map[machine.XY][]router.Entry
	Synapses     []int // per projection, the number of connections (0 when mapped only)
	// Expected is each projection's expected number of synapses.
	Expected []float64
	// HostBytes estimates the host memory a run needs for its synapses and
	// recordings.
	HostBytes float64
	// Shift is each neuron population's ring-buffer shift per synapse type
	// (from the statistics when mapped only).
	Shift [][kernels.NumSynapseTypes]uint32

	// Notes say why the plan gave populations fewer neurons a core than
	// their model's default, and where delay extensions run: lines for the
	// log.
	Notes []string

	drawn map[[2]int][]float64 // initial values drawn per (population, variable)
	// viaDelay marks the projections whose long delays go through their
	// sources' delay-extension cores (delays.go).
	viaDelay []bool
	// direct marks the projections of Poisson sources merged into their
	// targets' neuron cores, and directWeights holds their weights by
	// target neuron (direct_poisson.go).
	direct        []bool
	directWeights map[int][]float64
	// GenerateSeconds is how long Map took to generate the connections:
	// the wall time until the last projection's were drawn (the grouping
	// of those drawn before it overlaps).
	GenerateSeconds float64
}

// Router returns the router of a chip.
func (m *Mapped) Router(c machine.XY) *router.Router {
	i := sort.Search(len(m.Routers), func(i int) bool {
		r := m.Routers[i].Chip
		return r.X > c.X || r.X == c.X && r.Y >= c.Y
	})
	if i < len(m.Routers) && m.Routers[i].Chip == c {
		return m.Routers[i]
	}
	return nil
}

// synapseCores is the number of synapse cores of each slice of population
// pi: the splitter's, or one when a combined core's code would not fit
// ITCM (structural plasticity with neuromodulated STDP, as sPyNNaker's
// splitter selector splits it), or none.
func synapseCores(net *network.Network, pi int) int {
	p := &net.Populations[pi]
	if p.SynapseCores > 0 || p.IsSource() {
		return p.SynapseCores
	}
	if AutoSplit(net, pi) {
		return 1
	}
	return 0
}

// AutoSplit reports whether population pi is split because its combined
// core's code would not fit a core's ITCM.
func AutoSplit(net *network.Network, pi int) bool {
	p := &net.Populations[pi]
	if p.SynapseCores > 0 || p.IsSource() {
		return false
	}
	var plastic, nm, structural bool
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Post != p.Label {
			continue
		}
		plastic = plastic || pr.Synapse.IsPlastic()
		nm = nm || pr.Synapse.Type == network.Neuromodulation
		structural = structural || pr.Synapse.IsStructural()
	}
	return core.SynapseCodeSize(plastic, nm, structural)+core.NeuronCodeSize > core.ITCMBytes
}

// Memory returns the SDRAM of a chip.
func (m *Mapped) Memory(c machine.XY) *sdram.Memory {
	i := sort.Search(len(m.SDRAM), func(i int) bool {
		r := m.SDRAM[i].Chip
		return r.X > c.X || r.X == c.X && r.Y >= c.Y
	})
	if i < len(m.SDRAM) && m.SDRAM[i].Chip == c {
		return m.SDRAM[i]
	}
	return nil
}

// Error is a mapping problem, placed in the network file.
type Error struct {
	Path string
	Msg  string
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

func errAt(path, format string, a ...any) error {
	return &Error{Path: path, Msg: fmt.Sprintf(format, a...)}
}

// Stream returns the random stream named name of a run with the seed: every
// random choice of a run draws from a stream of its own (a projection's
// connections, a Poisson core's spikes), so none depends on another or on
// the order things are built or scheduled in.
func Stream(seed uint64, name string) *rand.Rand { return rand.New(StreamPCG(seed, name)) }

// StreamPCG is the generator behind Stream(seed, name), for a hot loop that
// draws from it directly rather than through rand.Rand's interface.
func StreamPCG(seed uint64, name string) *rand.PCG {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.NewPCG(seed, h.Sum64())
}

// Options change how a network is mapped.
type Options struct {
	// MapOnly places, keys and routes the network and estimates what every
	// core needs, without generating a synapse or loading a core.
	MapOnly bool
	// Compressor is the routing-table compressor (router.Pair or
	// router.OrderedCovering); "" takes the network's (pair by default).
	Compressor string
	// CompressAlways compresses every table, not only those with more
	// entries than a router holds (or the network's compress_always).
	CompressAlways bool
	// NoDirectPoisson keeps every Poisson source's spikes as packets,
	// where sPyNNaker would merge a source into the neuron cores it drives
	// (direct_poisson.go).
	NoDirectPoisson bool
	// MaxHostBytes refuses a run whose synapses and recordings would need
	// more host memory (estimated before anything is generated); 0 takes
	// the host's physical memory, -1 checks nothing.
	MaxHostBytes int64
	// RecordingBuffer is the host memory the recorded v and gsyn samples
	// may take before they go to a file (sim.Recording); 0 is
	// DefaultRecordingBuffer. The host-memory estimate counts at most this
	// much for them.
	RecordingBuffer int64
}

// DefaultRecordingBuffer is the default of Options.RecordingBuffer: 256 MiB.
const DefaultRecordingBuffer = 256 << 20

// Map places and loads the network with the default options.
func Map(net *network.Network) (*Mapped, error) { return MapWith(net, Options{}) }

// MapWith maps the network: it checks the limits that the file alone
// decides, plans how many neurons each core takes from the connectors'
// statistics, places the slices, allocates keys, routes and compresses,
// and then (unless opt.MapOnly) generates the synapses and loads the cores.
// Every problem found before generation is reported before any synapse is
// drawn, one line per kind of problem.
func MapWith(net *network.Network, opt Options) (*Mapped, error) {
	if opt.Compressor == "" {
		opt.Compressor = net.Mapping.Compressor
	}
	if opt.Compressor == "" {
		opt.Compressor = router.Pair
	}
	if opt.RecordingBuffer <= 0 {
		opt.RecordingBuffer = DefaultRecordingBuffer
	}
	opt.CompressAlways = opt.CompressAlways || net.Mapping.CompressAlways
	if err := checkLimits(net, opt); err != nil {
		return nil, err
	}
	if _, err := quirks(net); err != nil {
		return nil, err
	}
	st, err := newStats(net)
	if err != nil {
		return nil, err
	}
	// The host's memory is checked at once for the synapses (atoms nil: the
	// fewest rows), and again with the rows of the neurons-a-core plan.
	if err := checkHost(net, st, nil, opt); err != nil {
		return nil, err
	}
	if err := checkShifts(net, st); err != nil {
		return nil, err
	}
	atoms, err := planAtoms(net, st)
	if err != nil {
		return nil, err
	}
	fitStages(net, st, atoms)
	if err := checkHost(net, st, atoms, opt); err != nil {
		return nil, err
	}
	direct := planDirectPoisson(net, opt, atoms)
	for {
		m, es, err := layout(net, opt, st, atoms, direct)
		if err != nil || opt.MapOnly {
			return m, err
		}
		err = populate(net, st, m, es)
		var shrink *shrinkError
		switch {
		case err == nil:
			if err := traces(net, m); err != nil {
				return nil, err
			}
			return m, nil
		case errors.As(err, &shrink):
			// The drawn synapses need more than the plan: a longer delay
			// than likely, or longer rows.
			p := &net.Populations[shrink.pop]
			path := fmt.Sprintf("populations[%d]", shrink.pop)
			if atoms[shrink.pop] == 1 {
				var rb *core.RingBufferError
				if errors.As(err, &rb) {
					return nil, errAt(path, "%v, even with one neuron a core: use shorter delays", err)
				}
				return nil, errAt(path, "%v, even with one neuron a core: too many synapse rows or sources onto it", err)
			}
			if p.MaxAtomsPerCore > 0 {
				return nil, errAt(path, "%v: set a smaller max_atoms_per_core or shorter delays", err)
			}
			atoms[shrink.pop] = (atoms[shrink.pop] + 1) / 2
			for j, ok := range direct { // a merged source keeps its target's slicing
				if pr := &net.Projections[j]; ok && net.Population(pr.Post) == shrink.pop {
					atoms[net.Population(pr.Pre)] = atoms[shrink.pop]
				}
			}
			// More cores, more rows: the memory is checked again.
			if err := checkHost(net, st, atoms, opt); err != nil {
				return nil, err
			}
		default:
			return nil, err
		}
	}
}

func defaultAtoms(p *network.Population) int {
	if p.MaxAtomsPerCore > 0 {
		return p.MaxAtomsPerCore
	}
	switch p.CellType {
	case network.SpikeSourcePoisson:
		return DefaultPoissonPerCore
	case network.SpikeSourceArray:
		return DefaultArrayPerCore
	}
	return DefaultNeuronsPerCore
}

// shrinkError marks a population whose neuron core does not fit (DTCM, or
// ring-buffer bits for its delays) and might with fewer neurons a core.
type shrinkError struct {
	pop int
	err error
}

func (e *shrinkError) Error() string { return e.err.Error() }
func (e *shrinkError) Unwrap() error { return e.err }

// checkShifts refuses, before generation, a population whose input needs a
// ring-buffer shift beyond MaxShift (from the statistical weight maxima).
func checkShifts(net *network.Network, st *stats) error {
	var ps problems
	w := st.wmaxes()
	for pi := range net.Populations {
		if net.Populations[pi].IsSource() {
			continue
		}
		if _, err := shifts(net, pi, w); err != nil {
			ps.addErr("shift", err)
		}
	}
	return ps.err()
}

// layout slices, places, keys and routes the network from the plan, and
// estimates every core's needs; it returns the edges for loading.
func layout(net *network.Network, opt Options, st *stats, atoms []int, direct []bool) (*Mapped, []fanOut, error) {
	m := &Mapped{Net: net, Options: opt, Clock: timers.New(net.TimestepMs, net.DurationMs), direct: direct,
		directWeights: map[int][]float64{}}
	nCores := 0
	for pi := range net.Populations {
		p := &net.Populations[pi]
		var ss []*Slice
		for lo := 0; lo < p.Size; lo += atoms[pi] {
			s := &Slice{Pop: pi, Lo: lo, Hi: min(lo+atoms[pi], p.Size)}
			for range synapseCores(net, pi) {
				s.SynCores = append(s.SynCores, SynapseCore{Block: -1})
			}
			ss = append(ss, s)
			nCores += s.Cores()
		}
		m.Slices = append(m.Slices, ss)
	}
	if err := planDelays(net, st, m, atoms); err != nil {
		return nil, nil, err
	}
	attachDirect(net, m)
	for _, ss := range m.Slices {
		for _, s := range ss {
			if s.Delay != nil {
				nCores++
			}
		}
	}
	if err := allocateKeys(m); err != nil {
		return nil, nil, err
	}
	m.Notes = notes(net, st, m, atoms)
	es := edges(net, st, m)
	estimate(net, st, m, es)
	for _, ss := range m.Slices {
		for _, s := range ss {
			if d := s.Delay; d != nil { // its counters, where they spill out of DTCM
				_, spill := core.DelayExtensionMemory(s.Hi-s.Lo, d.Stages, d.StageLen)
				s.Est.SDRAM += int64(spill)
			}
			for range s.Direct { // the merged sources' input blocks
				s.Est.SDRAM += int64(4 * core.BlockWords(s.Hi-s.Lo, net.Arithmetic == network.ArithmeticFloat))
			}
		}
	}
	m.Synapses = make([]int, len(st.proj))
	m.Expected = make([]float64, len(st.proj))
	for i := range st.proj {
		m.Expected[i] = st.proj[i].expected
	}
	m.HostBytes = hostBytes(net, st, atoms, opt.RecordingBuffer)
	m.Shift = make([][kernels.NumSynapseTypes]uint32, len(net.Populations))
	for pi := range net.Populations {
		if !net.Populations[pi].IsSource() {
			m.Shift[pi], _ = shifts(net, pi, st.wmaxes())
		}
	}
	var placeErr error
	for _, c := range candidates(net, nCores) {
		mc, err := newMachine(net, c)
		if err != nil {
			return nil, nil, err
		}
		if placeErr = place(net, mc, m.Slices); placeErr == nil {
			m.Machine = mc
			break
		}
	}
	if m.Machine == nil {
		return nil, nil, placeErr
	}
	for _, c := range m.Machine.Chips() {
		m.Routers = append(m.Routers, router.New(c))
		m.SDRAM = append(m.SDRAM, sdram.New(c))
	}
	if err := route(m, es); err != nil {
		return nil, nil, err
	}
	return m, es, nil
}

// populate generates every projection's synapses, sorts them into the rows
// of their edges, and loads the cores. Projections are generated one at a
// time, one ahead of the sorting, and handed over as they are sorted, so the
// host holds one copy of every synapse (plus the two projections in hand).
// Every edge gets its master population table entry, with rows or without.
func populate(net *network.Network, st *stats, m *Mapped, es []fanOut) error {
	groups := map[pair][]core.SourceSynapse{}
	index := map[*Slice]int{}
	delayed := map[*Slice]bool{}
	for _, ss := range m.Slices {
		for si, s := range ss {
			index[s] = si
			if s.Delay != nil {
				index[&s.Delay.Slice], delayed[&s.Delay.Slice] = si, true
			}
		}
	}
	for _, f := range es {
		for _, d := range f.dsts {
			groups[pair{f.src.Pop, index[f.src], d.Pop, index[d], delayed[f.src]}] = nil
		}
	}
	m.Synapses = make([]int, len(net.Projections))
	wmax := st.wmaxes()
	var errs []error
	// Generation runs on goroutines of their own, one a CPU, each taking
	// the next projection not yet taken, while this one groups them in
	// order. A goroutine takes a projection only with a token, which the
	// grouping gives back as it receives one: no more than workers + 1
	// projections' connections are held at once. Each projection draws
	// from its own stream, so the results are those of generating one
	// after the other.
	type generated struct {
		syns []connectors.Synapse
		err  error
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(net.Projections)))
	drawn := make([]chan generated, len(net.Projections))
	for i := range drawn {
		drawn[i] = make(chan generated, 1)
	}
	tokens := make(chan struct{}, workers)
	var next atomic.Int64
	for range workers {
		go func() {
			for {
				tokens <- struct{}{}
				i := int(next.Add(1) - 1)
				if i >= len(net.Projections) {
					return
				}
				syns, err := generate(net, i)
				drawn[i] <- generated{syns, err}
			}
		}()
	}
	start := time.Now()
	for i := range net.Projections {
		g := <-drawn[i]
		<-tokens
		if i == len(net.Projections)-1 {
			m.GenerateSeconds += time.Since(start).Seconds()
		}
		syns, err := g.syns, g.err
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, c := range syns {
			wmax[i] = math.Max(wmax[i], math.Abs(c.Weight))
		}
		m.Synapses[i] = len(syns)
		if m.direct[i] {
			w := make([]float64, net.Populations[net.Population(net.Projections[i].Post)].Size)
			for _, c := range syns {
				w[c.Post] = math.Abs(c.Weight)
			}
			m.directWeights[i] = w
			continue
		}
		if err := group(net, i, syns, m, groups); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := load(net, m, wmax, groups); err != nil {
		return err
	}
	if err := loadDelays(m); err != nil {
		return err
	}
	for _, ss := range m.Slices {
		for _, s := range ss {
			if s.Core != nil {
				s.Core.Silent = !s.Sends
			}
		}
	}
	slices.SortFunc(m.Cores, func(a, b *core.Core) int {
		if a.Chip != b.Chip {
			if a.Chip.X != b.Chip.X {
				return a.Chip.X - b.Chip.X
			}
			return a.Chip.Y - b.Chip.Y
		}
		return a.P - b.P
	})
	// Run-time faults (packet drops, cores killed during the run) need the
	// loaded cores.
	return applyFaults(net, m)
}

// generate builds projection i's connections from its own stream.
func generate(net *network.Network, i int) ([]connectors.Synapse, error) {
	pr := &net.Projections[i]
	pre, post := net.Population(pr.Pre), net.Population(pr.Post)
	rng := Stream(net.Seed, "projection/"+pr.Label)
	s, err := connectors.Build(pr.Connector, pr.Synapse, net.Populations[pre].Size,
		net.Populations[post].Size, pre == post, net.TimestepMs, maxDelayTicks, rng)
	if err != nil {
		return nil, errAt(fmt.Sprintf("projections[%d]", i), "%v", err)
	}
	return s, nil
}

// sliceOf finds the slice holding neuron i.
func sliceOf(ss []*Slice, i int) int {
	return sort.Search(len(ss), func(k int) bool { return ss[k].Hi > i })
}

// pair identifies a (source slice, target slice) pair; delayed pairs are
// the rows under the source slice's delay-extension core.
type pair struct {
	srcPop, src, dstPop, dst int
	delayed                  bool
}

// group sorts the connections of projection i into the rows of their
// edges. A connection on no edge is a bug in the connectors' statistics.
func group(net *network.Network, i int, conns []connectors.Synapse, m *Mapped, g map[pair][]core.SourceSynapse) error {
	pr := &net.Projections[i]
	prePop, postPop := net.Population(pr.Pre), net.Population(pr.Post)
	pre, post := m.Slices[prePop], m.Slices[postPop]
	kind, typ, sign := kindOf(&pr.Synapse), kernels.SynExc, 1.0
	switch pr.Receptor {
	case network.Inhibitory:
		typ = kernels.SynInh
	case network.Punishment:
		sign = -1
	}
	// Sort into a grid of (pre slice, post slice) first: a map access a
	// synapse would cost more than the rest of the sorting. Cells n… hold
	// the synapses that go through the delay extensions. Two passes: count
	// each cell's synapses, then fill cells of exactly that size (appending
	// would allocate about twice what the synapses need).
	n := len(pre) * len(post)
	si, di := 0, 0
	locate := func(c *connectors.Synapse) (cell, row int, d uint32, err error) {
		if c.Pre < pre[si].Lo || c.Pre >= pre[si].Hi {
			si = sliceOf(pre, c.Pre)
		}
		if c.Post < post[di].Lo || c.Post >= post[di].Hi {
			di = sliceOf(post, c.Post)
		}
		d = uint32(c.DelayTicks)
		if kind == core.Neuromodulatory {
			d = 1
		}
		cell, row = si*len(post)+di, c.Pre-pre[si].Lo
		if m.viaDelay[i] {
			de := pre[si].Delay
			stage, rest := de.split(d)
			if stage > core.MaxDelayStages {
				// Longer than likely (the plan's statistics): a longer ring
				// buffer on the target, and the mapping is tried again.
				return 0, 0, 0, &shrinkError{pop: postPop, err: fmt.Errorf("projection %q drew a delay of %d ticks, more than %d stages of %d ticks reach",
					pr.Label, d, core.MaxDelayStages, de.StageLen)}
			}
			for de.Stages < stage { // a delay longer than likely: one more stage
				de.Enabled = append(de.Enabled, make([]bool, de.Hi-de.Lo))
				de.Stages++
			}
			if stage > 0 {
				de.Enabled[stage-1][row] = true
				cell, row, d = n+cell, (stage-1)<<de.AtomBits|row, rest
			}
		}
		return cell, row, d, nil
	}
	counts := make([]int, 2*n)
	for k := range conns {
		cell, _, _, err := locate(&conns[k])
		if err != nil {
			return err
		}
		counts[cell]++
	}
	cells := make([][]core.SourceSynapse, 2*n)
	for k, c := range counts {
		if c > 0 {
			cells[k] = make([]core.SourceSynapse, 0, c)
		}
	}
	for k := range conns {
		c := &conns[k]
		cell, row, d, _ := locate(c)
		cells[cell] = append(cells[cell], core.SourceSynapse{Row: int32(row), Post: uint16(c.Post - post[di].Lo),
			Kind: kind, Type: uint8(typ), Weight: sign * math.Abs(c.Weight), Delay: d, Proj: int32(i)})
	}
	grid, late := cells[:n], cells[n:]
	if err := sortInto(pr, prePop, postPop, pre, post, grid, false, g); err != nil {
		return err
	}
	return sortInto(pr, prePop, postPop, pre, post, late, true, g)
}

// sortInto hands a projection's synapses, sorted by (pre slice, post slice),
// to their pairs.
func sortInto(pr *network.Projection, prePop, postPop int, pre, post []*Slice, grid [][]core.SourceSynapse, delayed bool, g map[pair][]core.SourceSynapse) error {
	for si := range pre {
		for di := range post {
			rows := grid[si*len(post)+di]
			if len(rows) == 0 {
				continue
			}
			k := pair{prePop, si, postPop, di, delayed}
			old, ok := g[k]
			if !ok {
				return fmt.Errorf("mapping: projection %q connects %s[%d:%d] to %s[%d:%d], on no edge", pr.Label,
					pr.Pre, pre[si].Lo, pre[si].Hi, pr.Post, post[di].Lo, post[di].Hi)
			}
			if old == nil {
				g[k] = slices.Clip(rows)
			} else {
				g[k] = append(old, rows...)
			}
		}
	}
	return nil
}

// sortedPairs lists the pairs in a fixed order.
func sortedPairs(g map[pair][]core.SourceSynapse) []pair {
	ps := make([]pair, 0, len(g))
	for p := range g {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b pair) int {
		for _, d := range [4]int{a.srcPop - b.srcPop, a.src - b.src, a.dstPop - b.dstPop, a.dst - b.dst} {
			if d != 0 {
				return d
			}
		}
		switch {
		case a.delayed == b.delayed:
			return 0
		case a.delayed:
			return 1
		}
		return -1
	})
	return ps
}
