package core

import (
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/packets"
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
}

// Application is the program a core runs.
type Application interface {
	// Name is the binary's name, e.g. "IF_curr_exp_stdp_izhikevich_neuromodulation".
	Name() string
	// Memory is what the application needs of the core.
	Memory() Memory
	// TimerTick runs the timer callback of tick t and appends the packets it
	// sends to out.
	TimerTick(t uint32, out []packets.Packet, c *Counters) []packets.Packet
	// Receive processes packets that arrived during tick t, in the given order.
	Receive(t uint32, pkts []packets.Packet, c *Counters)
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

	inbox   [2][]packets.Packet // by tick parity
	started bool
	last    uint32
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
	return &Core{Chip: chip, P: p, Label: label, App: app}, nil
}

// Deliver hands the core packets that reached it during tick t. They are
// processed at the start of the core's next tick.
func (c *Core) Deliver(t uint32, pkts []packets.Packet) {
	c.Counters.PacketsReceived += uint64(len(pkts))
	c.inbox[t&1] = append(c.inbox[t&1], pkts...)
}

// Tick processes the packets of tick t−1, then runs the timer tick of t, and
// returns the packets sent (valid until the next call).
func (c *Core) Tick(t uint32, out []packets.Packet) []packets.Packet {
	if c.started {
		c.drain(c.last)
	}
	c.started, c.last = true, t
	n := len(out)
	out = c.App.TimerTick(t, out, &c.Counters)
	if c.Silent {
		return out[:n]
	}
	c.Counters.SpikesSent += uint64(len(out) - n)
	return out
}

// Finish processes the packets of the last tick.
func (c *Core) Finish() {
	if c.started {
		c.drain(c.last)
	}
}

func (c *Core) drain(t uint32) {
	in := c.inbox[t&1]
	if len(in) == 0 {
		return
	}
	slices.SortStableFunc(in, func(a, b packets.Packet) int {
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
	c.App.Receive(t, in, &c.Counters)
	c.inbox[t&1] = in[:0]
}
