package packets

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"strconv"
)

// Type is the packet type held in control-byte bits 7:6.
type Type uint8

// Packet types.
const (
	MC  Type = 0 // multicast: routed by key through the MC table
	P2P Type = 1 // point-to-point: routed by destination chip
	NN  Type = 2 // nearest-neighbour: to the monitor of an adjacent chip
	FR  Type = 3 // fixed-route: routed by the fixed-route register
)

var typeNames = [4]string{"MC", "P2P", "NN", "FR"}

// String returns "MC", "P2P", "NN" or "FR" ("Type(n)" when out of range).
func (t Type) String() string {
	if t > FR {
		return "Type(" + strconv.Itoa(int(t)) + ")"
	}
	return typeNames[t]
}

// Wire sizes in bytes.
const (
	ShortBytes = 5 // 40-bit packet: control byte + key
	LongBytes  = 9 // 72-bit packet: control byte + key + payload
)

// Control-byte layout.
const (
	ctrlParity    = 1 << 0
	ctrlPayload   = 1 << 1
	ctrlTSShift   = 2
	ctrlRouteShft = 4
	ctrlTypeShift = 6
	twoBits       = 0x3
)

// Emergency-routing states carried in Route by MC and FR packets.
const (
	ERNormal     = 0 // normal routing
	ERFirstHop   = 1 // first hop of an emergency route; normal routing would also get here
	ERFirstHopER = 2 // first hop of an emergency route that would not otherwise get here
	ERSecondHop  = 3 // second (last) hop: the next router resumes normal routing
)

// Sentinel errors returned by Decode.
var (
	ErrShort  = errors.New("packets: too short")
	ErrParity = errors.New("packets: parity error")
)

// Packet is one SpiNNaker packet. Fields wider than their hardware field are
// truncated by Control: Type, Timestamp and Route keep their low two bits.
// Payload is ignored unless HasPayload is set.
type Packet struct {
	Type       Type
	Key        uint32
	Payload    uint32
	HasPayload bool
	Timestamp  uint8 // 2-bit time phase, control bits 3:2
	Route      uint8 // 2-bit ER state (MC, FR) or P2P sequence code, control bits 5:4
}

// Multicast returns a 40-bit MC packet with the given routing key.
func Multicast(key uint32) Packet { return Packet{Type: MC, Key: key} }

// MulticastPayload returns a 72-bit MC packet (MCPL) with key and payload.
func MulticastPayload(key, payload uint32) Packet {
	return Packet{Type: MC, Key: key, Payload: payload, HasPayload: true}
}

// Control returns the control byte: bit 0 parity, bit 1 payload present,
// bits 3:2 time stamp, bits 5:4 route / ER state, bits 7:6 type.
//
// SpiNNaker packets use odd parity over the whole packet: the parity bit is
// chosen so that the control byte, key and payload (if any) together hold an
// odd number of ones. We checked the convention in SpiNNaker's own FPGA code,
// where the AER-to-SpiNNaker mapper sets the parity bit to the inverted XOR
// of the other 39 bits of a 40-bit packet (SpiNNakerManchester/spio,
// modules/aer_interface/spio_aer2spinn_mapper.v). That file only builds
// 40-bit packets; for 72-bit packets we follow the datasheet (v2.02), which
// defines parity over the whole packet, so the payload is counted too.
func (p Packet) Control() byte {
	c := byte(p.Type&twoBits)<<ctrlTypeShift |
		(p.Route&twoBits)<<ctrlRouteShft |
		(p.Timestamp&twoBits)<<ctrlTSShift
	if p.HasPayload {
		c |= ctrlPayload
	}
	if p.ones(c)%2 == 0 {
		c |= ctrlParity
	}
	return c
}

// ones counts the one bits of the packet with control byte c, excluding the
// parity bit.
func (p Packet) ones(c byte) int {
	n := bits.OnesCount8(c&^ctrlParity) + bits.OnesCount32(p.Key)
	if p.HasPayload {
		n += bits.OnesCount32(p.Payload)
	}
	return n
}

// Bits returns the packet length on the wire: 40 or 72 bits.
func (p Packet) Bits() int {
	if p.HasPayload {
		return 72
	}
	return 40
}

// Len returns the packet's encoded length in bytes: ShortBytes or LongBytes.
func (p Packet) Len() int {
	if p.HasPayload {
		return LongBytes
	}
	return ShortBytes
}

// AppendWire appends the packet's encoding to dst and returns the extended
// slice: control byte, key little-endian, then payload little-endian if the
// packet has one (5 or 9 bytes).
func (p Packet) AppendWire(dst []byte) []byte {
	dst = append(dst, p.Control())
	dst = binary.LittleEndian.AppendUint32(dst, p.Key)
	if p.HasPayload {
		dst = binary.LittleEndian.AppendUint32(dst, p.Payload)
	}
	return dst
}

// Decode reads one packet from the front of b and returns it with the number
// of bytes it occupied.
//
// If b is shorter than the packet its control byte announces, Decode returns
// n == 0 and ErrShort. If the packet's parity is even, Decode returns the
// packet as read, its full length n, and ErrParity, so that a caller reading
// a stream can count the error and skip the packet as the hardware does. The
// errors are the sentinels themselves (not wrapped), and Decode never
// allocates.
func Decode(b []byte) (Packet, int, error) {
	if len(b) < ShortBytes {
		return Packet{}, 0, ErrShort
	}
	c := b[0]
	p := Packet{
		Type:       Type(c >> ctrlTypeShift),
		Key:        binary.LittleEndian.Uint32(b[1:ShortBytes]),
		HasPayload: c&ctrlPayload != 0,
		Timestamp:  (c >> ctrlTSShift) & twoBits,
		Route:      (c >> ctrlRouteShft) & twoBits,
	}
	n := ShortBytes
	if p.HasPayload {
		if len(b) < LongBytes {
			return Packet{}, 0, ErrShort
		}
		p.Payload = binary.LittleEndian.Uint32(b[ShortBytes:LongBytes])
		n = LongBytes
	}
	if (p.ones(c)+int(c&ctrlParity))%2 == 0 {
		return p, n, ErrParity
	}
	return p, n, nil
}

// String describes the packet, e.g. "MC key=0x00010002" or
// "MC key=0x00010002 payload=0x00000003 ts=1 route=2" (time stamp and route
// are shown only when non-zero).
func (p Packet) String() string {
	b := make([]byte, 0, 64)
	b = append(b, p.Type.String()...)
	b = append(b, " key=0x"...)
	b = appendHex32(b, p.Key)
	if p.HasPayload {
		b = append(b, " payload=0x"...)
		b = appendHex32(b, p.Payload)
	}
	if ts := p.Timestamp & twoBits; ts != 0 {
		b = append(b, " ts="...)
		b = strconv.AppendUint(b, uint64(ts), 10)
	}
	if r := p.Route & twoBits; r != 0 {
		b = append(b, " route="...)
		b = strconv.AppendUint(b, uint64(r), 10)
	}
	return string(b)
}

func appendHex32(b []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, digits[(v>>uint(shift))&0xF])
	}
	return b
}
