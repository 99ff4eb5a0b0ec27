package core

// Recorder keeps what a core records for the host: spikes, and at every
// tick the membrane potential and the synaptic input currents of every
// neuron, as sPyNNaker's recording regions do. v is taken at the start of
// the tick's update, before integration; gsyn_exc and gsyn_inh are the
// synaptic currents of the tick after the ring-buffer input was added, as
// IF_curr_exp records them (nA).
//
// The per-tick samples are a buffer, as a core's recording region in SDRAM
// is: they accumulate tick by tick, neuron after neuron ([Recorder.Buffered]),
// until the host extracts them and empties the buffer between two ticks
// ([Recorder.Empty]), as sPyNNaker's buffer manager does while a run goes
// on. A host that never extracts keeps the whole run in the buffer.
// Spikes are kept per neuron for the whole run.
type Recorder struct {
	Record

	SpikeTimes [][]uint32 // per neuron (slice-local), ticks in order
	Counts     []int      // spikes per neuron, recorded or not

	n       int
	samples [NumQuantities][]float64 // tick-major: sample k of neuron i at k·n + i
}

// Record says what a population records.
type Record struct {
	Spikes, V, GsynExc, GsynInh bool
}

// Quantity is one of the per-tick samples a core records.
type Quantity int

// The quantities a core can sample every tick.
const (
	V       Quantity = iota // membrane potential, mV
	GsynExc                 // excitatory synaptic current, nA
	GsynInh                 // inhibitory synaptic current, nA
	NumQuantities
)

// NewRecorder makes a recorder for n neurons.
func NewRecorder(n int, what Record) *Recorder {
	r := &Recorder{Record: what, Counts: make([]int, n), n: n}
	if what.Spikes {
		r.SpikeTimes = make([][]uint32, n)
	}
	return r
}

// Records reports whether q is recorded.
func (r *Recorder) Records(q Quantity) bool {
	switch q {
	case V:
		return r.V
	case GsynExc:
		return r.GsynExc
	case GsynInh:
		return r.GsynInh
	}
	return false
}

// Samples reports whether any per-tick trace is recorded.
func (r *Recorder) Samples() bool { return r.V || r.GsynExc || r.GsynInh }

// Neurons is the number of neurons the recorder covers.
func (r *Recorder) Neurons() int { return r.n }

// Reserve sizes the sample buffers for ticks ticks, so that filling them
// allocates nothing.
func (r *Recorder) Reserve(ticks int) {
	for q := range r.samples {
		if r.Records(Quantity(q)) && cap(r.samples[q]) < ticks*r.n {
			s := make([]float64, len(r.samples[q]), ticks*r.n)
			copy(s, r.samples[q])
			r.samples[q] = s
		}
	}
}

// Buffered returns the samples of q taken since the buffer was last
// emptied, tick-major (sample k of neuron i at k·Neurons()+i), and how
// many ticks they cover. The slice is the recorder's own: it is valid until
// the buffer is emptied or the next tick runs.
func (r *Recorder) Buffered(q Quantity) (samples []float64, ticks int) {
	if !r.Records(q) || r.n == 0 {
		return nil, 0
	}
	return r.samples[q], len(r.samples[q]) / r.n
}

// BufferedNeuron returns the buffered samples of q of neuron i (slice-local),
// in tick order, in a new slice.
func (r *Recorder) BufferedNeuron(q Quantity, i int) []float64 {
	samples, ticks := r.Buffered(q)
	out := make([]float64, ticks)
	for k := range out {
		out[k] = samples[k*r.n+i]
	}
	return out
}

// BufferedTicks is the number of ticks the sample buffers hold.
func (r *Recorder) BufferedTicks() int {
	for q := range r.samples {
		if _, ticks := r.Buffered(Quantity(q)); ticks > 0 {
			return ticks
		}
	}
	return 0
}

// Empty empties the sample buffers, keeping their memory.
func (r *Recorder) Empty() {
	for q := range r.samples {
		r.samples[q] = r.samples[q][:0]
	}
}

// sample records a neuron's state of this tick; the neurons of a tick come
// in order.
func (r *Recorder) sample(v, exc, inh float64) {
	if r.V {
		r.samples[V] = append(r.samples[V], v)
	}
	if r.GsynExc {
		r.samples[GsynExc] = append(r.samples[GsynExc], exc)
	}
	if r.GsynInh {
		r.samples[GsynInh] = append(r.samples[GsynInh], inh)
	}
}

func (r *Recorder) spike(i int, t uint32) {
	r.Counts[i]++
	if r.Spikes {
		r.SpikeTimes[i] = append(r.SpikeTimes[i], t)
	}
}

// Total is the number of spikes of all neurons.
func (r *Recorder) Total() int {
	n := 0
	for _, c := range r.Counts {
		n += c
	}
	return n
}
