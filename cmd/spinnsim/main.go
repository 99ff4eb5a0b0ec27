// Command spinnsim runs a PyNN-style network file on an emulated SpiNNaker
// machine and writes what it recorded.
//
//	spinnsim -net FILE [-out DIR] [-arith fixed|float] [-seed N] [-force]
//	         [-partial] [-cpuprofile FILE] [-memprofile FILE]
//	         [-log-level LEVEL] [-quiet] [-driver actors|sequential]
//	         [-map-only] [-report DIR] [-compressor pair|ordered_covering]
//	         [-compress-always] [-float-quirks a,b] [-fault SPEC]
//	spinnsim -h | -version
//
// The output folder (default spinnsim-out/<base name of FILE>/) is written
// atomically: it appears, or is replaced, only once every file in it is
// complete. A folder that holds another network's results is refused
// unless -force is given.
//
// Ctrl-C (SIGINT) or SIGTERM stops the run at the next tick boundary (the
// actor driver's: the end of its 64-tick window) and writes nothing, or,
// with -partial, writes what ran, marked partial; a second Ctrl-C exits at
// once.
//
// -map-only maps the network (places, keys and routes it, estimating what
// every core needs) without generating a synapse or running, and writes the
// resource report (package report) to -report DIR, by default beside the
// output folder (spinnsim-out/<name>-report/).
//
// Exit status: 0 on success, 2 for bad input (flags, the network file, a
// network that does not fit the machine, an output folder that cannot be
// used), 1 when the run itself fails, 130 when it was interrupted.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/term"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/report"
	"github.com/spinnsim/spinnsim/sim"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1
	exitBadInput    = 2
	exitInterrupted = 130 // 128 + SIGINT, as shells report a Ctrl-C
)

func main() {
	ctx, stop := notifyInterrupt(os.Stderr, os.Exit)
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr,
		tty: term.IsTerminal(int(os.Stderr.Fd()))})
	stop()
	os.Exit(code)
}

// notifyInterrupt returns a context cancelled by the first SIGINT or
// SIGTERM, which the drivers and the output writer stop at; the second one
// calls exit(130) at once. stop undoes it.
func notifyInterrupt(stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			fmt.Fprintf(stderr, "\nspinnsim: %v: stopping at the next tick boundary (again to quit at once)\n", s)
			cancel(fmt.Errorf("%v", s))
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			fmt.Fprintf(stderr, "\nspinnsim: %v again: quitting at once\n", s)
			exit(exitInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

const usageHead = `spinnsim runs a PyNN-style network (a JSON network file) on an emulated
SpiNNaker machine, the way sPyNNaker runs it on a board, and writes what it
recorded: summary.json, spikes.csv, v.csv, weights.csv, provenance.json,
raster.png, and traces.csv and traces.png for traced synapses. The network
file, the flags and every output are described in docs/network-format.md in
spinnsim's repository.

Usage:
  spinnsim -net FILE [flags]
  spinnsim -h | -version

What a network file can hold (PyNN's and sPyNNaker's names):
  cells       IF_curr_exp, SpikeSourceArray, SpikeSourcePoisson; DCSource
  synapses    StaticSynapse; STDPMechanism (SpikePairRule or
              SpikeNearestPairRule x Additive or Multiplicative weights):
              plain STDP, or neuromodulated with a Neuromodulation
              (reward/punishment) projection; StructuralMechanismSTDP and
              StructuralMechanismStatic (rewiring)
  splitter    "splitter": {"synapse_cores": N} runs a population as a neuron
              core and N synapse cores exchanging input through SDRAM, as
              sPyNNaker's SplitterAbstractPopulationVertexNeuronsSynapses
  record      spikes, v, gsyn_exc, gsyn_inh, rewiring; weights per projection

The output folder is written atomically: it appears, or replaces the
previous one, only when every file in it is complete. Ctrl-C stops the run
at the next tick (with the actors, at the end of the 64-tick window they
run) and writes nothing (or, with -partial, what ran); a second Ctrl-C
quits at once.

-map-only maps a network without running it (no synapse is generated, so
it takes seconds whatever the network's size) and writes a resource
report: machine use, per core the DTCM, ITCM and SDRAM needed and
available, placements, keys and the routing tables before and after
compression.

Exit status: 0 done, 1 the run failed, 2 bad input, 130 interrupted.

Flags:
`

// env is what a run of the command sees of the world, and the seams its
// tests use to interrupt it at a chosen point.
type env struct {
	stdout, stderr io.Writer
	tty            bool              // stderr is a terminal: show a progress bar
	onTick         func(t uint32)    // when not nil, called after every tick
	onWritten      func(file string) // when not nil, called as each output file is complete
}

// options are the command's flags.
type options struct {
	net, out, arith, seed  string
	quirks                 string
	cpuprofile, memprofile string
	logLevel, driver       string
	quiet, force, partial  bool
	recordingMiB           int64
	version                bool
	mapOnly, compressAll   bool
	report, compressor     string
	faults                 network.Faults // from -fault
}

func newFlags(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("spinnsim", flag.ContinueOnError)
	fs.StringVar(&o.net, "net", "", "the network `FILE` to run (JSON, see docs/network-format.md)")
	fs.StringVar(&o.out, "out", "", "output folder `DIR` (default spinnsim-out/<base name of the network file>)")
	fs.StringVar(&o.arith, "arith", "", "arithmetic, `fixed|float`: SpiNNaker's fixed point (bit-exact) or float64; default: the file's")
	fs.StringVar(&o.seed, "seed", "", "random seed `N`, a non-negative integer; default: the file's")
	fs.StringVar(&o.quirks, "float-quirks", "", "chip behaviours to switch on in float, comma-separated `QUIRKS` ("+strings.Join(network.FloatQuirks, ", ")+"), or none; default: the file's float_quirks")
	fs.BoolVar(&o.force, "force", false, "replace the output folder even if it holds another network's results")
	fs.BoolVar(&o.partial, "partial", false, "when interrupted, write the outputs of the ticks that ran, marked partial in summary.json")
	fs.Func("fault", "inject a hardware fault, `SPEC`: link:X,Y,DIRECTION:FRACTION drops that fraction of the packets sent on a link (DIRECTION east, north_east, north, west, south_west or south), router:X,Y:FRACTION of those arriving at a router, core:X,Y,P@MS kills a core at that time; repeatable, added to the file's faults",
		func(spec string) error { return parseFault(spec, &o.faults) })
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (read it with go tool pprof)")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a heap profile at the end of the run to `FILE`")
	fs.StringVar(&o.logLevel, "log-level", "warn", "log `LEVEL` on stderr: debug, info, warn or error")
	fs.StringVar(&o.driver, "driver", "actors", "how the machine runs, `actors|sequential`: one protoactor actor per core and router, or all on one goroutine")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the final weights: no progress bar, no summary")
	fs.BoolVar(&o.mapOnly, "map-only", false, "map the network (place, key, route, estimate every core's memory) without generating a synapse or running, and write the resource report")
	fs.StringVar(&o.report, "report", "", "write the resource report (machine use, per-core memory, placements, keys, routing tables) to `DIR` (default with -map-only: <output folder>-report)")
	fs.StringVar(&o.compressor, "compressor", "", "routing-table compressor, `pair|ordered_covering`; default: the file's (pair)")
	fs.BoolVar(&o.compressAll, "compress-always", false, "compress every routing table, not only those with more than 1023 entries")
	fs.Int64Var(&o.recordingMiB, "recording-buffer", sim.DefaultRecordingBuffer>>20, "host memory in `MiB` for the recorded v and gsyn samples; a run that records more keeps them in a temporary file in the output folder's parent until the outputs are written")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	return fs
}

// run is main without the process: it returns the exit status. ctx being
// done interrupts the run (see notifyInterrupt).
func run(ctx context.Context, args []string, e env) int {
	var o options
	fs := newFlags(&o)
	fs.SetOutput(e.stderr) // parse errors
	fs.Usage = func() {}   // -h is answered below, on stdout
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fmt.Fprint(e.stdout, usageHead)
			fs.PrintDefaults()
			return exitOK
		}
		fmt.Fprintln(e.stderr, "run spinnsim -h for help")
		return exitBadInput
	}
	if o.version {
		bi, ok := debug.ReadBuildInfo()
		fmt.Fprintln(e.stdout, versionText(bi, ok))
		return exitOK
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "spinnsim: "+format+"\n", a...)
		return exitBadInput
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q (the network file goes after -net)", fs.Arg(0))
	}
	if o.net == "" {
		return bad("-net is required (run spinnsim -h for help)")
	}
	var level zapcore.Level
	if err := level.Set(o.logLevel); err != nil {
		return bad("-log-level: %v", err)
	}
	var driver sim.Driver
	switch o.driver {
	case "actors":
		driver = actors.Driver{}
	case "sequential":
		driver = sim.Sequential{}
	default:
		return bad("-driver: %q is neither actors nor sequential", o.driver)
	}
	if o.recordingMiB < 1 || o.recordingMiB > 1<<30 {
		return bad("-recording-buffer: %d MiB is not from 1 to %d", o.recordingMiB, 1<<30)
	}
	log := newLogger(e.stderr, level)
	defer log.Sync() //nolint:errcheck

	// Each phase says when it starts (at info), so that a long build is
	// never silent, and its time goes into summary.json.
	timings := &output.Timings{}
	phase := time.Now()
	lap := func() float64 {
		now := time.Now()
		s := now.Sub(phase).Seconds()
		phase = now
		return s
	}
	log.Info("loading the network", zap.String("file", o.net))
	data, err := os.ReadFile(o.net)
	if err != nil {
		return bad("%v", err)
	}
	net, err := network.Parse(data, fileStem(o.net))
	if err != nil {
		return bad("%s:\n%v", o.net, indent(err))
	}
	for _, w := range net.Warnings {
		fmt.Fprintf(e.stderr, "spinnsim: warning: %s: %v\n", o.net, w)
	}
	switch o.arith {
	case "":
	case network.ArithmeticFixed, network.ArithmeticFloat:
		net.Arithmetic = o.arith
	default:
		return bad("-arith: %q is neither fixed nor float", o.arith)
	}
	quirksSet := false
	fs.Visit(func(f *flag.Flag) { quirksSet = quirksSet || f.Name == "float-quirks" })
	if quirksSet {
		var qs []string
		for _, q := range strings.Split(o.quirks, ",") {
			if q = strings.TrimSpace(q); q != "" && q != "none" {
				qs = append(qs, q)
			}
		}
		if errs := network.CheckFloatQuirks(qs); errs != nil {
			msgs := make([]string, len(errs))
			for i, p := range errs {
				msgs[i] = p.Msg
			}
			return bad("-float-quirks: %s", strings.Join(msgs, "; "))
		}
		net.FloatQuirks = qs
	}
	if o.seed != "" {
		s, err := strconv.ParseUint(o.seed, 10, 64)
		if err != nil {
			return bad("-seed: %q is not a non-negative integer", o.seed)
		}
		net.Seed = s
	}
	if len(o.faults.Drops)+len(o.faults.Kills) > 0 {
		if net.Faults == nil {
			net.Faults = &network.Faults{}
		}
		net.Faults.Drops = append(net.Faults.Drops, o.faults.Drops...)
		net.Faults.Kills = append(net.Faults.Kills, o.faults.Kills...)
	}
	src := source(o.net, data)
	if o.out == "" {
		o.out = defaultOut(o.net, net.Name)
	}
	timings.Load = lap()
	log.Info("network loaded; generating the connections and mapping", zap.String("file", o.net), zap.String("name", net.Name),
		zap.Int("populations", len(net.Populations)), zap.Int("projections", len(net.Projections)),
		zap.String("arithmetic", net.Arithmetic), zap.Uint64("seed", net.Seed), zap.Float64("load_s", timings.Load))

	switch o.compressor {
	case "", network.CompressorPair, network.CompressorOrderedCovering:
	default:
		return bad("-compressor: %q is neither pair nor ordered_covering", o.compressor)
	}
	// Loading holds every synapse twice for a while (the mapping's copy and
	// the cores' rows) and allocates little else: a tight GC target keeps the
	// peak low (dense K=1000, 10 M synapses: 350 MB at 25%, about 400 MB at
	// 50%, 480 MB at Go's default 100%) for a few percent more time
	// (bench/README.md). The run itself allocates nothing per tick.
	gc := debug.SetGCPercent(25)
	m, err := mapping.MapWith(net, mapping.Options{MapOnly: o.mapOnly, Compressor: o.compressor, CompressAlways: o.compressAll,
		RecordingBuffer: o.recordingMiB << 20})
	debug.SetGCPercent(gc)
	if err != nil {
		return bad("%s: the network cannot be mapped:\n%v", o.net, indent(err))
	}
	timings.Generate = m.GenerateSeconds
	timings.Map = max(0, lap()-m.GenerateSeconds)
	for _, n := range m.Notes {
		log.Info(n)
	}
	if o.mapOnly && o.report == "" {
		o.report = o.out + "-report"
	}
	if o.report != "" {
		if err := report.Write(o.report, m); err != nil {
			fmt.Fprintf(e.stderr, "spinnsim: %v\n", err)
			return exitFailed
		}
	}
	if o.mapOnly {
		if !o.quiet {
			fmt.Fprint(e.stdout, report.Summary(m, report.Cores(m)))
			fmt.Fprintf(e.stdout, "\nReport written to %s\n", o.report)
		}
		return exitOK
	}
	log.Info("mapped", zap.String("board", m.Machine.Board), zap.Int("boards", m.Machine.Boards),
		zap.Int("cores", len(m.Cores)), zap.Float64("generate_s", timings.Generate), zap.Float64("map_s", timings.Map))

	// The output folder must be usable before the run starts.
	if msg := checkOut(o.out, src, net.Name, o.force); msg != "" {
		return bad("%s", msg)
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return bad("-cpuprofile: %v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return bad("-cpuprofile: %v", err)
		}
	}
	spool := filepath.Dir(filepath.Clean(o.out)) // beside the output folder
	rec := sim.NewRecording(m, o.recordingMiB<<20, spool)
	defer rec.Close()
	if n := rec.TicksPerExtraction(); n > 0 {
		log.Info("the recorded samples exceed -recording-buffer: they go to a temporary file every few ticks",
			zap.Int("ticks", n), zap.String("folder", spool))
	}
	log.Info("running", zap.Uint32("ticks", m.Clock.Ticks), zap.String("driver", o.driver))
	if o.driver == "actors" && log.Core().Enabled(zap.InfoLevel) {
		stages := sim.Plan(m)
		ahead, lock := 0, 0
		for _, st := range stages {
			if st.Lockstep {
				lock += len(st.Cores)
			} else {
				ahead += len(st.Cores)
			}
		}
		log.Info("the actors run windows of ticks stage by stage", zap.Int("window_ticks", sim.MaxRunAhead),
			zap.Int("stages", len(stages)), zap.Int("cores_ahead", ahead), zap.Int("cores_in_lockstep", lock))
	}
	start := time.Now()
	phase = start
	prog := newProgress(e.stderr, e.tty && !o.quiet, m.Clock.Ticks, net.TimestepMs, start)
	// A spool that cannot be written stops the run at once.
	runCtx, stopRun := context.WithCancelCause(ctx)
	defer stopRun(nil)
	err = driver.Run(runCtx, m, func(t uint32) {
		if rec.AfterTick(t); rec.Err() != nil {
			stopRun(rec.Err())
		}
		prog.tick(t)
		if e.onTick != nil {
			e.onTick(t)
		}
	})
	wall := lap()
	timings.Run = wall
	prog.finish()
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if rec.Err() != nil {
		fmt.Fprintf(e.stderr, "spinnsim: the run failed: its recorded samples: %v; nothing written (%s is as it was)\n", rec.Err(), o.out)
		return exitFailed
	}
	var stopped *sim.Interrupted
	if errors.As(err, &stopped) && !o.partial {
		fmt.Fprintf(e.stderr, "spinnsim: interrupted at tick %d of %d; nothing written (%s is as it was)\n",
			stopped.Tick, stopped.Ticks, o.out)
		return exitInterrupted
	}
	if err != nil && stopped == nil {
		fmt.Fprintf(e.stderr, "spinnsim: the run failed: %v\n", err)
		return exitFailed
	}
	if o.memprofile != "" {
		if err := writeHeap(o.memprofile); err != nil {
			fmt.Fprintf(e.stderr, "spinnsim: -memprofile: %v\n", err)
			return exitFailed
		}
	}
	log.Info("run finished; writing the outputs", zap.Float64("run_s", wall), zap.String("out", o.out))
	lap()

	res, err := rec.Results(wall)
	if err != nil {
		fmt.Fprintf(e.stderr, "spinnsim: the run failed: its recorded samples: %v; nothing written (%s is as it was)\n", err, o.out)
		return exitFailed
	}
	res.Source = src
	res.Timings = timings
	wctx := ctx
	if o.partial {
		// What was asked for on an interrupt is what we have: write it, and
		// let only a second Ctrl-C stop the writing.
		wctx = context.WithoutCancel(ctx)
	}
	if stopped != nil {
		res.Partial, res.Ticks, res.PlannedTicks = true, int(stopped.Tick), int(stopped.Ticks)
	}
	err = output.Writer{Written: e.onWritten}.Write(wctx, o.out, res)
	log.Info("outputs written", zap.Float64("write_s", lap()))
	switch {
	case err != nil && wctx.Err() != nil && errors.Is(err, wctx.Err()):
		fmt.Fprintf(e.stderr, "spinnsim: interrupted while writing the outputs; nothing written (%s is as it was)\n", o.out)
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(e.stderr, "spinnsim: %v\n", err)
		return exitFailed
	case stopped != nil:
		fmt.Fprintf(e.stderr, "spinnsim: interrupted at tick %d of %d; partial outputs written to %s and marked partial\n",
			stopped.Tick, stopped.Ticks, o.out)
		return exitInterrupted
	}
	for _, l := range output.FinalWeightLines(res, o.out) {
		fmt.Fprintln(e.stdout, l)
	}
	if !o.quiet {
		fmt.Fprint(e.stdout, output.SummaryText(res, o.out))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "spinnsim: warning: %s\n", strings.ReplaceAll(w, "\n", "\n  "))
	}
	return exitOK
}

// parseFault reads a -fault SPEC into f.
func parseFault(spec string, f *network.Faults) error {
	kind, rest, ok := strings.Cut(spec, ":")
	if !ok {
		return fmt.Errorf("%q: want link:X,Y,DIRECTION:FRACTION, router:X,Y:FRACTION or core:X,Y,P@MS", spec)
	}
	ints := func(s string, n int) ([]int, error) {
		parts := strings.Split(s, ",")
		if len(parts) != n {
			return nil, fmt.Errorf("%q: want %d numbers separated by commas", s, n)
		}
		var out []int
		for _, p := range parts {
			v, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || v < 0 {
				return nil, fmt.Errorf("%q is not a non-negative integer", p)
			}
			out = append(out, v)
		}
		return out, nil
	}
	fraction := func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return 0, fmt.Errorf("fraction %q must be a number from 0 to 1", s)
		}
		return v, nil
	}
	path := "-fault " + spec
	switch kind {
	case "link":
		at, fr, ok := strings.Cut(rest, ":")
		parts := strings.Split(at, ",")
		if !ok || len(parts) != 3 || !slices.Contains(network.LinkNames, parts[2]) {
			return fmt.Errorf("%q: want link:X,Y,DIRECTION:FRACTION with DIRECTION one of %s", spec, strings.Join(network.LinkNames, ", "))
		}
		xy, err := ints(parts[0]+","+parts[1], 2)
		if err != nil {
			return err
		}
		v, err := fraction(fr)
		if err != nil {
			return err
		}
		f.Drops = append(f.Drops, network.PacketDrop{X: xy[0], Y: xy[1], Link: parts[2], Fraction: v, Path: path})
	case "router":
		at, fr, ok := strings.Cut(rest, ":")
		if !ok {
			return fmt.Errorf("%q: want router:X,Y:FRACTION", spec)
		}
		xy, err := ints(at, 2)
		if err != nil {
			return err
		}
		v, err := fraction(fr)
		if err != nil {
			return err
		}
		f.Drops = append(f.Drops, network.PacketDrop{X: xy[0], Y: xy[1], Fraction: v, Path: path})
	case "core":
		at, ms, ok := strings.Cut(rest, "@")
		if !ok {
			return fmt.Errorf("%q: want core:X,Y,P@MS", spec)
		}
		xyp, err := ints(at, 3)
		if err != nil {
			return err
		}
		t, err := strconv.ParseFloat(ms, 64)
		if err != nil || t < 0 {
			return fmt.Errorf("time %q must be a non-negative number of ms", ms)
		}
		f.Kills = append(f.Kills, network.CoreKill{X: xyp[0], Y: xyp[1], P: xyp[2], AtMs: t, Path: path})
	default:
		return fmt.Errorf("%q: unknown fault %q (link, router or core)", spec, kind)
	}
	return nil
}

// fileStem is a file's base name without its extension.
func fileStem(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// defaultOut is the default output folder: spinnsim-out/ and the network
// file's base name without its extension, so that a copy of a network
// writes beside its original and not over it. A file named so that its
// stem cannot name a folder (".json") falls back to the network's name.
func defaultOut(netFile, name string) string {
	stem := fileStem(netFile)
	if stem == "" || stem == "." || stem == ".." {
		stem = name
	}
	return filepath.Join("spinnsim-out", stem)
}

// source identifies the network file for summary.json.
func source(path string, data []byte) *output.Source {
	sum := sha256.Sum256(data)
	s := &output.Source{Path: path, SHA256: hex.EncodeToString(sum[:])}
	if abs, err := filepath.Abs(path); err == nil {
		s.Path = abs
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			s.Path = real
		}
	}
	return s
}

// checkOut says what is wrong with out as the output folder of the network
// src (named name), or "". The folder may not exist yet; its parent is made
// and must be writable. Unless force, a folder whose summary.json names
// another network (or cannot be read) is refused, and so is a folder that
// holds other things but no summary.json.
func checkOut(out string, src *output.Source, name string, force bool) string {
	dir, err := output.Target(out)
	if err != nil {
		return "-out: " + strings.TrimPrefix(err.Error(), "output: ")
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Sprintf("-out: cannot make %s: %v", parent, err)
	}
	f, err := os.CreateTemp(parent, ".spinnsim-check-*")
	if err != nil {
		return fmt.Sprintf("-out: cannot write in %s (the output folder is made there): %v", parent, err)
	}
	f.Close()
	os.Remove(f.Name())
	if force {
		return ""
	}
	prev, err := output.ReadPrevious(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// No summary: a folder that does not exist or is empty is fine; one
		// with other things in it is not an output folder (a typo for -out
		// could name a home folder), and spinnsim replaces folders whole.
		if es, err := os.ReadDir(dir); err == nil && len(es) > 0 {
			return fmt.Sprintf("-out: %s is not empty and holds no spinnsim results (no summary.json)\n  spinnsim replaces the whole folder, keeping what is not its own; use -force to write there anyway, or -out to choose another", out)
		}
		return ""
	case err != nil:
		return fmt.Sprintf("-out: %v\n  spinnsim replaces the whole folder; use -force to replace it anyway, or -out to choose another", err)
	}
	if prev.Source != nil {
		if prev.Source.Same(src) {
			return ""
		}
		return fmt.Sprintf("-out: %s holds the results of another network, %s\n  use -out to choose another folder, or -force to replace them", out, prev.Source.Path)
	}
	if prev.Name == name {
		return ""
	}
	return fmt.Sprintf("-out: %s holds the results of another network, %q\n  use -out to choose another folder, or -force to replace them", out, prev.Name)
}

// versionText is what -version prints: the module version, the VCS
// revision and time when the build recorded them, and the Go version.
func versionText(bi *debug.BuildInfo, ok bool) string {
	var b strings.Builder
	b.WriteString("spinnsim")
	version := "(unknown)"
	if ok && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	b.WriteString(" " + version)
	if ok {
		var rev, when string
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" {
			b.WriteString(", revision " + rev)
			if modified {
				b.WriteString(" (modified)")
			}
			if when != "" {
				b.WriteString(" of " + when)
			}
		}
	}
	fmt.Fprintf(&b, ", %s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return b.String()
}

func indent(err error) string {
	return "  " + strings.ReplaceAll(err.Error(), "\n", "\n  ")
}

func newLogger(w io.Writer, level zapcore.Level) *zap.Logger {
	enc := zap.NewDevelopmentEncoderConfig()
	enc.TimeKey = ""
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.AddSync(w), level)
	return zap.New(core)
}

func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// progress shows a progress bar on a terminal once a run has taken more than
// a second.
type progress struct {
	w     io.Writer
	on    bool
	ticks uint32
	hMs   float64
	start time.Time
	last  time.Time // the last update of the bar
	bar   *progressbar.ProgressBar
}

func newProgress(w io.Writer, on bool, ticks uint32, hMs float64, start time.Time) *progress {
	return &progress{w: w, on: on, ticks: ticks, hMs: hMs, start: start}
}

func (p *progress) tick(t uint32) {
	if !p.on || t%64 != 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	if p.bar == nil {
		if now.Sub(p.start) < time.Second {
			return
		}
		p.bar = progressbar.NewOptions(int(p.ticks), progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowCount(), progressbar.OptionSetItsString("ticks"),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionClearOnFinish())
	}
	p.bar.Describe(progressText(t+1, p.ticks, p.hMs, now.Sub(p.start)))
	p.bar.Set(int(t) + 1) //nolint:errcheck
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish() //nolint:errcheck
	}
}

// progressText describes a run that has done done of total ticks of hMs
// each in elapsed wall time: its speed against real time and the time left
// at that speed, e.g. "simulating, 0.05× real time, 3m20s left".
func progressText(done, total uint32, hMs float64, elapsed time.Duration) string {
	if done == 0 || elapsed <= 0 {
		return "simulating"
	}
	speed := float64(done) * hMs / 1000 / elapsed.Seconds()
	left := time.Duration(float64(elapsed) * float64(total-min(done, total)) / float64(done))
	return "simulating, " + speedText(speed) + " real time, " + leftText(left) + " left"
}

// speedText writes a ratio to real time with two significant digits below
// 10 ("0.05×", "0.0012×", "2.5×") and none after the point above ("120×").
func speedText(x float64) string {
	switch {
	case !(x > 0) || math.IsInf(x, 0):
		return "0×"
	case x >= 10:
		return strconv.FormatFloat(x, 'f', 0, 64) + "×"
	}
	decimals := max(1, 1-int(math.Floor(math.Log10(x))))
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "×"
}

// leftText writes a time left: "<1s", "45s", "3m20s", "2h05m".
func leftText(d time.Duration) string {
	if d >= time.Hour-30*time.Second {
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Second:
		return "<1s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}
