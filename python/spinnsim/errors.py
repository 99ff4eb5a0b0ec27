"""spinnsim's refusals, with the JSON paths put back into the script's words."""

import re


class SpinnsimError(Exception):
    """spinnsim refused the network or the run failed. ``problems`` holds
    (where, message) pairs, where is in the script's terms; ``stderr`` is
    spinnsim's own output."""

    def __init__(self, summary, problems=(), stderr=""):
        self.problems = list(problems)
        self.stderr = stderr
        lines = [summary] + ["  %s: %s" % (w, m) if w else "  " + m for w, m in self.problems]
        Exception.__init__(self, "\n".join(lines))


class SpinnsimNotImplementedError(SpinnsimError, NotImplementedError):
    """Every problem spinnsim found is a feature it does not support yet."""


_PATH = re.compile(r"^(populations|projections|current_sources)\[(\d+)\](.*)$")
_PROBLEM = re.compile(r"^  (\S[^:]*?): (.*)$")


def describe_path(path, names):
    """Turn ``projections[2].synapse.tau_c`` into the script's words.

    names maps each list to, per index, a description (for example
    ``Projection 'Pre-post projection' #3``)."""
    m = _PATH.match(path)
    if not m:
        return path
    kind, i, rest = m.group(1), int(m.group(2)), m.group(3)
    table = names.get(kind, [])
    if i >= len(table):
        return path
    rest = rest.lstrip(".")
    return "%s%s (%s)" % (table[i], (", " + rest) if rest else "", path)


def parse_stderr(stderr, names):
    """The problems listed in spinnsim's stderr, translated."""
    problems = []
    for line in stderr.splitlines():
        m = _PROBLEM.match(line)
        if m and (_PATH.match(m.group(1)) or re.match(r"^[a-z_]+(\.[a-z_]+|\[\d+\])*$", m.group(1))):
            problems.append((describe_path(m.group(1), names), m.group(2)))
        elif line.startswith("  ") and line.strip():
            problems.append(("", line.strip()))
    return problems


def from_stderr(stderr, names, returncode):
    """The exception to raise for a failed spinnsim run."""
    problems = parse_stderr(stderr, names)
    first = stderr.strip().splitlines()[0] if stderr.strip() else "spinnsim exited with %d" % returncode
    if returncode == 2 and problems:
        summary = "spinnsim refused the network:"
        if "cannot be mapped" in first:
            summary = "spinnsim cannot map the network:"
        missing = [p for p in problems if "not supported" in p[1]]
        if missing:
            # The features spinnsim lacks come first; other problems are
            # often their consequences.
            rest = [p for p in problems if "not supported" not in p[1]]
            return SpinnsimNotImplementedError(
                "spinnsim does not support a feature this script uses (%s):" % _features(missing),
                missing + rest, stderr)
        return SpinnsimError(summary, problems, stderr)
    return SpinnsimError("spinnsim failed (exit status %d): %s" % (returncode, stderr.strip()), (), stderr)


def _features(missing):
    """Short names of the unsupported features, e.g. "splitter, StructuralMechanismSTDP"."""
    names = []
    for where, msg in missing:
        m = re.match(r"^(\S+) is not supported", msg)
        if m:
            name = m.group(1)
        else:
            name = where.split("(")[-1].rstrip(")").split(".")[-1] if where else msg
        if name not in names:
            names.append(name)
    return ", ".join(names)
