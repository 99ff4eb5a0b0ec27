"""Population, PopulationView and Assembly."""

import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, simplify
from pyNN.standardmodels import StandardCellType

from . import simulator
from .network import _lazy, _number
from .recording import Recorder

_IF_PARAMS = ("cm", "tau_m", "tau_refrac", "tau_syn_E", "tau_syn_I", "v_rest", "v_reset",
              "v_thresh", "i_offset")


class Assembly(common.Assembly):
    _simulator = simulator


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        parameter_dict = {}
        for name in names:
            val = self.parent._parameters[name]
            if isinstance(val, np.ndarray):
                val = val[self.mask]
            parameter_dict[name] = simplify(val)
        return ParameterSpace(parameter_dict, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        parameter_space.shape = (self.size,)
        parameter_space.evaluate(simplify=False)
        for name, val in parameter_space.items():
            arr = self.parent._parameters[name]
            arr[self.mask] = val

    def _set_initial_value_array(self, variable, initial_values):
        parent = self.parent
        current = parent.initial_values.get(variable)
        if current is None:
            return
        current.shape = (parent.size,)
        arr = np.array(current.evaluate(simplify=False), dtype=float)
        initial_values.shape = (self.size,)
        arr[self.mask] = initial_values.evaluate(simplify=False)
        from lazyarray import larray
        parent.initial_values[variable] = larray(arr, shape=(parent.size,))

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def __init__(self, size, cellclass, cellparams=None, structure=None,
                 initial_values={}, label=None, additional_parameters=None, **kwargs):
        # sPyNNaker also takes additional_parameters (e.g. {"splitter": ...})
        # and a few keywords of its own; spinnsim knows the splitter.
        self._additional = dict(additional_parameters or {})
        self._additional.update(kwargs)
        unknown = set(self._additional) - {"splitter"}
        if unknown:
            raise NotImplementedError("spinnsim: Population additional parameters %s are not supported "
                                      "(only splitter is)" % ", ".join(sorted(unknown)))
        self._placement = None
        common.Population.__init__(self, size, cellclass, cellparams, structure, initial_values, label)
        simulator.state.populations.append(self)

    def _create_cells(self):
        id_range = np.arange(simulator.state.id_counter, simulator.state.id_counter + self.size)
        self.all_cells = np.array([simulator.ID(i) for i in id_range], dtype=simulator.ID)
        self._mask_local = np.ones((self.size,), bool)
        if isinstance(self.celltype, StandardCellType):
            parameter_space = self.celltype.native_parameters
        else:
            raise NotImplementedError("spinnsim: cell type %s is not supported" % type(self.celltype).__name__)
        parameter_space.shape = (self.size,)
        parameter_space.evaluate(mask=self._mask_local, simplify=False)
        self._parameters = parameter_space.as_dict()
        for i in self.all_cells:
            i.parent = self
        simulator.state.id_counter += self.size

    def _set_initial_value_array(self, variable, initial_values):
        pass

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        return ParameterSpace({n: simplify(self._parameters[n]) for n in names}, shape=(self.local_size,))

    def _set_parameters(self, parameter_space):
        parameter_space.evaluate(simplify=False, mask=self._mask_local)
        for name, val in parameter_space.items():
            self._parameters[name] = val

    def set_constraint(self, constraint):
        raise NotImplementedError("spinnsim: constraints other than add_placement_constraint are not supported")

    def add_placement_constraint(self, x, y, p=None):
        """sPyNNaker's pin to a chip (and core): the file's placement."""
        self._placement = {"x": int(x), "y": int(y)}
        if p is not None:
            self._placement["p"] = int(p)

    def set_max_atoms_per_core(self, max_atoms_per_core):
        """sPyNNaker's per-population slice size."""
        self._additional["max_atoms_per_core"] = int(max_atoms_per_core)

    # --- the network file ---------------------------------------------------

    def _recorded_variables(self):
        order = ["spikes", "v", "gsyn_exc", "gsyn_inh"]
        rec = [v for v in order if self.recorder.recorded.get(v)]
        return rec + sorted(v for v, ids in self.recorder.recorded.items() if ids and v not in order)

    def _spinnsim_json(self, label):
        kind = type(self.celltype).__name__
        d = {"label": label, "size": self.size, "cell_type": kind}
        what = "Population %r" % self.label
        if kind == "IF_curr_exp":
            d["parameters"] = {n: _param(self._parameters[n], "%s parameter %s" % (what, n))
                               for n in _IF_PARAMS}
            init = {}
            for var in ("v", "isyn_exc", "isyn_inh"):
                la = self.initial_values.get(var)
                if la is None:
                    continue
                v = _lazy(la, "%s initial value %s" % (what, var), self.size, per_neuron=True)
                if var == "v" or v != 0:
                    init[var] = v
            d["initial_values"] = init
        elif kind == "SpikeSourceArray":
            times = self._parameters["spike_times"]
            lists = [[_number(t) for t in _times(seq)] for seq in np.asarray(times, dtype=object).ravel()]
            if lists and all(l == lists[0] for l in lists):
                d["parameters"] = {"spike_times": lists[0]}
            else:
                d["parameters"] = {"spike_times": lists}
        elif kind == "SpikeSourcePoisson":
            rate = np.asarray(self._parameters["rate"], dtype=float).ravel()
            params = {"rate": _number(rate[0]) if np.all(rate == rate[0]) else [_number(r) for r in rate]}
            start = _param(self._parameters["start"], what + " parameter start")
            if start != 0:
                params["start"] = start
            duration = _param(self._parameters["duration"], what + " parameter duration")
            if duration < 1e9:  # PyNN's default, 1e10 ms, means: to the end
                params["duration"] = duration
            d["parameters"] = params
        else:
            raise NotImplementedError("spinnsim: cell type %s is not supported" % kind)
        rec = self._recorded_variables()
        if rec:
            d["record"] = rec
        splitter = self._additional.get("splitter")
        if splitter is not None:
            n = getattr(splitter, "n_synapse_vertices", None)
            if n is None:
                raise NotImplementedError("spinnsim: splitter %s is not supported "
                                          "(SplitterAbstractPopulationVertexNeuronsSynapses is)"
                                          % type(splitter).__name__)
            if kind != "IF_curr_exp":
                raise NotImplementedError("spinnsim: a splitter applies to neuron populations only")
            d["splitter"] = {"synapse_cores": n}
        atoms = self._additional.get("max_atoms_per_core",
                                     simulator.state.options.get("atoms", {}).get(kind))
        if atoms:
            d["max_atoms_per_core"] = atoms
        if self._placement:
            d["placement"] = dict(self._placement)
        return d


def _times(seq):
    """The spike times held by a Sequence (or an array of one)."""
    while hasattr(seq, "value"):
        seq = seq.value
    arr = np.asarray(seq, dtype=object).ravel()
    if arr.size == 1 and hasattr(arr[0], "value"):
        return _times(arr[0])
    return [float(t) for t in arr]


def _param(arr, what):
    a = np.asarray(arr, dtype=float).ravel()
    if a.size and not np.all(a == a[0]):
        raise NotImplementedError("spinnsim: %s differs between neurons; spinnsim takes one value "
                                  "for the whole population" % what)
    return _number(a[0])
