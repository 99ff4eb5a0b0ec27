"""What the Brian2 peers (brian2_dense.py, brian2_static.py) share: PyNN's
IF_curr_exp defaults as spinnsim takes them, and how a peer refuses what it
does not model."""

import os
import sys

# PyNN's IF_curr_exp defaults (ms, mV, nF, nA), as spinnsim fills them in.
IF_DEFAULTS = {"cm": 1.0, "tau_m": 20.0, "tau_refrac": 0.1, "tau_syn_E": 5.0, "tau_syn_I": 5.0,
               "v_rest": -65.0, "v_reset": -65.0, "v_thresh": -50.0, "i_offset": 0.0}


def refuse(msg):
    """Says what is not supported, named by the peer, and exits with 2."""
    prog = os.path.splitext(os.path.basename(sys.argv[0]))[0] or "brian2"
    print(f"{prog}: {msg}", file=sys.stderr)
    sys.exit(2)


def const(x, what):
    """x as a float, or a refusal if it is a distribution."""
    if isinstance(x, (int, float)):
        return float(x)
    refuse(f"{what}: only a constant value is supported here, not {x!r}")


def if_curr_exp_params(lab, par):
    """An IF_curr_exp population's parameters, the defaults filled in; an
    unknown or non-constant one is refused."""
    pp = dict(IF_DEFAULTS)
    for k, v in par.items():
        if k not in pp:
            refuse(f"population {lab}: parameter {k} is not supported")
        pp[k] = const(v, f"{lab}.{k}")
    return pp
