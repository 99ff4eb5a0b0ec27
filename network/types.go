package network

// Format is the only network file format this version reads.
const Format = "spinnsim-network/1"

// Cell types.
const (
	SpikeSourceArray   = "SpikeSourceArray"
	SpikeSourcePoisson = "SpikeSourcePoisson"
	IFCurrExp          = "IF_curr_exp"
)

// Synapse types.
const (
	StaticSynapse   = "StaticSynapse"
	STDPMechanism   = "STDPMechanism"
	Neuromodulation = "Neuromodulation"
	// StructuralMechanismSTDP and StructuralMechanismStatic are synapses that
	// rewire (Synapse.Structural holds the rule); the STDP form is also an
	// STDPMechanism (Synapse.Timing and Synapse.WeightDep are set).
	StructuralMechanismSTDP   = "StructuralMechanismSTDP"
	StructuralMechanismStatic = "StructuralMechanismStatic"
)

// Receptor types.
const (
	Excitatory = "excitatory"
	Inhibitory = "inhibitory"
	Reward     = "reward"
	Punishment = "punishment"
)

// Connector types.
const (
	AllToAll         = "AllToAllConnector"
	OneToOne         = "OneToOneConnector"
	FixedProbability = "FixedProbabilityConnector"
	FixedNumberPre   = "FixedNumberPreConnector"
	FixedNumberPost  = "FixedNumberPostConnector"
	FixedTotalNumber = "FixedTotalNumberConnector"
	FromList         = "FromListConnector"
	ArithmeticFixed  = "fixed"
	ArithmeticFloat  = "float"
	BoardSpiNN3      = "spinn-3"
	BoardSpiNN5      = "spinn-5"
	RecordSpikes     = "spikes"
	RecordV          = "v"
	RecordGsynExc    = "gsyn_exc"
	RecordGsynInh    = "gsyn_inh"
	RecordRewiring   = "rewiring"
	RecordWeight     = "weight"
	DistNormal       = "normal"
	DistUniform      = "uniform"
	// DistNormalClipped is PyNN's normal_clipped: draws outside [low, high]
	// are drawn again.
	DistNormalClipped = "normal_clipped"
)

// Routing-table compressors (MappingSpec.Compressor), as sPyNNaker's tool
// chain names them.
const (
	CompressorPair            = "pair"
	CompressorOrderedCovering = "ordered_covering"
)

// Network is a validated network file: a PyNN script written down as data.
// Every default of the spec has been filled in; units are PyNN's (ms, mV, nA, nF, Hz).
type Network struct {
	Name       string
	TimestepMs float64
	DurationMs float64
	Seed       uint64
	Arithmetic string // ArithmeticFixed or ArithmeticFloat
	// FloatQuirks are the chip behaviours switched on in float (FloatQuirks
	// names, each once); fixed has them all.
	FloatQuirks []string
	Machine     MachineSpec
	Mapping     MappingSpec
	Populations []Population
	Projections []Projection
	// Faults are hardware faults injected during the run; nil for none.
	Faults *Faults

	// CurrentSources are injected into neuron populations (PyNN's DCSource).
	CurrentSources []CurrentSource

	// Warnings are what the file gives that is valid but probably not meant,
	// in document order, each with its JSON path: a parameter far outside
	// its physiological range (most often typed in the wrong unit), a
	// distribution whose draws the machine folds or clips. See warnings.go.
	Warnings []Problem
}

// Ticks is the number of timer ticks the run lasts: round(duration / timestep).
func (n *Network) Ticks() int {
	return int(n.DurationMs/n.TimestepMs + 0.5)
}

// Population returns the index of the population with the label, or -1.
func (n *Network) Population(label string) int {
	for i := range n.Populations {
		if n.Populations[i].Label == label {
			return i
		}
	}
	return -1
}

// MachineSpec asks for a machine. Board "" means: the smallest machine the network fits on.
type MachineSpec struct {
	Board  string // "", BoardSpiNN3 or BoardSpiNN5
	Boards int    // ≥ 1 when Board is set

	// Faults to map around (only with a Board): dead chips, dead cores and
	// dead links (a link is dead both ways). Whether they name parts of the
	// machine is for the mapping to say.
	DeadChips []ChipXY
	DeadCores []CoreXYP
	DeadLinks []LinkXY
}

// ChipXY names a chip.
type ChipXY struct{ X, Y int }

// CoreXYP names a physical core (0–17) of a chip.
type CoreXYP struct{ X, Y, P int }

// LinkXY names the link leaving chip (X, Y) in a direction: Link is its
// index in LinkNames (0 east … 5 south).
type LinkXY struct{ X, Y, Link int }

// MappingSpec chooses how the tool chain maps the network: which
// routing-table compressor runs (CompressorPair, the default, or
// CompressorOrderedCovering), and whether every table is compressed
// (CompressAlways) or only those with more entries than a router holds.
type MappingSpec struct {
	Compressor     string
	CompressAlways bool
}

// Population is one PyNN Population.
type Population struct {
	Label    string
	Size     int
	CellType string

	// SpikeSourceArray: one sorted list of spike times (ms) per neuron, len == Size.
	// When the file gives one list for all neurons they share one slice: read only.
	SpikeTimes [][]float64

	// SpikeSourcePoisson: one rate (Hz) per neuron (len == Size), start (ms) and
	// duration (ms; +Inf when the file leaves it out: to the end of the run).
	Rates      []float64
	StartMs    float64
	DurationMs float64

	// IF_curr_exp parameters and initial values (PyNN defaults filled in).
	IF   IFCurrExpParams
	Init IFCurrExpInit

	RecordSpikes  bool
	RecordV       bool
	RecordGsynExc bool
	RecordGsynInh bool
	// RecordRewiring lists the formations and eliminations of the
	// structural projections into the population (rewiring.csv).
	RecordRewiring bool

	// SynapseCores > 0 splits each slice into one neuron core and that many
	// synapse cores (the splitter).
	SynapseCores int

	// MaxAtomsPerCore overrides the model's default slice size when > 0.
	MaxAtomsPerCore int
	// Placement pins the population's cores to a chip (and core when HasP).
	Placement *Placement
}

// IsSource reports whether the population is a spike source (no neuron model).
func (p *Population) IsSource() bool {
	return p.CellType == SpikeSourceArray || p.CellType == SpikeSourcePoisson
}

// IFCurrExpParams are PyNN's IF_curr_exp parameters.
type IFCurrExpParams struct {
	Cm        float64 // nF (default 1.0)
	TauM      float64 // ms (20.0)
	TauRefrac float64 // ms (0.1)
	TauSynE   float64 // ms (5.0)
	TauSynI   float64 // ms (5.0)
	VRest     float64 // mV (-65.0)
	VReset    float64 // mV (-65.0)
	VThresh   float64 // mV (-50.0)
	IOffset   float64 // nA (0.0)
}

// DefaultIFCurrExp returns PyNN's defaults.
func DefaultIFCurrExp() IFCurrExpParams {
	return IFCurrExpParams{Cm: 1.0, TauM: 20.0, TauRefrac: 0.1, TauSynE: 5.0, TauSynI: 5.0,
		VRest: -65.0, VReset: -65.0, VThresh: -50.0, IOffset: 0.0}
}

// IFCurrExpInit are the initial values (defaults: v = v_rest, currents 0).
type IFCurrExpInit struct {
	V       InitialValue // mV
	IsynExc InitialValue // nA
	IsynInh InitialValue // nA
}

// InitialValue is a state variable's initial value: one number for every
// neuron (Value.Const), a distribution drawn per neuron from the run's seed
// (Value.Distribution), or one value per neuron (PerNeuron, len == Size).
type InitialValue struct {
	Value
	PerNeuron []float64
}

// Constant is an InitialValue of c for every neuron.
func Constant(c float64) InitialValue { return InitialValue{Value: Value{Const: c}} }

// Placement is a ChipAndCoreConstraint.
type Placement struct {
	X, Y int
	P    int
	HasP bool
}

// Projection is one PyNN Projection.
type Projection struct {
	Label        string
	Pre, Post    string // population labels (validated to exist)
	Connector    Connector
	Synapse      Synapse
	Receptor     string // Excitatory, Inhibitory, Reward or Punishment
	RecordWeight bool
	Trace        *Trace // synapses to trace over time; nil: none
}

// Connector says which pairs are connected.
type Connector struct {
	Type            string
	AllowSelf       bool    // allow_self_connections (default true)
	PConnect        float64 // FixedProbability
	N               int     // FixedNumberPre / FixedNumberPost / FixedTotalNumber
	WithReplacement bool    // FixedNumber* / FixedTotalNumber (default false)
	List            []ListEntry
}

// ListEntry is one row of a FromListConnector; Weight and Delay are nil when
// the row has only [pre, post], so the synapse's own values apply.
type ListEntry struct {
	Pre, Post     int
	Weight, Delay *float64
}

// Value is a number or a random distribution, as PyNN allows for weight and delay.
type Value struct {
	Distribution string  // "" for a constant, DistUniform, DistNormal or DistNormalClipped
	Const        float64 // the constant
	Low, High    float64 // uniform; normal_clipped's bounds (±Inf when the file leaves them out)
	Mu, Sigma    float64 // normal, normal_clipped
}

// IsConstant reports whether the value is a plain number.
func (v Value) IsConstant() bool { return v.Distribution == "" }

// Synapse is a projection's synapse type with its parameters.
type Synapse struct {
	Type   string // StaticSynapse, STDPMechanism, Neuromodulation or a structural type
	Weight Value  // nA; for Neuromodulation, the dopamine step; for a structural type, the connector's synapses
	Delay  Value  // ms

	// STDPMechanism and StructuralMechanismSTDP
	Timing    *TimingRule
	WeightDep *WeightRule

	// StructuralMechanismSTDP and StructuralMechanismStatic: the rewiring rule.
	Structural *StructuralRule

	// Neuromodulation (defaults as sPyNNaker: 1000, 200, 0, 1)
	TauC, TauD float64
	WMin, WMax float64
}

// IsPlastic reports whether the synapse's weights follow an STDP rule:
// STDPMechanism or StructuralMechanismSTDP.
func (s *Synapse) IsPlastic() bool {
	return s.Type == STDPMechanism || s.Type == StructuralMechanismSTDP
}

// IsStructural reports whether the synapse rewires: StructuralMechanismSTDP
// or StructuralMechanismStatic.
func (s *Synapse) IsStructural() bool {
	return s.Type == StructuralMechanismSTDP || s.Type == StructuralMechanismStatic
}

// TimingRule is a SpikePairRule or a SpikeNearestPairRule.
type TimingRule struct {
	Type              string // SpikePairRule or SpikeNearestPairRule
	TauPlus, TauMinus float64
	APlus, AMinus     float64
}

// WeightRule is an AdditiveWeightDependence or MultiplicativeWeightDependence.
type WeightRule struct {
	Type       string
	WMin, WMax float64
}
