# The guide's third script (sPyNNaker's PyNN8Examples
# split_examples/structural_plasticity_with_stdp_neuromodulated.py,
# reference §3.3): structural plasticity with neuromodulated STDP on split
# cores. Only the import lines differ from the sPyNNaker script (the plot is
# left out).
import math

import pyNN.spinnsim as sim
from spinnsim.pyNN.extra_algorithms.splitter_components import (
    SplitterAbstractPopulationVertexNeuronsSynapses)

timestep = 1.0
stim_rate = 50
duration = 12000
plastic_weights = 0.5
n_neurons = 49
n_pops = 10

sim.setup(timestep=timestep)

rewards = [2000 + i for i in range(10)] + [3000 + i for i in range(20)] + [4000 + i for i in range(100)]
punishments = [6000 + i for i in range(10)] + [7000 + i for i in range(20)] + \
    [8000 + i for i in range(100)]

cell_params = {"cm": 0.25, "i_offset": 0.0, "tau_m": 20.0, "tau_refrac": 2.0,
               "tau_syn_E": 1.0, "tau_syn_I": 1.0, "v_reset": -70.0, "v_rest": -65.0,
               "v_thresh": -50.0}

reward_pop = sim.Population(n_neurons, sim.SpikeSourceArray, {"spike_times": rewards}, label="reward")
punishment_pop = sim.Population(n_neurons, sim.SpikeSourceArray, {"spike_times": punishments},
                                label="punishment")

partner_selection_last_neuron = sim.extra_models.RandomSelection()
formation_distance = sim.extra_models.DistanceDependentFormation(
    grid=[int(math.sqrt(n_neurons)), int(math.sqrt(n_neurons))], sigma_form_forward=0.5)
elimination_weight = sim.extra_models.RandomByWeightElimination(
    prob_elim_potentiated=0.2, prob_elim_depressed=0.2, threshold=0.5)
structure_model_with_stdp = sim.extra_models.StructuralMechanismSTDP(
    partner_selection_last_neuron, formation_distance, elimination_weight,
    initial_weight=plastic_weights, weight=plastic_weights, initial_delay=10, delay=10,
    s_max=64, f_rew=10 ** 4,
    timing_dependence=sim.SpikePairRule(tau_plus=2, tau_minus=1, A_plus=1, A_minus=1),
    weight_dependence=sim.AdditiveWeightDependence(w_min=0, w_max=5.0))

stimulation = []
post_pops = []
plastic_projections = []
for i in range(n_pops):
    stimulation.append(sim.Population(n_neurons, sim.SpikeSourcePoisson,
                                      {"rate": stim_rate, "duration": duration}, label="pre"))
    post_pops.append(sim.Population(
        n_neurons, sim.IF_curr_exp, cell_params, label="post",
        additional_parameters={"splitter": SplitterAbstractPopulationVertexNeuronsSynapses(1)}))
    plastic_projections.append(sim.Projection(
        stimulation[i], post_pops[i], sim.FixedProbabilityConnector(0.),
        synapse_type=structure_model_with_stdp, receptor_type="excitatory"))
    post_pops[i].record("spikes")
    sim.Projection(reward_pop, post_pops[i], sim.OneToOneConnector(),
                   synapse_type=sim.extra_models.Neuromodulation(weight=0.05, tau_c=100.0, tau_d=5.0,
                                                                 w_max=5.0),
                   receptor_type="reward")
    sim.Projection(punishment_pop, post_pops[i], sim.OneToOneConnector(),
                   synapse_type=sim.extra_models.Neuromodulation(weight=0.05, tau_c=100.0, tau_d=5.0,
                                                                 w_max=5.0),
                   receptor_type="punishment")

sim.run(duration)

for i in range(n_pops):
    print(plastic_projections[i].get("weight", "list"))
sim.end()
