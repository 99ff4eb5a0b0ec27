// Package sdram models a SpiNNaker chip's shared SDRAM: 128 MiB that every
// core of the chip reaches through its DMA controller (reference
// spinnaker-machine.md §1.2, §1.3). The mapping allocates regions in it (the
// input blocks a split population's synapse cores hand their neuron core,
// for example); a core reads and writes them by transfers, and every access
// is checked against the region's bounds and the cores allowed to use it,
// so that a wrong address is an error that names the chip, the core, the
// region and the address, never silent corruption.
//
// Memory is a pure data structure, used by one goroutine at a time: the
// sequential driver calls it directly, and the actor driver wraps each
// chip's Memory in an SDRAM actor that serves the chip's transfers as
// messages.
package sdram

import (
	"fmt"
	"slices"

	"github.com/spinnsim/spinnsim/machine"
)

// Bytes is the size of a chip's SDRAM.
const Bytes = 128 << 20

// Base is the address of the first byte of SDRAM in a core's view of memory
// (the shared, buffered alias).
const Base uint32 = 0x70000000

// RegionID names a region of one chip's SDRAM.
type RegionID int32

// Region is an allocated block of SDRAM: words owned by one core and shared
// with the cores listed (the owner may always read and write it).
type Region struct {
	ID      RegionID
	Name    string
	Owner   int   // core p that owns it
	Sharers []int // other cores allowed to access it
	Addr    uint32
	Words   []uint32
}

// Allows reports whether core p may access the region.
func (r *Region) Allows(p int) bool { return p == r.Owner || slices.Contains(r.Sharers, p) }

// Memory is one chip's SDRAM.
type Memory struct {
	Chip    machine.XY
	regions []*Region
	used    uint32 // bytes allocated

	// Reads and Writes count the transfers served, ReadWords and WriteWords
	// the words they moved (provenance).
	Reads, Writes         uint64
	ReadWords, WriteWords uint64
}

// New returns a chip's empty SDRAM.
func New(chip machine.XY) *Memory { return &Memory{Chip: chip} }

// Used is the number of bytes allocated.
func (m *Memory) Used() int { return int(m.used) }

// Regions lists the regions in allocation order.
func (m *Memory) Regions() []*Region { return m.regions }

// Region returns a region, or nil.
func (m *Memory) Region(id RegionID) *Region {
	if id < 0 || int(id) >= len(m.regions) {
		return nil
	}
	return m.regions[id]
}

// FullError says a chip's SDRAM cannot hold another region.
type FullError struct {
	Chip      machine.XY
	Name      string
	Need, Has int // bytes
}

func (e *FullError) Error() string {
	return fmt.Sprintf("chip %v: SDRAM region %q needs %d bytes, %d of %d are free", e.Chip, e.Name, e.Need, e.Has, Bytes)
}

// Alloc allocates a zeroed region of words for core owner, shared with
// sharers.
func (m *Memory) Alloc(name string, owner int, sharers []int, words int) (RegionID, error) {
	need := 4 * words
	if words < 0 || need > Bytes-int(m.used) {
		return -1, &FullError{Chip: m.Chip, Name: name, Need: need, Has: Bytes - int(m.used)}
	}
	id := RegionID(len(m.regions))
	m.regions = append(m.regions, &Region{ID: id, Name: name, Owner: owner, Sharers: slices.Clone(sharers),
		Addr: Base + m.used, Words: make([]uint32, words)})
	m.used += uint32(need)
	return id, nil
}

// Transfer is one DMA transfer between a core and SDRAM: Words words at
// word Offset of a region, read into Data or written from it. Tag is the
// core's own label for it (which input block, for example); SDRAM does not
// look at it.
type Transfer struct {
	Region RegionID
	Offset uint32
	Words  uint32
	Write  bool
	Data   []uint32
	Tag    uint32
}

// AccessError is a transfer outside what a core may touch.
type AccessError struct {
	Chip   machine.XY
	Core   int
	Region string // "" when the region does not exist
	Addr   uint32 // first byte addressed
	Bytes  uint32
	Write  bool
	Why    string
}

func (e *AccessError) Error() string {
	op := "read"
	if e.Write {
		op = "write"
	}
	region := "no region"
	if e.Region != "" {
		region = fmt.Sprintf("region %q", e.Region)
	}
	return fmt.Sprintf("chip %v core %d: DMA %s of %d bytes at %#08x, %s: %s", e.Chip, e.Core, op, e.Bytes, e.Addr, region, e.Why)
}

// Do performs a transfer for core p: a read fills tr.Data (reusing its
// capacity), a write copies tr.Data into the region. Nothing is touched when
// the transfer is refused.
func (m *Memory) Do(p int, tr *Transfer) error {
	n := tr.Words
	if tr.Write {
		n = uint32(len(tr.Data))
	}
	r := m.Region(tr.Region)
	if r == nil {
		return &AccessError{Chip: m.Chip, Core: p, Bytes: 4 * n, Write: tr.Write,
			Why: fmt.Sprintf("region id %d was never allocated on this chip", tr.Region)}
	}
	addr := r.Addr + 4*tr.Offset
	fail := func(why string) error {
		return &AccessError{Chip: m.Chip, Core: p, Region: r.Name, Addr: addr, Bytes: 4 * n, Write: tr.Write, Why: why}
	}
	if !r.Allows(p) {
		return fail(fmt.Sprintf("the region belongs to core %d and is not shared with core %d", r.Owner, p))
	}
	if uint64(tr.Offset)+uint64(n) > uint64(len(r.Words)) {
		return fail(fmt.Sprintf("outside the region (%#08x, %d bytes)", r.Addr, 4*len(r.Words)))
	}
	if tr.Write {
		copy(r.Words[tr.Offset:], tr.Data)
		m.Writes++
		m.WriteWords += uint64(n)
		return nil
	}
	tr.Data = append(tr.Data[:0], r.Words[tr.Offset:tr.Offset+n]...)
	m.Reads++
	m.ReadWords += uint64(n)
	return nil
}
