#!/usr/bin/env bash
# The Python side's tests: PyNN front end (pyNN.spinnsim) through the real
# spinnsim binary, built here from this checkout. Needs Debian's PyNN and
# Neo (apt-get install -y python3-pynn python3-neo) and /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
go build -o "$bin_dir/spinnsim" ./cmd/spinnsim
export SPINNSIM="$bin_dir/spinnsim"
/usr/bin/python3 - <<'PY'
import os, sys, unittest
sys.path.insert(0, os.path.join("python", "tests"))
suite = unittest.defaultTestLoader.discover("python/tests", pattern="test_*.py", top_level_dir="python/tests")
res = unittest.TextTestRunner(verbosity=1).run(suite)
failed = len(res.failures) + len(res.errors)
skipped = len(res.skipped)
print("python: %d passed, %d failed, %d skipped" % (res.testsRun - failed - skipped, failed, skipped))
sys.exit(0 if res.wasSuccessful() and res.testsRun > 0 else 1)
PY
