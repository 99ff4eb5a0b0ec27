"""Run a script as /usr/bin/python3 would after `python/install.py`:
``python3 python/tests/run_script.py SCRIPT [ARGS]``, with python/ on the
path and ``import pyNN.spinnsim`` working."""

import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import spinnsim_alias  # noqa: E402

spinnsim_alias.install()
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
