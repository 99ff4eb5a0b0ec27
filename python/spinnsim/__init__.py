"""spinnsim's PyNN backend: run a PyNN script on the spinnsim emulator of
SpiNNaker by changing one import,

    import pyNN.spiNNaker as sim    →    import pyNN.spinnsim as sim

It follows sPyNNaker's names, signatures and defaults (``sim.extra_models``,
``additional_parameters={"splitter": ...}``). ``run()`` writes the network
file (docs/network-format.md), runs the spinnsim binary and reads its outputs
back: ``Population.get_data()`` gives Neo spike trains and signals, and
``Projection.get("weight", "list")`` the final weights.

Extra setup() keywords: ``seed`` (default 1: every random choice of a run
comes from it), ``arithmetic`` ("fixed", SpiNNaker's own, or "float"),
``float_quirks``, ``machine`` (the file's machine object),
``n_boards_required`` (sPyNNaker's; spinn-5 boards) and ``name`` (the
network's name; default the script's file name). The environment variables
SPINNSIM_ARITHMETIC and SPINNSIM_SEED override arithmetic and seed, as the
command's -arith and -seed flags do; SPINNSIM_WRITE_NETWORK=FILE keeps a copy
of the network file each run() writes; SPINNSIM=PATH names the binary.
"""

import os

import spinnsim_alias as _alias

from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import (AllToAllConnector, ArrayConnector, FixedNumberPostConnector,  # noqa: F401
                             FixedNumberPreConnector, FixedProbabilityConnector,
                             FixedTotalNumberConnector, FromListConnector, OneToOneConnector,
                             DistanceDependentProbabilityConnector, FromFileConnector,
                             IndexBasedProbabilityConnector, DisplacementDependentProbabilityConnector,
                             SmallWorldConnector, CSAConnector, CloneConnector)
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.space import Grid2D, Grid3D, Line, RandomStructure, Space  # noqa: F401

from . import extra_models, simulator  # noqa: F401
from .errors import SpinnsimError, SpinnsimNotImplementedError  # noqa: F401
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection
from .standardmodels import *  # noqa: F401,F403
from .standardmodels import StaticSynapse

_alias.install()

__all__ = [n for n in dir() if not n.startswith("_")]

_SETUP_OPTIONS = ("seed", "arithmetic", "float_quirks", "machine", "name")


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, max_delay=None, **extra_params):
    """Start a new network. timestep, min_delay and max_delay in ms (PyNN);
    see the module's doc for spinnsim's extra keywords."""
    common.setup(timestep, min_delay, **extra_params)
    st = simulator.state
    st.clear()
    st.dt = timestep
    st.min_delay = min_delay
    st.max_delay = max_delay
    st.options = {}
    n_boards = extra_params.pop("n_boards_required", None)
    extra_params.pop("n_chips_required", None)
    for key in list(extra_params):
        if key in _SETUP_OPTIONS:
            st.options[key] = extra_params.pop(key)
    # The environment overrides the script, as spinnsim's -arith and -seed do.
    if os.environ.get("SPINNSIM_ARITHMETIC"):
        st.options["arithmetic"] = os.environ["SPINNSIM_ARITHMETIC"]
    if os.environ.get("SPINNSIM_SEED"):
        st.options["seed"] = int(os.environ["SPINNSIM_SEED"])
    if n_boards:
        st.options.setdefault("machine", {"board": "spinn-5", "boards": int(n_boards)})
    for key in ("database_socket_addresses", "time_scale_factor"):
        extra_params.pop(key, None)  # sPyNNaker's: nothing to do on an emulator
    if extra_params:
        raise NotImplementedError("spinnsim: setup() does not know %s" % ", ".join(sorted(extra_params)))
    return 0


def end(compatible_output=True):
    """Remove the run's temporary files."""
    simulator.state.cleanup()


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, num_processes, rank = \
    common.build_state_queries(simulator)
create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)
record = common.build_record(simulator)


def list_standard_models():
    return ["IF_curr_exp", "SpikeSourceArray", "SpikeSourcePoisson"]


def set_number_of_neurons_per_core(neuron_type, max_permitted):
    """sPyNNaker's slice size for every later population of that cell type."""
    name = neuron_type if isinstance(neuron_type, str) else neuron_type.__name__
    simulator.state.options.setdefault("atoms", {})[name] = int(max_permitted)


def network():
    """The network file run() would write now, as a dict (for inspection)."""
    from .network import emit
    return emit(simulator.state, max(simulator.state.t, simulator.state.dt)).doc
