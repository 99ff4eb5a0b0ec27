// Package packets models SpiNNaker-1 inter-chip packets: the 8-bit control
// byte, the 32-bit key (routing key or address) and the optional 32-bit
// payload, and their wire form.
//
// # What it models
//
//   - The four packet types: multicast (MC), point-to-point (P2P),
//     nearest-neighbour (NN) and fixed-route (FR).
//   - The control byte, least significant bit first: bit 0 parity, bit 1
//     payload present, bits 3:2 time stamp, bits 5:4 emergency-routing state
//     (MC, FR) or sequence code (P2P), bits 7:6 type. For NN packets, whose
//     bits 5:2 mean route and peek/poke, Timestamp and Route simply carry the
//     raw bits 3:2 and 5:4.
//   - Parity: a packet has odd parity over all its bits (control byte, key
//     and, when present, payload), so Control sets bit 0 to make the number
//     of ones odd, and Decode rejects a packet with an even count.
//   - Sizes: 40 bits (5 bytes) without payload, 72 bits (9 bytes) with.
//   - A byte encoding for tests, traces and host links: the 40- or 72-bit
//     packet least significant byte first, i.e. the control byte, then the
//     key little-endian, then the payload little-endian if present. This is
//     the byte order spI/O's UART packet link uses (SpiNNakerManchester/spio,
//     modules/uart/README.md).
//
// # What it leaves out
//
//   - The 2-of-7 NRZ symbol coding of the physical links and their timing.
//   - Interpretation of keys: P2P addresses, NN direction and peek/poke, SDP
//     and SCP messages built on top of P2P packets.
//   - Time-phase checking (packets two phases old being discarded) and
//     emergency routing decisions: those belong to the router, which only
//     reads and writes the fields here.
//
// Packet is a small value type; nothing here allocates except AppendWire
// when dst has no spare capacity, and String. There are no goroutines or
// clocks.
package packets
