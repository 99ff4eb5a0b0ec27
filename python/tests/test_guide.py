"""The guide's scripts, unchanged but for their imports, through the real binary."""

import csv
import json
import os
import re
import unittest

import helpers

GUIDE_FIXED = 10.0654296875
GUIDE_FLOAT = 10.0552710465


def weights_printed(stdout):
    return [float(w) for w in re.findall(r"\(0, 0, ([0-9.e+-]+)\)", stdout)]


class GuideFirstScript(unittest.TestCase):
    def test_fixed_gives_spinnakers_weight(self):
        res, net = helpers.run_script("stdp_neuromodulation_test")
        self.assertEqual(res.stdout.strip(), "[(0, 0, %r)]" % GUIDE_FIXED)

    def test_float_gives_the_closed_form(self):
        res, _ = helpers.run_script("stdp_neuromodulation_test", env={"SPINNSIM_ARITHMETIC": "float"})
        (w,) = weights_printed(res.stdout)
        self.assertAlmostEqual(w, GUIDE_FLOAT, delta=1e-9)

    def test_emitted_file_is_the_checked_in_one(self):
        _, net = helpers.run_script("stdp_neuromodulation_test")
        self.assertEqual(net, helpers.read_file(os.path.join(helpers.DATA, "stdp_neuromodulation_test.json")),
                         "regenerate with python/tests/regen_data.py if the change is meant")

    def test_emitted_file_means_the_example(self):
        # The same network as examples/izhikevich_single.json, up to labels
        # and the weights recorded: run both, same weight and spikes.
        _, net = helpers.run_script("stdp_neuromodulation_test")
        doc = json.loads(net)
        out_py = helpers.run_binary(doc)
        out_ex = helpers.run_binary(os.path.join(helpers.REPO, "examples", "izhikevich_single.json"))
        with open(os.path.join(out_py, "summary.json")) as f:
            s_py = json.load(f)
        with open(os.path.join(out_ex, "summary.json")) as f:
            s_ex = json.load(f)
        self.assertEqual(s_py["projections"]["Pre-post projection"]["weights"],
                         s_ex["projections"]["Pre-post projection"]["weights"])
        self.assertEqual(s_py["populations"]["post1"], s_ex["populations"]["post1"])


def spikes_by_pop(out):
    by = {}
    with open(os.path.join(out, "spikes.csv"), newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for pop, n, t in rows:
            by.setdefault(pop, []).append((int(n), float(t)))
    return by


class GuideTenPopulations(unittest.TestCase):
    """examples/ten_pops.json is the guide's second script written out by
    hand; it names the Poisson sources stim0…stim9 where the front end names
    the script's ten "pre" populations pre0…pre9. A Poisson source's random
    stream is keyed by its label, so the example is compared with those
    labels changed (and nothing else)."""

    @classmethod
    def setUpClass(cls):
        cls.res, cls.net = helpers.run_script("stdp_neuromodulated_example")
        cls.doc = json.loads(cls.net)

    def test_emitted_file_is_the_checked_in_one(self):
        self.assertEqual(self.net, helpers.read_file(os.path.join(helpers.DATA, "stdp_neuromodulated_example.json")))

    def test_labels_made_unique(self):
        labels = [p["label"] for p in self.doc["populations"]]
        self.assertEqual(labels[:4], ["reward", "punishment", "pre0", "post0"])
        self.assertEqual(labels[-2:], ["pre9", "post9"])
        self.assertEqual(len(set(labels)), len(labels))

    def test_same_network_and_spikes_as_the_example(self):
        with open(os.path.join(helpers.REPO, "examples", "ten_pops.json")) as f:
            text = f.read()
        ex = json.loads(re.sub(r'"stim(\d)"', r'"pre\1"', text))
        # The same populations, in the same order, with the same parameters.
        self.assertEqual([(p["label"], p["size"], p["cell_type"], p["parameters"]) for p in ex["populations"]],
                         [(p["label"], p["size"], p["cell_type"], p["parameters"]) for p in self.doc["populations"]])

        def norm(x):  # 1.0 and 1 are the same number in a network file
            if isinstance(x, dict):
                return {k: norm(v) for k, v in x.items()}
            if isinstance(x, float) and x.is_integer():
                return int(x)
            return x

        def key(pr):
            syn = dict(pr["synapse"], delay=pr["synapse"].get("delay", 1), w_min=pr["synapse"].get("w_min", 0))
            return (pr["pre"], pr["post"], json.dumps(norm(pr["connector"]), sort_keys=True),
                    json.dumps(norm(syn), sort_keys=True), pr["receptor_type"])
        self.assertEqual([key(p) for p in ex["projections"]], [key(p) for p in self.doc["projections"]])
        got = spikes_by_pop(helpers.run_binary(self.doc))
        want = spikes_by_pop(helpers.run_binary(ex))
        self.assertEqual(sorted(got), ["post%d" % i for i in range(10)])
        self.assertEqual(got, want)
        self.assertGreater(sum(len(v) for v in got.values()), 1000)

    def test_script_prints_final_weights(self):
        lines = self.res.stdout.splitlines()
        self.assertEqual(lines[0], "Weights(Initial 1.5)")
        self.assertEqual(len(lines), 11)


class GuideSplitScript(unittest.TestCase):
    def test_emitted_file(self):
        res, net = helpers.run_script("stdp_neuromodulated_example_split", check=False)
        self.assertEqual(net, helpers.read_file(os.path.join(helpers.DATA, "stdp_neuromodulated_example_split.json")))
        doc = json.loads(net)
        self.assertEqual(doc["populations"][3]["splitter"], {"synapse_cores": 2})
        self.assertEqual(res.returncode, 0, res.stderr)
        plain, _ = helpers.run_script("stdp_neuromodulated_example")
        self.assertEqual(res.stdout, plain.stdout, "the split gives the combined run's weights")


class GuideStructuralScript(unittest.TestCase):
    def test_runs_like_the_example(self):
        """The guide's third script, unchanged but for its import: the
        network it emits is the checked-in one, it runs, and it prints the
        weights of the synapses that grew (the example's own file is
        examples/structural_ten_pops.json)."""
        res, net = helpers.run_script("structural_plasticity_with_stdp_neuromodulated", check=False)
        self.assertEqual(net, helpers.read_file(
            os.path.join(helpers.DATA, "structural_plasticity_with_stdp_neuromodulated.json")))
        self.assertEqual(res.returncode, 0, res.stderr)
        grown = [l for l in res.stdout.splitlines() if l.startswith("[(")]
        self.assertEqual(len(grown), 10, "each of the ten projections grew synapses:\n" + res.stdout[:2000])


if __name__ == "__main__":
    unittest.main()
