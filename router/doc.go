// Package router models the multicast (MC) router of one SpiNNaker-1 chip as
// a pure state machine: given a packet and where it came from, it says which
// links and cores the packet goes to, and keeps the diagnostic counts.
//
// # What it models
//
//   - The MC table: 1024 ternary entries (key, mask, route) of which 1023
//     are usable by applications (one is reserved for the system). A key k
//     matches entry i when k & mask_i == key_i; when several entries match,
//     the lowest-numbered one wins, as the hardware priority encoder does.
//     An entry whose key has a one where its mask has a zero can never match
//     and is rejected.
//   - The 24-bit route word: bits 0..5 are links E, NE, N, W, SW, S, bits
//     6..23 physical cores 0..17. A route may select any mix of links and
//     cores; the packet is replicated to all of them.
//   - Default routing: an MC packet that arrives on a link and matches no
//     entry leaves on the opposite link, (in + 3) mod 6, unchanged. An MC
//     packet sent by a core of this chip that matches nothing is dropped.
//   - Counters matching the router's default diagnostic counters and
//     SpiNNMan's user counters 2 and 3: local and external MC packets,
//     table-routed, default-routed (external, no entry) and dropped local
//     packets, and dumped packets.
//   - Routing-table compression (compress.go): the pair compressor
//     (pair.go, sPyNNaker's default) and ordered covering
//     (ordered_covering.go), exact for every key of the table and every key
//     that must stay unmatched.
//
// # What it leaves out
//
//   - Timing and back-pressure: the pipeline, wait1/wait2 timeouts, blocked
//     outputs, emergency routing and dumping. The caller (the driver that
//     moves packets between chips) decides when an output is blocked and
//     records a drop with Router.Dump; the ER state in a packet's Route field
//     is carried but not acted on.
//   - P2P, NN and FR packets: Route only routes MC packets and reports any
//     other type as not routed, without counting it.
//   - Time-phase (time-stamp) checking, parity/framing error handling, the
//     per-link diversion register and the 16 programmable counter filters.
//   - Register-level access (write-only key/mask CAM, SARK's SDRAM copy).
//
// Router and Table are plain values with no goroutines or clocks; a Router
// must not be used from several goroutines at once, but Lookup on a Table
// that is not being modified only reads it.
package router
