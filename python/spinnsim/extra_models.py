"""sPyNNaker's extra models, with its names, signatures and defaults:
``sim.extra_models.Neuromodulation``, ``SpikeNearestPairRule``, and the
structural plasticity classes.
"""

from pyNN.models import BaseSynapseType
from pyNN.parameters import ParameterSpace
from pyNN.standardmodels import StandardSynapseType, build_translations, synapses

from .standardmodels import STDPMechanism, _minimum_delay, _rule_json, _weight_delay


class SpikeNearestPairRule(synapses.STDPTimingDependence):
    """sPyNNaker's nearest-pair STDP timing rule (tau_plus, tau_minus ms;
    A_plus, A_minus in weight units)."""
    default_parameters = {"tau_plus": 20.0, "tau_minus": 20.0, "A_plus": 0.01, "A_minus": 0.01}
    translations = build_translations(*[(n, n) for n in default_parameters])

    def __init__(self, tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01):
        synapses.STDPTimingDependence.__init__(self, tau_plus=tau_plus, tau_minus=tau_minus,
                                               A_plus=A_plus, A_minus=A_minus)


class Neuromodulation(StandardSynapseType):
    """sPyNNaker's neuromodulation (dopamine) synapse: a projection with
    receptor_type "reward" or "punishment" whose spikes change the dopamine
    level of the post neurons' STDP synapses. weight is the dopamine step;
    tau_c (eligibility) and tau_d (dopamine) in ms; w_min and w_max bound the
    plastic weights. The delay is fixed at one timestep."""
    default_parameters = {"weight": 0.0, "tau_c": 1000.0, "tau_d": 200.0, "w_min": 0.0, "w_max": 1.0,
                          "delay": None}
    translations = build_translations(*[(n, n) for n in default_parameters])

    def __init__(self, weight=0.0, tau_c=1000.0, tau_d=200.0, w_min=0.0, w_max=1.0):
        if w_min < 0 or w_max < 0:
            raise ValueError("Neuromodulation: w_min and w_max must be >= 0")
        StandardSynapseType.__init__(self, weight=weight, tau_c=tau_c, tau_d=tau_d,
                                     w_min=w_min, w_max=w_max)

    def _get_minimum_delay(self):
        return _minimum_delay()

    def _spinnsim_json(self, proj):
        from .network import value
        ps = self.parameter_space
        d = {"type": "Neuromodulation"}
        for n in ("tau_c", "tau_d"):
            d[n] = value(ps[n].base_value, "Projection %r %s" % (proj.label, n))
        d = _weight_delay(self, proj, d)
        d.pop("delay", None)  # fixed at one timestep
        for n in ("w_min", "w_max"):
            d[n] = value(ps[n].base_value, "Projection %r %s" % (proj.label, n))
        return d


# --- structural plasticity (sPyNNaker's signatures and defaults) ----------


class RandomSelection(object):
    """Partner selection: a random pre neuron."""

    def _json(self):
        return {"type": "RandomSelection"}


class LastNeuronSelection(object):
    """Partner selection: a pre neuron that spiked in the last timestep."""

    def __init__(self, spike_buffer_size=64):
        self.spike_buffer_size = spike_buffer_size

    def _json(self):
        return {"type": "LastNeuronSelection", "spike_buffer_size": self.spike_buffer_size}


class DistanceDependentFormation(object):
    """Formation with a probability that falls with distance on a grid."""

    def __init__(self, grid=(16, 16), p_form_forward=0.16, sigma_form_forward=2.5,
                 p_form_lateral=1.0, sigma_form_lateral=1.0):
        self.grid = [int(g) for g in grid]
        self.p_form_forward = p_form_forward
        self.sigma_form_forward = sigma_form_forward
        self.p_form_lateral = p_form_lateral
        self.sigma_form_lateral = sigma_form_lateral

    def _json(self):
        return {"type": "DistanceDependentFormation", "grid": self.grid,
                "p_form_forward": self.p_form_forward, "sigma_form_forward": self.sigma_form_forward,
                "p_form_lateral": self.p_form_lateral, "sigma_form_lateral": self.sigma_form_lateral}


class RandomByWeightElimination(object):
    """Elimination with a probability that depends on whether the weight is
    below threshold (depressed) or not (potentiated)."""

    def __init__(self, threshold, prob_elim_depressed=0.0245, prob_elim_potentiated=1.36e-4):
        self.threshold = threshold
        self.prob_elim_depressed = prob_elim_depressed
        self.prob_elim_potentiated = prob_elim_potentiated

    def _json(self):
        return {"type": "RandomByWeightElimination", "threshold": self.threshold,
                "prob_elim_depressed": self.prob_elim_depressed,
                "prob_elim_potentiated": self.prob_elim_potentiated}


def _structural_common(self, partner_selection, formation, elimination, f_rew, initial_weight,
                       initial_delay, s_max, with_replacement, seed):
    self.partner_selection = partner_selection
    self.formation = formation
    self.elimination = elimination
    self.f_rew = f_rew
    self.initial_weight = initial_weight
    self.initial_delay = initial_delay
    self.s_max = s_max
    self.with_replacement = with_replacement
    self.seed = seed


def _structural_json(self, proj, d):
    if self.seed is not None:
        raise NotImplementedError("spinnsim: %s seed: every random choice comes from the run's "
                                  "seed (setup(seed=...))" % type(self).__name__)
    delay = self.initial_delay
    if isinstance(delay, (tuple, list)):
        delay = [float(delay[0]), float(delay[1])]  # uniform over [low, high], as sPyNNaker's 2-tuple
    d.update({"partner_selection": self.partner_selection._json(), "formation": self.formation._json(),
              "elimination": self.elimination._json(), "f_rew": self.f_rew, "s_max": self.s_max,
              "initial_weight": self.initial_weight, "initial_delay": delay,
              "with_replacement": bool(self.with_replacement)})
    return d


class StructuralMechanismStatic(StandardSynapseType):
    """Structural plasticity with static weights (sPyNNaker)."""
    default_parameters = {"weight": 0.0, "delay": 1.0}
    translations = build_translations(("weight", "weight"), ("delay", "delay"))

    def __init__(self, partner_selection, formation, elimination, f_rew=10 ** 4,
                 initial_weight=0.0, initial_delay=1.0, s_max=32, with_replacement=True,
                 seed=None, weight=0.0, delay=1.0):
        StandardSynapseType.__init__(self, weight=weight, delay=delay)
        _structural_common(self, partner_selection, formation, elimination, f_rew, initial_weight,
                           initial_delay, s_max, with_replacement, seed)

    def _get_minimum_delay(self):
        return _minimum_delay()

    def _spinnsim_json(self, proj):
        return _structural_json(self, proj, _weight_delay(self, proj, {"type": "StructuralMechanismStatic"}))


class StructuralMechanismSTDP(STDPMechanism):
    """Structural plasticity with STDP weights (sPyNNaker)."""

    def __init__(self, partner_selection, formation, elimination, timing_dependence=None,
                 weight_dependence=None, voltage_dependence=None, dendritic_delay_fraction=1.0,
                 f_rew=10 ** 4, initial_weight=0.0, initial_delay=1.0, s_max=32,
                 with_replacement=True, seed=None, weight=0.0, delay=1.0, backprop_delay=True):
        STDPMechanism.__init__(self, timing_dependence, weight_dependence, voltage_dependence,
                               dendritic_delay_fraction, weight, delay, None, backprop_delay)
        _structural_common(self, partner_selection, formation, elimination, f_rew, initial_weight,
                           initial_delay, s_max, with_replacement, seed)

    def _spinnsim_json(self, proj):
        d = STDPMechanism._spinnsim_json(self, proj)
        d["type"] = "StructuralMechanismSTDP"
        return _structural_json(self, proj, d)
