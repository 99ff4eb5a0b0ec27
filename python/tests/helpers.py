"""Shared set-up of the Python tests: python/ on sys.path, the spinnsim
binary (SPINNSIM, or built once into python/.bin by the backend), and a way
to run a guide script as a user would."""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)
SCRIPTS = os.path.join(HERE, "scripts")
DATA = os.path.join(HERE, "data")
PYTHON = "/usr/bin/python3"

if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)
import spinnsim_alias  # noqa: E402

spinnsim_alias.install()


def binary():
    from spinnsim import binary as b
    return b.find()


def run_script(name, env=None, check=True):
    """Run tests/scripts/<name>.py in a fresh /usr/bin/python3; return
    (completed process, the network file it wrote)."""
    fd, net = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    e = dict(os.environ, SPINNSIM=binary(), SPINNSIM_WRITE_NETWORK=net)
    e.update(env or {})
    res = subprocess.run([PYTHON, os.path.join(HERE, "run_script.py"), os.path.join(SCRIPTS, name + ".py")],
                         env=e, capture_output=True, text=True)
    with open(net) as f:
        text = f.read()
    os.remove(net)
    if check and res.returncode != 0:
        raise AssertionError("%s failed:\n%s" % (name, res.stderr))
    return res, text


def run_binary(path_or_doc, arith=None, seed=None):
    """Run spinnsim on a network file (path or dict); return its output folder."""
    work = tempfile.mkdtemp(prefix="spinnsim-test-")
    if isinstance(path_or_doc, dict):
        path = os.path.join(work, "net.json")
        with open(path, "w") as f:
            json.dump(path_or_doc, f)
    else:
        path = path_or_doc
    out = os.path.join(work, "out")
    cmd = [binary(), "-net", path, "-out", out, "-quiet"]
    if arith:
        cmd += ["-arith", arith]
    if seed is not None:
        cmd += ["-seed", str(seed)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise AssertionError("spinnsim failed: %s" % res.stderr)
    return out


def read_file(path):
    with open(path) as f:
        return f.read()
