// Package mapping turns a network into a loaded machine, as sPyNNaker's
// tool chain (PACMAN) does, in two halves:
//
// Mapping, from the network file and the connectors' statistics alone, with
// no synapse generated (all that `spinnsim -map-only` runs):
//
//   - limits.go: what the file alone decides (recorded samples, neurons,
//     lookup tables, dopamine steps, board counts, and for a run the host
//     memory its synapses would take), reported one line per kind of
//     problem;
//   - plan.go: each projection's probable largest weight and delay (as
//     sPyNNaker estimates them: the quantile 1 − 0.01/n of the
//     distribution, bounded by its high), ring-buffer shifts, and how many
//     neurons a core of each population takes: halved until its ring buffer
//     and delay extensions reach its delays and its estimated DTCM and
//     SDRAM fit;
//   - delays.go: which sources get delay-extension cores (one a slice, on
//     its chip) and their stages;
//   - notes.go: the plan's decisions in words, for the log and the report
//     (Mapped.Notes);
//   - direct_poisson.go: which Poisson sources are merged into the neuron
//     cores they drive (sPyNNaker's SplitterPoissonDelegate);
//   - keys.go: | population | slice | neuron | keys in fields of fixed
//     width, so a population's slices share a prefix (delay extensions
//     after the populations, with the stage in three more neuron bits);
//   - edges.go: the machine edges (which source slices may connect to which
//     target slices) and every core's estimated needs;
//   - place.go: the machine (the smallest that fits, or the one asked for,
//     with its dead chips, cores and links), and placement: pinned
//     populations first, then in file order, chips in (x, y) order, a slice's
//     cores on one chip, never beyond a chip's SDRAM;
//   - route.go: a breadth-first tree over the live links from each source
//     slice's chip to the cores of its targets (targetCores), entries left
//     out where default routing carries a packet straight on, and tables of
//     more than 1023 entries (or all, on request) compressed with the pair
//     compressor or ordered covering (package router), exactly for every key
//     the network sends.
//
// Loading, for a run (mapping.go, load.go): every projection is generated
// from its own random stream and sorted into the rows of its edges one
// projection at a time; every core is loaded with its application and rows,
// every edge with its master population table entry. Should the drawn
// synapses need more than the plan (a delay beyond the likely maximum, a
// longer row), the population's slices are halved and the network mapped
// again.
//
// Decisions where sPyNNaker is more elaborate (each is a later issue):
//   - delays beyond what delay extensions reach (9 × a core's ring buffer)
//     shrink the target's slices, where sPyNNaker refuses them (delays.go);
//   - ring-buffer scaling uses the largest likely weight as sPyNNaker's
//     statistical maximum, and the total bound when delays vary (sPyNNaker
//     uses a tighter variance estimate there);
//   - routes are trees per source slice; sPyNNaker routes per population
//     and merges entries per population before compressing;
//   - keys carry no colour bits.
package mapping
