"""``spynnaker.pyNN.extra_algorithms`` as ``spinnsim.pyNN.extra_algorithms``."""
