"""Makes ``import pyNN.spinnsim`` find the ``spinnsim`` package.

PyNN's backends live inside the ``pyNN`` package, which Debian installs. This
module adds a finder for the one name ``pyNN.spinnsim`` (and its submodules)
that loads them from the ``spinnsim`` package beside this file, so that a
script written for sPyNNaker runs after changing ``pyNN.spiNNaker`` to
``pyNN.spinnsim``. It imports nothing heavy: ``install.py`` puts it in a
``.pth`` file that Python runs at start-up.
"""

import importlib
import importlib.abc
import importlib.util
import sys

ALIAS = "pyNN.spinnsim"
TARGET = "spinnsim"


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self.spec = module.__spec__
        return module

    def exec_module(self, module):
        # The target module is already executed; importlib has just given it
        # the alias's spec: keep its own, so that its relative imports work.
        module.__spec__ = self.spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != ALIAS and not fullname.startswith(ALIAS + "."):
            return None
        real = TARGET + fullname[len(ALIAS):]
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real))


def install():
    """Add the finder once (idempotent)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
