// Package output writes what a finished spinnsim run leaves for its user:
// the files of the output folder and the lines printed on standard output,
// as the "Running" section of the network format contract describes.
//
// [Write] fills a folder with:
//
//   - summary.json: what ran, the machine it used, spikes and mean rate per
//     population, synapses (and, for projections that record weight, the
//     final weights as [pre, post, weight] rows) per projection, and the
//     provenance totals. Populations and projections are listed in the
//     order of the network file; floats are written as Python's repr writes
//     them (shortest round-trip form, always with a decimal point), so they
//     read back exactly.
//   - provenance.json: the per-core and per-router counters and their
//     totals, and per plastic projection the post and dopamine events its
//     post neurons' histories lost before any pre spike used them.
//   - spikes.csv (population,neuron,time_ms): written only when some
//     population records spikes.
//   - v.csv (population,neuron,time_ms,v_mv): one row per neuron and tick,
//     written only when some population records v.
//   - weights.csv (projection,pre,post,weight,delay_ms): written only when
//     some projection records weight.
//   - raster.png: a spike raster of every population that records spikes,
//     with reward (green) and punishment (red) times along the bottom.
//   - traces.csv (projection,pre,post,time_ms,weight,eligibility,dopamine,
//     weight_now,eligibility_now,dopamine_now) and traces.png (the traced
//     weights against time, with the reward and punishment times): written
//     only when some projection traces synapses.
//
// summary.json also says whether the run is partial ("partial": true, with
// "planned_ticks", when it was interrupted and its outputs written anyway)
// and, when known, which network file it ran ("network_file": its absolute
// path and SHA-256), so that a later run can tell whose results a folder
// holds ([ReadPrevious]).
//
// The folder is written atomically ([Writer.Write]): the files go to a new
// folder beside it, which takes its place only once every file is complete.
// A failed or interrupted write leaves the previous folder as it was. The
// new folder replaces the old one as a whole, so an output file that a run
// does not write (say v.csv when nothing records v) does not survive from
// an earlier run, and the folder never mixes two runs. Other files and
// folders in it (notes, profiles) are carried over.
//
// CSV files have a header row, quote fields as RFC 4180 does (labels may hold
// commas or quotes), write numbers in shortest round-trip form without an
// exponent, in PyNN's units (ms, mV, nA), and are sorted: by population or
// projection in file order, then neuron (or pre, post, weight, delay), then
// time. A time is tick × timestep, rounded to the decimal places of the
// timestep, so a 0.1 ms step gives 0.3 and not 0.30000000000000004.
//
// [FinalWeightLines] gives sPyNNaker's "Final weight" lines for standard
// output (a line of counts instead of the list for a projection with more
// than [MaxListedWeights] synapses) and [SummaryText] a one-screen summary
// of the run.
package output
