# The guide's first script (sPyNNaker's PyNN8Examples
# stdp_neuromodulation_test.py, reference §3.1): one plastic synapse, one
# stimulus that makes the post neuron fire, one reward. Only the import line
# differs from the sPyNNaker script: pyNN.spiNNaker -> pyNN.spinnsim.
import pyNN.spinnsim as sim

sim.setup(timestep=1.0)

pre_pop = sim.Population(1, sim.SpikeSourceArray, {"spike_times": [1500, 2400]})
reward_pop = sim.Population(1, sim.SpikeSourceArray, {"spike_times": [1600]}, label="reward")
post_stim = sim.Population(1, sim.SpikeSourceArray, {"spike_times": [1502]})

cell_params = {"cm": 0.3, "i_offset": 0.0, "tau_m": 10.0, "tau_refrac": 4.0,
               "tau_syn_E": 1.0, "tau_syn_I": 1.0, "v_reset": -70.0, "v_rest": -65.0,
               "v_thresh": -55.4}
post_pop = sim.Population(1, sim.IF_curr_exp, cell_params, label="post1")

sim.Projection(post_stim, post_pop, sim.AllToAllConnector(),
               synapse_type=sim.StaticSynapse(weight=6), receptor_type="excitatory")

stdp = sim.STDPMechanism(
    timing_dependence=sim.SpikePairRule(tau_plus=10, tau_minus=12, A_plus=1, A_minus=1),
    weight_dependence=sim.AdditiveWeightDependence(w_min=0, w_max=20),
    weight=0.0)
plastic_projection = sim.Projection(pre_pop, post_pop, sim.AllToAllConnector(),
                                    synapse_type=stdp, receptor_type="excitatory",
                                    label="Pre-post projection")

sim.Projection(reward_pop, post_pop, sim.AllToAllConnector(),
               synapse_type=sim.extra_models.Neuromodulation(tau_c=1000, tau_d=200, weight=0.1, w_max=20.0),
               receptor_type="reward", label="reward synapses")

sim.run(3000)
print(plastic_projection.get("weight", "list"))
sim.end()
