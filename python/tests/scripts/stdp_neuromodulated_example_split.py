# The guide's second script with the neuron/synapse split (sPyNNaker's
# PyNN8Examples split_examples/stdp_neuromodulated_example_split.py): as
# stdp_neuromodulated_example.py, with two synapse cores per neuron core.
# Only the import lines differ from the sPyNNaker script.
import pyNN.spinnsim as sim
from spinnsim.pyNN.extra_algorithms.splitter_components import (
    SplitterAbstractPopulationVertexNeuronsSynapses)

timestep = 1.0
stim_rate = 50
duration = 12000
plastic_weights = 1.5
n_neurons = 5
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

synapse_dynamics = sim.STDPMechanism(
    timing_dependence=sim.SpikePairRule(tau_plus=2, tau_minus=1, A_plus=1, A_minus=1),
    weight_dependence=sim.AdditiveWeightDependence(w_min=0, w_max=20),
    weight=plastic_weights)

stimulation = []
post_pops = []
plastic_projections = []
for i in range(n_pops):
    stimulation.append(sim.Population(n_neurons, sim.SpikeSourcePoisson,
                                      {"rate": stim_rate, "duration": duration}, label="pre"))
    post_pops.append(sim.Population(
        n_neurons, sim.IF_curr_exp, cell_params, label="post",
        additional_parameters={"splitter": SplitterAbstractPopulationVertexNeuronsSynapses(2)}))
    plastic_projections.append(sim.Projection(
        stimulation[i], post_pops[i], sim.OneToOneConnector(), synapse_type=synapse_dynamics,
        receptor_type="excitatory", label="Pre-post projection"))
    post_pops[i].record("spikes")
    sim.Projection(reward_pop, post_pops[i], sim.OneToOneConnector(),
                   synapse_type=sim.extra_models.Neuromodulation(weight=0.05, tau_c=100.0, tau_d=5.0,
                                                                 w_max=20.0),
                   receptor_type="reward")
    sim.Projection(punishment_pop, post_pops[i], sim.OneToOneConnector(),
                   synapse_type=sim.extra_models.Neuromodulation(weight=0.05, tau_c=100.0, tau_d=5.0,
                                                                 w_max=20.0),
                   receptor_type="punishment")

sim.run(duration)

spikes = [post_pops[i].get_data("spikes").segments[0].spiketrains for i in range(n_pops)]
print("Weights(Initial %s)" % plastic_weights)
for i in range(n_pops):
    print(plastic_projections[i].get("weight", "list"))
sim.end()
