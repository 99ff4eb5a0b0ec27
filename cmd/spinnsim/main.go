// Command spinnsim runs a PyNN-style network file on an emulated SpiNNaker
// machine and writes what it recorded.
//
//	spinnsim -net examples/ten_pops.json [-out DIR] [-arith fixed|float] [-seed N]
//	         [-float-quirks a,b] [-cpuprofile FILE] [-memprofile FILE] [-log-level info] [-quiet]
//	         [-driver actors|sequential]
//
// Exit status: 0 on success, 2 for bad input (flags, the network file, a
// network that does not fit the machine), 1 when the run itself fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/term"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/sim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, term.IsTerminal(int(os.Stderr.Fd()))))
}

const usage = `spinnsim runs a PyNN-style network (a JSON network file) on an emulated
SpiNNaker machine, the way sPyNNaker runs it on a board, and writes what it
recorded: summary.json, spikes.csv, v.csv, weights.csv, provenance.json,
raster.png, and traces.csv and traces.png for traced synapses. The network
file, the flags and every output are described in docs/network-format.md in
spinnsim's repository.

Usage:
  spinnsim -net FILE [flags]

Flags:
`

type options struct {
	net, out, arith, seed  string
	quirks                 string
	cpuprofile, memprofile string
	logLevel, driver       string
	quiet                  bool
}

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer, tty bool) int {
	var o options
	fs := flag.NewFlagSet("spinnsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.net, "net", "", "the network file to run (JSON, see docs/network-format.md)")
	fs.StringVar(&o.out, "out", "", "output folder (default ./spinnsim-out/<network name>)")
	fs.StringVar(&o.arith, "arith", "", "arithmetic: fixed (SpiNNaker's fixed point, bit-exact) or float (float64 reference); default: the file's")
	fs.StringVar(&o.seed, "seed", "", "random seed (a non-negative integer); default: the file's")
	fs.StringVar(&o.quirks, "float-quirks", "", "chip behaviours to switch on in float, comma-separated ("+strings.Join(network.FloatQuirks, ", ")+"), or none; default: the file's float_quirks")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to FILE (read it with go tool pprof)")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a heap profile at the end of the run to FILE")
	fs.StringVar(&o.logLevel, "log-level", "warn", "log level on stderr: debug, info, warn or error")
	fs.StringVar(&o.driver, "driver", "actors", "how the machine runs: actors (one protoactor actor per core and router) or sequential (one goroutine)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the final weights: no progress bar, no summary")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "spinnsim: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q (the network file goes after -net)", fs.Arg(0))
	}
	if o.net == "" {
		fs.Usage()
		return bad("-net is required")
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
	log := newLogger(stderr, level)
	defer log.Sync() //nolint:errcheck

	net, err := network.Load(o.net)
	if err != nil {
		return bad("%s:\n%v", o.net, indent(err))
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
	if o.out == "" {
		o.out = filepath.Join("spinnsim-out", net.Name)
	}
	log.Info("network loaded", zap.String("file", o.net), zap.String("name", net.Name),
		zap.Int("populations", len(net.Populations)), zap.Int("projections", len(net.Projections)),
		zap.String("arithmetic", net.Arithmetic), zap.Uint64("seed", net.Seed))

	m, err := mapping.Map(net)
	if err != nil {
		return bad("%s: the network cannot be mapped:\n%v", o.net, indent(err))
	}
	log.Info("mapped", zap.String("board", m.Machine.Board), zap.Int("boards", m.Machine.Boards),
		zap.Int("cores", len(m.Cores)), zap.Uint32("ticks", m.Clock.Ticks), zap.String("driver", o.driver))

	// The output folder must be writable before the run starts.
	if err := checkWritable(o.out); err != nil {
		return bad("-out: %v", err)
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
	start := time.Now()
	prog := newProgress(stderr, tty && !o.quiet, m.Clock.Ticks, net.TimestepMs, start)
	err = driver.Run(context.Background(), m, prog.tick)
	wall := time.Since(start).Seconds()
	prog.finish()
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintf(stderr, "spinnsim: the run failed: %v\n", err)
		return 1
	}
	log.Info("run finished", zap.Float64("wall_seconds", wall))
	if o.memprofile != "" {
		if err := writeHeap(o.memprofile); err != nil {
			fmt.Fprintf(stderr, "spinnsim: -memprofile: %v\n", err)
			return 1
		}
	}

	res := sim.Results(m, wall)
	if err := output.Write(o.out, res); err != nil {
		fmt.Fprintf(stderr, "spinnsim: %v\n", err)
		return 1
	}
	for _, l := range output.FinalWeightLines(res) {
		fmt.Fprintln(stdout, l)
	}
	if !o.quiet {
		fmt.Fprint(stdout, output.SummaryText(res, o.out))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "spinnsim: warning: %s\n", strings.ReplaceAll(w, "\n", "\n  "))
	}
	return 0
}

// checkWritable makes the folder and checks a file can be written in it.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".spinnsim-check-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
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
	speed := float64(t+1) * p.hMs / 1000 / now.Sub(p.start).Seconds()
	p.bar.Describe(fmt.Sprintf("simulating, %.0f× real time", speed))
	p.bar.Set(int(t) + 1) //nolint:errcheck
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish() //nolint:errcheck
	}
}
