package machine

import (
	"fmt"
	"strconv"
)

// Link is one of the six inter-chip links of a chip, numbered as the router's
// route word numbers them (bits 0..5).
type Link int

// The six links, in hardware order.
const (
	East Link = iota
	NorthEast
	North
	West
	SouthWest
	South
)

// NumLinks is the number of inter-chip links per chip.
const NumLinks = 6

var (
	linkNames = [NumLinks]string{"E", "NE", "N", "W", "SW", "S"}
	linkDX    = [NumLinks]int{+1, +1, 0, -1, -1, 0}
	linkDY    = [NumLinks]int{0, +1, +1, 0, -1, -1}
)

// Links returns the six links in hardware order E, NE, N, W, SW, S.
func Links() []Link {
	return []Link{East, NorthEast, North, West, SouthWest, South}
}

// Valid reports whether l is one of the six links.
func (l Link) Valid() bool { return l >= 0 && l < NumLinks }

// Opposite returns the link pointing the other way: (l+3) mod 6. A packet
// arriving on link l of a chip was sent on link l.Opposite() of its
// neighbour, and a default-routed packet arriving on l leaves on
// l.Opposite().
func (l Link) Opposite() Link { return (l + 3) % NumLinks }

// String returns "E", "NE", "N", "W", "SW" or "S" ("Link(n)" when invalid).
func (l Link) String() string {
	if !l.Valid() {
		return "Link(" + strconv.Itoa(int(l)) + ")"
	}
	return linkNames[l]
}

// Delta returns the direction vector of l on the (x, y) lattice. It panics
// if l is not a valid link.
func (l Link) Delta() (dx, dy int) {
	if !l.Valid() {
		panic(fmt.Sprintf("machine: invalid link %d", int(l)))
	}
	return linkDX[l], linkDY[l]
}

// XY is the position of a chip in the machine.
type XY struct{ X, Y int }

// String returns "(x,y)".
func (c XY) String() string {
	return "(" + strconv.Itoa(c.X) + "," + strconv.Itoa(c.Y) + ")"
}

// ChipID returns the 16-bit chip id x<<8 | y used by P2P addressing (both
// coordinates must be below 256, which holds for every machine New builds).
func (c XY) ChipID() uint16 { return uint16(c.X)<<8 | uint16(c.Y&0xFF) }

// CoresPerChip is the number of ARM968 cores on a SpiNNaker-1 chip.
const CoresPerChip = 18

// Physical core numbers of the system cores and the application range.
const (
	MonitorCore      = 0  // runs SC&MP
	ExtraMonitorCore = 17 // dropped-packet reinjection, fast data-in
	FirstAppCore     = 1
	LastAppCore      = 16
)

// AppCores returns the physical application cores of a chip, 1..16, in
// ascending order. The slice is fresh; callers may modify it.
func AppCores() []int {
	cores := make([]int, 0, LastAppCore-FirstAppCore+1)
	for p := FirstAppCore; p <= LastAppCore; p++ {
		cores = append(cores, p)
	}
	return cores
}
