"""Tests of brian2_static.py's connectors and distributions (numpy only:
they need no Brian2). .ci/run runs them:

    /usr/bin/python3 -m unittest discover -s bench -p 'test_*.py'
"""

import unittest

import numpy as np

import brian2_static as peer


class Connectors(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(3)

    def test_fixed_total_with_replacement(self):
        i, j = peer.connect(self.rng, {"type": "FixedTotalNumberConnector", "n": 5000, "with_replacement": True},
                            40, 30, False, "p")
        self.assertEqual(len(i), 5000)
        self.assertTrue(((0 <= i) & (i < 40)).all() and ((0 <= j) & (j < 30)).all())
        # Every pre neuron is drawn about 5000/40 = 125 times (binomial,
        # standard deviation 11), every post neuron about 167.
        counts = np.bincount(i, minlength=40)
        self.assertGreater(counts.min(), 125 - 5 * 11)
        self.assertLess(counts.max(), 125 + 5 * 11)
        self.assertGreater(np.bincount(j, minlength=30).min(), 167 - 5 * 13)

    def test_fixed_total_no_self_connections(self):
        con = {"type": "FixedTotalNumberConnector", "n": 3000, "with_replacement": True,
               "allow_self_connections": False}
        i, j = peer.connect(self.rng, con, 20, 20, True, "p")
        self.assertEqual(len(i), 3000)
        self.assertFalse((i == j).any())

    def test_fixed_total_without_replacement_fills_off_diagonal(self):
        # All 5·5 − 5 cells off the diagonal: each exactly once.
        con = {"type": "FixedTotalNumberConnector", "n": 20, "allow_self_connections": False}
        i, j = peer.connect(self.rng, con, 5, 5, True, "p")
        cells = sorted(zip(i.tolist(), j.tolist()))
        self.assertEqual(cells, [(a, b) for a in range(5) for b in range(5) if a != b])

    def test_fixed_total_without_replacement_distinct(self):
        i, j = peer.connect(self.rng, {"type": "FixedTotalNumberConnector", "n": 100}, 12, 9, False, "p")
        self.assertEqual(len(set(zip(i.tolist(), j.tolist()))), 100)
        self.assertTrue((i < 12).all() and (j < 9).all())

    def test_fixed_total_too_many_without_replacement_is_refused(self):
        con = {"type": "FixedTotalNumberConnector", "n": 21, "allow_self_connections": False}
        with self.assertRaises(SystemExit):
            peer.connect(self.rng, con, 5, 5, True, "p")

    def test_fixed_probability(self):
        con = {"type": "FixedProbabilityConnector", "p_connect": 1.0, "allow_self_connections": False}
        i, j = peer.connect(self.rng, con, 6, 6, True, "p")
        self.assertEqual(len(i), 30)
        i, j = peer.connect(self.rng, {"type": "FixedProbabilityConnector", "p_connect": 0.0}, 6, 6, False, "p")
        self.assertEqual(len(i), 0)

    def test_one_to_one_and_all_to_all(self):
        i, j = peer.connect(self.rng, {"type": "OneToOneConnector"}, 7, 4, False, "p")
        self.assertEqual(i.tolist(), [0, 1, 2, 3])
        self.assertEqual(j.tolist(), [0, 1, 2, 3])
        i, j = peer.connect(self.rng, {"type": "AllToAllConnector"}, 3, 2, False, "p")
        self.assertEqual(list(zip(i.tolist(), j.tolist())), [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)])

    def test_unknown_connector_is_refused(self):
        with self.assertRaises(SystemExit) as e:
            peer.connect(self.rng, {"type": "DistanceDependentProbabilityConnector"}, 3, 3, False, "p")
        self.assertEqual(e.exception.code, 2)


class Distributions(unittest.TestCase):
    def test_normal_clipped_redraws(self):
        rng = np.random.default_rng(4)
        x = peer.draw(rng, {"distribution": "normal_clipped", "mu": 1.5, "sigma": 0.75, "low": 0.1, "high": 12.8},
                      100000, "d")
        self.assertTrue(((x >= 0.1) & (x <= 12.8)).all())
        # Redrawn, not piled at the bound: no value equals it.
        self.assertFalse((x == 0.1).any())
        # The mean of a normal truncated at (0.1 − 1.5)/0.75 = −1.87σ:
        # μ + σ·φ(α)/(1 − Φ(α)) = 1.5 + 0.75·0.0699/0.9693 = 1.554.
        self.assertAlmostEqual(x.mean(), 1.554, delta=0.01)

    def test_constant_and_uniform(self):
        rng = np.random.default_rng(5)
        self.assertEqual(peer.draw(rng, 0.25, 3, "w").tolist(), [0.25, 0.25, 0.25])
        u = peer.draw(rng, {"distribution": "uniform", "low": 2, "high": 3}, 10000, "w")
        self.assertTrue(((u >= 2) & (u < 3)).all())
        self.assertAlmostEqual(u.mean(), 2.5, delta=0.02)

    def test_unknown_distribution_is_refused(self):
        with self.assertRaises(SystemExit):
            peer.draw(np.random.default_rng(6), {"distribution": "gamma", "k": 2}, 3, "w")


if __name__ == "__main__":
    unittest.main()
