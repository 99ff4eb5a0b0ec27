package output

// Run is everything a finished run leaves for its user. The simulator fills
// it in; this package only writes it out (files and standard output).
type Run struct {
	Name        string
	Arithmetic  string
	Seed        uint64
	Ticks       int
	TimestepMs  float64
	WallSeconds float64
	Machine     MachineUse
	Populations []Population // in the order of the network file
	Projections []Projection // in the order of the network file
	Markers     []Marker     // reward/punishment times for the raster
	Provenance  Provenance
	// Traces are the traced synapses' samples (traces.csv, traces.png), in
	// the order of the network file's projections, then pre, post.
	Traces []SynapseTrace
	// Warnings are what the user should know about the run (the command
	// prints them on standard error at the end).
	Warnings []string
}

// MachineUse says how much of the machine the run used.
type MachineUse struct {
	Board            string `json:"board"`
	Boards           int    `json:"boards"`
	Chips            int    `json:"chips"`
	CoresUsed        int    `json:"cores_used"`
	RouterEntriesMax int    `json:"router_entries_max"`
}

// Spike is one recorded spike: neuron index within the population and the tick.
type Spike struct {
	Neuron int
	Tick   int
}

// Population is what a population recorded.
type Population struct {
	Label        string
	CellType     string
	Size         int
	SpikeCount   int         // spikes emitted by all its neurons (recorded or not)
	RecordSpikes bool        // Spikes is meaningful
	Spikes       []Spike     // sorted by (neuron, tick)
	RecordV      bool        // V is meaningful
	V            [][]float64 // V[neuron][tick], mV, the membrane potential at the start of the tick
	// GsynExc and GsynInh are the excitatory and inhibitory synaptic input
	// currents (nA) of each neuron at each tick, after the tick's input
	// arrived, as IF_curr_exp records gsyn; nil when not recorded.
	GsynExc, GsynInh [][]float64
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
	Label        string
	Synapses     int
	RecordWeight bool
	Weights      []Weight // sorted by (pre, post, weight, delay); meaningful when RecordWeight
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
	TimerOverruns   uint64 `json:"timer_overruns"`
	// Post spikes and dopamine events evicted from the core's post-synaptic
	// histories before any pre spike used them (ProjectionProvenance).
	HistoryEvictedPost     uint64 `json:"history_evicted_post,omitempty"`
	HistoryEvictedDopamine uint64 `json:"history_evicted_dopamine,omitempty"`
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
}
