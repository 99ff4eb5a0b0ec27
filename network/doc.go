// Package network reads spinnsim network files (../shared/spec/network-format.md):
// a PyNN script written down as JSON. Load checks every field, reports every
// problem at once with its JSON path, fills in PyNN's defaults, and returns a
// Network that the mapping can place on a machine without further checks.
//
// Problems come back as Errors, one Problem per line ("path: message") in the
// order of the file. Malformed JSON is a single problem naming the line and
// column. Unknown keys, wrong JSON types and fractions where an integer is due
// are problems like any other; null is never a stand-in for a default.
//
// Where the spec is silent the loader does what PyNN and sPyNNaker do, or
// what the hardware needs:
//   - An integer may be written 3, 3.0 or 3e0 (its value must be whole).
//   - timestep_ms must be a whole number of microseconds (the timer counts µs),
//     duration_ms a whole number (≥ 1) of timesteps, at most 2^31−1 of them.
//   - name must not be empty, "." or "..", nor hold "/", "\" or NUL: it names
//     the output folder.
//   - machine: boards needs board; spinn-3 is a single board; at most 1,200
//     boards. Without board, Boards stays 0 (the smallest machine that fits).
//     Which board counts can be built, and whether the faults (dead_chips,
//     dead_cores with p 0–17, dead_links) name parts of the machine, is the
//     mapping's to say; faults need a board.
//   - mapping (spinnsim's own, as sPyNNaker's [Mapping] configuration):
//     compressor "pair" (default) or "ordered_covering", compress_always
//     (default false: only tables over 1023 entries are compressed).
//   - SpikeSourceArray: no spike_times means no spikes. SpikeSourcePoisson:
//     rate defaults to 1 Hz (PyNN); start and duration are single numbers.
//   - IF_curr_exp: v starts at v_rest unless initial_values sets it
//     (sPyNNaker); v_thresh > v_reset is not required (PyNN does not). An
//     initial value is a number, a list of one number per neuron, or a
//     distribution (drawn per neuron by the mapping, from the run's seed).
//   - record: "gsyn_exc" and "gsyn_inh" (neurons only) record the synaptic
//     input currents, as sPyNNaker records gsyn for IF_curr_exp.
//   - splitter: {"synapse_cores": N}, 1 ≤ N ≤ 14, neuron populations only.
//   - placement: x, y ≤ 255 (chip ids are x<<8|y) and p in 1–16 (core 0 runs
//     the monitor); whether the chip exists on the machine is the mapping's
//     to say.
//   - A projection without synapse has PyNN's default: StaticSynapse, weight
//     0, delay one timestep. connector is required.
//   - allow_self_connections is an error on OneToOne and FromList and where
//     pre and post differ (the spec offers it only where it means something).
//   - OneToOne between populations of different sizes connects the first
//     min(n_pre, n_post) neurons pairwise, as PyNN does.
//   - FixedNumberPre/Post and FixedTotalNumber without replacement may not ask
//     for more than the candidates; with replacement there must be one.
//   - FromListConnector rows are [pre, post] or [pre, post, weight, delay]
//     with whole indices in range; row weights and delays obey the synapse's
//     rules.
//   - Weight and delay rules apply to constants; what a distribution draws is
//     the connector's to handle. Uniform needs high > low, normal sigma ≥ 0;
//     normal_clipped's low and high default to -∞ and +∞, and [low, high]
//     must hold at least 1% of the distribution (draws outside are drawn
//     again).
//   - STDPMechanism needs both timing_dependence and weight_dependence.
//     A_plus and A_minus may have any sign (PyNN puts none on them).
//   - Warnings (Network.Warnings, with JSON paths; never errors): a
//     parameter far outside its physiological range, with the unit it was
//     probably typed in (cm 300: pF for nF; tau_m 0.01: s for ms; v_rest
//     -0.065: V for mV; a weight of 250: pA for nA); a weight distribution
//     that draws the sign its receptor does not take (folded to |w| as
//     sPyNNaker's synapse expander does, and the mean that gives); a delay
//     distribution that draws below one timestep (raised to one timestep,
//     as sPyNNaker does); a FromList of mixed signs on an inhibitory
//     projection (sPyNNaker refuses it).
//   - current_sources: DCSource only (PyNN's other sources are "not supported
//     yet"); PyNN's defaults amplitude 1 nA, start 0, stop never; stop ≥
//     start; inject_into names a neuron population.
//   - All plastic projections into one population (STDPMechanism and
//     StructuralMechanismSTDP) must have the same rules, and all
//     Neuromodulation projections into one population the same tau_c, tau_d,
//     w_min and w_max, as sPyNNaker requires; the order of projections in the
//     file does not matter.
//   - StructuralMechanismSTDP / StructuralMechanismStatic (structural.go):
//     sPyNNaker's defaults; partner_selection, formation (with its grid) and
//     elimination (with its threshold) are required, as are the STDP form's
//     rules. The grid's x·y must be the post population's size;
//     initial_delay is a number or [low, high], each at least one timestep.
//     One structural projection per (pre, post) pair; the structural
//     projections into one population share f_rew, s_max, initial_weight,
//     initial_delay, with_replacement and partner_selection; a
//     StructuralMechanismStatic projection shares its post population with no
//     plastic projection; such a population has one synapse core per slice.
//     Connectors whose fan-in is known (AllToAll, OneToOne, FixedNumberPre,
//     FromList) may not start a post neuron with more than s_max synapses.
//   - float_quirks (quirks.go): names from FloatQuirks, each at most once;
//     accepted in fixed too, where they change nothing (the chip has them
//     all). CheckFloatQuirks checks the command's -float-quirks.
//   - trace (trace.go), on plastic projections only: synapses a non-empty
//     list of [pre, post] indices in range (whether the connector made
//     them is the mapping's to say), every_ms a whole number of timesteps,
//     by default one.
package network
