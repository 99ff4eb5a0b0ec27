// Package connectors turns a projection's PyNN connector and synapse into the
// list of synapses it makes, and tells how many connections per post neuron
// sPyNNaker's ring-buffer scaling assumes for it.
//
// # What it models
//
// Build generates the connections of one projection: which (pre, post) pairs
// are connected, and the weight (a magnitude in nA; the receptor gives the
// sign) and the delay (in whole timer ticks) of each. It follows PyNN's
// connector semantics:
//
//   - AllToAllConnector: every pair; without self connections on the same
//     population, i→i is left out.
//   - OneToOneConnector: i→i for i below min(n_pre, n_post), as PyNN does
//     when the populations differ in size.
//   - FixedProbabilityConnector: every pair independently with p_connect.
//   - FixedNumberPreConnector: each post neuron draws n pre neurons.
//   - FixedNumberPostConnector: each pre neuron draws n post neurons.
//   - FixedTotalNumberConnector: n pairs drawn from all pairs.
//   - FromListConnector: exactly the listed rows, with each row's own weight
//     and delay where it gives them.
//
// The FixedNumber* connectors draw distinct neurons (pairs) unless
// with_replacement is set, when the draws are independent and a pair can
// repeat. allow_self_connections applies only when pre and post are the same
// population, and never to OneToOne or FromList.
//
// Every random choice comes from the *rand.Rand the caller passes, in a fixed
// order, so a seed always gives the same synapses: first the pairs, then, in
// the output order (by pre, then post, then generation order), one weight
// draw and one delay draw per synapse for each of the two that is a
// distribution. Constants draw nothing.
//
// Weights are stored as magnitudes, as sPyNNaker does (|w|): a negative
// weight drawn from a distribution, or written in a list row, becomes its
// magnitude. Checking the sign against the receptor is the loader's job.
//
// Delays are rounded as sPyNNaker rounds them: rint(delay · steps per ms)
// (round half to even; steps per ms = 1000 / the timestep in whole µs), and a
// delay shorter than one tick becomes one tick. A delay longer than
// maxDelayTicks (what a ring buffer and delay extensions reach) is an error
// (ErrDelayTooLong).
//
// MaxPerPost is sPyNNaker's n_conn_max for a connector, the number of
// connections into one post neuron that the ring-buffer left shift is sized
// for (reference §1.7). It reproduces sPyNNaker's own estimates, quirks
// included, because the weight scale, and so every stored weight, depends on
// it. BinomPPF is scipy's binom.ppf, which those estimates use.
//
// # What it leaves out
//
// Distance-dependent, index-based, kernel, array, CSA and the other
// connectors PyNN has beyond the seven above; views of populations;
// random distributions other than uniform, normal and normal_clipped; the
// random streams of
// sPyNNaker (numpy's Mersenne Twister on the host, mars_kiss64 on the
// machine), so a seed does not give the same connections as sPyNNaker does,
// only the same statistics.
package connectors
