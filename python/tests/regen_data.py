#!/usr/bin/python3
"""Rewrite the expected network files in tests/data/ from the guide scripts:

    /usr/bin/python3 python/tests/regen_data.py

Each script in tests/scripts/ is run (its network file is written before
spinnsim runs, so scripts that spinnsim refuses still give theirs). Review
the diff before committing: the files are what the front end emits."""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helpers  # noqa: E402


def main():
    for f in sorted(os.listdir(helpers.SCRIPTS)):
        if not f.endswith(".py"):
            continue
        name = f[:-3]
        res, text = helpers.run_script(name, check=False)
        with open(os.path.join(helpers.DATA, name + ".json"), "w") as out:
            out.write(text)
        print("%s: wrote tests/data/%s.json (script exit status %d)" % (name, name, res.returncode))


if __name__ == "__main__":
    main()
