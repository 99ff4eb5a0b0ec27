"""The simulator state: what PyNN's common code asks a backend for.

spinnsim runs a whole network at once, from time 0, as a real SpiNNaker
board does. run(t) therefore runs the emulator from 0 to the total time
asked so far; since a seed gives the same run every time, run(100) followed
by run(100) gives the same results as run(200). Parameters changed between
two runs apply from time 0 of the next run.
"""

import os
import shutil
import tempfile

from pyNN import common

name = "spinnsim"


class ID(int, common.IDMixin):
    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self.min_delay = "auto"
        self.max_delay = None
        self.options = {}
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.results = None
        self.workdir = None
        self.clear()

    def run(self, simtime):
        self.run_until(self.t + simtime)

    def run_until(self, tstop):
        from . import runner
        self.t = tstop
        self.results = runner.run(self, tstop)
        self.running = True

    def clear(self):
        self.recorders = set()
        self.id_counter = 0
        self.segment_counter = -1
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.cleanup()
        self.reset()

    def reset(self):
        """Back to t = 0: the next run starts from the initial state."""
        self.running = False
        self.t = 0
        self.t_start = 0
        self.results = None
        self.segment_counter += 1

    def new_workdir(self):
        self.cleanup()
        self.workdir = tempfile.mkdtemp(prefix="spinnsim-pynn-")
        return self.workdir

    def cleanup(self):
        if self.workdir and not os.environ.get("SPINNSIM_KEEP"):
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None


state = State()
