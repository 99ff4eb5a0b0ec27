"""Recorded data, read back from spinnsim's CSV files."""

import numpy as np
from pyNN import recording

from . import simulator


class Recorder(recording.Recorder):
    _simulator = simulator

    def _record(self, variable, new_ids, sampling_interval=None):
        if sampling_interval is not None and sampling_interval != self._simulator.state.dt:
            raise NotImplementedError("spinnsim: recording %s every %g ms: spinnsim records every "
                                      "timestep (%g ms)" % (variable, sampling_interval,
                                                            self._simulator.state.dt))

    def _results(self):
        res = self._simulator.state.results
        if res is None:
            raise RuntimeError("no data: call run() first")
        return res

    def _label(self):
        return self._results().labels[self.population]

    def _get_spiketimes(self, ids, clear=False):
        res = self._results()
        by_index = res.spikes(self._label())
        out = {}
        for i in ids:
            out[int(i)] = by_index.get(self.population.id_to_index(i), np.array([]))
        return out

    def _get_all_signals(self, variable, ids, clear=False):
        res = self._results()
        arr = res.signal(variable, self._label(), self.population.size)
        if arr is None:
            return np.zeros((0, len(ids))), None
        cols = [self.population.id_to_index(i) for i in ids]
        return arr[:, cols], None

    def _local_count(self, variable, filter_ids=None):
        res = self._results()
        by_index = res.spikes(self._label())
        return {int(i): len(by_index.get(self.population.id_to_index(i), []))
                for i in self.filter_recorded(variable, filter_ids)}

    def _clear_simulator(self):
        pass

    def _reset(self):
        pass
