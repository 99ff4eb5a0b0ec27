package kernels

import (
	"errors"
	"fmt"
	"math"
)

// Structural plasticity: synaptic rewiring as sPyNNaker runs it on a synapse
// core (reference §4), the "topographic map" model of Bogdan et al. (2018,
// "Structural plasticity on the SpiNNaker many-core neuromorphic system",
// Front. Neurosci. 12:434).
//
// Every post neuron has s_max slots, each empty or naming one pre neuron of a
// structural projection into its population (the post-to-pre table,
// PostToPre). A rewiring attempt:
//
//  1. post = RandInt(n_post) with the population's shared seed, the same on
//     every core of the population (DrawPost); a core whose slice does not
//     hold post stops here;
//  2. slot = RandInt(s_max) with the core's local seed (DrawSlot); all
//     further draws use the local seed;
//  3. an empty slot is a formation attempt: a partner is chosen
//     (RandomSelection or LastNeuronSelection; no partner, stop); a full slot
//     is an elimination attempt for the pre neuron it names;
//  4. the pre neuron's synaptic row is read; then
//     - elimination: if the row has no synapse to post, stop; otherwise
//     EliminationFixed.Eliminate decides (one draw), and a removed synapse
//     is replaced by the row's last one and its slot emptied;
//     - formation: if the row holds s_max synapses or more, stop; if
//     with_replacement is false and the row already has a synapse to post,
//     stop; otherwise FormationFixed.Form decides from the squared distance
//     (one draw unless the distance is off the table), and a formed synapse
//     gets the initial weight word, a delay from DrawDelay (one draw) and
//     fills the slot.
//
// The attempts are scheduled by RewiringClock: n attempts every tick when the
// rewiring period 1/f_rew is shorter than a timestep ("fast"), otherwise one
// attempt every k ticks ("slow").
//
// DistanceDependentFormation (pre and post neurons on one GridX × GridY
// torus, d² their squared toroidal distance in grid steps):
//
//	P(form) = p · exp(−d² / (2σ²))     p, σ: forward, or lateral when pre = post population
//
// RandomByWeightElimination (w the synapse's weight):
//
//	P(eliminate) = prob_elim_depressed    if w < threshold
//	             = prob_elim_potentiated  otherwise
//
// Parameters (user units; network.StructuralRule carries them):
//
//	name                   unit  default  meaning
//	f_rew                  Hz    10^4     rewiring attempts per second per post population
//	s_max                  1     32       slots per post neuron
//	initial_weight         nA    0        weight of a formed synapse
//	initial_delay          ms    1        delay of a formed synapse, or [low, high)
//	with_replacement       -     true     may form where a synapse to post exists
//	spike_buffer_size      1     64       LastNeuronSelection: spikes kept per tick
//	grid                   1     -        GridX, GridY (x·y = the post population's size)
//	p_form_forward         1     0.16     peak formation probability, forward
//	sigma_form_forward     grid  2.5      its spread
//	p_form_lateral         1     1        peak formation probability, lateral
//	sigma_form_lateral     grid  1        its spread
//	threshold              nA    -        elimination's weight threshold
//	prob_elim_depressed    1     0.0245   per attempt, below the threshold
//	prob_elim_potentiated  1     1.36e-4  per attempt, at or above it
//
// Fixed arithmetic (the chip and its host, bit for bit) follows sPyNNaker's
// neural_modelling/src/neuron/structural_plasticity/synaptogenesis/
// (topographic_map_impl.c, sp_structs.h, partner_selection/
// {random,last_neuron}_selection_impl.h, formation/
// formation_distance_dependent_impl.h, elimination/
// elimination_random_by_weight_impl.h) and its host classes
// spynnaker/pyNN/models/neuron/synapse_dynamics/
// synapse_dynamics_structural_common.py and structural_plasticity/
// synaptogenesis/{partner_selection,formation,elimination}/*.py. Its quirks,
// kept in fixed and off in float:
//
//   - S1 halved grid reciprocal: the host writes 1/grid as S0.31 (2^31/g) and
//     the chip reads it as U0.32, so x = floor(id/(2·grid_x)) and
//     y = id − grid_y·floor(id/(2·grid_y)) (which grows past grid_y: on the
//     guide's 7 × 7 grid neuron 48 is at (3, 27) and neuron 7 at (0, 7),
//     which wraps onto neuron 0); the toroidal wrap subtracts the grid size
//     once, in uint32. Float uses the evident intent, the row-major grid of
//     grid_x rows of grid_y neurons: x = id / grid_y, y = id mod grid_y,
//     with the toroidal distance. (sPyNNaker's host and chip both divide x
//     by grid_x; on a square grid, the only kind its examples use, that is
//     the same thing.)
//   - S2 table cut-off: the host keeps the probabilities that quantise to a
//     non-zero uint16, so distances past the last one never form; the table's
//     length comes from a float max of sqrt(d²)² (FormationTable). Float uses
//     p·exp(−d²/(2σ²)) for every d².
//   - S3 "≤": a synapse forms when RandInt(65535) ≤ table[d²] (so a table
//     entry q forms with probability (q+1)/65535, and 0 still forms with
//     probability 1/65535), and is eliminated when a raw draw ≤
//     int(p·(2^32−1)). Float compares a uniform u in [0, 1) with u < p.
//   - S4 RandomSelection's sub-population: the chip picks the first slice
//     whose cumulative atom count is ≥ the drawn neuron, so the first slice
//     gets one draw too many and the last one too few. Float uses >.
//   - S5 LastNeuronSelection's stale buffer: the buffer of the previous tick
//     is only cleared when a spike arrives, so after a tick without spikes
//     the chip picks from spikes two ticks old. Float picks only from the
//     previous tick's spikes.
//   - S6 delay range: the delay of a formed synapse is RandInt(hi − lo) + lo,
//     in [lo, hi), never hi. Float draws in [lo, hi].
//   - (Not here but for the caller: under neuromodulated STDP the chip's
//     elimination reads the synapse's eligibility half-word as its weight;
//     EliminationFixed.Eliminate takes whatever 16-bit word the caller reads.)

// ---------------------------------------------------------------------------
// Host: the formation tables and the encodings.

// MaxShort is the scale of the formation probabilities (MAX_SHORT): a table
// entry q stands for q/65535, and the chip draws RandInt(65535).
const MaxShort = 65535

// MaxSquaredDistance is the largest squared distance sPyNNaker's host finds on
// a GridX × GridY grid (DistanceDependentFormation's table length). The host
// loops over a (GridX², GridY²) array of pre and post positions
// (row // GridX, row mod GridY) and (col // GridX, col mod GridY) (x = 0 on
// a grid one wide), with the toroidal wrap δ → δ − g when δ > g/2 applied
// once per axis. On a square grid this is 2·floor(g/2)²; on other grids the
// positions do not form a grid and the result is what the loop gives, which
// this computes exactly without the O(GridX²·GridY²) loop.
func MaxSquaredDistance(gridX, gridY int) int {
	if gridX < 1 || gridY < 1 {
		return 0
	}
	wrap := func(d, g int) int {
		if 2*d > g {
			d -= g
		}
		return d * d
	}
	gy := gridY
	half := gy / 2
	// maxDY is the largest wrapped squared y difference between a pre arc
	// (the y values of aLen consecutive ids starting at y aStart) and a post
	// arc: the differences (b − a) mod gy form an arc of aLen + bLen − 1
	// values, and min(t, gy − t)² is largest at floor(gy/2) or at an end.
	maxDY := func(aStart, aLen, bStart, bLen int) int {
		n := aLen + bLen - 1
		if n >= gy {
			return half * half
		}
		lo := ((bStart-aStart-(aLen-1))%gy + gy) % gy
		for _, t := range []int{half, (gy + 1) / 2} {
			if (t-lo+gy)%gy < n {
				return half * half
			}
		}
		best := 0
		for _, t := range []int{lo, (lo + n - 1) % gy} {
			m := min(t, gy-t)
			best = max(best, m*m)
		}
		return best
	}
	if gridX == 1 {
		// Pre is (0, 0) alone; post is (0, c mod gy) for c < gy².
		return half * half
	}
	gx := gridX
	nPost := gy * gy
	best := 0
	for x0 := range gx { // pre ids x0·gx … x0·gx + gx − 1 (all < gx²)
		aStart, aLen := (x0*gx)%gy, min(gx, gy)
		for x1 := 0; x1*gx < nPost; x1++ {
			bLen := min(gx, nPost-x1*gx)
			bStart, bArc := (x1*gx)%gy, min(bLen, gy)
			dx := x0 - x1
			if dx < 0 {
				dx = -dx
			}
			best = max(best, wrap(dx, gx)+maxDY(aStart, aLen, bStart, bArc))
		}
	}
	return best
}

// FormationTable is the host's probability table for one peak probability p
// and spread σ (grid units) on a GridX × GridY grid, as
// DistanceDependentFormation writes it: for d² = 0, 1, … it holds
// uint16(trunc(p·exp(−d²/(2σ²))·65535)); entries that quantise to 0 are
// dropped, and a zero is appended to make the length even. The d² run up to
// the length numpy's arange gives for the float max of sqrt(d²)² plus one
// (MaxSquaredDistance), so a grid whose largest d² is 2 gets entries for
// 0…3 (sqrt(2)² = 2.0000000000000004) and a 7 × 7 grid entries for 0…18.
func FormationTable(gridX, gridY int, p, sigma float64) []uint16 {
	dMax := float64(MaxSquaredDistance(gridX, gridY))
	l := math.Sqrt(dMax)
	n := int(math.Ceil(l*l + 1))
	twoSigma2 := 2 * (sigma * sigma)
	var t []uint16
	for d := range n {
		q := p * math.Exp(-float64(d)/twoSigma2) * MaxShort
		if v := uint16(q); v > 0 {
			t = append(t, v)
		}
	}
	if len(t)%2 != 0 {
		t = append(t, 0)
	}
	return t
}

// GridReciprocal is the word the host writes for 1/g: round-half-even of
// (1/g)·2^31 (S0.31), or 0 when 1/g ≥ 1 (the chip does not divide then).
func GridReciprocal(g int) uint32 {
	if g <= 1 {
		return 0
	}
	return uint32(math.RoundToEven((1 / float64(g)) * 0x1p31))
}

// ProbabilityWord is the word the host writes for an elimination probability:
// int(p·0xFFFFFFFF) (truncated).
func ProbabilityWord(p float64) uint32 {
	return uint32(p * 0xFFFFFFFF)
}

// ThresholdWord is the elimination threshold's word: int(threshold·scale),
// truncated by the UINT32 encoding; scale is the synapse type's weight scale
// (stored word per nA, WeightScale).
func ThresholdWord(threshold, weightScale float64) uint32 {
	return uint32(threshold * weightScale)
}

// InitialWeightWord is the weight word of a formed synapse:
// round(initial_weight·scale), Python's round (half to even).
func InitialWeightWord(initialWeight, weightScale float64) uint32 {
	return uint32(math.RoundToEven(initialWeight * weightScale))
}

// InitialDelayTicks converts initial_delay [lo, hi] ms (lo = hi for a single
// number) into the delay_lo and delay_hi words: int(ms · ticks per ms)
// (truncated), ticks per ms = 1000 / the timestep in µs.
func InitialDelayTicks(loMs, hiMs, timestepMs float64) (lo, hi uint32) {
	perMs := 1000 / math.Round(timestepMs*1000)
	return uint32(loMs * perMs), uint32(hiMs * perMs)
}

// ---------------------------------------------------------------------------
// Schedule.

// RewiringSchedule is when a post population's cores rewire. With the
// rewiring period p = 1/f_rew s and the timestep h: if p (ms) < h (ms) the
// mode is fast and Count = int(h_us / (p·10^6)) attempts run every tick;
// otherwise one attempt runs every Count = int(p·10^6 / h_us) ticks.
type RewiringSchedule struct {
	Fast  bool
	Count uint32
}

// NewRewiringSchedule computes the schedule as the host does, in float64.
func NewRewiringSchedule(fRewHz float64, timestepUs uint32) RewiringSchedule {
	pRew := 1 / fRewHz
	hUs := float64(timestepUs)
	if pRew*1000 < hUs/1000 {
		return RewiringSchedule{Fast: true, Count: uint32(hUs / (pRew * 1e6))}
	}
	return RewiringSchedule{Count: uint32(pRew * 1e6 / hUs)}
}

// RewiringClock counts a core's ticks for its schedule.
type RewiringClock struct {
	RewiringSchedule
	since uint32 // ticks since the last slow attempt
}

// Attempts is how many rewiring attempts run this tick; call it once per
// tick, from the first. Slow mode attempts on the Count-th call and every
// Count calls after (synaptogenesis_n_updates).
func (c *RewiringClock) Attempts() uint32 {
	if c.Fast {
		return c.Count
	}
	c.since++
	if c.since >= c.Count {
		c.since = 0
		return 1
	}
	return 0
}

// ---------------------------------------------------------------------------
// The draws of an attempt.

// DrawPost draws the post neuron of an attempt from the population's shared
// seed: RandInt(nAtoms) over the whole population. It returns the neuron's
// index within the slice [lo, hi] (atoms, inclusive) and whether the slice
// holds it. Every core of the population draws, whether or not it is its own.
func DrawPost(shared *JKISS, nAtoms, lo, hi uint32) (local uint32, mine bool) {
	post := shared.RandInt(nAtoms)
	if post < lo || post > hi {
		return 0, false
	}
	return post - lo, true
}

// DrawSlot draws the post-to-pre slot of an attempt: RandInt(s_max).
func DrawSlot(local *JKISS, sMax uint32) uint32 {
	return local.RandInt(sMax)
}

// DrawDelay is the delay (ticks) of a formed synapse: RandInt(hi − lo) + lo,
// in [lo, hi) (quirk S6). It consumes a draw even when lo = hi.
func DrawDelay(local *JKISS, lo, hi uint32) uint32 {
	return local.RandInt(hi-lo) + lo
}

// DrawDelayFloat is the float arithmetic's delay: uniform over the whole
// range [lo, hi] in ticks, one draw.
func DrawDelayFloat(local *JKISS, lo, hi uint32) uint32 {
	return local.RandInt(hi-lo+1) + lo
}

// ---------------------------------------------------------------------------
// Partner selection.

// RandomSelection chooses the pre neuron of a formation attempt as the chip
// does, with three draws: pop = RandInt(number of structural pre
// populations); n = RandInt(the population's atoms); the sub-population
// (pre slice) is the first whose cumulative atom count is ≥ n (quirk S4);
// neuron = RandInt(that slice's atoms), an index within the slice.
// sliceAtoms[pop] lists the atoms of each slice of pre population pop, in
// order.
func RandomSelection(local *JKISS, sliceAtoms [][]uint32) (pop, sub, neuron uint32) {
	return randomSelection(local, sliceAtoms, true)
}

// RandomSelectionFloat is RandomSelection with the slice containing n (the
// first whose cumulative count is > n): every pre neuron equally likely.
func RandomSelectionFloat(local *JKISS, sliceAtoms [][]uint32) (pop, sub, neuron uint32) {
	return randomSelection(local, sliceAtoms, false)
}

func randomSelection(local *JKISS, sliceAtoms [][]uint32, quirk bool) (pop, sub, neuron uint32) {
	pop = local.RandInt(uint32(len(sliceAtoms)))
	slices := sliceAtoms[pop]
	var total uint32
	for _, a := range slices {
		total += a
	}
	n := local.RandInt(total)
	var sum uint32
	for i, a := range slices {
		sum += a
		if sum > n || (quirk && sum == n) {
			sub = uint32(i)
			break
		}
	}
	neuron = local.RandInt(slices[sub])
	return pop, sub, neuron
}

// LastSpikes is LastNeuronSelection's double buffer of the spikes a synapse
// core received, indexed by tick parity, at most Size spikes a tick (later
// ones are dropped). T is whatever identifies a spike's pre neuron.
type LastSpikes[T any] struct {
	size     int
	buf      [2][]T
	bufTick  [2]uint32 // tick whose spikes each buffer holds
	lastTick uint32
}

// NewLastSpikes makes an empty buffer keeping size spikes a tick.
func NewLastSpikes[T any](size int) *LastSpikes[T] {
	b := &LastSpikes[T]{size: size}
	for i := range b.buf {
		b.buf[i] = make([]T, 0, size)
	}
	return b
}

// Received records a spike that arrived at tick. A spike of a tick other
// than the last one seen clears that tick's buffer first (the chip clears a
// buffer only when a spike arrives).
func (b *LastSpikes[T]) Received(tick uint32, s T) {
	i := tick & 1
	if tick != b.lastTick {
		b.lastTick = tick
		b.buf[i] = b.buf[i][:0]
		b.bufTick[i] = tick
	}
	if len(b.buf[i]) < b.size {
		b.buf[i] = append(b.buf[i], s)
		b.bufTick[i] = tick
	}
}

// Choose picks the partner of a formation attempt at tick as the chip does:
// uniformly (RandInt of the count, one draw) among the spikes in the buffer
// of tick − 1's parity, which may hold older spikes (quirk S5); false, with
// no draw, when it is empty.
func (b *LastSpikes[T]) Choose(tick uint32, local *JKISS) (T, bool) {
	buf := b.buf[(tick-1)&1]
	if len(buf) == 0 {
		var zero T
		return zero, false
	}
	return buf[local.RandInt(uint32(len(buf)))], true
}

// ChooseFloat picks uniformly among the spikes received at tick − 1 only.
func (b *LastSpikes[T]) ChooseFloat(tick uint32, local *JKISS) (T, bool) {
	i := (tick - 1) & 1
	buf := b.buf[i]
	if len(buf) == 0 || b.bufTick[i] != tick-1 {
		var zero T
		return zero, false
	}
	return buf[local.RandInt(uint32(len(buf)))], true
}

// ---------------------------------------------------------------------------
// Formation.

// DistanceDependentFormation is the formation rule's parameters (grid units
// for σ).
type DistanceDependentFormation struct {
	GridX, GridY                   int
	PFormForward, SigmaFormForward float64
	PFormLateral, SigmaFormLateral float64
}

// FormationFixed is what the host writes for a DistanceDependentFormation
// and the chip reads: the grid, its reciprocals (S0.31 words, read as U0.32),
// and the feed-forward and lateral tables.
type FormationFixed struct {
	GridX, GridY   uint32
	RecipX, RecipY uint32
	FF, Lat        []uint16
}

// Fixed encodes the rule as the host does.
func (f DistanceDependentFormation) Fixed() FormationFixed {
	return FormationFixed{
		GridX: uint32(f.GridX), GridY: uint32(f.GridY),
		RecipX: GridReciprocal(f.GridX), RecipY: GridReciprocal(f.GridY),
		FF:  FormationTable(f.GridX, f.GridY, f.PFormForward, f.SigmaFormForward),
		Lat: FormationTable(f.GridX, f.GridY, f.PFormLateral, f.SigmaFormLateral),
	}
}

// Coord is the chip's grid position of neuron id (its index in its
// population): x = floor(id·RecipX/2^32), y = id − GridY·floor(id·RecipY/2^32),
// each 0 on an axis one wide (quirk S1).
func (f *FormationFixed) Coord(id uint32) (x, y uint32) {
	if f.GridX > 1 {
		x = uint32(uint64(id) * uint64(f.RecipX) >> 32)
	}
	if f.GridY > 1 {
		y = id - f.GridY*uint32(uint64(id)*uint64(f.RecipY)>>32)
	}
	return x, y
}

// SquaredDistance is the chip's d² between pre and post neuron ids, in
// uint32: |Δ| per axis, minus the grid size once when above half of it,
// squared and summed, all modulo 2^32.
func (f *FormationFixed) SquaredDistance(pre, post uint32) uint32 {
	px, py := f.Coord(pre)
	qx, qy := f.Coord(post)
	axis := func(a, b, g uint32) uint32 {
		d := uint32(absInt32(int32(a) - int32(b)))
		if d > g>>1 && g > 1 {
			d -= g
		}
		return d * d
	}
	return axis(px, qx, f.GridX) + axis(py, qy, f.GridY)
}

func absInt32(a int32) int32 {
	if a < 0 {
		return -a
	}
	return a
}

// Form decides a formation at squared distance d2: no when d2 is past the
// table (no draw), else yes when RandInt(65535) ≤ the table's entry (one
// draw; quirk S3). lateral picks the lateral table (the pre population is
// the post population).
func (f *FormationFixed) Form(d2 uint32, lateral bool, local *JKISS) bool {
	t := f.FF
	if lateral {
		t = f.Lat
	}
	if uint64(d2) >= uint64(len(t)) {
		return false
	}
	return local.RandInt(MaxShort) <= uint32(t[d2])
}

// Coord is the float arithmetic's grid position of neuron id: row-major on a
// GridX × GridY grid, x = id / GridY, y = id mod GridY.
func (f DistanceDependentFormation) Coord(id int) (x, y int) {
	return id / f.GridY, id % f.GridY
}

// SquaredDistance is the squared toroidal distance between pre and post on
// the grid: per axis min(|Δ|, g − |Δ|)², summed.
func (f DistanceDependentFormation) SquaredDistance(pre, post int) int {
	px, py := f.Coord(pre)
	qx, qy := f.Coord(post)
	axis := func(a, b, g int) int {
		d := a - b
		if d < 0 {
			d = -d
		}
		d = min(d, g-d)
		return d * d
	}
	return axis(px, qx, f.GridX) + axis(py, qy, f.GridY)
}

// Probability is p·exp(−d²/(2σ²)) for the forward or lateral parameters.
func (f DistanceDependentFormation) Probability(d2 int, lateral bool) float64 {
	p, s := f.PFormForward, f.SigmaFormForward
	if lateral {
		p, s = f.PFormLateral, f.SigmaFormLateral
	}
	return p * math.Exp(-float64(d2)/(2*s*s))
}

// Form decides a formation in float: one draw u in [0, 1), yes when
// u < Probability(d2).
func (f DistanceDependentFormation) Form(d2 int, lateral bool, local *JKISS) bool {
	return local.Float() < f.Probability(d2, lateral)
}

// ---------------------------------------------------------------------------
// Elimination.

// RandomByWeightElimination is the elimination rule's parameters.
type RandomByWeightElimination struct {
	Threshold       float64 // nA
	ProbDepressed   float64
	ProbPotentiated float64
}

// EliminationFixed is the rule as the host writes it for one synapse type.
type EliminationFixed struct {
	ProbDepressed   uint32 // ProbabilityWord
	ProbPotentiated uint32 // ProbabilityWord
	Threshold       uint32 // ThresholdWord, in stored weight units
}

// Fixed encodes the rule for a synapse type of weight scale weightScale
// (stored word per nA).
func (e RandomByWeightElimination) Fixed(weightScale float64) EliminationFixed {
	return EliminationFixed{
		ProbDepressed:   ProbabilityWord(e.ProbDepressed),
		ProbPotentiated: ProbabilityWord(e.ProbPotentiated),
		Threshold:       ThresholdWord(e.Threshold, weightScale),
	}
}

// Eliminate decides an elimination as the chip does: one raw draw r; remove
// when (w < Threshold and r ≤ ProbDepressed) or (w ≥ Threshold and
// r ≤ ProbPotentiated) (quirk S3). w is the 16-bit word the chip's row lookup
// returns for the synapse: the weight of a static or plain STDP synapse, but
// the eligibility half-word under neuromodulated STDP (the caller's quirk).
func (e EliminationFixed) Eliminate(w uint16, local *JKISS) bool {
	r := local.Next()
	if uint32(w) < e.Threshold {
		return r <= e.ProbDepressed
	}
	return r <= e.ProbPotentiated
}

// Eliminate decides an elimination in float: one draw u in [0, 1); remove
// when u < ProbDepressed for w < Threshold, u < ProbPotentiated otherwise.
// w is the synapse's weight in nA.
func (e RandomByWeightElimination) Eliminate(w float64, local *JKISS) bool {
	u := local.Float()
	if w < e.Threshold {
		return u < e.ProbDepressed
	}
	return u < e.ProbPotentiated
}

// ---------------------------------------------------------------------------
// The post-to-pre table.

// PostToPreEntry is one slot of the post-to-pre table: the structural pre
// population (its index among the post population's structural projections),
// the pre slice within it, and the neuron within the slice; Neuron =
// EmptySlot when the slot is free.
type PostToPreEntry struct {
	Pop, Sub uint8
	Neuron   uint16
}

// EmptySlot marks a free slot (so a pre slice holds at most 65535 neurons).
const EmptySlot = 0xFFFF

// Empty reports whether the slot is free.
func (e PostToPreEntry) Empty() bool { return e.Neuron == EmptySlot }

// PostToPre is a core's post-to-pre table: SMax slots per neuron of its
// slice.
type PostToPre struct {
	SMax  int
	Slots []PostToPreEntry
}

// ErrTooManyInitial is returned by PostToPre.Init when a post neuron starts
// with more than s_max synapses.
var ErrTooManyInitial = errors.New("too many initial connections per post neuron")

// NewPostToPre makes a table of empty slots for n post neurons.
func NewPostToPre(n, sMax int) *PostToPre {
	t := &PostToPre{SMax: sMax, Slots: make([]PostToPreEntry, n*sMax)}
	for i := range t.Slots {
		t.Slots[i].Neuron = EmptySlot
	}
	return t
}

// Init fills post neuron post's slots with its initial synapses, in order,
// right-aligned as the host writes them (the empty slots first).
func (t *PostToPre) Init(post int, initial []PostToPreEntry) error {
	if len(initial) > t.SMax {
		return fmt.Errorf("%w: post neuron %d has %d, s_max is %d", ErrTooManyInitial, post, len(initial), t.SMax)
	}
	row := t.Row(post)
	for i := range row {
		row[i] = PostToPreEntry{Neuron: EmptySlot}
	}
	copy(row[t.SMax-len(initial):], initial)
	return nil
}

// Row is post neuron post's slots.
func (t *PostToPre) Row(post int) []PostToPreEntry {
	return t.Slots[post*t.SMax : (post+1)*t.SMax]
}

// Slot is a pointer to one slot, to read or to fill or empty after a
// formation or an elimination.
func (t *PostToPre) Slot(post int, slot uint32) *PostToPreEntry {
	return &t.Slots[post*t.SMax+int(slot)]
}
