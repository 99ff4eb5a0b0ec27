package core

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/packets"
	"github.com/spinnsim/spinnsim/sdram"
)

// Memory budgets of an ARM968 core.
const (
	DTCMBytes = 64 * 1024
	ITCMBytes = 32 * 1024
)

// Memory is what an application needs of a core's tightly coupled memories.
type Memory struct {
	DTCM int // data: state, ring buffers, histories, tables, stacks
	ITCM int // code
}

// Counters are a core's provenance.
type Counters struct {
	SpikesSent      uint64
	PacketsReceived uint64
	SynapticEvents  uint64 // synapses processed (static and plastic)
	PacketsDropped  uint64 // packets with no matching row (invalid master-population hits)
	DopamineEvents  uint64 // reward/punishment deliveries to post neurons
	WeightSaturated uint64 // ring-buffer adds that saturated at 0xFFFF
	PostEvents      uint64 // post spikes looped back to a synapse core
	PacketsLost     uint64 // packets that reached the core after a fault killed it
	DMAReads        uint64 // DMA transfers from SDRAM completed
	DMAWrites       uint64 // DMA transfers to SDRAM completed
	// RewiringAttempts counts the structural plasticity attempts whose post
	// neuron is on the core.
	RewiringAttempts uint64
	// InputWraps and MembraneWraps count the times a neuron's synaptic
	// current or membrane update wrapped around 32 bits in fixed point (the
	// chip does not saturate them): a neuron driven far out of range.
	InputWraps, MembraneWraps uint64
	// DelayedSpikes counts the spikes a delay-extension core took into its
	// counters, DelaySaturated those lost to a counter already at 255.
	DelayedSpikes, DelaySaturated uint64
}

// Ready is what a core hands back for one event (a timer tick, the end of
// a tick, or a completed DMA transfer): the multicast packets it sends, the
// DMA transfers it starts, and the processor cycles the work took (not
// modelled yet: always 0; the per-core cycle budget fills it). The slices
// stay valid until the core's next event.
type Ready struct {
	Packets   []packets.Packet
	Transfers []sdram.Transfer
	Cycles    uint64
}

func (r *Ready) reset() {
	r.Packets, r.Transfers, r.Cycles = r.Packets[:0], r.Transfers[:0], 0
}

// Application is the program a core runs. It is a pure state machine: the
// Core hands it events in a canonical order and collects what it sends.
type Application interface {
	// Name is the binary's name, e.g. "IF_curr_exp_stdp_mad_pair_additive".
	Name() string
	// Memory is what the application needs of the core.
	Memory() Memory
	// TimerTick runs the timer callback of tick t.
	TimerTick(t uint32, r *Ready, c *Counters)
	// Receive processes packets that arrived during tick t, in the order
	// given (sorted by key).
	Receive(t uint32, pkts []packets.Packet, r *Ready, c *Counters)
}

// DMAUser is an application that starts DMA transfers: DMADone is its
// DMA-complete callback, with the data of a read.
type DMAUser interface {
	DMADone(t uint32, tr *sdram.Transfer, r *Ready, c *Counters) error
}

// TickEnder is an application with work at the end of each tick (a split
// population's synapse core, which processes the tick's packets and hands
// its ring-buffer slot for the next tick to the neuron core). Its packets of
// tick t are processed at the end of tick t, before EndTick; other
// applications process them at the start of tick t+1, before the timer
// tick. Nothing happens on a core between the two, so the results are the
// same.
type TickEnder interface {
	EndTick(t uint32, r *Ready, c *Counters)
}

// Core is one application core.
type Core struct {
	Chip     machine.XY
	P        int
	Label    string // what runs there, e.g. "post1[0:1]"
	App      Application
	Counters Counters
	// Silent is set for a core whose neurons have no targets: as in
	// sPyNNaker, it has no routing key and sends nothing (its spikes are
	// still recorded).
	Silent bool
	// Killed says an injected fault stops the core at tick KillTick: from
	// then on it runs nothing, sends nothing and loses the packets that
	// reach it.
	Killed   bool
	KillTick uint32

	inbox   [2][]packets.Packet // by tick parity
	sortBuf []packets.Packet    // sortPackets' merge buffer
	runs    []int               // sortPackets' run starts
	ready   Ready
	started bool
	last    uint32
	ender   TickEnder
}

// pender is an application with work in flight at the end of a run that
// the chip would already have counted: the ring-buffer additions to slots
// not yet read, whose saturations the chip counts as it adds.
type pender interface{ pending(k *Counters) }

// FinalCounters is the core's counters as the chip reports them after the
// run: Counters with the counts of the work still in flight.
func (c *Core) FinalCounters() Counters {
	k := c.Counters
	if p, ok := c.App.(pender); ok {
		p.pending(&k)
	}
	return k
}

// MemoryError says an application does not fit its core.
type MemoryError struct {
	Label       string
	What        string
	Need, Limit int
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("%s needs %d bytes of %s, a core has %d", e.Label, e.Need, e.What, e.Limit)
}

// New loads an application onto core p of a chip, checking its memory.
func New(chip machine.XY, p int, label string, app Application) (*Core, error) {
	m := app.Memory()
	if m.DTCM > DTCMBytes {
		return nil, &MemoryError{label, "DTCM", m.DTCM, DTCMBytes}
	}
	if m.ITCM > ITCMBytes {
		return nil, &MemoryError{label, "ITCM", m.ITCM, ITCMBytes}
	}
	c := &Core{Chip: chip, P: p, Label: label, App: app}
	c.ender, _ = app.(TickEnder)
	return c, nil
}

// EndsTicks reports whether the driver must call EndTick after every tick.
func (c *Core) EndsTicks() bool { return c.ender != nil }

// dead reports whether a fault has stopped the core by tick t.
func (c *Core) dead(t uint32) bool { return c.Killed && t >= c.KillTick }

// Deliver hands the core packets that reached it during tick t.
func (c *Core) Deliver(t uint32, pkts []packets.Packet) {
	if c.dead(t) {
		c.Counters.PacketsLost += uint64(len(pkts))
		return
	}
	c.Counters.PacketsReceived += uint64(len(pkts))
	c.inbox[t&1] = append(c.inbox[t&1], pkts...)
}

// Tick processes the packets of tick t−1 (unless the application ends its
// ticks itself), then runs the timer tick of t.
func (c *Core) Tick(t uint32) Ready {
	c.ready.reset()
	if c.dead(t) {
		return c.ready
	}
	if c.started && c.ender == nil {
		c.drain(c.last)
	}
	c.started, c.last = true, t
	c.App.TimerTick(t, &c.ready, &c.Counters)
	return c.sent()
}

// EndTick processes the packets of tick t and runs the application's
// end-of-tick work. Only for applications that end their ticks.
func (c *Core) EndTick(t uint32) Ready {
	c.ready.reset()
	if c.ender == nil || c.dead(t) {
		return c.ready
	}
	c.drain(t)
	c.ender.EndTick(t, &c.ready, &c.Counters)
	return c.sent()
}

// DMADone completes a transfer the core started during its current tick.
func (c *Core) DMADone(tr *sdram.Transfer) (Ready, error) {
	c.ready.reset()
	u, ok := c.App.(DMAUser)
	if !ok {
		return c.ready, fmt.Errorf("%s: a DMA transfer completed on a core that starts none", c.Label)
	}
	if tr.Write {
		c.Counters.DMAWrites++
	} else {
		c.Counters.DMAReads++
	}
	if err := u.DMADone(c.last, tr, &c.ready, &c.Counters); err != nil {
		return c.ready, fmt.Errorf("%s: %w", c.Label, err)
	}
	return c.sent(), nil
}

// sent applies the core's routing key: a silent core sends nothing.
func (c *Core) sent() Ready {
	if c.Silent {
		c.ready.Packets = c.ready.Packets[:0]
	}
	c.Counters.SpikesSent += uint64(len(c.ready.Packets))
	return c.ready
}

// Finish processes the packets of the last tick.
func (c *Core) Finish() {
	if c.started && c.ender == nil {
		c.drain(c.last)
	}
}

// comparePackets orders packets by key, then by their other fields, so that
// a tick's packets are processed in an order that depends only on which
// packets arrived, never on the order the routers delivered them in.
// (Packets with one key are identical today; a payload would tell them
// apart.)
func comparePackets(a, b packets.Packet) int {
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Payload, b.Payload); c != 0 {
		return c
	}
	if a.HasPayload != b.HasPayload {
		if a.HasPayload {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Timestamp, b.Timestamp); c != 0 {
		return c
	}
	return cmp.Compare(a.Route, b.Route)
}

// sortPackets sorts a tick's packets into comparePackets' order. When they
// differ only in their keys (plain multicast spikes, nearly every tick),
// packets with one key are identical, so ordering by key alone gives the
// same slice. A tick's packets arrive as a few runs already in key order
// (each core sends its spikes in key order, and a router passes a batch on
// in its order), so they are merged run by run, through c.sortBuf, in
// O(n log runs). Packets that differ otherwise are sorted by every field.
func (c *Core) sortPackets(in []packets.Packet) {
	p0 := in[0]
	runs := append(c.runs[:0], 0)
	for i, p := range in {
		q := p
		q.Key = p0.Key
		if q != p0 {
			slices.SortFunc(in, comparePackets)
			return
		}
		if i > 0 && p.Key < in[i-1].Key {
			runs = append(runs, i)
		}
	}
	if len(runs) == 1 {
		c.runs = runs
		return
	}
	runs = append(runs, len(in))
	c.runs = runs // kept with the end appended, so that it stops growing
	c.sortBuf = slices.Grow(c.sortBuf[:0], len(in))[:len(in)]
	src, dst := in, c.sortBuf
	for len(runs) > 2 {
		// Merge runs pairwise from src into dst; an odd last run is copied.
		k := 1
		for i := 0; i+1 < len(runs); i += 2 {
			lo, mid := runs[i], runs[i+1]
			hi := mid
			if i+2 < len(runs) {
				hi = runs[i+2]
			}
			mergeByKey(dst[lo:hi], src[lo:mid], src[mid:hi])
			runs[k] = hi
			k++
		}
		runs = runs[:k]
		src, dst = dst, src
	}
	if &src[0] != &in[0] {
		copy(in, src)
	}
}

// mergeByKey merges a and b (each in key order) into dst, a's packets first
// among equal keys.
func mergeByKey(dst, a, b []packets.Packet) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if b[j].Key < a[i].Key {
			dst[k] = b[j]
			j++
		} else {
			dst[k] = a[i]
			i++
		}
		k++
	}
	k += copy(dst[k:], a[i:])
	copy(dst[k:], b[j:])
}

func (c *Core) drain(t uint32) {
	in := c.inbox[t&1]
	if len(in) == 0 {
		return
	}
	c.sortPackets(in)
	c.App.Receive(t, in, &c.ready, &c.Counters)
	c.inbox[t&1] = in[:0]
}
