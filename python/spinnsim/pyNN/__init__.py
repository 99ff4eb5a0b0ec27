"""sPyNNaker's ``spynnaker.pyNN`` paths with the package prefix changed to
``spinnsim.pyNN``."""
