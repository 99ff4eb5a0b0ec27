// Command netgen writes the benchmark networks as network files.
//
//	go run ./bench/cmd/netgen -dense -P 10 -N 1000 -K 100 > dense.json
//	go run ./bench/cmd/netgen -idle -cores 768 -ms 10000 > idle.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/spinnsim/spinnsim/bench"
)

func main() {
	d := bench.DefaultDense(100)
	idle := flag.Bool("idle", false, "write the idle SpiNN-5 board")
	flag.Bool("dense", true, "write a network of the dense family (the default)")
	cores := flag.Int("cores", 768, "idle board: application cores used")
	flag.IntVar(&d.P, "P", d.P, "dense: populations")
	flag.IntVar(&d.N, "N", d.N, "dense: neurons a population")
	flag.IntVar(&d.K, "K", d.K, "dense: fan-in")
	flag.IntVar(&d.DurationMs, "ms", d.DurationMs, "duration, ms")
	flag.Uint64Var(&d.Seed, "seed", d.Seed, "seed")
	flag.BoolVar(&d.RecordWeights, "weights", false, "dense: record the plastic weights")
	flag.StringVar(&d.Arithmetic, "arith", "fixed", "dense: fixed or float")
	flag.Parse()
	if *idle {
		fmt.Print(bench.IdleBoard(*cores, d.DurationMs))
		return
	}
	if d.P < 1 || d.N < 1 || d.K < 1 || d.K > d.N {
		fmt.Fprintln(os.Stderr, "netgen: need P, N ≥ 1 and 1 ≤ K ≤ N")
		os.Exit(2)
	}
	fmt.Print(d.JSON())
}
