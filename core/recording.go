package core

// Recorder keeps what a core records for the host: spikes, and the membrane
// potential of every neuron at every tick. On SpiNNaker these go to SDRAM
// recording regions; here they stay in host memory.
type Recorder struct {
	Spikes bool
	V      bool

	SpikeTimes [][]uint32  // per neuron (slice-local), ticks in order
	Counts     []int       // spikes per neuron, recorded or not
	VTrace     [][]float64 // per neuron, mV at the start of each tick
}

// NewRecorder makes a recorder for n neurons.
func NewRecorder(n int, spikes, v bool) *Recorder {
	r := &Recorder{Spikes: spikes, V: v, Counts: make([]int, n)}
	if spikes {
		r.SpikeTimes = make([][]uint32, n)
	}
	if v {
		r.VTrace = make([][]float64, n)
	}
	return r
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
