"""PyNN's standard models as spinnsim runs them.

spinnsim's network file uses PyNN's own parameter names and units, so every
translation is the identity. Models that the emulator does not run exist
with their PyNN names and raise NotImplementedError naming themselves, so
that a script fails at the line that uses them, not with an AttributeError.
"""

from pyNN.standardmodels import build_translations, cells, electrodes, synapses

from .simulator import state


def _identity(*names):
    return build_translations(*[(n, n) for n in names])


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _identity("tau_m", "cm", "v_rest", "v_thresh", "v_reset",
                             "tau_refrac", "i_offset", "tau_syn_E", "tau_syn_I")
    # sPyNNaker records the synaptic input currents of current-based models
    # as gsyn_exc and gsyn_inh (nA); reward and punishment are receptors of
    # the neuromodulation dynamics (sPyNNaker looks them up there).
    recordable = ["spikes", "v", "gsyn_exc", "gsyn_inh"]
    units = dict(cells.IF_curr_exp.units, gsyn_exc="nA", gsyn_inh="nA")
    receptor_types = ("excitatory", "inhibitory", "reward", "punishment")


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _identity("rate", "start", "duration")


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity("spike_times")


def _minimum_delay():
    d = state.min_delay
    return state.dt if d in (None, "auto") else d


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity("weight", "delay")

    def _get_minimum_delay(self):
        return _minimum_delay()


class STDPMechanism(synapses.STDPMechanism):
    """STDP: a timing rule and a weight dependence (PyNN; sPyNNaker's
    extra arguments pad_to_length and backprop_delay are accepted; spinnsim
    always back-propagates the dendritic delay, as sPyNNaker's default)."""
    base_translations = _identity("weight", "delay", "dendritic_delay_fraction")

    def __init__(self, timing_dependence=None, weight_dependence=None,
                 voltage_dependence=None, dendritic_delay_fraction=1.0,
                 weight=0.0, delay=None, pad_to_length=None, backprop_delay=True):
        if voltage_dependence is not None:
            raise NotImplementedError("spinnsim: STDPMechanism voltage_dependence is not supported "
                                      "(neither is it by sPyNNaker)")
        if dendritic_delay_fraction != 1.0:
            raise NotImplementedError("spinnsim: STDPMechanism dendritic_delay_fraction must be 1.0: "
                                      "all delays are dendritic, as in sPyNNaker")
        if not backprop_delay:
            raise NotImplementedError("spinnsim: STDPMechanism backprop_delay=False is not supported")
        synapses.STDPMechanism.__init__(self, timing_dependence, weight_dependence,
                                        voltage_dependence, dendritic_delay_fraction,
                                        weight, delay)

    def _get_minimum_delay(self):
        return _minimum_delay()


class AdditiveWeightDependence(synapses.AdditiveWeightDependence):
    __doc__ = synapses.AdditiveWeightDependence.__doc__
    translations = _identity("w_max", "w_min")


class MultiplicativeWeightDependence(synapses.MultiplicativeWeightDependence):
    __doc__ = synapses.MultiplicativeWeightDependence.__doc__
    translations = _identity("w_max", "w_min")


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = _identity("tau_plus", "tau_minus", "A_plus", "A_minus")


class DCSource(electrodes.DCSource):
    """PyNN's DCSource(amplitude=1.0, start=0.0, stop=None): a constant
    current (nA) from start until stop (ms), injected into every neuron of
    a population with ``inject_into(population)``."""
    translations = _identity("amplitude", "start", "stop")

    def set_native_parameters(self, parameters):
        self.parameter_space.update(**parameters)

    def get_native_parameters(self):
        return self.parameter_space

    def values(self):
        """amplitude, start and stop as numbers (stop None: never off)."""
        out = {}
        for k in ("amplitude", "start", "stop"):
            v = self.parameter_space[k]
            if hasattr(v, "base_value"):
                v = v.base_value
            out[k] = float(v)
        if out["stop"] >= 1e11:  # PyNN writes stop=None as 1e12
            out["stop"] = None
        return out

    def inject_into(self, cells):
        from .populations import Population, PopulationView
        if isinstance(cells, PopulationView) and cells.size == cells.parent.size \
                and list(cells.mask_local) == [True] * cells.parent.size:
            cells = cells.parent
        if not isinstance(cells, Population):
            raise NotImplementedError(
                "spinnsim: DCSource.inject_into takes a whole Population; injecting into %s "
                "(a view, an assembly or a list of cells) is not supported" % type(cells).__name__)
        if not cells.celltype.injectable:
            raise TypeError("can't inject current into a spike source")
        state.current_sources.append((self, cells))


def _unsupported(name, base, kind):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("spinnsim: the %s %s is not supported; spinnsim runs "
                                  "IF_curr_exp, SpikeSourceArray and SpikeSourcePoisson, "
                                  "static, STDP and neuromodulated synapses, and DCSource "
                                  "(see docs/network-format.md)" % (kind, name))
    return type(name, (base,), {"__init__": __init__, "__doc__": "Not supported by spinnsim."})


_UNSUPPORTED_CELLS = ["IF_curr_alpha", "IF_cond_exp", "IF_cond_alpha", "IF_facets_hardware1",
                      "HH_cond_exp", "IF_cond_exp_gsfa_grr", "EIF_cond_alpha_isfa_ista",
                      "EIF_cond_exp_isfa_ista", "Izhikevich", "SpikeSourceGamma",
                      "SpikeSourceInhGamma", "IF_curr_delta", "PointNeuron"]
_UNSUPPORTED_SYNAPSES = ["TsodyksMarkramSynapse", "AdditivePotentiationMultiplicativeDepression",
                         "GutigWeightDependence", "Vogels2011Rule", "ElectricalSynapse"]
_UNSUPPORTED_SOURCES = ["ACSource", "StepCurrentSource", "NoisyCurrentSource"]

for _name in _UNSUPPORTED_CELLS:
    globals()[_name] = _unsupported(_name, object, "cell type")
for _name in _UNSUPPORTED_SYNAPSES:
    globals()[_name] = _unsupported(_name, object, "synapse model")
for _name in _UNSUPPORTED_SOURCES:
    globals()[_name] = _unsupported(_name, object, "current source")


# --- the network file's synapse objects ----------------------------------


def _weight_delay(syn, proj, d):
    from .network import value
    ps = syn.parameter_space
    what = "Projection %r" % proj.label
    for key in ("weight", "delay"):
        if key in ps.keys():
            d[key] = value(ps[key].base_value, "%s %s" % (what, key))
    return d


def _static_json(self, proj):
    return _weight_delay(self, proj, {"type": "StaticSynapse"})


def _rule_json(rule, names):
    from .network import value
    ps = rule.parameter_space
    d = {"type": getattr(rule, "spinnsim_name", type(rule).__name__)}
    for n in names:
        d[n] = value(ps[n].base_value, "%s %s" % (d["type"], n))
    return d


def _stdp_json(self, proj):
    if self.timing_dependence is None or self.weight_dependence is None:
        raise ValueError("Projection %r: STDPMechanism needs a timing_dependence and a "
                         "weight_dependence" % proj.label)
    d = {"type": "STDPMechanism",
         "timing_dependence": _rule_json(self.timing_dependence, ("tau_plus", "tau_minus", "A_plus", "A_minus")),
         "weight_dependence": _rule_json(self.weight_dependence, ("w_min", "w_max"))}
    return _weight_delay(self, proj, d)


StaticSynapse._spinnsim_json = _static_json
STDPMechanism._spinnsim_json = _stdp_json
