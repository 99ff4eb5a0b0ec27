// Package machine models the topology of a SpiNNaker-1 machine: which chips
// exist, how the six inter-chip links of each chip connect them, which cores
// and links are faulty, and the shortest routes between chips.
//
// # What it models
//
//   - Link ids and direction vectors of the triangular lattice: 0 E (+1,0),
//     1 NE (+1,+1), 2 N (0,+1), 3 W (-1,0), 4 SW (-1,-1), 5 S (0,-1); the
//     opposite of link l is (l+3) mod 6.
//   - A SpiNN-3 board: 2x2 chips modelled as a full-wrap torus, Ethernet chip
//     (0,0).
//   - A single SpiNN-5 board: 48 chips in a hexagon inside an 8x8 box, no
//     wrap-around, Ethernet chip (0,0). The hexagon is the set of (x, y) with
//     0 <= x, y <= 7 and -4 <= y-x <= 3.
//   - Several SpiNN-5 boards: ceil(boards/3) triads of 12x12 chips (three
//     boards each, Ethernet chips at (0,0), (4,8) and (8,4) of the triad)
//     arranged in a near-square rectangle of triads (w = ceil(sqrt(t)),
//     h = ceil(t/w), the spalloc rule) with full torus wrap-around. The
//     rectangle must hold exactly the boards asked for (BuildableBoards:
//     1, 3, 6, 12, 18, 27, ...); any other count is an error naming the
//     nearest counts, never a silent change.
//   - Faults: dead chips, dead cores and dead links (a link dies in both
//     directions). Neighbour and Path honour them; AppCoresOf gives a chip's
//     live application cores (a dead monitor core costs one).
//   - Routes: Path returns the longest-dimension-first route on the
//     triangular lattice (dimensions x, y and the NE/SW diagonal), using
//     wrap-around where it is shorter, and falls back to a deterministic
//     breadth-first search over live links when that route meets a missing
//     chip or a dead link.
//
// # What it leaves out
//
//   - The standard SpiNN-5 map of chips with 17 working cores: every chip has
//     18 cores, of which physical cores 1..16 are application cores (core 0 is
//     the monitor running SC&MP, core 17 the extra monitor). Use KillCore to
//     model a chip with fewer cores.
//   - Physical-to-virtual core maps, SDRAM sizes, clocks and energy.
//   - Machines of 12k+4 chips without wrap-around, and board layouts other
//     than SpiNN-3 and SpiNN-5.
//   - FPGA / spiNNlink connectors and external devices.
//   - Timing: links have no latency or bandwidth here; that belongs to the
//     drivers that move packets.
//
// Everything in this package is a pure, single-threaded data structure: no
// goroutines, no clocks. A Machine is not safe for concurrent mutation; after
// construction and fault injection it may be read from many goroutines.
package machine
