// Package mapping turns a network into a loaded machine, as sPyNNaker's
// tool chain (PACMAN) does: it generates the connections, splits every
// population into slices of at most a core's worth of neurons, places the
// slices on the cores of the smallest machine they fit (or the one asked
// for, honouring placement constraints), allocates a routing key to every
// slice, computes multicast routes over the chip links and writes them into
// the routers' tables, works out each neuron core's ring-buffer weight
// scaling, and loads every core with its application and synaptic rows.
//
// Decisions where sPyNNaker is more elaborate (each is a later issue):
//   - keys: slice id << atom bits | neuron index, one mask for all slices;
//     no colour bits;
//   - routes: a breadth-first shortest-path tree from each source chip over
//     the live links (so every chip is reached once), with entries that the
//     router's default routing would reproduce left out; no compression: a
//     chip that needs more than 1023 entries is an error;
//   - ring-buffer scaling: the maximum of the generated weights stands for
//     sPyNNaker's statistical weight maximum, and the total bound is used
//     when delays vary (sPyNNaker uses a tighter variance estimate there);
//   - a population's slice shrinks by halves until its neuron core fits
//     DTCM and its ring buffer holds its delays (14 index bits of delay,
//     synapse type and neuron), unless the file sets max_atoms_per_core.
package mapping
