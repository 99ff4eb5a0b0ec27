package core

import (
	"fmt"
	"math/bits"

	"github.com/spinnsim/spinnsim/packets"
)

// MaxDelayStages is the number of stages a delay-extension core has at most
// (sPyNNaker's DelayExtensionVertex.MAX_SLOTS): with stages of L ticks it
// reaches delays of (MaxDelayStages + 1)·L, the last L on the target core.
const MaxDelayStages = 8

// DelayExtensionConfig is a delay-extension core: the source slice it
// delays and the stages it re-sends that slice's spikes at.
type DelayExtensionConfig struct {
	// InKey, InMask are the source slice's key and mask; its neurons are
	// key &^ InMask, N of them.
	InKey, InMask uint32
	N             int
	// OutKey is the core's own key: stage s (1..Stages) of neuron i is sent
	// as OutKey | (s−1)<<AtomBits | i.
	OutKey   uint32
	AtomBits int
	// StageLen is the delay of one stage in ticks (the targets' ring-buffer
	// length); Stages is how many there are (≤ MaxDelayStages).
	StageLen uint32
	Stages   int
	// Enabled[s−1][i] says some synapse of neuron i has a delay of stage s:
	// only those are sent, as sPyNNaker's delay blocks say.
	Enabled [][]bool
}

// delayExtension is the application of a delay-extension core (sPyNNaker's
// delay_extension.c, reference spinnaker-machine.md §5.6). A source slice
// whose spikes need delays longer than their targets' ring buffers hold
// sends them here too. The core counts each neuron's spikes per arrival
// tick in saturating 8-bit counters, and at every tick t, for each stage
// s = 1..S, re-sends the neurons enabled for stage s that spiked at
// t − s·L, under the key of (stage, neuron). A count above one goes as one
// MCPL packet whose payload is the count. The target's row for (stage,
// neuron) holds the remainder of each delay, so a spike of tick t0 with
// delay d = s·L + r reaches its neuron at t0 + d exactly, as when the delay
// is held on the target; on plastic rows the stage acts as an axonal delay
// (the row sees the pre spike at t0 + s·L), as on the chip.
//
// Its counters: PacketsReceived (spikes in), DelayedSpikes (spikes counted),
// DelaySaturated (spikes lost to a counter at 255), PacketsDropped (keys not
// of its source), SpikesSent (packets out).
type delayExtension struct {
	cfg      DelayExtensionConfig
	counts   []uint8 // [slot][neuron], a slot per arrival tick
	slotMask uint32
}

// NewDelayExtension makes a delay-extension core.
func NewDelayExtension(cfg DelayExtensionConfig) (Application, error) {
	if cfg.Stages < 1 || cfg.Stages > MaxDelayStages {
		return nil, fmt.Errorf("%d delay stages: a delay extension has 1 to %d", cfg.Stages, MaxDelayStages)
	}
	if cfg.StageLen < 1 || cfg.N < 1 || len(cfg.Enabled) != cfg.Stages {
		return nil, fmt.Errorf("delay extension of %d neurons, %d stages of %d ticks: malformed", cfg.N, cfg.Stages, cfg.StageLen)
	}
	slots := delaySlots(cfg.Stages, cfg.StageLen)
	return &delayExtension{cfg: cfg, counts: make([]uint8, slots*cfg.N), slotMask: uint32(slots - 1)}, nil
}

// Name implements Application.
func (d *delayExtension) Name() string { return "delay_extension" }

// Memory implements Application: the runtime's stacks, the enabled bits
// and the counters; the binary is small. The counters take a byte per
// neuron and slot (stages × stage length + 1 slots, rounded up to a power
// of two, as in delay_extension.c): 128 KiB for 256 neurons and 8 stages of
// 32. Counters that do not fit DTCM are taken to live in SDRAM, where
// sPyNNaker's allocator (spinn_front_end_common's malloc_extras) puts what
// DTCM cannot hold.
func (d *delayExtension) Memory() Memory {
	m, _ := DelayExtensionMemory(d.cfg.N, d.cfg.Stages, d.cfg.StageLen)
	return m
}

// DelayExtensionMemory is what a delay-extension core of n neurons and
// the given stages needs (Memory), and the bytes of its counters that do
// not fit DTCM and go to SDRAM.
func DelayExtensionMemory(n, stages int, stageLen uint32) (m Memory, sdram int) {
	dtcm := 8*1024 + stages*(n+31)/32*4
	if c := delaySlots(stages, stageLen) * n; dtcm+c <= DTCMBytes {
		dtcm += c
	} else {
		sdram = c
	}
	return Memory{DTCM: dtcm, ITCM: 6 * 1024}, sdram
}

// delaySlots is the number of arrival ticks a delay extension counts: every
// tick still to be sent, t − stages·stageLen .. t, rounded up to a power of
// two.
func delaySlots(stages int, stageLen uint32) int {
	return 1 << bits.Len32(uint32(stages)*stageLen)
}

func (d *delayExtension) slot(t uint32) []uint8 {
	base := int(t&d.slotMask) * d.cfg.N
	return d.counts[base : base+d.cfg.N]
}

// Receive implements Application: count the source's spikes of tick t.
func (d *delayExtension) Receive(t uint32, pkts []packets.Packet, _ *Ready, c *Counters) {
	s := d.slot(t)
	for _, p := range pkts {
		i := p.Key &^ d.cfg.InMask
		if p.Key&d.cfg.InMask != d.cfg.InKey || int(i) >= d.cfg.N {
			c.PacketsDropped++
			continue
		}
		n := uint32(1)
		if p.HasPayload {
			n = p.Payload
		}
		v := uint32(s[i]) + n
		if v > 255 {
			c.DelaySaturated += uint64(v - 255)
			v = 255
		}
		c.DelayedSpikes += uint64(uint32(v) - uint32(s[i]))
		s[i] = uint8(v)
	}
}

// TimerTick implements Application: send every stage due at t, then free
// the slot of the oldest arrival tick, which no stage needs any more.
func (d *delayExtension) TimerTick(t uint32, r *Ready, _ *Counters) {
	for st := 1; st <= d.cfg.Stages; st++ {
		back := uint32(st) * d.cfg.StageLen
		if t < back {
			break
		}
		s, on := d.slot(t-back), d.cfg.Enabled[st-1]
		base := d.cfg.OutKey | uint32(st-1)<<d.cfg.AtomBits
		for i, n := range s {
			switch {
			case n == 0 || !on[i]:
			case n == 1:
				r.Packets = append(r.Packets, packets.Multicast(base|uint32(i)))
			default:
				r.Packets = append(r.Packets, packets.MulticastPayload(base|uint32(i), uint32(n)))
			}
		}
	}
	if last := uint32(d.cfg.Stages) * d.cfg.StageLen; t >= last {
		clear(d.slot(t - last))
	}
}
