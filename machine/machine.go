package machine

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Board names accepted by New.
const (
	SpiNN3 = "spinn-3"
	SpiNN5 = "spinn-5"
)

// MaxBoards is the largest number of SpiNN-5 boards New accepts: the full
// million-core machine (1,200 boards, 400 triads, 240x240 chips).
const MaxBoards = 1200

// Geometry of a SpiNN-5 board and of a triad of three boards.
const (
	boardSide = 8  // a single board's bounding box is 8x8 chips
	triadSide = 12 // three boards tile a 12x12 torus cell
)

// triadEthernets are the Ethernet chips of one 12x12 triad, relative to its
// origin.
var triadEthernets = [3]XY{{0, 0}, {4, 8}, {8, 4}}

// Errors returned by the fault-injection and routing methods; the returned
// errors wrap them with the chip, core or link concerned.
var (
	ErrNoChip      = errors.New("no such chip")
	ErrNoCore      = errors.New("no such core")
	ErrNoLink      = errors.New("no such link")
	ErrUnreachable = errors.New("destination unreachable")
)

// Machine is the topology of a SpiNNaker machine with its faults.
//
// The exported fields describe the shape and must not be changed after New.
type Machine struct {
	Board         string // SpiNN3 or SpiNN5
	Boards        int    // number of boards built
	Width, Height int    // bounding box in chips
	WrapX, WrapY  bool   // torus wrap-around in each dimension

	live      []bool   // chip exists and is not dead, indexed by index()
	deadCores []uint32 // bit p set = core p dead
	deadLinks []uint8  // bit l set = link l dead
	nLive     int
	ethernets []XY  // Ethernet chips in the unfaulted machine, sorted
	boardOf   []int // index into ethernets of the chip's board, -1 if none
}

// New builds a machine of the given board type and number of boards.
//
//   - "spinn-3": one 2x2 board with full wrap-around; boards must be 1.
//   - "spinn-5", boards == 1: one 48-chip hexagonal board in an 8x8 box,
//     no wrap-around.
//   - "spinn-5", boards > 1: ceil(boards/3) triads of 12x12 chips in a
//     near-square rectangle, full wrap-around. The rectangle must hold
//     exactly the boards asked for (see BuildableBoards): 9 boards would
//     take a 2x2 rectangle of triads, 12 boards, so 9 is an error naming
//     the counts that can be built, never a silent change.
//
// The board name is case-insensitive. An unknown name or a bad board count
// is an error naming the value.
func New(board string, boards int) (*Machine, error) {
	name := strings.ToLower(strings.TrimSpace(board))
	m := &Machine{Board: name}
	switch name {
	case SpiNN3:
		if boards != 1 {
			return nil, fmt.Errorf("machine: %s supports exactly 1 board, got %d", SpiNN3, boards)
		}
		m.Boards, m.Width, m.Height, m.WrapX, m.WrapY = 1, 2, 2, true, true
		m.ethernets = []XY{{0, 0}}
	case SpiNN5:
		switch {
		case boards < 1 || boards > MaxBoards:
			return nil, fmt.Errorf("machine: %s board count %d out of range 1..%d", SpiNN5, boards, MaxBoards)
		case boards == 1:
			m.Boards, m.Width, m.Height = 1, boardSide, boardSide
			m.ethernets = []XY{{0, 0}}
		case !BuildableBoards(boards):
			below, above := NearestBoards(boards)
			return nil, fmt.Errorf("machine: %d %s boards cannot be built: boards come one at a time or in triads of 3, and a machine of triads is the near-square rectangle of ceil(boards/3) triads (%d boards would get %d); ask for %d or %d",
				boards, SpiNN5, boards, nearSquareBoards(boards), below, above)
		default:
			w, h := triadRectangle(boards)
			m.Boards, m.Width, m.Height, m.WrapX, m.WrapY = 3*w*h, w*triadSide, h*triadSide, true, true
			for i := range w {
				for j := range h {
					for _, e := range triadEthernets {
						m.ethernets = append(m.ethernets, XY{i*triadSide + e.X, j*triadSide + e.Y})
					}
				}
			}
			sortXY(m.ethernets)
		}
	default:
		return nil, fmt.Errorf("machine: unknown board %q (want %q or %q)", board, SpiNN3, SpiNN5)
	}

	n := m.Width * m.Height
	m.live = make([]bool, n)
	m.deadCores = make([]uint32, n)
	m.deadLinks = make([]uint8, n)
	m.boardOf = make([]int, n)
	for i := range m.boardOf {
		m.boardOf[i] = -1
	}
	if name == SpiNN3 {
		for i := range m.live {
			m.live[i] = true
			m.boardOf[i] = 0
		}
	} else {
		// Stamp the 48-chip hexagon of every board, relative to its
		// Ethernet chip and wrapped onto the torus. On a triad machine the
		// hexagons tile the torus exactly (checked by the tests).
		for b, e := range m.ethernets {
			for lx := range boardSide {
				for ly := range boardSide {
					if !inHexagon(lx, ly) {
						continue
					}
					c, ok := m.wrap(e.X+lx, e.Y+ly)
					if !ok {
						continue
					}
					i := m.index(c)
					if m.boardOf[i] >= 0 {
						panic(fmt.Sprintf("machine: boards %v and %v overlap at %v", m.ethernets[m.boardOf[i]], e, c))
					}
					m.live[i] = true
					m.boardOf[i] = b
				}
			}
		}
	}
	for _, ok := range m.live {
		if ok {
			m.nLive++
		}
	}
	return m, nil
}

// triadRectangle returns the near-square rectangle of triads (w wide, h
// high) holding ceil(boards/3) triads, as spalloc chooses it.
func triadRectangle(boards int) (w, h int) {
	t := (boards + 2) / 3
	w = int(math.Ceil(math.Sqrt(float64(t))))
	h = (t + w - 1) / w
	return w, h
}

// nearSquareBoards is the number of boards the rectangle of triads for n
// boards holds.
func nearSquareBoards(n int) int {
	if n <= 1 {
		return 1
	}
	w, h := triadRectangle(n)
	return 3 * w * h
}

// BuildableBoards reports whether a SpiNN-5 machine of n boards can be
// built: a single board, or the near-square rectangle of triads that
// spalloc allocates for n boards holding exactly n (3, 6, 12, 18, 27, 36,
// 48, ... up to MaxBoards).
func BuildableBoards(n int) bool {
	return n >= 1 && n <= MaxBoards && nearSquareBoards(n) == n
}

// NearestBoards returns the buildable board counts nearest to n: the largest
// at or below it (0 when there is none) and the smallest at or above it (0
// when n is beyond MaxBoards).
func NearestBoards(n int) (below, above int) {
	for b := min(n, MaxBoards); b >= 1; b-- {
		if BuildableBoards(b) {
			below = b
			break
		}
	}
	for b := max(n, 1); b <= MaxBoards; b++ {
		if BuildableBoards(b) {
			above = b
			break
		}
	}
	return below, above
}

// inHexagon reports whether local position (lx, ly) relative to a board's
// Ethernet chip is one of the board's 48 chips: columns x=0..7 hold y 0-3,
// 0-4, 0-5, 0-6, 0-7, 1-7, 2-7, 3-7.
func inHexagon(lx, ly int) bool {
	d := ly - lx
	return lx >= 0 && lx < boardSide && ly >= 0 && ly < boardSide && d >= -4 && d <= 3
}

func (m *Machine) index(c XY) int { return c.X*m.Height + c.Y }

func (m *Machine) inBox(c XY) bool {
	return c.X >= 0 && c.X < m.Width && c.Y >= 0 && c.Y < m.Height
}

// wrap maps (x, y) into the bounding box, wrapping the dimensions that wrap;
// ok is false when a non-wrapping coordinate falls outside.
func (m *Machine) wrap(x, y int) (XY, bool) {
	if m.WrapX {
		x = mod(x, m.Width)
	}
	if m.WrapY {
		y = mod(y, m.Height)
	}
	c := XY{x, y}
	return c, m.inBox(c)
}

func mod(a, n int) int {
	a %= n
	if a < 0 {
		a += n
	}
	return a
}

// HasChip reports whether chip c exists and is alive.
func (m *Machine) HasChip(c XY) bool { return m.inBox(c) && m.live[m.index(c)] }

// NumChips returns the number of live chips.
func (m *Machine) NumChips() int { return m.nLive }

// Chips returns every live chip, sorted by x then y.
func (m *Machine) Chips() []XY {
	chips := make([]XY, 0, m.nLive)
	for x := range m.Width {
		for y := range m.Height {
			if m.live[m.index(XY{x, y})] {
				chips = append(chips, XY{x, y})
			}
		}
	}
	return chips
}

// EthernetChips returns the live Ethernet chips (one per board), sorted by x
// then y.
func (m *Machine) EthernetChips() []XY {
	out := make([]XY, 0, len(m.ethernets))
	for _, e := range m.ethernets {
		if m.HasChip(e) {
			out = append(out, e)
		}
	}
	return out
}

// BoardOf returns the Ethernet chip of the board that holds chip c (whether
// or not that Ethernet chip is still alive); ok is false if c is not a live
// chip.
func (m *Machine) BoardOf(c XY) (XY, bool) {
	if !m.HasChip(c) {
		return XY{}, false
	}
	return m.ethernets[m.boardOf[m.index(c)]], true
}

// CoreAlive reports whether physical core p of chip c exists and is alive.
func (m *Machine) CoreAlive(c XY, p int) bool {
	return m.HasChip(c) && p >= 0 && p < CoresPerChip && m.deadCores[m.index(c)]&(1<<p) == 0
}

// AppCoresOf returns the live application cores of chip c, ascending. A
// chip runs its monitor (SC&MP) and extra monitor on two working cores: when
// physical core 0 or 17 is dead, the chip boots them on other cores, and the
// chip loses one application core for each (the highest live ones, here).
// A dead or missing chip has none.
func (m *Machine) AppCoresOf(c XY) []int {
	if !m.HasChip(c) {
		return nil
	}
	var cores []int
	for p := FirstAppCore; p <= LastAppCore; p++ {
		if m.CoreAlive(c, p) {
			cores = append(cores, p)
		}
	}
	for _, sys := range []int{MonitorCore, ExtraMonitorCore} {
		if !m.CoreAlive(c, sys) && len(cores) > 0 {
			cores = cores[:len(cores)-1]
		}
	}
	return cores
}

// neighbour is Neighbour without the dead-link and dead-chip checks: the
// position over link l, if it lies inside the machine.
func (m *Machine) neighbour(c XY, l Link) (XY, bool) {
	dx, dy := l.Delta()
	return m.wrap(c.X+dx, c.Y+dy)
}

// Neighbour returns the chip reached from c over link l. ok is false when c
// is not a live chip, l is not a valid link, the link leaves the machine
// (no wrap-around in that dimension), the chip on the other side is missing
// or dead, or the link is dead.
func (m *Machine) Neighbour(c XY, l Link) (XY, bool) {
	if !l.Valid() || !m.HasChip(c) || m.deadLinks[m.index(c)]&(1<<l) != 0 {
		return XY{}, false
	}
	n, ok := m.neighbour(c, l)
	if !ok || !m.live[m.index(n)] {
		return XY{}, false
	}
	return n, true
}

// KillChip marks chip c dead. Its links, cores and routes disappear with it.
func (m *Machine) KillChip(c XY) error {
	if !m.HasChip(c) {
		return fmt.Errorf("machine: kill chip %v: %w", c, ErrNoChip)
	}
	m.live[m.index(c)] = false
	m.nLive--
	return nil
}

// KillCore marks physical core p of chip c dead. Killing a dead core again is
// not an error.
func (m *Machine) KillCore(c XY, p int) error {
	if !m.HasChip(c) {
		return fmt.Errorf("machine: kill core %d on %v: %w", p, c, ErrNoChip)
	}
	if p < 0 || p >= CoresPerChip {
		return fmt.Errorf("machine: kill core %d on %v: %w (want 0..%d)", p, c, ErrNoCore, CoresPerChip-1)
	}
	m.deadCores[m.index(c)] |= 1 << p
	return nil
}

// KillLink marks link l of chip c dead in both directions: l on c and
// l.Opposite() on the neighbour. The link must lead to a chip of the machine
// (the neighbour may itself be dead). Killing a dead link again is not an
// error.
func (m *Machine) KillLink(c XY, l Link) error {
	if !m.HasChip(c) {
		return fmt.Errorf("machine: kill link %v of %v: %w", l, c, ErrNoChip)
	}
	if !l.Valid() {
		return fmt.Errorf("machine: kill link %v of %v: %w", l, c, ErrNoLink)
	}
	n, ok := m.neighbour(c, l)
	if !ok || m.boardOf[m.index(n)] < 0 {
		return fmt.Errorf("machine: kill link %v of %v: %w (it leaves the machine)", l, c, ErrNoLink)
	}
	m.deadLinks[m.index(c)] |= 1 << l
	m.deadLinks[m.index(n)] |= 1 << l.Opposite()
	return nil
}

// sortXY sorts chips by x then y.
func sortXY(cs []XY) {
	slices.SortFunc(cs, func(a, b XY) int {
		if c := cmp.Compare(a.X, b.X); c != 0 {
			return c
		}
		return cmp.Compare(a.Y, b.Y)
	})
}
