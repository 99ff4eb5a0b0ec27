package output

// Run is everything a finished run leaves for its user. The simulator fills
// it in; this package only writes it out (files and standard output).
type Run struct {
	Name string
	// Source is the network file the run came from, or nil; summary.json
	// keeps it so that a later run can tell whose results a folder holds.
	Source     *Source
	Arithmetic string
	Seed       uint64
	// Ticks is the ticks that ran: all of them, or, when Partial, those
	// before the run was interrupted (PlannedTicks is then the full length).
	Ticks        int
	Partial      bool
	PlannedTicks int
	TimestepMs   float64
	WallSeconds  float64
	// Timings are how long each phase of the command took; nil when the
	// run was not timed (then summary.json has no timings).
	Timings     *Timings
	Machine     MachineUse
	Populations []Population // in the order of the network file
	Projections []Projection // in the order of the network file
	Markers     []Marker     // reward/punishment times for the raster
	Rewiring    []Rewiring   // formations and eliminations of populations that record them, sorted
	// Warnings are what the run did that its user should know (the command
	// prints them on standard error at the end): the chip's arithmetic
	// wrapping or saturating, learning events lost, injected faults.
	Warnings   []string
	Provenance Provenance
	// Traces are the traced synapses' samples (traces.csv, traces.png), in
	// the order of the network file's projections, then pre, post.
	Traces []SynapseTrace
}

// Timings are the seconds each phase of a run took: reading and checking
// the network file (Load), generating its connections (Generate), placing,
// keying, routing and loading it (Map), running the machine (Run) and
// writing the output files (Write: every file but summary.json, which is
// written last so that it can hold the figure).
type Timings struct {
	Load, Generate, Map, Run, Write float64
}

// Source identifies a network file: its absolute path (symbolic links
// resolved) and the SHA-256 of its bytes, in hex.
type Source struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Same reports whether s and o are the same network: the same file, or
// files with the same bytes.
func (s *Source) Same(o *Source) bool {
	if s == nil || o == nil {
		return false
	}
	return (s.Path != "" && s.Path == o.Path) || (s.SHA256 != "" && s.SHA256 == o.SHA256)
}

// MachineUse says how much of the machine the run used.
type MachineUse struct {
	Board            string `json:"board"`
	Boards           int    `json:"boards"`
	Chips            int    `json:"chips"`
	CoresUsed        int    `json:"cores_used"`
	RouterEntriesMax int    `json:"router_entries_max"`
	// RouterEntriesMaxGenerated is the most entries a chip's table had as
	// generated, before compression.
	RouterEntriesMaxGenerated int `json:"router_entries_max_generated"`
}

// Spike is one recorded spike: neuron index within the population and the
// tick, 8 bytes (a run holds every recorded spike at once).
type Spike struct {
	Neuron int32
	Tick   uint32
}

// Population is what a population recorded.
type Population struct {
	Label        string
	CellType     string
	Size         int
	SpikeCount   int     // spikes emitted by all its neurons (recorded or not)
	RecordSpikes bool    // Spikes is meaningful
	Spikes       []Spike // sorted by (neuron, tick)
	RecordV      bool    // V is meaningful
	V            Samples // mV, the membrane potential of each neuron at the start of each tick
	// Structural is set when structural projections come in; Formations
	// and Eliminations count their rewiring, RecordRewiring says whether
	// rewiring.csv lists it.
	Structural               bool
	Formations, Eliminations int
	RecordRewiring           bool
	// GsynExc and GsynInh are the excitatory and inhibitory synaptic input
	// currents (nA) of each neuron at each tick, after the tick's input
	// arrived, as IF_curr_exp records gsyn; nil when not recorded.
	GsynExc, GsynInh Samples
}

// Samples are a population's per-tick samples of one quantity, read a
// neuron at a time, so that a long run's samples need not all be in memory
// (the simulator may hold them in a file). Neuron appends neuron i's
// samples, tick 0 first, to dst and returns it; a neuron has a sample for
// every tick its core ran.
type Samples interface {
	Neurons() int
	Neuron(i int, dst []float64) ([]float64, error)
}

// SampleSlices are samples held in memory: SampleSlices[neuron][tick].
type SampleSlices [][]float64

// Neurons implements Samples.
func (s SampleSlices) Neurons() int { return len(s) }

// Neuron implements Samples.
func (s SampleSlices) Neuron(i int, dst []float64) ([]float64, error) {
	return append(dst, s[i]...), nil
}

// AllSamples reads every neuron's samples into memory.
func AllSamples(s Samples) ([][]float64, error) {
	out := make([][]float64, s.Neurons())
	for i := range out {
		var err error
		if out[i], err = s.Neuron(i, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Rewiring is one formation or elimination: the population (post) and
// projection, the tick, and the pre and post neurons.
type Rewiring struct {
	Population, Projection string
	Tick, Pre, Post        int
	Formation              bool
}

// Weight is one synapse of a projection, read back as sPyNNaker's
// projection.get(["weight", "delay"], "list") does.
type Weight struct {
	Pre, Post int
	Weight    float64 // nA
	DelayMs   float64
}

// Projection is what a projection ended with.
type Projection struct {
	Label    string
	Synapses int // at the start of the run
	// Structural projections count what rewiring formed and eliminated.
	Structural               bool
	Formations, Eliminations int
	RecordWeight             bool
	Weights                  []Weight // sorted by (pre, post, weight, delay); meaningful when RecordWeight
}

// Marker is a set of times to mark along the bottom of the raster: the spikes
// of the sources that feed reward (green) or punishment (red) receptors.
type Marker struct {
	Label   string
	Kind    string // "reward" or "punishment"
	TimesMs []float64
}

// Provenance is what the machine counted while it ran.
type Provenance struct {
	PacketsSent    uint64             `json:"packets_sent"`
	PacketsDropped uint64             `json:"packets_dropped"`
	TimerOverruns  uint64             `json:"timer_overruns"`
	Cores          []CoreProvenance   `json:"cores"`
	Routers        []RouterProvenance `json:"routers"`
	// Projections are the plastic projections' counts.
	Projections []ProjectionProvenance `json:"projections"`
}

// ProjectionProvenance is what a plastic projection's post-synaptic
// histories lost: the post spikes and the dopamine events that the chip's
// 16-entry history (sPyNNaker's compile-time MAX_POST_SYNAPTIC_EVENTS; float
// with the history_capacity quirk) evicted from the histories of the
// neurons the projection's synapses target before any pre spike's update
// used them.
type ProjectionProvenance struct {
	Label                  string `json:"label"`
	Post                   string `json:"post"`
	HistoryEvictedPost     uint64 `json:"history_evicted_post"`
	HistoryEvictedDopamine uint64 `json:"history_evicted_dopamine"`
}

// CoreProvenance is one application core's counters.
type CoreProvenance struct {
	Core            [3]int `json:"core"` // x, y, p
	Application     string `json:"application"`
	Label           string `json:"label"` // population label and slice, e.g. "post1[0:1]"
	SpikesSent      uint64 `json:"spikes_sent"`
	PacketsReceived uint64 `json:"packets_received"`
	SynapticEvents  uint64 `json:"synaptic_events"`
	PacketsDropped  uint64 `json:"packets_dropped"`
	DopamineEvents  uint64 `json:"dopamine_events"`
	WeightSaturated uint64 `json:"weight_saturations"`
	PostEvents      uint64 `json:"post_events,omitempty"` // post spikes looped back to a synapse core
	DMAReads        uint64 `json:"dma_reads,omitempty"`   // DMA transfers from SDRAM
	DMAWrites       uint64 `json:"dma_writes,omitempty"`  // DMA transfers to SDRAM
	// RewiringAttempts counts structural plasticity attempts on the core.
	RewiringAttempts uint64 `json:"rewiring_attempts,omitempty"`
	// InputWraps and MembraneWraps count 32-bit wrap-arounds of synaptic
	// currents and membrane updates in fixed point.
	// PacketsLost reached the core after an injected fault killed it at
	// KilledAtTick.
	PacketsLost   uint64  `json:"packets_lost,omitempty"`
	KilledAtTick  *uint32 `json:"killed_at_tick,omitempty"`
	InputWraps    uint64  `json:"input_wraps,omitempty"`
	MembraneWraps uint64  `json:"membrane_wraps,omitempty"`
	TimerOverruns uint64  `json:"timer_overruns"`
	// Post spikes and dopamine events evicted from the core's post-synaptic
	// histories before any pre spike used them (ProjectionProvenance).
	HistoryEvictedPost     uint64 `json:"history_evicted_post,omitempty"`
	HistoryEvictedDopamine uint64 `json:"history_evicted_dopamine,omitempty"`
	// A delay-extension core's spikes taken in, and lost to saturated
	// counters.
	DelayedSpikes  uint64 `json:"delayed_spikes,omitempty"`
	DelaySaturated uint64 `json:"delay_saturations,omitempty"`
}

// RouterProvenance is one chip router's counters.
type RouterProvenance struct {
	Chip          [2]int `json:"chip"`
	Entries       int    `json:"entries"`
	LocalMC       uint64 `json:"local_multicast"`
	ExternalMC    uint64 `json:"external_multicast"`
	Routed        uint64 `json:"packets_routed"`
	DefaultRouted uint64 `json:"default_routed"`
	Dropped       uint64 `json:"dropped"`
	LocalDropped  uint64 `json:"local_dropped"`
	FaultDropped  uint64 `json:"fault_dropped,omitempty"` // lost to an injected fault
}
