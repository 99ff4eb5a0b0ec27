#!/usr/bin/python3
"""Set up spinnsim's PyNN backend for the current user, in one command:

    /usr/bin/python3 python/install.py

It writes ``spinnsim.pth`` into the user's site-packages folder (no root
needed), so that ``import pyNN.spinnsim`` and ``import spinnsim`` work in
every /usr/bin/python3 session. PyNN and Neo come from Debian:
``apt-get install -y python3-pynn python3-neo``. ``--uninstall`` removes the
file again. Set PYTHONUSERBASE to install somewhere else.
"""

import os
import site
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    folder = site.getusersitepackages()
    pth = os.path.join(folder, "spinnsim.pth")
    if "--uninstall" in argv:
        if os.path.exists(pth):
            os.remove(pth)
            print("removed", pth)
        return 0
    os.makedirs(folder, exist_ok=True)
    with open(pth, "w") as f:
        f.write(HERE + "\n")
        f.write("import spinnsim_alias; spinnsim_alias.install()\n")
    print("wrote", pth)
    try:
        import pyNN  # noqa: F401
        import neo  # noqa: F401
    except ImportError as err:
        print("note: %s; install PyNN and Neo with: "
              "apt-get install -y python3-pynn python3-neo" % err, file=sys.stderr)
        return 1
    print("now `import pyNN.spinnsim as sim` works in /usr/bin/python3")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
