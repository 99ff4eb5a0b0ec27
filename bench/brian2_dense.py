#!/usr/bin/python3
"""Brian2 peer of spinnsim's dense benchmark family.

Reads the same spinnsim network file (go run ./bench/cmd/netgen writes one)
and runs it in Brian2 with the same equations, so that the two simulators
can be timed on the same network in one sitting (bench/compare.sh).

    /usr/bin/python3 bench/brian2_dense.py NET.json [--target cython|numpy]

What it accepts (anything else is refused, naming what it does not know):
SpikeSourcePoisson populations with a constant rate; SpikeSourceArray
populations with one list of spike times for every neuron; IF_curr_exp
populations, all with the same parameters; STDPMechanism projections
(SpikePairRule, AdditiveWeightDependence, FixedNumberPreConnector without
replacement, constant weight and a delay of one timestep) from a Poisson
population onto an IF_curr_exp one; Neuromodulation projections (reward or
punishment, AllToAllConnector) from a spike source.

The model is spinnsim's float arithmetic (Izhikevich 2007 as sPyNNaker
computes it), written as a Brian2 user would write it, event-driven:

  neurons   IF_curr_exp: dv/dt = (v_rest − v)/τm + (I_e − I_i + i_offset)/cm,
            dI/dt = −I/τsyn, threshold v > v_thresh, reset v_reset, τrefrac;
            the post trace o (dO/dt = −o/τ−, +1 at each spike); and the
            dopamine level D (dD/dt = −D/τd, + step at each reward spike,
            − step at each punishment) held as g = D·e^{−t/τc} together
            with Φ(t) = ∫ g ds, both exact: Φ = ψ − g·τcd, where
            1/τcd = 1/τc + 1/τd and ψ changes only at dopamine steps.
  synapses  per synapse w, the eligibility C and the pre trace r
            (dr/dt = −r/τ+, +1 at each pre spike). Between two events of a
            synapse (its pre spike, or a spike of its post neuron), C
            decays and dw/dt = C·D, so w gains C(t₀)·e^{t₀/τc}·(Φ(t) − Φ(t₀))
            exactly, whatever the dopamine did in between; the synapse keeps
            C·e^{t/τc}, constant between its events (so e^{t/τc} must fit a
            float64: about 700·τc of biological time). At a pre spike
            C −= A−·o (clamped to [w_min, w_max] of the weight rule); at a
            post spike C += A+·r (clamped); w is clamped to the
            Neuromodulation's [w_min, w_max]. The pre pathway (input and
            plasticity) is delayed by the synapse's delay, as spinnsim sees
            a pre spike at the synapse's delay relative to post events.

spinnsim updates each synapse only at its pre spikes, walking a history of
post and dopamine events (deferred, as SpiNNaker does); Brian2 updates the
synapses of a neuron at each of its post spikes too. Both compute the same
integrals; the work per post spike is Brian2's, and so is its time.

It prints one JSON object: the Brian2 version and code-generation target,
the seconds spent importing and building (setup_s), compiling (a run of
0 ms: compile_s), running the network (run_s: the simulation loop alone,
code generation cached) and the whole process (whole_s), and spike counts
per population and the mean final weight per plastic projection.
"""

import argparse
import json
import time

T_START = time.time()

import numpy as np  # noqa: E402

from brian2_common import const, if_curr_exp_params, refuse  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("net")
    ap.add_argument("--target", default="cython", choices=["cython", "numpy"])
    args = ap.parse_args()
    with open(args.net) as f:
        net = json.load(f)
    if net.get("format") != "spinnsim-network/1":
        refuse("not a spinnsim-network/1 file")

    import brian2 as b2
    from brian2 import ms, mV, nA, nF, Hz, second
    b2.prefs.codegen.target = args.target
    b2.prefs.logging.console_log_level = "WARNING"
    b2.set_device("runtime")
    b2.start_scope()

    dt_ms = float(net.get("timestep_ms", 1.0))
    b2.defaultclock.dt = dt_ms * ms
    duration_ms = float(net["duration_ms"])
    seed = int(net.get("seed", 1))
    b2.seed(seed)
    rng = np.random.default_rng(seed)

    # Populations: Poisson sources in one PoissonGroup, spike arrays in one
    # SpikeGeneratorGroup, IF_curr_exp neurons in one NeuronGroup, each
    # population a contiguous range of its group.
    src_off, arr_off, post_off = {}, {}, {}
    rates, params = [], None
    gen_i, gen_t = [], []
    n_src = n_arr = n_post = 0
    order = []
    for p in net.get("populations", []):
        lab, size, ct = p["label"], int(p["size"]), p["cell_type"]
        order.append(lab)
        par = p.get("parameters", {})
        if ct == "SpikeSourcePoisson":
            for k in par:
                if k != "rate":
                    refuse(f"population {lab}: parameter {k} is not supported")
            src_off[lab] = (n_src, size)
            rates += [const(par.get("rate", 1.0), f"{lab}.rate")] * size
            n_src += size
        elif ct == "SpikeSourceArray":
            times = par.get("spike_times", [])
            if any(isinstance(x, list) for x in times):
                refuse(f"population {lab}: only one list of spike times for every neuron")
            # spinnsim sends a spike at T ms at tick ceil(T / timestep).
            ticks = sorted({int(np.ceil(float(x) / dt_ms - 1e-9)) for x in times})
            for n in range(size):
                gen_i += [n_arr + n] * len(ticks)
                gen_t += [k * dt_ms for k in ticks]
            arr_off[lab] = (n_arr, size)
            n_arr += size
        elif ct == "IF_curr_exp":
            pp = if_curr_exp_params(lab, par)
            if params is not None and pp != params:
                refuse("every IF_curr_exp population must have the same parameters")
            params = pp
            if "initial_values" in p:
                refuse(f"population {lab}: initial_values are not supported")
            post_off[lab] = (n_post, size)
            n_post += size
        else:
            refuse(f"population {lab}: cell type {ct} is not supported")
    if not n_post or not n_src:
        refuse("the network needs Poisson sources and IF_curr_exp neurons")

    plastic, dopamine = [], []
    stdp = nm = None
    for pr in net.get("projections", []):
        lab = pr.get("label", pr["pre"] + "->" + pr["post"])
        syn = pr.get("synapse", {})
        con = pr["connector"]
        if pr["post"] not in post_off:
            refuse(f"projection {lab}: only projections onto IF_curr_exp populations are supported")
        post0, npost = post_off[pr["post"]]
        if syn.get("type") == "STDPMechanism":
            if pr["pre"] not in src_off:
                refuse(f"projection {lab}: only STDP from a Poisson population")
            pre0, npre = src_off[pr["pre"]]
            td, wd = syn["timing_dependence"], syn["weight_dependence"]
            if td.get("type") != "SpikePairRule" or wd.get("type") != "AdditiveWeightDependence":
                refuse(f"projection {lab}: only SpikePairRule with AdditiveWeightDependence")
            rule = (float(td.get("tau_plus", 20)), float(td.get("tau_minus", 20)),
                    float(td.get("A_plus", 0.01)), float(td.get("A_minus", 0.01)),
                    float(wd.get("w_min", 0)), float(wd.get("w_max", 1)))
            if stdp is not None and rule != stdp:
                refuse("every STDP projection must use the same rule")
            stdp = rule
            if pr.get("receptor_type", "excitatory") != "excitatory":
                refuse(f"projection {lab}: only excitatory STDP")
            if con.get("type") != "FixedNumberPreConnector" or con.get("with_replacement", False):
                refuse(f"projection {lab}: only FixedNumberPreConnector without replacement")
            if const(syn.get("delay", dt_ms), f"{lab}.delay") != dt_ms:
                refuse(f"projection {lab}: only a delay of one timestep")
            k = int(con["n"])
            # Each post neuron draws k distinct pre neurons.
            pick = np.argsort(rng.random((npost, npre)), axis=1)[:, :k]
            i = (pick + pre0).ravel()
            j = np.repeat(np.arange(npost) + post0, k)
            plastic.append((lab, i, j, const(syn.get("weight", 0), f"{lab}.weight")))
        elif syn.get("type") == "Neuromodulation":
            if pr["pre"] not in src_off and pr["pre"] not in arr_off:
                refuse(f"projection {lab}: only Neuromodulation from a spike source")
            pre_arr = pr["pre"] in arr_off
            pre0, npre = (arr_off if pre_arr else src_off)[pr["pre"]]
            p = (float(syn.get("tau_c", 1000)), float(syn.get("tau_d", 200)),
                 float(syn.get("w_min", 0)), float(syn.get("w_max", 1)))
            if nm is not None and p != nm:
                refuse("every Neuromodulation projection must share tau_c, tau_d, w_min, w_max")
            nm = p
            if con.get("type") != "AllToAllConnector":
                refuse(f"projection {lab}: only AllToAllConnector for Neuromodulation")
            sign = {"reward": 1.0, "punishment": -1.0}.get(pr.get("receptor_type"))
            if sign is None:
                refuse(f"projection {lab}: a Neuromodulation projection is a reward or a punishment")
            step = sign * abs(const(syn.get("weight", 0), f"{lab}.weight"))
            i = np.repeat(np.arange(npre) + pre0, npost)
            j = np.tile(np.arange(npost) + post0, npre)
            dopamine.append((pre_arr, i, j, step))
        else:
            refuse(f"projection {lab}: synapse type {syn.get('type')} is not supported")
    if stdp is None or nm is None:
        refuse("the network needs STDPMechanism and Neuromodulation projections")

    tau_plus, tau_minus, a_plus, a_minus, wr_min, wr_max = stdp
    tau_c, tau_d, nm_min, nm_max = nm
    pp = params
    ns = {
        "tau_m": pp["tau_m"] * ms, "c_m": pp["cm"] * nF, "v_rest": pp["v_rest"] * mV,
        "v_reset": pp["v_reset"] * mV, "v_thresh": pp["v_thresh"] * mV, "i_offset": pp["i_offset"] * nA,
        "tau_syn_e": pp["tau_syn_E"] * ms, "tau_syn_i": pp["tau_syn_I"] * ms,
        "tau_plus": tau_plus * ms, "tau_minus": tau_minus * ms, "a_plus": a_plus, "a_minus": a_minus,
        "wr_min": wr_min, "wr_max": wr_max, "tau_c": tau_c * ms, "tau_cd": 1 / (1 / tau_c + 1 / tau_d) * ms,
        "nm_min": nm_min, "nm_max": nm_max, "nA": nA, "ms": ms,
    }

    sources = b2.PoissonGroup(n_src, rates=np.array(rates) * Hz, name="sources")
    neurons = b2.NeuronGroup(n_post, """
        dv/dt = (v_rest - v)/tau_m + (ie - ii + i_offset)/c_m : volt (unless refractory)
        die/dt = -ie/tau_syn_e : amp
        dii/dt = -ii/tau_syn_i : amp
        dapost/dt = -apost/tau_minus : 1
        dgd/dt = -gd/tau_cd : 1
        psi : 1
        phi = psi - gd*tau_cd/ms : 1
        """, threshold="v > v_thresh", reset="v = v_reset; apost += 1",
        refractory=pp["tau_refrac"] * ms, method="exact", namespace=ns, name="neurons")
    neurons.v = pp["v_rest"] * mV

    # A synapse keeps its eligibility as ct = C·e^{t/τc}, constant between
    # its events, so that catching w up costs no exponential and the
    # pairing one: C(t) = ct·E with E = e^{−t/τc}.
    catch_up = """
        w = clip(w + ct*(phi_post - philast), nm_min, nm_max)
        philast = phi_post
        E = exp(-t/tau_c)
        """
    syn = b2.Synapses(sources, neurons, """
        w : 1
        ct : 1
        philast : 1
        dapre/dt = -apre/tau_plus : 1 (event-driven)
        """, on_pre=catch_up + """
        ct = clip(ct*E - a_minus*apost_post, wr_min, wr_max)/E
        apre += 1
        ie_post += w*nA
        """, on_post=catch_up + """
        ct = clip(ct*E + a_plus*apre, wr_min, wr_max)/E
        """, delay=dt_ms * ms, namespace=ns, name="plastic")
    pi = np.concatenate([p[1] for p in plastic])
    pj = np.concatenate([p[2] for p in plastic])
    syn.connect(i=pi, j=pj)
    syn.w = np.concatenate([np.full(len(p[1]), p[3]) for p in plastic])
    sizes = [len(p[1]) for p in plastic]

    # Dopamine: a step of D at t is a step of g = D·e^{−t/τc}, and of
    # ψ = Φ + g·τcd, which is constant between steps (dΦ/dt = g, dg/dt = −g/τcd).
    objects = [sources, neurons, syn]
    arrays = None
    if n_arr:
        arrays = b2.SpikeGeneratorGroup(n_arr, np.array(gen_i, dtype=int), np.array(gen_t) * ms, name="arrays")
        objects.append(arrays)
    for k, group in ((False, sources), (True, arrays)):
        ds = [d for d in dopamine if d[0] == k]
        if not ds:
            continue
        dopa = b2.Synapses(group, neurons, "step : 1", on_pre="""
            gd_post += step*exp(-t/tau_c)
            psi_post += step*exp(-t/tau_c)*tau_cd/ms
            """, delay=dt_ms * ms, namespace=ns, name=f"dopamine{int(k)}")
        dopa.connect(i=np.concatenate([d[1] for d in ds]), j=np.concatenate([d[2] for d in ds]))
        dopa.step = np.concatenate([np.full(len(d[1]), d[3]) for d in ds])
        objects.append(dopa)

    src_mon = b2.SpikeMonitor(sources, record=False, name="src_spikes")
    post_mon = b2.SpikeMonitor(neurons, record=False, name="post_spikes")
    objects += [src_mon, post_mon]
    arr_mon = None
    if arrays is not None:
        arr_mon = b2.SpikeMonitor(arrays, record=False, name="array_spikes")
        objects.append(arr_mon)
    network = b2.Network(*objects)
    t_built = time.time()
    network.run(0 * ms, namespace={})  # code generation and compilation (cached on disk after the first time)
    t_compiled = time.time()
    network.run(duration_ms * ms, namespace={})
    t_ran = time.time()

    out = {
        "brian2": b2.__version__, "target": args.target, "network": net.get("name", ""),
        "synapses": int(len(pi)), "ticks": int(round(duration_ms / dt_ms)),
        "setup_s": round(t_built - T_START, 3), "compile_s": round(t_compiled - t_built, 3),
        "run_s": round(t_ran - t_compiled, 3),
    }
    counts_src = np.asarray(src_mon.count)
    counts_post = np.asarray(post_mon.count)
    spikes = {}
    for lab in order:
        if lab in src_off:
            o, n = src_off[lab]
            spikes[lab] = int(counts_src[o:o + n].sum())
        elif lab in arr_off:
            o, n = arr_off[lab]
            spikes[lab] = int(np.asarray(arr_mon.count)[o:o + n].sum())
        else:
            o, n = post_off[lab]
            spikes[lab] = int(counts_post[o:o + n].sum())
    out["spikes"] = spikes
    ws = np.asarray(syn.w)
    weights, lo = {}, 0
    for (lab, _, _, _), n in zip(plastic, sizes):
        weights[lab] = round(float(ws[lo:lo + n].mean()), 6)
        lo += n
    out["mean_weight"] = weights
    out["whole_s"] = round(time.time() - T_START, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
