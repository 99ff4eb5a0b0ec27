"""Turning the PyNN objects of a script into a spinnsim network file.

Labels: a network file needs unique population and projection labels, while
PyNN lets a script reuse them (the guide's ten-population script calls all its
sources "pre" and all its neurons "post"). A label used by one population is
kept; a label used by several gets the index of each use appended, in
creation order: "pre0", "pre1", … (and "_" after that until it is free, if
the script also uses such a label itself). Projections get the same
treatment; one without a label is named "<pre>→<post>" after the
populations' file labels. The same script therefore always gives the same
file, and the Poisson sources of the guide's script get the labels, and so
the random streams, of examples/ten_pops.json.
"""

import __main__
import json
import os
import re
from collections import Counter

import numpy as np
from pyNN.random import RandomDistribution

FORMAT = "spinnsim-network/1"


def unique_labels(labels):
    """Deterministic unique labels for a list that may repeat some."""
    counts = Counter(labels)
    taken = {l for l in labels if counts[l] == 1}
    seen = Counter()
    out = []
    for l in labels:
        if counts[l] == 1:
            out.append(l)
            continue
        cand = "%s%d" % (l, seen[l])
        seen[l] += 1
        while cand in taken:
            cand += "_"
        taken.add(cand)
        out.append(cand)
    return out


def _number(x):
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2 ** 53 else x


def value(v, what):
    """A number or a RandomDistribution as the network file writes it."""
    if isinstance(v, RandomDistribution):
        p = v.parameters
        if v.name == "uniform":
            return {"distribution": "uniform", "low": _number(p["low"]), "high": _number(p["high"])}
        if v.name == "normal":
            return {"distribution": "normal", "mu": _number(p["mu"]), "sigma": _number(p["sigma"])}
        if v.name == "normal_clipped":
            return {"distribution": "normal_clipped", "mu": _number(p["mu"]), "sigma": _number(p["sigma"]),
                    "low": _number(p["low"]), "high": _number(p["high"])}
        raise NotImplementedError("spinnsim: %s: the %r distribution is not supported "
                                  "(uniform, normal and normal_clipped are)" % (what, v.name))
    if callable(v):
        raise NotImplementedError("spinnsim: %s: values given as functions (distance expressions) "
                                  "are not supported" % what)
    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return _number(arr)
    flat = arr.ravel()
    if flat.size and np.all(flat == flat[0]):
        return _number(flat[0])
    raise NotImplementedError("spinnsim: %s: one value per connection is not supported; use a "
                              "number, a distribution, or a FromListConnector" % what)


def _lazy(la, what, size=None, per_neuron=False):
    """The value of a lazyarray: its number or distribution, or (per_neuron)
    a list with one number per neuron."""
    base = la.base_value
    if isinstance(base, RandomDistribution) and not la.operations:
        return value(base, what)
    if np.isscalar(base) and not la.operations:
        return _number(base)
    if size is not None:
        la.shape = (size,)
    arr = np.asarray(la.evaluate(simplify=False), dtype=float).ravel()
    if arr.size and np.all(arr == arr[0]):
        return _number(arr[0])
    if per_neuron:
        return [_number(x) for x in arr]
    raise NotImplementedError("spinnsim: %s differs between neurons; spinnsim takes one value "
                              "for the whole population" % what)


class Emitted(object):
    """A network file and the names that translate its paths back."""

    def __init__(self, doc, name, pop_labels, proj_labels, names):
        self.doc = doc
        self.name = name
        self.pop_labels = pop_labels
        self.proj_labels = proj_labels
        self.names = names

    def to_json(self):
        return dumps(self.doc) + "\n"


def dumps(doc, indent=0):
    """JSON with lists of numbers kept on one line."""
    pad = "  " * indent
    if isinstance(doc, dict):
        if not doc:
            return "{}"
        items = ['%s  %s: %s' % (pad, json.dumps(k), dumps(v, indent + 1)) for k, v in doc.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(doc, list):
        if all(not isinstance(x, (dict, list)) for x in doc) or \
                all(isinstance(x, list) and all(not isinstance(y, (dict, list)) for y in x) for x in doc):
            return json.dumps(doc, ensure_ascii=False)
        items = ["%s  %s" % (pad, dumps(v, indent + 1)) for v in doc]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(doc, ensure_ascii=False)


def network_name(state):
    name = state.options.get("name")
    if not name:
        main = getattr(__main__, "__file__", None)
        name = os.path.splitext(os.path.basename(main))[0] if main else "network"
    name = re.sub(r"[/\\\x00]", "_", name) or "network"
    return "network" if name in (".", "..") else name


def emit(state, tstop):
    """The network file for the state's populations, projections and current
    sources, run for tstop ms."""
    from .populations import Population
    pops = state.populations
    pop_labels = dict(zip(pops, unique_labels([p.label for p in pops])))
    names = {"populations": [], "projections": [], "current_sources": []}
    occ = Counter(p.label for p in pops)
    seen = Counter()
    for p in pops:
        desc = "Population %r" % p.label
        if occ[p.label] > 1:
            desc += " #%d" % seen[p.label]
            seen[p.label] += 1
        names["populations"].append(desc)

    doc = {"format": FORMAT, "name": network_name(state)}
    doc["timestep_ms"] = _number(state.dt)
    doc["duration_ms"] = _number(tstop)
    doc["seed"] = state.options.get("seed", 1)
    doc["arithmetic"] = state.options.get("arithmetic", "fixed")
    if state.options.get("float_quirks"):
        doc["float_quirks"] = list(state.options["float_quirks"])
    if state.options.get("machine"):
        doc["machine"] = state.options["machine"]
    doc["populations"] = [p._spinnsim_json(pop_labels[p]) for p in pops]

    projs = state.projections
    raw = []
    for pr in projs:
        for end in (pr.pre, pr.post):
            if not isinstance(end, Population):
                raise NotImplementedError(
                    "spinnsim: Projection %r: pre and post must be whole Populations; projections "
                    "from or to a %s are not supported" % (pr.label, type(end).__name__))
        raw.append(pr._given_label or "%s→%s" % (pop_labels[pr.pre], pop_labels[pr.post]))
    proj_labels = dict(zip(projs, unique_labels(raw)))
    occ = Counter(raw)
    seen = Counter()
    for pr, r in zip(projs, raw):
        desc = "Projection %r" % r
        if occ[r] > 1:
            desc += " #%d" % seen[r]
            seen[r] += 1
        names["projections"].append(desc)
    doc["projections"] = [pr._spinnsim_json(proj_labels[pr], pop_labels) for pr in projs]

    sources = []
    for i, (src, target) in enumerate(state.current_sources):
        v = src.values()
        d = {"type": "DCSource", "amplitude": _number(v["amplitude"]), "start": _number(v["start"])}
        if v["stop"] is not None:
            d["stop"] = _number(v["stop"])
        d["inject_into"] = pop_labels[target]
        sources.append(d)
        names["current_sources"].append("DCSource #%d into Population %r" % (i, target.label))
    if sources:
        doc["current_sources"] = sources
    return Emitted(doc, doc["name"], pop_labels, proj_labels, names)
