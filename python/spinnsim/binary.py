"""Finding the spinnsim binary.

In order: the SPINNSIM environment variable (a path), ``spinnsim`` on PATH,
or a binary built with ``go build`` from the repository this package lives
in (``python/../``), kept in ``python/.bin/`` and rebuilt when a Go file of
the repository is newer than it.
"""

import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILT = os.path.join(REPO, "python", ".bin", "spinnsim")


def _newest_go_file():
    newest = 0.0
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("python", "spinnsim-out")]
        for f in files:
            if f.endswith(".go") or f in ("go.mod", "go.sum"):
                newest = max(newest, os.path.getmtime(os.path.join(root, f)))
    return newest


def find():
    """The path of the spinnsim binary, building it if need be."""
    env = os.environ.get("SPINNSIM")
    if env:
        if not os.access(env, os.X_OK):
            raise RuntimeError("SPINNSIM=%s is not an executable file" % env)
        return env
    on_path = shutil.which("spinnsim")
    if on_path:
        return on_path
    if not os.path.exists(os.path.join(REPO, "go.mod")):
        raise RuntimeError("spinnsim: no spinnsim binary on PATH and no repository to build it from "
                           "(install it with `go install ./cmd/spinnsim` in the spinnsim repository, "
                           "or set SPINNSIM to its path)")
    if os.path.exists(BUILT) and os.path.getmtime(BUILT) >= _newest_go_file():
        return BUILT
    go = shutil.which("go")
    if go is None:
        raise RuntimeError("spinnsim: no spinnsim binary on PATH, and Go is not installed to build it "
                           "from %s (install Go 1.26, or set SPINNSIM to a binary)" % REPO)
    print("spinnsim: building the spinnsim binary from %s (first use; takes a minute)..." % REPO,
          file=sys.stderr, flush=True)
    os.makedirs(os.path.dirname(BUILT), exist_ok=True)
    res = subprocess.run([go, "build", "-o", BUILT, "./cmd/spinnsim"], cwd=REPO,
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("spinnsim: `go build ./cmd/spinnsim` failed in %s:\n%s" % (REPO, res.stderr))
    print("spinnsim: built %s" % BUILT, file=sys.stderr, flush=True)
    return BUILT
