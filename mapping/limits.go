package mapping

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/spinnsim/spinnsim/kernels"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
)

// Limits of what one host run keeps in memory. A SpiNN-5 board holds about
// 200 thousand neurons and tens of millions of synapses; these limits are
// the emulator's, not the machine's, and say so when they are hit.
const (
	MaxNeurons = 5_000_000
	// MaxRecordedV is the number of membrane-potential samples (neurons that
	// record v × ticks) a population may record: v.csv holds a row of about
	// 30 bytes for each, so 6 GB at the limit. (The samples themselves take
	// at most the recording buffer of host memory; the rest waits in a
	// file, see sim.Recording.)
	MaxRecordedV = 200_000_000
	// MaxLUTEntries bounds an exponential lookup table: 16 KiB of DTCM.
	MaxLUTEntries = 8192
	// MaxConcentration is the largest dopamine step an s4.11 half-word holds.
	MaxConcentration = 16.0
)

// checkLimits rejects, before anything is built, networks that would not
// fit the host or a core, from the file alone: recorded samples, neurons,
// lookup tables, dopamine steps, the board count, and (for a run) the host
// memory its synapses would take.
func checkLimits(net *network.Network, opt Options) error {
	var ps problems
	neurons := 0.0
	for i := range net.Populations {
		p := &net.Populations[i]
		neurons += float64(p.Size)
		if p.RecordV && float64(p.Size)*float64(net.Ticks()) > MaxRecordedV {
			ps.add("recorded v", fmt.Sprintf("populations[%d].record", i),
				"recording v of %d neurons for %d ticks makes %.3g samples, more than the %d spinnsim writes (v.csv would take about %.0f GB)", p.Size, net.Ticks(), float64(p.Size)*float64(net.Ticks()), MaxRecordedV, 30*float64(p.Size)*float64(net.Ticks())/1e9)
		}
	}
	if neurons > MaxNeurons {
		ps.add("neurons", "populations", "%.0f neurons in all, more than the %d spinnsim runs", neurons, MaxNeurons)
	}
	for i := range net.Projections {
		pr := &net.Projections[i]
		path := fmt.Sprintf("projections[%d]", i)
		s := &pr.Synapse
		lut := func(field string, tau float64, shift uint32) {
			if n := kernels.ExpLUTSize(tau, net.TimestepMs, shift); n > MaxLUTEntries {
				ps.add("lookup table", path+".synapse."+field,
					"%v ms needs an exponential table of %.3g entries, more than a core keeps (%d)", tau, n, MaxLUTEntries)
			}
		}
		switch s.Type {
		case network.STDPMechanism:
			lut("timing_dependence.tau_plus", s.Timing.TauPlus, 0)
			lut("timing_dependence.tau_minus", s.Timing.TauMinus, 0)
		case network.Neuromodulation:
			lut("tau_c", s.TauC, kernels.TauCShift)
			lut("tau_d", s.TauD, kernels.TauDShift)
			if s.Weight.IsConstant() && math.Abs(s.Weight.Const) >= MaxConcentration {
				ps.add("dopamine step", path+".synapse.weight",
					"a dopamine step of %v does not fit SpiNNaker's s4.11 (it must be below %v)", s.Weight.Const, MaxConcentration)
			}
		}
	}
	if m := net.Machine; m.Board == network.BoardSpiNN5 && !machine.BuildableBoards(m.Boards) {
		_, err := machine.New(m.Board, m.Boards)
		ps.add("boards", "machine.boards", "%v", strings.TrimPrefix(err.Error(), "machine: "))
	}
	return ps.err()
}

// checkHost refuses a run whose synapses and recordings would not fit the
// host's memory (the estimate is the report's "host memory for a run"),
// with atoms neurons a core (nil: before they are planned). A map-only run
// needs no such memory.
func checkHost(net *network.Network, st *stats, atoms []int, opt Options) error {
	if opt.MapOnly {
		return nil
	}
	limit := opt.MaxHostBytes
	if limit == 0 {
		limit = hostMemory()
	}
	need := hostBytes(net, st, atoms, opt.RecordingBuffer)
	if limit <= 0 || need <= float64(limit) {
		return nil
	}
	synapses, biggest, at := 0.0, 0.0, -1
	for i, s := range st.proj {
		synapses += s.expected
		if s.expected > biggest {
			biggest, at = s.expected, i
		}
	}
	msg := fmt.Sprintf("about %.3g synapses in all would take about %.3g GB of host memory to load (%d bytes a synapse and %d a row of a synaptic matrix), more than the %.3g GB this host has",
		synapses, need/1e9, hostBytesPerSynapse, hostBytesPerRow, float64(limit)/1e9)
	if at >= 0 {
		msg += fmt.Sprintf("; the biggest projection is %q (about %.3g synapses); -map-only maps it without generating a synapse",
			net.Projections[at].Label, biggest)
	}
	return &Error{Path: "projections", Msg: msg}
}

// problems collects the problems of a mapping step and reports one line per
// kind of problem: a kind found in many places (a DTCM overflow in 40
// populations, tables too big on 75 chips) gives its first few places and
// how many more, not a line each.
type problems struct {
	kinds []string
	by    map[string][]error
}

// maxPerKind is how many places of one kind of problem are written out.
const maxPerKind = 3

func (p *problems) add(kind, path, format string, a ...any) {
	p.addErr(kind, errAt(path, format, a...))
}

func (p *problems) addErr(kind string, err error) {
	if err == nil {
		return
	}
	if p.by == nil {
		p.by = map[string][]error{}
	}
	if _, ok := p.by[kind]; !ok {
		p.kinds = append(p.kinds, kind)
	}
	p.by[kind] = append(p.by[kind], err)
}

// err joins the problems, kind by kind in the order first met.
func (p *problems) err() error {
	var out []error
	for _, k := range p.kinds {
		es := p.by[k]
		if len(es) <= maxPerKind+1 {
			out = append(out, es...)
			continue
		}
		out = append(out, es[:maxPerKind]...)
		var paths []string
		for _, e := range es[maxPerKind:] {
			var me *Error
			if errors.As(e, &me) {
				paths = append(paths, me.Path)
			}
		}
		more := fmt.Sprintf("… and %d more like these", len(es)-maxPerKind)
		if len(paths) > 0 {
			if len(paths) > 8 {
				paths = append(paths[:8], "…")
			}
			more += " (" + strings.Join(paths, ", ") + ")"
		}
		out = append(out, errors.New(more))
	}
	return errors.Join(out...)
}
