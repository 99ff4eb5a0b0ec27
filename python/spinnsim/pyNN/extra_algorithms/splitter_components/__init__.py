"""Splitters, where sPyNNaker users import them from
(``spynnaker.pyNN.extra_algorithms.splitter_components``), with the package
prefix changed: ``spinnsim.pyNN.extra_algorithms.splitter_components``."""


class SplitterAbstractPopulationVertexNeuronsSynapses(object):
    """Run a neuron population as one neuron core and n_synapse_vertices
    synapse cores per slice, exchanging input through SDRAM (sPyNNaker's
    neuron/synapse split). Give it as
    ``Population(..., additional_parameters={"splitter": Splitter...(2)})``;
    it becomes the network file's ``"splitter": {"synapse_cores": 2}``."""

    def __init__(self, n_synapse_vertices=1, max_delay=None, allow_delay_extension=None):
        if int(n_synapse_vertices) != n_synapse_vertices or n_synapse_vertices < 1:
            raise ValueError("n_synapse_vertices must be a whole number >= 1")
        if max_delay is not None or allow_delay_extension is not None:
            raise NotImplementedError("spinnsim: the splitter's max_delay and allow_delay_extension "
                                      "are not supported")
        self.n_synapse_vertices = int(n_synapse_vertices)


__all__ = ["SplitterAbstractPopulationVertexNeuronsSynapses"]
