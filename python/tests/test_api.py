"""PyNN's standard API on spinnsim: populations, parameters, connectors,
recording, get_data, projections, current sources and errors."""

import csv
import os
import subprocess
import tempfile
import unittest

import numpy as np

import helpers  # noqa: F401  (sets up the path and the pyNN.spinnsim alias)
import pyNN.spinnsim as sim
from pyNN.random import RandomDistribution


def setup(**kw):
    os.environ["SPINNSIM"] = helpers.binary()
    sim.setup(timestep=1.0, **kw)


class Parameters(unittest.TestCase):
    def test_get_and_set_before_run(self):
        setup()
        p = sim.Population(4, sim.IF_curr_exp(tau_m=12.0), label="n")
        self.assertEqual(p.get("tau_m"), 12.0)
        self.assertEqual(p.get("cm"), 1.0, "PyNN's default")
        p.set(cm=0.5, v_thresh=-52.0)
        self.assertEqual(p.get("cm"), 0.5)
        p[0:2].set(i_offset=0.1)
        with self.assertRaises(NotImplementedError) as cm:
            sim.network()
        self.assertIn("i_offset differs between neurons", str(cm.exception))
        p.set(i_offset=0.2)
        doc = sim.network()
        self.assertEqual(doc["populations"][0]["parameters"]["cm"], 0.5)
        self.assertEqual(doc["populations"][0]["parameters"]["i_offset"], 0.2)
        self.assertEqual(doc["populations"][0]["initial_values"], {"v": -65})

    def test_sources_and_initial_values(self):
        setup()
        a = sim.Population(2, sim.SpikeSourceArray(spike_times=[[1, 5], [3]]), label="a")
        b = sim.Population(3, sim.SpikeSourcePoisson(rate=[1.0, 2.0, 3.0], start=10.0), label="b")
        n = sim.Population(3, sim.IF_curr_exp(), label="n")
        n.initialize(v=RandomDistribution("uniform", low=-70.0, high=-60.0), isyn_exc=0.1)
        doc = sim.network()
        pa, pb, pn = doc["populations"]
        self.assertEqual(pa["parameters"], {"spike_times": [[1, 5], [3]]})
        self.assertEqual(pb["parameters"], {"rate": [1, 2, 3], "start": 10})
        self.assertEqual(pn["initial_values"], {"v": {"distribution": "uniform", "low": -70, "high": -60},
                                                "isyn_exc": 0.1})
        self.assertEqual(a.size + b.size, 5)


class Connectors(unittest.TestCase):
    def test_translation(self):
        setup()
        a = sim.Population(3, sim.SpikeSourcePoisson(rate=10.0), label="a")
        n = sim.Population(3, sim.IF_curr_exp(), label="n")
        cases = [
            (sim.AllToAllConnector(), {"type": "AllToAllConnector"}),
            (sim.OneToOneConnector(), {"type": "OneToOneConnector"}),
            (sim.FixedProbabilityConnector(0.5), {"type": "FixedProbabilityConnector", "p_connect": 0.5}),
            (sim.FixedNumberPreConnector(2), {"type": "FixedNumberPreConnector", "n": 2, "with_replacement": False}),
            (sim.FixedTotalNumberConnector(4, with_replacement=True),
             {"type": "FixedTotalNumberConnector", "n": 4, "with_replacement": True}),
            (sim.FromListConnector([(0, 1), (2, 2)]), {"type": "FromListConnector", "conn_list": [[0, 1], [2, 2]]}),
            (sim.FromListConnector([(0, 1, 0.5, 2.0)], column_names=["weight", "delay"]),
             {"type": "FromListConnector", "conn_list": [[0, 1, 0.5, 2]]}),
        ]
        for conn, want in cases:
            sim.Projection(a, n, conn, sim.StaticSynapse(weight=0.1))
        sim.Projection(n, n, sim.FixedProbabilityConnector(0.2, allow_self_connections=False),
                       sim.StaticSynapse(weight=-0.3), receptor_type="inhibitory")
        doc = sim.network()
        for (conn, want), got in zip(cases, doc["projections"]):
            self.assertEqual(got["connector"], want)
        last = doc["projections"][-1]
        self.assertEqual(last["connector"]["allow_self_connections"], False)
        self.assertEqual(last["synapse"]["weight"], -0.3, "the receptor gives the sign; spinnsim takes the magnitude")
        labels = [p["label"] for p in doc["projections"]]
        self.assertEqual(len(set(labels)), len(labels))
        self.assertEqual(labels[0], "a→n0")

    def test_unsupported_connector_names_itself(self):
        setup()
        a = sim.Population(3, sim.IF_curr_exp())
        with self.assertRaises(NotImplementedError) as cm:
            sim.Projection(a, a, sim.DistanceDependentProbabilityConnector("d<3"))
        self.assertIn("DistanceDependentProbabilityConnector is not supported", str(cm.exception))

    def test_unsupported_models_name_themselves(self):
        setup()
        for make, name in [(lambda: sim.IF_cond_exp(), "IF_cond_exp"),
                           (lambda: sim.StepCurrentSource(times=[1], amplitudes=[1]), "StepCurrentSource"),
                           (lambda: sim.TsodyksMarkramSynapse(), "TsodyksMarkramSynapse")]:
            with self.assertRaises(NotImplementedError) as cm:
                make()
            self.assertIn(name, str(cm.exception))


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


class BalancedNetwork(unittest.TestCase):
    """An ordinary PyNN script: a random balanced network with Poisson input,
    FixedProbabilityConnector, spike and v recording. get_data() must agree
    with spinnsim's own CSV files."""

    @classmethod
    def setUpClass(cls):
        setup(seed=7)
        cls.keep = tempfile.mkdtemp()
        os.environ["SPINNSIM_KEEP"] = "1"
        try:
            cells = dict(tau_m=20.0, cm=0.25, v_thresh=-50.0, v_reset=-65.0, tau_refrac=2.0)
            exc = sim.Population(80, sim.IF_curr_exp(**cells), label="exc")
            inh = sim.Population(20, sim.IF_curr_exp(**cells), label="inh")
            noise = sim.Population(50, sim.SpikeSourcePoisson(rate=20.0), label="noise")
            conn = sim.FixedProbabilityConnector(0.1)
            w = RandomDistribution("uniform", low=0.05, high=0.15)
            sim.Projection(noise, exc, conn, sim.StaticSynapse(weight=0.6), receptor_type="excitatory")
            sim.Projection(noise, inh, conn, sim.StaticSynapse(weight=0.6), receptor_type="excitatory")
            sim.Projection(exc, exc, conn, sim.StaticSynapse(weight=w, delay=1.5), receptor_type="excitatory")
            sim.Projection(exc, inh, conn, sim.StaticSynapse(weight=w), receptor_type="excitatory")
            sim.Projection(inh, exc, conn, sim.StaticSynapse(weight=-0.4), receptor_type="inhibitory")
            cls.ei = sim.Projection(inh, inh, conn, sim.StaticSynapse(weight=-0.4))
            exc.record(["spikes", "v"])
            inh[0:5].record("spikes")
            sim.run(300)
            cls.exc, cls.inh = exc, inh
            cls.out = os.path.join(sim.simulator.state.workdir, "out")
            cls.data = exc.get_data().segments[0]
            cls.inh_data = inh.get_data("spikes").segments[0]
        finally:
            del os.environ["SPINNSIM_KEEP"]

    def test_spikes_agree_with_csv(self):
        _, rows = read_csv(os.path.join(self.out, "spikes.csv"))
        want = {}
        for pop, n, t in rows:
            if pop == "exc":
                want.setdefault(int(n), []).append(float(t))
        self.assertGreater(sum(len(v) for v in want.values()), 20, "the network is not silent")
        self.assertEqual(len(self.data.spiketrains), 80)
        for st in self.data.spiketrains:
            i = st.annotations["source_index"]
            np.testing.assert_array_equal(st.magnitude, want.get(i, []))
            self.assertEqual(float(st.t_stop), 300.0)
        self.assertEqual(sorted(st.annotations["source_index"] for st in self.inh_data.spiketrains), [0, 1, 2, 3, 4])

    def test_v_agrees_with_csv(self):
        _, rows = read_csv(os.path.join(self.out, "v.csv"))
        sig = self.data.filter(name="v")[0]
        self.assertEqual(sig.shape, (300, 80))
        self.assertEqual(str(sig.units.dimensionality), "mV")
        for pop, n, t, v in rows[:2000]:
            if pop == "exc":
                self.assertEqual(sig[int(round(float(t))), int(n)].magnitude, float(v))
        self.assertEqual(float(sig[0, 0].magnitude), -65.0)

    def test_weights_and_delays(self):
        ws = self.ei.get("weight", "list")
        self.assertGreater(len(ws), 10)
        self.assertTrue(all(abs(w - 0.4) < 0.001 for _, _, w in ws), "inhibitory weights read back as magnitudes")
        w, d = self.ei.get(["weight", "delay"], "array")
        self.assertEqual(w.shape, (20, 20))
        self.assertEqual(np.count_nonzero(~np.isnan(w)), len(ws))
        self.assertTrue(np.all(d[~np.isnan(d)] == 1.0))
        self.assertEqual(len(self.ei), len(ws))

    def test_spike_counts(self):
        counts = self.exc.get_spike_counts()
        self.assertEqual(sum(counts.values()), sum(len(st) for st in self.data.spiketrains))


class RunSemantics(unittest.TestCase):
    def test_two_runs_equal_one(self):
        def build():
            setup()
            src = sim.Population(5, sim.SpikeSourcePoisson(rate=100.0), label="src")
            n = sim.Population(5, sim.IF_curr_exp(), label="n")
            sim.Projection(src, n, sim.OneToOneConnector(), sim.StaticSynapse(weight=3.0))
            n.record("spikes")
            return n
        n = build()
        sim.run(100)
        sim.run(100)
        two = [list(st.magnitude) for st in n.get_data().segments[0].spiketrains]
        n = build()
        sim.run(200)
        one = [list(st.magnitude) for st in n.get_data().segments[0].spiketrains]
        self.assertEqual(two, one)
        self.assertTrue(any(one))

    def test_projection_needs_run(self):
        setup()
        a = sim.Population(1, sim.SpikeSourceArray(spike_times=[1]))
        n = sim.Population(1, sim.IF_curr_exp())
        p = sim.Projection(a, n, sim.AllToAllConnector())
        with self.assertRaises(RuntimeError) as cm:
            p.get("weight", "list")
        self.assertIn("call run()", str(cm.exception))


class CurrentSources(unittest.TestCase):
    def test_dc_source_charges_the_membrane(self):
        setup()
        n = sim.Population(1, sim.IF_curr_exp(cm=0.25, tau_m=20.0, v_thresh=0.0), label="n")
        dark = sim.Population(1, sim.IF_curr_exp(), label="dark")
        dc = sim.DCSource(amplitude=0.2, start=10.0, stop=50.0)
        dc.inject_into(n)
        n.record("v")
        dark.record("v")
        self.assertEqual(sim.network()["current_sources"],
                         [{"type": "DCSource", "amplitude": 0.2, "start": 10, "stop": 50, "inject_into": "n"}])
        sim.run(100)
        v = n.get_data().segments[0].filter(name="v")[0].magnitude[:, 0]
        self.assertEqual(v[10], -65.0, "recorded before the update of tick 10")
        # after 40 updates: v_rest + R·I·(1 − e^{−40/20}), R·I = 80 MΩ · 0.2 nA = 16 mV
        self.assertAlmostEqual(v[50], -65 + 16 * (1 - np.exp(-2.0)), delta=0.05)
        self.assertTrue(np.all(dark.get_data().segments[0].filter(name="v")[0].magnitude == -65.0))


class Errors(unittest.TestCase):
    def test_refusal_names_the_scripts_labels(self):
        setup()
        sim.Population(1, sim.IF_curr_exp(tau_m=-1.0), label="bad cell")
        sim.Population(2, sim.IF_curr_exp(), label="x")
        sim.Population(2, sim.IF_curr_exp(), label="x")
        with self.assertRaises(sim.SpinnsimError) as cm:
            sim.run(10)
        msg = str(cm.exception)
        self.assertIn("Population 'bad cell', parameters.tau_m (populations[0].parameters.tau_m): must be > 0", msg)
        self.assertNotIsInstance(cm.exception, NotImplementedError)

    def test_unsupported_feature_is_not_implemented(self):
        setup()
        with self.assertRaises(NotImplementedError) as ctx:
            sim.ACSource(amplitude=0.5, frequency=10)
        self.assertIn("ACSource is not supported", str(ctx.exception))

    def test_gsyn_recorded(self):
        setup()
        n = sim.Population(2, sim.IF_curr_exp(), label="n")
        n.record("gsyn_exc")
        sim.run(10)
        sig = n.get_data().segments[0].filter(name="gsyn_exc")[0]
        self.assertEqual(sig.shape, (10, 2))


class Install(unittest.TestCase):
    def test_one_command_setup(self):
        base = tempfile.mkdtemp()
        env = dict(os.environ, PYTHONUSERBASE=base)
        env.pop("PYTHONPATH", None)
        res = subprocess.run([helpers.PYTHON, os.path.join(helpers.PYDIR, "install.py")],
                             env=env, capture_output=True, text=True)
        self.assertEqual(res.returncode, 0, res.stderr)
        res = subprocess.run([helpers.PYTHON, "-c",
                              "import pyNN.spinnsim as sim, spinnsim; "
                              "from spinnsim.pyNN.extra_algorithms.splitter_components import "
                              "SplitterAbstractPopulationVertexNeuronsSynapses as S; "
                              "print(sim is spinnsim, sim.extra_models.Neuromodulation().__class__.__name__, "
                              "S(2).n_synapse_vertices)"],
                             cwd=base, env=env, capture_output=True, text=True)
        self.assertEqual(res.stdout.strip(), "True Neuromodulation 2", res.stderr)


if __name__ == "__main__":
    unittest.main()
