"""Projection: connections drawn and weights read back by spinnsim.

spinnsim, like sPyNNaker generating connections on the machine, draws the
connections itself from the run's seed. A Projection therefore has no
connections until run() has been called; then ``get`` reads the final
weights and delays back from the run's weights.csv, as sPyNNaker reads them
from the board.
"""

from pyNN import common, connectors
from pyNN.space import Space

from . import simulator
from .network import _number, value
from .standardmodels import StaticSynapse


class Connection(common.Connection):
    def __init__(self, pre, post, weight, delay):
        self.presynaptic_index = pre
        self.postsynaptic_index = post
        self.weight = weight
        self.delay = delay

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector,
                 synapse_type=None, source=None, receptor_type=None, space=Space(), label=None):
        if source is not None:
            raise NotImplementedError("spinnsim: Projection source=%r is not supported" % source)
        self._given_label = label
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population,
                                   connector, synapse_type, source, receptor_type, space, label)
        _connector_json(connector, self)  # refuse unsupported connectors now, at the line that uses them
        simulator.state.projections.append(self)

    @property
    def connections(self):
        res = simulator.state.results
        if res is None:
            raise RuntimeError("spinnsim draws a projection's connections when the network runs: "
                               "call run() before reading Projection %r" % self.label)
        return [Connection(*row) for row in res.weights(res.proj_labels[self])]

    def __len__(self):
        return len(self.connections)

    def __getitem__(self, i):
        return self.connections[i]

    def set(self, **attributes):
        raise NotImplementedError("spinnsim: Projection.set is not supported; give weights and delays "
                                  "to the synapse type or a FromListConnector")

    def _spinnsim_json(self, label, pop_labels):
        d = {"label": label, "pre": pop_labels[self.pre], "post": pop_labels[self.post],
             "connector": _connector_json(self._connector, self),
             "synapse": self.synapse_type._spinnsim_json(self),
             "receptor_type": self.receptor_type,
             "record": ["weight"]}
        return d


def _connector_json(c, proj):
    what = "Projection %r" % proj.label
    same = proj.pre is proj.post
    name = type(c).__name__
    d = {"type": name}

    def self_conn():
        if same:
            d["allow_self_connections"] = bool(c.allow_self_connections)
        elif not c.allow_self_connections:
            pass  # means nothing between different populations
    if isinstance(c, connectors.AllToAllConnector):
        self_conn()
    elif isinstance(c, connectors.OneToOneConnector):
        pass
    elif isinstance(c, connectors.FixedProbabilityConnector):
        d["p_connect"] = _number(c.p_connect)
        self_conn()
    elif isinstance(c, (connectors.FixedNumberPreConnector, connectors.FixedNumberPostConnector)):
        d["n"] = int(value(c.n, what + " connector n")) if not callable(c.n) else c.n
        d["with_replacement"] = bool(c.with_replacement)
        self_conn()
    elif isinstance(c, connectors.FixedTotalNumberConnector):
        d["n"] = int(c.n)
        d["with_replacement"] = bool(c.with_replacement)
        self_conn()
    elif isinstance(c, connectors.FromListConnector):
        cols = list(c.column_names)
        if any(n not in ("weight", "delay") for n in cols):
            raise NotImplementedError("spinnsim: %s: FromListConnector columns %s: only weight and "
                                      "delay are supported" % (what, cols))
        rows = []
        wdef = proj.synapse_type.parameter_space["weight"].base_value
        ddef = proj.synapse_type.parameter_space["delay"].base_value
        for row in c.conn_list:
            pre, post = int(row[0]), int(row[1])
            if not cols:
                rows.append([pre, post])
                continue
            vals = dict(zip(cols, row[2:]))
            rows.append([pre, post, _number(vals.get("weight", wdef)), _number(vals.get("delay", ddef))])
        d["conn_list"] = rows
    elif isinstance(c, connectors.ArrayConnector):
        import numpy as np
        d["type"] = "FromListConnector"
        d["conn_list"] = [[int(i), int(j)] for i, j in zip(*np.nonzero(c.array))]
    else:
        raise NotImplementedError("spinnsim: %s: %s is not supported (AllToAll, OneToOne, "
                                  "FixedProbability, FixedNumberPre, FixedNumberPost, "
                                  "FixedTotalNumber, FromList and Array connectors are)" % (what, name))
    return d
