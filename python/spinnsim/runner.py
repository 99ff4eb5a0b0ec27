"""Writing the network file, running spinnsim, reading its outputs back."""

import csv
import json
import os
import subprocess
import sys
from collections import defaultdict

import numpy as np

from . import binary
from .errors import from_stderr
from .network import emit


class Results(object):
    """What one spinnsim run left in its output folder."""

    def __init__(self, out, emitted):
        self.out = out
        self.labels = emitted.pop_labels  # Population → label in the files
        self.proj_labels = emitted.proj_labels  # Projection → label in the files
        with open(os.path.join(out, "summary.json")) as f:
            self.summary = json.load(f)
        self._spikes = None
        self._signals = {}
        self._weights = None

    def spikes(self, label):
        """{neuron index: array of spike times (ms)} of one population."""
        if self._spikes is None:
            self._spikes = defaultdict(lambda: defaultdict(list))
            path = os.path.join(self.out, "spikes.csv")
            if os.path.exists(path):
                with open(path, newline="") as f:
                    rows = csv.reader(f)
                    next(rows)
                    for pop, neuron, t in rows:
                        self._spikes[pop][int(neuron)].append(float(t))
        return {n: np.array(ts) for n, ts in self._spikes.get(label, {}).items()}

    def signal(self, variable, label, size):
        """An array (samples × neurons) of a recorded variable, one sample per
        tick, or None when the population did not record it."""
        if variable not in self._signals:
            per_pop = defaultdict(lambda: defaultdict(list))
            path = os.path.join(self.out, variable + ".csv")
            if os.path.exists(path):
                with open(path, newline="") as f:
                    rows = csv.reader(f)
                    next(rows)
                    for pop, neuron, _t, value in rows:
                        per_pop[pop][int(neuron)].append(float(value))
            self._signals[variable] = per_pop
        neurons = self._signals[variable].get(label)
        if not neurons:
            return None
        n_samples = max(len(v) for v in neurons.values())
        arr = np.full((n_samples, size), np.nan)
        for n, vals in neurons.items():
            arr[:len(vals), n] = vals
        return arr

    def weights(self, label):
        """[(pre, post, weight, delay)] of one projection, sorted as spinnsim writes them."""
        if self._weights is None:
            self._weights = defaultdict(list)
            path = os.path.join(self.out, "weights.csv")
            if os.path.exists(path):
                with open(path, newline="") as f:
                    rows = csv.reader(f)
                    next(rows)
                    for proj, pre, post, w, d in rows:
                        self._weights[proj].append((int(pre), int(post), float(w), float(d)))
        return self._weights.get(label, [])


def run(state, tstop):
    """Run the network from 0 to tstop ms and return its Results."""
    emitted = emit(state, tstop)
    text = emitted.to_json()
    keep = os.environ.get("SPINNSIM_WRITE_NETWORK")
    if keep:
        with open(keep, "w") as f:
            f.write(text)
    work = state.new_workdir()
    net = os.path.join(work, emitted.name + ".json")
    with open(net, "w") as f:
        f.write(text)
    out = os.path.join(work, "out")
    exe = binary.find()
    res = subprocess.run([exe, "-net", net, "-out", out, "-quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        raise from_stderr(res.stderr, emitted.names, res.returncode)
    if res.stderr.strip():
        sys.stderr.write(res.stderr)
    return Results(out, emitted)
