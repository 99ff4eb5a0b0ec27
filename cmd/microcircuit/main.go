// Command microcircuit writes the cortical microcircuit of Potjans and
// Diesmann (2014, Cerebral Cortex 24:785–806) as a spinnsim network file,
// at any scale:
//
//	go run ./cmd/microcircuit [-n 1] [-k 1] [-duration 1000] [-timestep 0.1]
//	                          [-seed 1] [-record=true] [-per-core N] [-o FILE]
//
// The model: 77,169 current-based leaky integrate-and-fire neurons
// (IF_curr_exp) in eight populations, an excitatory and an inhibitory one
// in each of layers 2/3, 4, 5 and 6, connected with the paper's
// probabilities as a fixed total number of synapses per pair of populations,
// drawn with replacement (multapses), round(ln(1 − p)/ln(1 − 1/(N_pre·N_post)))
// of them: 298,880,968 at full scale. Every neuron is driven by its own
// Poisson source of K_ext × 8 Hz (K_ext = 1600, 1500, 2100, 1900, 2000,
// 1900, 2900, 2100 by population). Weights: J = 87.81 pA (0.15 mV
// post-synaptic potentials), 2J from L4E to L2/3E, −4J (g = −4) from
// inhibitory neurons, each drawn from a normal distribution with a 10%
// standard deviation, clipped to keep its sign; external inputs J.
// Delays: 1.5 ms excitatory and 0.75 ms inhibitory, with a 50% standard
// deviation, drawn normal_clipped to [one timestep, 12.8 ms] (redrawn, not
// piled up at the bounds). Neurons: C_m 250 pF, τ_m 10 ms, τ_ref 2 ms,
// τ_syn 0.5 ms, V_rest = V_reset = −65 mV, V_th −50 mV; initial membrane
// potentials normal(−58 mV, 10 mV), clipped to stay below threshold.
// Timestep 0.1 ms.
//
// Scaling, as the model's reference implementations scale it for small
// machines: -n multiplies the neuron counts; -k multiplies the in-degrees
// (synapses per neuron, including K_ext), and then weights grow by 1/√k and
// each population gets a DC input (i_offset) that restores the mean input
// of the full-scale network at its published mean rates, so that a scaled
// network keeps the full one's mean and variance of input (van Albada,
// Helias and Diesmann 2015). At -n 1 -k 1 the network is the published one.
//
// examples/microcircuit.json is this command's output with
// -n 0.02 -k 0.02 -duration 200 (1,540 neurons, about 120 thousand
// synapses; it runs in seconds); the examples' tests check that it still
// is.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
)

// Population names, sizes and external in-degrees (Potjans and Diesmann
// 2014, Table 5).
var (
	names = [8]string{"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"}
	sizes = [8]int{20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948}
	kExt  = [8]float64{1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100}
	// Mean rates (Hz) of the full-scale network, by which the DC input of a
	// scaled network makes up for the in-degrees it lost.
	fullRates = [8]float64{0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829}
)

// prob[target][source] is the connection probability (Table 5).
var prob = [8][8]float64{
	{0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0},
	{0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0},
	{0.0077, 0.0059, 0.0497, 0.1350, 0.0067, 0.0003, 0.0453, 0.0},
	{0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0},
	{0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0},
	{0.0548, 0.0269, 0.0257, 0.0022, 0.0600, 0.3158, 0.0086, 0.0},
	{0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
	{0.0364, 0.0010, 0.0034, 0.0005, 0.0277, 0.0080, 0.0658, 0.1443},
}

// The model's constants.
const (
	jPA       = 87.81 // PSC amplitude, pA
	g         = -4.0  // relative inhibitory strength
	bgRateHz  = 8.0   // rate of each external input
	weightSD  = 0.1   // relative standard deviation of weights
	delayExc  = 1.5   // ms
	delayInh  = 0.75  // ms
	delaySD   = 0.5   // relative standard deviation of delays
	maxDelay  = 12.8  // ms, the upper clip of the delays
	cmNF      = 0.25  // nF
	tauSynMs  = 0.5   // ms
	v0Mean    = -58.0 // mV
	v0SD      = 10.0  // mV
	vThreshMV = -50.0 // mV
)

// Params are the generator's choices.
type Params struct {
	N, K       float64 // neuron and in-degree scaling
	DurationMs float64
	TimestepMs float64
	Seed       uint64
	Record     bool // record every neuron's spikes
	// PerCore, when > 0, sets max_atoms_per_core on every population (64
	// reproduces sPyNNaker's microcircuit, which sets it for neurons and
	// Poisson sources alike).
	PerCore int
	// SynapseCores, when > 0, splits every population into a neuron core
	// and that many synapse cores a slice; the Poisson background then
	// reaches the neuron cores through SDRAM (direct Poisson), not as
	// packets.
	SynapseCores int
}

// totalSynapses is the number of synapses from a population of nPre onto
// one of nPost neurons with connection probability p, as the model counts
// them.
func totalSynapses(p float64, nPre, nPost int) float64 {
	if p == 0 {
		return 0
	}
	return math.Log(1-p) / math.Log(1-1/(float64(nPre)*float64(nPost)))
}

// Network builds the network file's JSON object.
func Network(pr Params) map[string]any {
	var scaled [8]int
	for i, n := range sizes {
		scaled[i] = max(1, int(math.Round(float64(n)*pr.N)))
	}
	sqrtK := math.Sqrt(pr.K)
	// The mean input each population would get from the full network, and
	// the DC that makes up for what scaling the in-degrees takes away.
	var dcNA [8]float64
	for t := range 8 {
		rec := 0.0
		for s := range 8 {
			w := weightPA(t, s)
			indegree := totalSynapses(prob[t][s], sizes[s], sizes[t]) / float64(sizes[t])
			rec += w * indegree * fullRates[s]
		}
		ext := jPA * kExt[t] * bgRateHz
		dcNA[t] = 0.001 * tauSynMs * (1 - sqrtK) * (rec + ext) / 1000 // pA·ms·Hz → pA, then nA
	}
	var pops, projs []any
	for i, name := range names {
		params := map[string]any{"cm": cmNF, "tau_m": 10.0, "tau_refrac": 2.0, "tau_syn_E": tauSynMs, "tau_syn_I": tauSynMs,
			"v_rest": -65.0, "v_reset": -65.0, "v_thresh": vThreshMV, "i_offset": round(dcNA[i], 9)}
		p := map[string]any{"label": name, "size": scaled[i], "cell_type": "IF_curr_exp", "parameters": params,
			"initial_values": map[string]any{"v": map[string]any{"distribution": "normal_clipped", "mu": v0Mean, "sigma": v0SD,
				"high": vThreshMV}}}
		if pr.Record {
			p["record"] = []string{"spikes"}
		}
		if pr.PerCore > 0 {
			p["max_atoms_per_core"] = pr.PerCore
		}
		if pr.SynapseCores > 0 {
			p["splitter"] = map[string]any{"synapse_cores": pr.SynapseCores}
		}
		pops = append(pops, p)
	}
	for i, name := range names {
		in := map[string]any{"label": name + "_input", "size": scaled[i], "cell_type": "SpikeSourcePoisson",
			"parameters": map[string]any{"rate": round(bgRateHz*kExt[i]*pr.K, 9)}}
		if pr.PerCore > 0 {
			in["max_atoms_per_core"] = pr.PerCore
		}
		pops = append(pops, in)
		projs = append(projs, map[string]any{"label": name + "_input->" + name, "pre": name + "_input", "post": name,
			"connector": map[string]any{"type": "OneToOneConnector"},
			"synapse":   map[string]any{"type": "StaticSynapse", "weight": round(jPA/sqrtK/1000, 9)}})
	}
	for t := range 8 {
		for s := range 8 {
			n := math.Round(totalSynapses(prob[t][s], sizes[s], sizes[t]) / float64(sizes[t]) * pr.K * float64(scaled[t]))
			if n == 0 {
				continue
			}
			w := math.Abs(weightPA(t, s)) / sqrtK / 1000
			d, receptor := delayExc, "excitatory"
			if s%2 == 1 {
				d, receptor = delayInh, "inhibitory"
			}
			projs = append(projs, map[string]any{"label": names[s] + "->" + names[t], "pre": names[s], "post": names[t],
				"connector": map[string]any{"type": "FixedTotalNumberConnector", "n": int(n), "with_replacement": true},
				"synapse": map[string]any{"type": "StaticSynapse",
					"weight": map[string]any{"distribution": "normal_clipped", "mu": round(w, 9), "sigma": round(w*weightSD, 9), "low": 0.0},
					"delay": map[string]any{"distribution": "normal_clipped", "mu": d, "sigma": d * delaySD,
						"low": pr.TimestepMs, "high": maxDelay}},
				"receptor_type": receptor})
		}
	}
	name := "microcircuit"
	if pr.N != 1 || pr.K != 1 {
		name = fmt.Sprintf("microcircuit_n%g_k%g", pr.N, pr.K)
	}
	return map[string]any{"format": "spinnsim-network/1", "name": name, "timestep_ms": pr.TimestepMs,
		"duration_ms": pr.DurationMs, "seed": pr.Seed, "populations": pops, "projections": projs}
}

// weightPA is the mean PSC from source population s onto target t, pA.
func weightPA(t, s int) float64 {
	switch {
	case s%2 == 1:
		return g * jPA
	case s == 2 && t == 0: // L4E → L2/3E
		return 2 * jPA
	}
	return jPA
}

// round keeps d decimals, so the file holds readable numbers.
func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// Write writes the network file, one population or projection a line.
func Write(w io.Writer, pr Params) error {
	net := Network(pr)
	line := func(v any) string {
		b, _ := json.Marshal(v) // maps of numbers and strings always marshal
		return string(b)
	}
	fmt.Fprintf(w, "{\n  \"format\": %s,\n  \"name\": %s,\n  \"timestep_ms\": %s,\n  \"duration_ms\": %s,\n  \"seed\": %d,\n",
		line(net["format"]), line(net["name"]), line(net["timestep_ms"]), line(net["duration_ms"]), pr.Seed)
	for _, k := range []string{"populations", "projections"} {
		fmt.Fprintf(w, "  %q: [\n", k)
		items := net[k].([]any)
		for i, it := range items {
			sep := ","
			if i == len(items)-1 {
				sep = ""
			}
			fmt.Fprintf(w, "    %s%s\n", line(it), sep)
		}
		end := "],"
		if k == "projections" {
			end = "]"
		}
		fmt.Fprintf(w, "  %s\n", end)
	}
	_, err := fmt.Fprintln(w, "}")
	return err
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("microcircuit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var pr Params
	var out string
	fs.Float64Var(&pr.N, "n", 1, "neuron scaling: the fraction of each population's neurons")
	fs.Float64Var(&pr.K, "k", 1, "in-degree scaling: the fraction of each neuron's synapses (weights grow by 1/√k, a DC input keeps the mean)")
	fs.Float64Var(&pr.DurationMs, "duration", 1000, "simulated time, ms")
	fs.Float64Var(&pr.TimestepMs, "timestep", 0.1, "timestep, ms")
	fs.Uint64Var(&pr.Seed, "seed", 1, "random seed")
	fs.BoolVar(&pr.Record, "record", true, "record every neuron's spikes")
	fs.IntVar(&pr.SynapseCores, "synapse-cores", 0, "split every population into a neuron core and N synapse cores a slice (the Poisson background then goes through SDRAM: direct Poisson); 0: combined cores")
	fs.IntVar(&pr.PerCore, "per-core", 0, "neurons a core for every population (max_atoms_per_core; 64 is sPyNNaker's microcircuit setting; 0: spinnsim chooses)")
	fs.StringVar(&out, "o", "", "write the network to FILE (default: standard output)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if !(pr.N > 0 && pr.N <= 1) || !(pr.K > 0 && pr.K <= 1) {
		fmt.Fprintln(stderr, "microcircuit: -n and -k must be in (0, 1]")
		return 2
	}
	if !(pr.DurationMs > 0) || !(pr.TimestepMs > 0) || pr.TimestepMs > delayInh {
		fmt.Fprintln(stderr, "microcircuit: -duration must be > 0 and -timestep in (0, 0.75] ms")
		return 2
	}
	w := stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			fmt.Fprintf(stderr, "microcircuit: %v\n", err)
			return 1
		}
		defer f.Close()
		w = f
	}
	if err := Write(w, pr); err != nil {
		fmt.Fprintf(stderr, "microcircuit: %v\n", err)
		return 1
	}
	return 0
}
