package core

// Recorder keeps what a core records for the host: spikes, and at every
// tick the membrane potential and the synaptic input currents of every
// neuron, as sPyNNaker's recording regions do. v is taken at the start of
// the tick's update, before integration; gsyn_exc and gsyn_inh are the
// synaptic currents of the tick after the ring-buffer input was added, as
// IF_curr_exp records them (nA).
type Recorder struct {
	Record

	SpikeTimes [][]uint32  // per neuron (slice-local), ticks in order
	Counts     []int       // spikes per neuron, recorded or not
	VTrace     [][]float64 // per neuron, mV at the start of each tick
	ExcTrace   [][]float64 // gsyn_exc per neuron, nA, each tick
	InhTrace   [][]float64 // gsyn_inh
}

// Record says what a population records.
type Record struct {
	Spikes, V, GsynExc, GsynInh bool
}

// NewRecorder makes a recorder for n neurons.
func NewRecorder(n int, what Record) *Recorder {
	r := &Recorder{Record: what, Counts: make([]int, n)}
	if what.Spikes {
		r.SpikeTimes = make([][]uint32, n)
	}
	if what.V {
		r.VTrace = make([][]float64, n)
	}
	if what.GsynExc {
		r.ExcTrace = make([][]float64, n)
	}
	if what.GsynInh {
		r.InhTrace = make([][]float64, n)
	}
	return r
}

// Samples reports whether any per-tick trace is recorded.
func (r *Recorder) Samples() bool { return r.V || r.GsynExc || r.GsynInh }

// sample records neuron i's state of this tick.
func (r *Recorder) sample(i int, v, exc, inh float64) {
	if r.V {
		r.VTrace[i] = append(r.VTrace[i], v)
	}
	if r.GsynExc {
		r.ExcTrace[i] = append(r.ExcTrace[i], exc)
	}
	if r.GsynInh {
		r.InhTrace[i] = append(r.InhTrace[i], inh)
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
