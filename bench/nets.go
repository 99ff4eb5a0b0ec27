package bench

import (
	"fmt"
	"strings"
)

// Dense describes a network of the dense family: P populations of N Poisson
// sources at RateHz, each driving its own population of N IF_curr_exp
// neurons through neuromodulated STDP with a fan-in of K
// (FixedNumberPreConnector), and one reward source onto every post neuron
// that spikes every RewardEveryMs from RewardEveryMs/2 on (a dopamine step
// of 0.003), the same in every simulator. The weights are 10/K nA, so that
// every K gives the post neurons the same mean input (about 16 mV above
// rest); w_max is 20/K. Over 2 s the post neurons fire at about 20 Hz and
// the rewards raise the weights by about a tenth, without saturating them.
type Dense struct {
	P, N, K       int
	RateHz        float64
	RewardEveryMs int
	DurationMs    int
	Seed          uint64
	Arithmetic    string // "fixed" (default) or "float"
	// Record lists what the post populations record (default: spikes).
	Record []string
	// RecordWeights records the plastic projections' weights.
	RecordWeights bool
}

// DefaultDense is the dense(P=10, N=1000, K=100), 2 s.
func DefaultDense(k int) Dense {
	return Dense{P: 10, N: 1000, K: k, RateHz: 20, RewardEveryMs: 500, DurationMs: 2000, Seed: 1}
}

// Name names the network by its sizes, e.g. "dense_P10_N1000_K100".
func (d Dense) Name() string { return fmt.Sprintf("dense_P%d_N%d_K%d", d.P, d.N, d.K) }

// Weight is the initial weight of a plastic synapse, nA.
func (d Dense) Weight() float64 { return 10 / float64(d.K) }

// JSON is the network file.
func (d Dense) JSON() string {
	arith := d.Arithmetic
	if arith == "" {
		arith = "fixed"
	}
	record := d.Record
	if record == nil {
		record = []string{"spikes"}
	}
	rec := `"` + strings.Join(record, `", "`) + `"`
	if len(record) == 0 {
		rec = ""
	}
	w := d.Weight()
	recW := ""
	if d.RecordWeights {
		recW = `, "record": ["weight"]`
	}
	var pops, projs []string
	var times []string
	if d.RewardEveryMs > 0 {
		for t := d.RewardEveryMs / 2; t < d.DurationMs; t += d.RewardEveryMs {
			times = append(times, fmt.Sprint(t))
		}
	}
	pops = append(pops, fmt.Sprintf(`{"label": "reward", "size": 1, "cell_type": "SpikeSourceArray", "parameters": {"spike_times": [%s]}}`, strings.Join(times, ", ")))
	for i := range d.P {
		pops = append(pops,
			fmt.Sprintf(`{"label": "stim%d", "size": %d, "cell_type": "SpikeSourcePoisson", "parameters": {"rate": %g}}`, i, d.N, d.RateHz),
			fmt.Sprintf(`{"label": "post%d", "size": %d, "cell_type": "IF_curr_exp",
     "parameters": {"cm": 0.25, "i_offset": 0.0, "tau_m": 20.0, "tau_refrac": 2.0, "tau_syn_E": 1.0,
                    "tau_syn_I": 1.0, "v_reset": -70.0, "v_rest": -65.0, "v_thresh": -50.0},
     "record": [%s]}`, i, d.N, rec))
		projs = append(projs,
			fmt.Sprintf(`{"label": "plastic%d", "pre": "stim%d", "post": "post%d",
     "connector": {"type": "FixedNumberPreConnector", "n": %d},
     "synapse": {"type": "STDPMechanism",
                 "timing_dependence": {"type": "SpikePairRule", "tau_plus": 20, "tau_minus": 20, "A_plus": %g, "A_minus": %g},
                 "weight_dependence": {"type": "AdditiveWeightDependence", "w_min": 0, "w_max": %g},
                 "weight": %g, "delay": 1.0}%s}`, i, i, i, d.K, w/10, w/10*1.2, 2*w, w, recW),
			fmt.Sprintf(`{"label": "reward%d", "pre": "reward", "post": "post%d",
     "connector": {"type": "AllToAllConnector"},
     "synapse": {"type": "Neuromodulation", "tau_c": 1000, "tau_d": 200, "weight": 0.003, "w_max": %g},
     "receptor_type": "reward"}`, i, i, 2*w))
	}
	return fmt.Sprintf(`{"format": "spinnsim-network/1", "name": %q, "timestep_ms": 1.0, "duration_ms": %d,
 "seed": %d, "arithmetic": %q,
 "populations": [
  %s],
 "projections": [
  %s]}
`, d.Name(), d.DurationMs, d.Seed, arith, strings.Join(pops, ",\n  "), strings.Join(projs, ",\n  "))
}

// IdleBoard is a SpiNN-5 board with an idle IF_curr_exp neuron on each of
// cores application cores (48 chips × 16 = 768 at most), one a core, no
// input and no spikes, run for durationMs: what driving the machine costs.
func IdleBoard(cores, durationMs int) string {
	return fmt.Sprintf(`{"format": "spinnsim-network/1", "name": "idle_board", "duration_ms": %d,
 "machine": {"board": "spinn-5", "boards": 1},
 "populations": [
  {"label": "idle", "size": %d, "cell_type": "IF_curr_exp", "max_atoms_per_core": 1}]}
`, durationMs, cores)
}
