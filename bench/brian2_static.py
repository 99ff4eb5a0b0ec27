#!/usr/bin/python3
"""Brian2 peer of spinnsim for networks of static synapses.

Reads a spinnsim network file of IF_curr_exp populations, Poisson sources
and static projections (the cortical microcircuit that
go run ./cmd/microcircuit writes, among others) and runs it in Brian2, so
that the two simulators can be timed on the same network in one sitting
(bench/compare.sh picks this peer for any file without plastic synapses).

    /usr/bin/python3 bench/brian2_static.py NET.json [--target cython|numpy|cpp_standalone]

With cpp_standalone, Brian2 writes, compiles (g++) and runs a C++ program
of the whole simulation; run_s is then the simulation loop inside that
program, as Brian2 itself times it.

What it accepts (anything else is refused, naming what it does not know:
current sources and faults among others): IF_curr_exp populations (each
with its own constant parameters, and an initial v that is a constant or a
distribution); SpikeSourcePoisson populations with a constant rate;
StaticSynapse projections onto an IF_curr_exp population, excitatory or
inhibitory, through OneToOneConnector, AllToAllConnector,
FixedProbabilityConnector or FixedTotalNumberConnector, with weights and
delays that are constants or distributions (uniform, normal,
normal_clipped).

It is written as a Brian2 user would write the network:

  neurons   one NeuronGroup for every IF_curr_exp neuron, the parameters of
            each population on its range: dv/dt = (v_rest − v)/τm +
            (I_e − I_i + i_offset)/cm, dI/dt = −I/τsyn, threshold
            v ≥ v_thresh (as spinnsim's), reset v_reset, τrefrac,
            integrated exactly (Brian2's "exact" method; where a τsyn
            equals τm, which its solution divides by, "exponential_euler",
            which holds the currents over a step as spinnsim's update does).
  synapses  one Synapses object for the excitatory projections between
            IF_curr_exp populations and one for the inhibitory ones, each
            with per-synapse weights (nA) and delays (rounded to whole
            timesteps, half to even, at least one, as spinnsim rounds
            them: d · (1000 / timestep in µs)).
  Poisson   a Poisson source whose only projection joins it one to one to
            a population, as the microcircuit's background is, becomes a
            PoissonInput at the source's rate (Brian2's own tool for it: a
            binomial draw a neuron a step, no spike events), as spinnsim
            with split cores merges it into the neuron core (direct
            Poisson). Any other Poisson source is one PoissonGroup, shared
            by all its projections (so that they see the same trains, as
            spinnsim's targets do), each through Synapses.

The connections are drawn with numpy from the file's seed, with the same
distributions as spinnsim draws them, not the same numbers: the same
network statistically, with the same amount of work.

It prints one JSON object: the Brian2 version and code-generation target,
the number of synapses, the seconds spent importing and building
(setup_s), compiling (a run of 0 ms, or the C++ build: compile_s), running
the network (run_s: the simulation loop alone, code generation cached;
program_s: with the standalone program's loading and writing) and the
whole process (whole_s), and the mean rate (Hz) of each IF_curr_exp
population.
"""

import argparse
import json
import time

T_START = time.time()

import numpy as np  # noqa: E402

from brian2_common import const, if_curr_exp_params, refuse  # noqa: E402

# Top-level keys that do not change the network's dynamics, or that this
# peer reads itself; current_sources and faults, for instance, are refused.
TOP_LEVEL = ("format", "name", "timestep_ms", "duration_ms", "seed", "arithmetic", "float_quirks",
             "machine", "mapping", "populations", "projections")
CONNECTORS = ("OneToOneConnector", "AllToAllConnector", "FixedProbabilityConnector",
              "FixedTotalNumberConnector")



def draw(rng, x, n, what):
    """n values of x: a constant, or a distribution as spinnsim reads it."""
    if isinstance(x, (int, float)):
        return np.full(n, float(x))
    if not isinstance(x, dict):
        refuse(f"{what}: {x!r} is neither a number nor a distribution")
    kind = x.get("distribution")
    if kind == "uniform":
        return rng.uniform(float(x["low"]), float(x["high"]), n)
    if kind == "normal":
        return rng.normal(float(x["mu"]), float(x["sigma"]), n)
    if kind == "normal_clipped":
        # PyNN's: draws outside [low, high] are drawn again.
        mu, sigma = float(x["mu"]), float(x["sigma"])
        lo, hi = float(x.get("low", -np.inf)), float(x.get("high", np.inf))
        out = rng.normal(mu, sigma, n)
        bad = (out < lo) | (out > hi)
        while bad.any():
            out[bad] = rng.normal(mu, sigma, int(bad.sum()))
            bad = (out < lo) | (out > hi)
        return out
    refuse(f"{what}: distribution {kind!r} is not supported")


def connect(rng, con, npre, npost, same, lab):
    """The (pre, post) index pairs of a connector."""
    kind = con.get("type")
    self_ok = con.get("allow_self_connections", True) or not same
    if kind == "OneToOneConnector":
        n = min(npre, npost)
        return np.arange(n), np.arange(n)
    if kind == "AllToAllConnector":
        i, j = np.repeat(np.arange(npre), npost), np.tile(np.arange(npost), npre)
    elif kind == "FixedProbabilityConnector":
        p = float(con["p_connect"])
        i, j = np.nonzero(rng.random((npre, npost)) < p)
    elif kind == "FixedTotalNumberConnector":
        n = int(con["n"])
        if con.get("with_replacement", False):
            i, j = rng.integers(0, npre, n), rng.integers(0, npost, n)
            if not self_ok:
                bad = i == j
                while bad.any():
                    i[bad], j[bad] = rng.integers(0, npre, int(bad.sum())), rng.integers(0, npost, int(bad.sum()))
                    bad = i == j
            return i, j
        cells = npre * npost - (0 if self_ok else min(npre, npost))
        if n > cells:
            refuse(f"projection {lab}: n = {n} without replacement, but there are only {cells} pairs")
        cells = npre * npost
        if not self_ok:
            # Skip the diagonal: draw among the npre·npost − n cells off it.
            k = rng.choice(cells - min(npre, npost), n, replace=False)
            i, j = k // (npost - 1), k % (npost - 1)
            j = j + (j >= i)
            return i, j
        k = rng.choice(cells, n, replace=False)
        return k // npost, k % npost
    else:
        refuse(f"projection {lab}: connector {kind} is not supported (only {', '.join(CONNECTORS)})")
    if not self_ok:
        keep = i != j
        i, j = i[keep], j[keep]
    return i, j


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("net")
    ap.add_argument("--target", default="cython", choices=["cython", "numpy", "cpp_standalone"])
    args = ap.parse_args()
    with open(args.net) as f:
        net = json.load(f)
    if net.get("format") != "spinnsim-network/1":
        refuse("not a spinnsim-network/1 file")
    for k in net:
        if k not in TOP_LEVEL:
            refuse(f"{k} is not supported")

    dt_ms = float(net.get("timestep_ms", 1.0))
    duration_ms = float(net["duration_ms"])
    seed = int(net.get("seed", 1))
    rng = np.random.default_rng(seed)

    # Populations: IF_curr_exp neurons in one NeuronGroup, each population a
    # contiguous range; Poisson sources kept by label.
    pops, sources, order = {}, {}, []
    n_neurons = 0
    for p in net.get("populations", []):
        lab, size, ct = p["label"], int(p["size"]), p["cell_type"]
        par = p.get("parameters", {})
        if ct == "SpikeSourcePoisson":
            for k in par:
                if k != "rate":
                    refuse(f"population {lab}: parameter {k} is not supported")
            sources[lab] = (size, const(par.get("rate", 1.0), f"{lab}.rate"))
        elif ct == "IF_curr_exp":
            pp = if_curr_exp_params(lab, par)
            iv = p.get("initial_values", {})
            for k in iv:
                if k != "v":
                    refuse(f"population {lab}: initial value {k} is not supported")
            v0 = draw(rng, iv["v"], size, f"{lab}.initial_values.v") if "v" in iv else np.full(size, pp["v_rest"])
            pops[lab] = (n_neurons, size, pp, v0)
            order.append(lab)
            n_neurons += size
        else:
            refuse(f"population {lab}: cell type {ct} is not supported")
    if not n_neurons:
        refuse("the network has no IF_curr_exp population")

    # Projections. A Poisson source with one projection, one to one, is a
    # PoissonInput; any other is one PoissonGroup shared by its projections.
    uses = {}
    for pr in net.get("projections", []):
        uses[pr["pre"]] = uses.get(pr["pre"], 0) + 1
    syn = {"excitatory": ([], [], [], []), "inhibitory": ([], [], [], [])}
    background = []  # (population, receptor, rate, weight) as PoissonInput
    from_sources = []  # (source, receptor, i, j, w, d) through a PoissonGroup
    for pr in net.get("projections", []):
        lab = pr.get("label", pr["pre"] + "->" + pr["post"])
        s = pr.get("synapse", {})
        if s.get("type", "StaticSynapse") != "StaticSynapse":
            refuse(f"projection {lab}: synapse type {s.get('type')} is not supported (only StaticSynapse)")
        for k in s:
            if k not in ("type", "weight", "delay"):
                refuse(f"projection {lab}: synapse key {k} is not supported")
        if pr["post"] not in pops:
            refuse(f"projection {lab}: only projections onto IF_curr_exp populations are supported")
        rec = pr.get("receptor_type", "excitatory")
        if rec not in syn:
            refuse(f"projection {lab}: receptor {rec} is not supported")
        con = pr["connector"]
        post0, npost = pops[pr["post"]][:2]
        if pr["pre"] in sources:
            npre, rate = sources[pr["pre"]]
            w = s.get("weight", 0.0)
            if (uses[pr["pre"]] == 1 and con.get("type") == "OneToOneConnector" and npre == npost
                    and isinstance(w, (int, float))):
                background.append((pr["post"], rec, rate, abs(float(w))))
                continue
            i, j = connect(rng, con, npre, npost, False, lab)
            from_sources.append((pr["pre"], rec, i, j + post0,
                                 np.abs(draw(rng, w, len(i), f"{lab}.weight")),
                                 draw(rng, s.get("delay", dt_ms), len(i), f"{lab}.delay")))
            continue
        if pr["pre"] not in pops:
            refuse(f"projection {lab}: population {pr['pre']} is not known")
        pre0, npre = pops[pr["pre"]][:2]
        i, j = connect(rng, con, npre, npost, pr["pre"] == pr["post"], lab)
        n = len(i)
        ii, jj, ww, dd = syn[rec]
        ii.append(i + pre0)
        jj.append(j + post0)
        ww.append(np.abs(draw(rng, s.get("weight", 0.0), n, f"{lab}.weight")))
        dd.append(draw(rng, s.get("delay", dt_ms), n, f"{lab}.delay"))

    import brian2 as b2
    from brian2 import ms, mV, nA, nF, Hz
    b2.prefs.logging.console_log_level = "WARNING"
    standalone = args.target == "cpp_standalone"
    if standalone:
        import atexit
        import shutil
        import tempfile
        build_dir = tempfile.mkdtemp(prefix="brian2_static_")
        atexit.register(shutil.rmtree, build_dir, ignore_errors=True)  # also on an error
        b2.set_device("cpp_standalone", build_on_run=False, directory=build_dir)
    else:
        b2.prefs.codegen.target = args.target
        b2.set_device("runtime")
    b2.start_scope()
    b2.defaultclock.dt = dt_ms * ms
    b2.seed(seed)

    def column(key):
        return np.concatenate([np.full(pops[lab][1], pops[lab][2][key]) for lab in order])

    # Brian2's exact solution divides by τm − τsyn.
    same_tau = any(pops[lab][2]["tau_m"] in (pops[lab][2]["tau_syn_E"], pops[lab][2]["tau_syn_I"]) for lab in order)
    method = "exponential_euler" if same_tau else "exact"

    neurons = b2.NeuronGroup(n_neurons, """
        dv/dt = (v_rest - v)/tau_m + (ie - ii + i_offset)/c_m : volt (unless refractory)
        die/dt = -ie/tau_syn_e : amp
        dii/dt = -ii/tau_syn_i : amp
        v_rest : volt (constant)
        v_reset : volt (constant)
        v_thresh : volt (constant)
        tau_m : second (constant)
        tau_syn_e : second (constant)
        tau_syn_i : second (constant)
        c_m : farad (constant)
        i_offset : amp (constant)
        t_ref : second (constant)
        """, threshold="v >= v_thresh", reset="v = v_reset", refractory="t_ref",
        method=method, name="neurons")
    neurons.v_rest = column("v_rest") * mV
    neurons.v_reset = column("v_reset") * mV
    neurons.v_thresh = column("v_thresh") * mV
    neurons.tau_m = column("tau_m") * ms
    neurons.tau_syn_e = column("tau_syn_E") * ms
    neurons.tau_syn_i = column("tau_syn_I") * ms
    neurons.c_m = column("cm") * nF
    neurons.i_offset = column("i_offset") * nA
    neurons.t_ref = column("tau_refrac") * ms
    neurons.v = np.concatenate([pops[lab][3] for lab in order]) * mV

    # spinnsim's rounding: d times the steps per ms, 1000 / the timestep in
    # µs (dividing by the timestep rounds 0.15 ms at 0.1 ms to 1 tick, not 2).
    us = round(dt_ms * 1000)
    steps_per_ms = 1000 / us if us >= 1 and abs(us - dt_ms * 1000) <= 1e-9 * us else 1 / dt_ms

    def ticks(d):
        return np.maximum(1, np.rint(d * steps_per_ms)) * dt_ms

    objects = [neurons]
    n_syn = 0
    for rec, var in (("excitatory", "ie"), ("inhibitory", "ii")):
        ii, jj, ww, dd = syn[rec]
        if not ii:
            continue
        S = b2.Synapses(neurons, neurons, "w : amp (constant)", on_pre=f"{var}_post += w", name=rec)
        S.connect(i=np.concatenate(ii), j=np.concatenate(jj))
        S.w = np.concatenate(ww) * nA
        S.delay = ticks(np.concatenate(dd)) * ms
        n_syn += len(S)
        objects.append(S)
    for lab, rec, rate, w in background:
        o, n = pops[lab][:2]
        var = "ie" if rec == "excitatory" else "ii"
        # A source at rate r is as many sources of rate r/m as make each
        # draw's probability small: Poisson, as a SpiNNaker source is, not
        # one Bernoulli draw a step (whose variance is 13 % lower at the
        # microcircuit's 0.128 spikes a step).
        m = max(1, int(np.ceil(rate * dt_ms / 1000 / 0.001)))
        objects.append(b2.PoissonInput(neurons[o:o + n], var, N=m, rate=rate / m * Hz, weight=f"{w}*nA"))
        n_syn += n
    groups = {}
    for k, (src, rec, i, j, w, d) in enumerate(from_sources):
        if src not in groups:
            size, rate = sources[src]
            groups[src] = b2.PoissonGroup(size, rates=rate * Hz, name=f"source{len(groups)}")
            objects.append(groups[src])
        g = groups[src]
        var = "ie" if rec == "excitatory" else "ii"
        S = b2.Synapses(g, neurons, "w : amp (constant)", on_pre=f"{var}_post += w", name=f"from_source{k}")
        S.connect(i=i, j=j)
        S.w = w * nA
        S.delay = ticks(d) * ms
        n_syn += len(S)
        objects.append(S)
    mon = b2.SpikeMonitor(neurons, record=False, name="spikes")
    objects.append(mon)
    network = b2.Network(*objects)
    t_built = time.time()
    if standalone:
        network.run(duration_ms * ms, namespace={})
        b2.device.build(directory=build_dir, compile=True, run=False, with_output=False)
        t_compiled = time.time()
        b2.device.run(build_dir, with_output=False, run_args=[])
        t_ran = time.time()
        run_s = b2.device._last_run_time  # the loop alone, as the program times it
    else:
        network.run(0 * ms, namespace={})  # code generation and compilation (cached on disk after the first time)
        t_compiled = time.time()
        network.run(duration_ms * ms, namespace={})
        t_ran = time.time()
        run_s = t_ran - t_compiled

    counts = np.asarray(mon.count)
    rates = {}
    for lab in order:
        o, n = pops[lab][:2]
        rates[lab] = round(float(counts[o:o + n].sum()) / n / (duration_ms / 1000), 3)
    out = {
        "brian2": b2.__version__, "target": args.target, "network": net.get("name", ""),
        "neurons": n_neurons, "synapses": int(n_syn), "ticks": int(round(duration_ms / dt_ms)),
        "setup_s": round(t_built - T_START, 3), "compile_s": round(t_compiled - t_built, 3),
        "run_s": round(run_s, 3), "program_s": round(t_ran - t_compiled, 3), "rate_hz": rates,
        "whole_s": round(time.time() - T_START, 3),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
