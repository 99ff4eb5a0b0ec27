package mapping

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
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
	Core      *core.Core
	Rec       *core.Recorder
	// Syn are the cores that hold the slice's synapses (its own core when
	// combined, its synapse cores when split); none for spike sources.
	Syn      []core.Synapses
	SynCores []SynapseCore // split only
}

// SynapseCore is one synapse core of a split slice, and the SDRAM block
// through which it hands the neuron core its input.
type SynapseCore struct {
	P     int
	Core  *core.Core
	Block sdram.RegionID
}

// Cores is the number of cores the slice needs on its chip.
func (s *Slice) Cores() int { return 1 + len(s.SynCores) }

// Mapped is a network loaded onto a machine, ready to run.
type Mapped struct {
	Net      *network.Network
	Machine  *machine.Machine
	Clock    timers.Clock
	Cores    []*core.Core     // sorted by (x, y, p)
	Routers  []*router.Router // one per live chip, sorted by (x, y)
	SDRAM    []*sdram.Memory  // one per live chip, in the order of Routers
	Slices   [][]*Slice       // per population
	Synapses []int            // per projection, the number of connections
	// Shift is each neuron population's ring-buffer shift per synapse type.
	Shift [][kernels.NumSynapseTypes]uint32
	// GenerateSeconds is how long Map took to generate the connections.
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
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// Map places and loads the network.
func Map(net *network.Network) (*Mapped, error) {
	if err := checkLimits(net); err != nil {
		return nil, err
	}
	start := time.Now()
	conns, err := generate(net)
	if err != nil {
		return nil, err
	}
	generated := time.Since(start).Seconds()
	atoms := make([]int, len(net.Populations))
	for i := range net.Populations {
		atoms[i] = defaultAtoms(&net.Populations[i])
	}
	for {
		m, err := build(net, conns, atoms)
		var shrink *shrinkError
		switch {
		case err == nil:
			m.GenerateSeconds = generated
			return m, nil
		case errors.As(err, &shrink):
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

// generate builds every projection's connections from its own stream.
func generate(net *network.Network) ([][]connectors.Synapse, error) {
	out := make([][]connectors.Synapse, len(net.Projections))
	var errs []error
	for i := range net.Projections {
		pr := &net.Projections[i]
		pre, post := net.Population(pr.Pre), net.Population(pr.Post)
		rng := Stream(net.Seed, "projection/"+pr.Label)
		maxDelay := 1<<(core.MaxRingBufferBits-1) - 1
		s, err := connectors.Build(pr.Connector, pr.Synapse, net.Populations[pre].Size,
			net.Populations[post].Size, pre == post, net.TimestepMs, maxDelay, rng)
		if err != nil {
			errs = append(errs, errAt(fmt.Sprintf("projections[%d]", i), "%v", err))
			continue
		}
		out[i] = s
	}
	return out, errors.Join(errs...)
}

// candidates lists the machines to try, smallest first.
func candidates(net *network.Network, cores int) [][2]any {
	if net.Machine.Board != "" {
		b := net.Machine.Boards
		if b < 1 {
			b = 1
		}
		return [][2]any{{net.Machine.Board, b}}
	}
	c := [][2]any{{network.BoardSpiNN3, 1}, {network.BoardSpiNN5, 1}}
	per := 48 * len(machine.AppCores())
	for b := 3; b <= 3*((cores+per-1)/per+2) && b <= 1200; b += 3 {
		c = append(c, [2]any{network.BoardSpiNN5, b})
	}
	return c
}

func build(net *network.Network, conns [][]connectors.Synapse, atoms []int) (*Mapped, error) {
	m := &Mapped{Net: net, Clock: timers.New(net.TimestepMs, net.DurationMs)}
	// Slices.
	nSlices, nCores := 0, 0
	maxAtoms := 1
	for pi := range net.Populations {
		p := &net.Populations[pi]
		var ss []*Slice
		for lo := 0; lo < p.Size; lo += atoms[pi] {
			hi := min(lo+atoms[pi], p.Size)
			s := &Slice{Pop: pi, Lo: lo, Hi: hi}
			for range synapseCores(net, pi) {
				s.SynCores = append(s.SynCores, SynapseCore{Block: -1})
			}
			ss = append(ss, s)
			maxAtoms = max(maxAtoms, hi-lo)
			nCores += s.Cores()
		}
		m.Slices = append(m.Slices, ss)
		nSlices += len(ss)
	}
	// Keys: slice id << atom bits.
	atomBits := uint32(bits.Len(uint(maxAtoms - 1)))
	if uint64(nSlices)<<atomBits > 1<<32 {
		return nil, errAt("populations", "%d cores of up to %d neurons need more than 32 key bits", nSlices, maxAtoms)
	}
	id := uint32(0)
	for _, ss := range m.Slices {
		for _, s := range ss {
			s.Key, s.Mask = id<<atomBits, ^uint32(0)<<atomBits
			id++
		}
	}
	// Machine and placement.
	var placeErr error
	for _, c := range candidates(net, nCores) {
		mc, err := machine.New(c[0].(string), c[1].(int))
		if err != nil {
			return nil, errAt("machine", "%v", err)
		}
		if placeErr = place(net, mc, m.Slices); placeErr == nil {
			m.Machine = mc
			break
		}
	}
	if m.Machine == nil {
		return nil, placeErr
	}
	for _, c := range m.Machine.Chips() {
		m.Routers = append(m.Routers, router.New(c))
		m.SDRAM = append(m.SDRAM, sdram.New(c))
	}
	// Synapses grouped by (source slice, target slice).
	m.Synapses = make([]int, len(net.Projections))
	groups, err := group(net, conns, m)
	if err != nil {
		return nil, err
	}
	// Applications.
	if err := load(net, m, conns, groups); err != nil {
		return nil, err
	}
	// Routes.
	if err := route(m, groups); err != nil {
		return nil, err
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
	return m, nil
}

// place puts every slice on a core (a split slice on 1 + N cores of one
// chip): pinned populations first, then the rest in file order, filling
// chips in (x, y) order and cores 1…16.
func place(net *network.Network, mc *machine.Machine, all [][]*Slice) error {
	used := map[machine.XY][]bool{}
	free := func(c machine.XY) []int {
		u := used[c]
		if u == nil {
			u = make([]bool, machine.CoresPerChip)
			used[c] = u
		}
		var ps []int
		for _, p := range machine.AppCores() {
			if !u[p] && mc.CoreAlive(c, p) {
				ps = append(ps, p)
			}
		}
		return ps
	}
	take := func(c machine.XY, s *Slice, ps []int) {
		s.Chip, s.P = c, ps[0]
		for i := range s.SynCores {
			s.SynCores[i].P = ps[1+i]
		}
		for _, p := range ps[:s.Cores()] {
			used[c][p] = true
		}
	}
	var errs []error
	for pi, ss := range all {
		pl := net.Populations[pi].Placement
		if pl == nil {
			continue
		}
		c := machine.XY{X: pl.X, Y: pl.Y}
		path := fmt.Sprintf("populations[%d].placement", pi)
		if !mc.HasChip(c) {
			errs = append(errs, errAt(path, "chip %v is not on a %s machine of %d board(s)", c, mc.Board, mc.Boards))
			continue
		}
		for _, s := range ss {
			ps := free(c)
			if pl.HasP {
				if len(ss) > 1 || len(s.SynCores) > 0 || !slices.Contains(ps, pl.P) {
					errs = append(errs, errAt(path, "core %d of chip %v is not free for %s (%d core(s) needed)", pl.P, c, net.Populations[pi].Label, len(ss)*s.Cores()))
					break
				}
				ps = []int{pl.P}
			}
			if len(ps) < s.Cores() {
				errs = append(errs, errAt(path, "chip %v has no %d free cores left for %s", c, s.Cores(), net.Populations[pi].Label))
				break
			}
			take(c, s, ps)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	chips := mc.Chips()
	ci := 0
	for popi, ss := range all {
		if net.Populations[popi].Placement != nil {
			continue
		}
		for _, s := range ss {
			for {
				if ci == len(chips) {
					return errAt("populations", "the network needs more cores than a %s machine of %d board(s) has", mc.Board, mc.Boards)
				}
				if ps := free(chips[ci]); len(ps) >= s.Cores() {
					take(chips[ci], s, ps)
					break
				}
				ci++
			}
		}
	}
	return nil
}

// sliceOf finds the slice holding neuron i.
func sliceOf(ss []*Slice, i int) int {
	return sort.Search(len(ss), func(k int) bool { return ss[k].Hi > i })
}

// pair identifies a (source slice, target slice) pair.
type pair struct {
	srcPop, src, dstPop, dst int
}

// group sorts every connection into the rows of its target core.
func group(net *network.Network, conns [][]connectors.Synapse, m *Mapped) (map[pair][]core.SourceSynapse, error) {
	g := map[pair][]core.SourceSynapse{}
	for i := range net.Projections {
		pr := &net.Projections[i]
		prePop, postPop := net.Population(pr.Pre), net.Population(pr.Post)
		pre, post := m.Slices[prePop], m.Slices[postPop]
		kind, typ, sign := core.Static, kernels.SynExc, 1.0
		switch {
		case pr.Synapse.IsStructural():
			kind = core.Structural
			// Every slice pair gets rows, empty or not, so that rewiring
			// can form synapses from any pre neuron.
			for si := range pre {
				for di := range post {
					k := pair{prePop, si, postPop, di}
					if _, ok := g[k]; !ok {
						g[k] = []core.SourceSynapse{}
					}
				}
			}
		case pr.Synapse.Type == network.STDPMechanism:
			kind = core.Plastic
		case pr.Synapse.Type == network.Neuromodulation:
			kind = core.Neuromodulatory
		}
		switch pr.Receptor {
		case network.Inhibitory:
			typ = kernels.SynInh
		case network.Punishment:
			sign = -1
		}
		m.Synapses[i] = len(conns[i])
		for _, c := range conns[i] {
			si, di := sliceOf(pre, c.Pre), sliceOf(post, c.Post)
			k := pair{prePop, si, postPop, di}
			d := uint32(c.DelayTicks)
			if kind == core.Neuromodulatory {
				d = 1
			}
			g[k] = append(g[k], core.SourceSynapse{Row: c.Pre - pre[si].Lo, Post: c.Post - post[di].Lo,
				Kind: kind, Type: typ, Weight: sign * math.Abs(c.Weight), Delay: d, Proj: i})
		}
	}
	return g, nil
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
		return 0
	})
	return ps
}
