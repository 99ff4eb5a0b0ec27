package packets

import (
	"math/bits"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onesInWire counts the one bits of an encoded packet.
func onesInWire(b []byte) int {
	n := 0
	for _, x := range b {
		n += bits.OnesCount8(x)
	}
	return n
}

func TestControl(t *testing.T) {
	tests := []struct {
		name string
		p    Packet
		want byte
		bits int
	}{
		{"MC key 0: even ones, parity set", Multicast(0), 0x01, 40},
		{"MC key 1: odd ones, parity clear", Multicast(1), 0x00, 40},
		{"MC key 0x3: parity set", Multicast(0x3), 0x01, 40},
		{"MCPL 0,0: payload bit alone is odd", MulticastPayload(0, 0), 0x02, 72},
		{"MCPL 0,1: payload word counts", MulticastPayload(0, 1), 0x03, 72},
		{"MCPL 1,1", MulticastPayload(1, 1), 0x02, 72},
		{"P2P key 0", Packet{Type: P2P}, 0x40, 40},
		{"NN key 0", Packet{Type: NN}, 0x80, 40},
		{"FR key 0", Packet{Type: FR}, 0xC1, 40},
		{"MC ts 3 route 2 all-ones key", Packet{Type: MC, Key: 0xFFFFFFFF, Timestamp: 3, Route: 2}, 0x2C, 40},
		{"MC ts 1", Packet{Type: MC, Key: 0, Timestamp: 1}, 0x04, 40},
		{"MC ER second hop", Packet{Type: MC, Key: 0, Route: ERSecondHop}, 0x31, 40},
		{"P2P seq 1 with payload", Packet{Type: P2P, Key: 0x01000000, Payload: 0xF, HasPayload: true, Route: 1}, 0x53, 72},
		{"over-wide fields are truncated", Packet{Type: 7, Key: 0, Timestamp: 0xFF, Route: 0xFD}, 0xDC, 40},
		{"payload ignored without HasPayload", Packet{Type: MC, Key: 0, Payload: 1}, 0x01, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.p.Control()
			assert.Equalf(t, tt.want, c, "got 0x%02x", c)
			assert.Equal(t, tt.bits, tt.p.Bits())
			w := tt.p.AppendWire(nil)
			assert.Len(t, w, tt.bits/8)
			assert.Len(t, w, tt.p.Len())
			assert.Equal(t, 1, onesInWire(w)%2, "whole packet has odd parity")
		})
	}
}

// TestControlMatchesTXConstants checks the type and payload bits against the
// communications controller's TX-control constants (control byte at bits
// 23:16): PKT_P2P 0x00400000, PKT_NN 0x00800000, PKT_NND 0x00A00000,
// PKT_FR 0x00C00000, PKT_PL 0x00020000.
func TestControlMatchesTXConstants(t *testing.T) {
	tests := []struct {
		p    Packet
		want uint32
	}{
		{Packet{Type: MC}, 0},
		{Packet{Type: P2P}, 0x00400000},
		{Packet{Type: NN}, 0x00800000},
		{Packet{Type: NN, Route: 2}, 0x00A00000},
		{Packet{Type: FR}, 0x00C00000},
		{Packet{Type: MC, HasPayload: true}, 0x00020000},
	}
	for _, tt := range tests {
		t.Run(tt.p.Type.String(), func(t *testing.T) {
			got := uint32(tt.p.Control()&^1) << 16
			assert.Equalf(t, tt.want, got, "got 0x%08x", got)
		})
	}
}

func TestWireLayout(t *testing.T) {
	p := MulticastPayload(0x11223344, 0xAABBCCDD)
	w := p.AppendWire([]byte{0xEE})
	require.Equal(t, []byte{0xEE, p.Control(), 0x44, 0x33, 0x22, 0x11, 0xDD, 0xCC, 0xBB, 0xAA}, w,
		"appends control byte, key LE, payload LE")
	assert.Equal(t, []byte{Multicast(0x01020304).Control(), 0x04, 0x03, 0x02, 0x01}, Multicast(0x01020304).AppendWire(nil))
}

func TestRoundTrip(t *testing.T) {
	tests := []Packet{
		Multicast(0),
		Multicast(0xDEADBEEF),
		MulticastPayload(0x00010002, 7),
		MulticastPayload(0xFFFFFFFF, 0xFFFFFFFF),
		{Type: P2P, Key: 0x0102_0304, Route: 3, Timestamp: 1},
		{Type: NN, Key: 42, HasPayload: true, Payload: 99, Route: 2, Timestamp: 3},
		{Type: FR, Key: 1 << 31, Timestamp: 2},
	}
	for _, p := range tests {
		t.Run(p.String(), func(t *testing.T) {
			w := p.AppendWire(nil)
			// Trailing bytes belong to the next packet and are not consumed.
			got, n, err := Decode(append(w, 0xFF, 0x00))
			require.NoError(t, err)
			assert.Equal(t, len(w), n)
			assert.Equal(t, p, got)
		})
	}
}

func TestDecodeStream(t *testing.T) {
	ps := []Packet{Multicast(1), MulticastPayload(2, 3), {Type: FR, Key: 4}}
	var stream []byte
	for _, p := range ps {
		stream = p.AppendWire(stream)
	}
	var got []Packet
	for len(stream) > 0 {
		p, n, err := Decode(stream)
		require.NoError(t, err)
		got = append(got, p)
		stream = stream[n:]
	}
	assert.Equal(t, ps, got)
}

func TestDecodeShort(t *testing.T) {
	long := MulticastPayload(1, 2).AppendWire(nil)
	short := Multicast(1).AppendWire(nil)
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"control byte only", short[:1]},
		{"4 bytes", short[:4]},
		{"payload flag set but 5 bytes", long[:5]},
		{"payload flag set but 8 bytes", long[:8]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, n, err := Decode(tt.b)
			require.Equal(t, ErrShort, err)
			assert.NotErrorIs(t, err, ErrParity)
			assert.Zero(t, n)
		})
	}
}

// TestParityFlip flips every single bit of encoded packets: each flip must
// be reported as a parity error, or as too short when the flip sets the
// payload flag of a 5-byte packet.
func TestParityFlip(t *testing.T) {
	for _, p := range []Packet{Multicast(0x12345678), MulticastPayload(0x12345678, 0x9ABCDEF0), {Type: FR, Key: 5, Timestamp: 2}} {
		w := p.AppendWire(nil)
		for bit := range len(w) * 8 {
			b := append([]byte(nil), w...)
			b[bit/8] ^= 1 << (bit % 8)
			got, n, err := Decode(b)
			if bit == 1 && !p.HasPayload {
				assert.ErrorIs(t, err, ErrShort, "%v bit %d", p, bit)
				continue
			}
			if bit == 1 && p.HasPayload {
				// Clearing the payload flag turns the first 5 bytes into a
				// 40-bit packet whose parity depends on the dropped payload
				// word; whatever the outcome, Decode must not return p.
				if err == nil {
					assert.NotEqual(t, p, got)
				}
				continue
			}
			require.ErrorIs(t, err, ErrParity, "%v bit %d", p, bit)
			assert.Equal(t, len(w), n, "parity errors report the packet length")
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		p    Packet
		want string
	}{
		{Multicast(0x10002), "MC key=0x00010002"},
		{MulticastPayload(0xabc, 3), "MC key=0x00000abc payload=0x00000003"},
		{Packet{Type: FR, Key: 1, Timestamp: 1, Route: 2}, "FR key=0x00000001 ts=1 route=2"},
		{Packet{Type: P2P, Key: 0xFFFFFFFF}, "P2P key=0xffffffff"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.p.String())
	}
	assert.Equal(t, "NN", NN.String())
	assert.Equal(t, "Type(9)", Type(9).String())
}

func TestNoAllocs(t *testing.T) {
	p := MulticastPayload(1, 2)
	buf := make([]byte, 0, 16)
	bad := p.AppendWire(nil)
	bad[2] ^= 1
	allocs := testing.AllocsPerRun(100, func() {
		w := p.AppendWire(buf[:0])
		_, _, _ = Decode(w)
		_, _, _ = Decode(w[:3])
		_, _, _ = Decode(bad)
		_ = p.Control()
	})
	assert.Zero(t, allocs)
}

func FuzzRoundTrip(f *testing.F) {
	for _, p := range []Packet{
		Multicast(0),
		Multicast(0xFFFFFFFF),
		MulticastPayload(0x00010002, 7),
		{Type: P2P, Key: 0x01020304, Route: 3, Timestamp: 1},
		{Type: FR, Key: 1 << 31, HasPayload: true, Payload: 5, Timestamp: 2},
	} {
		f.Add(p.AppendWire(nil))
	}
	f.Add([]byte{})
	f.Add([]byte{0x02, 0, 0, 0, 0})                      // payload flag, too short
	f.Add([]byte{0x00, 0, 0, 0, 0})                      // bad parity
	f.Add([]byte{0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})   // long with trailing bytes
	f.Add([]byte{0x01, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0}) // short with trailing bytes

	f.Fuzz(func(t *testing.T, b []byte) {
		// Decode then encode reproduces exactly the bytes consumed.
		p, n, err := Decode(b)
		switch {
		case err == nil:
			require.Equal(t, p.Len(), n)
			require.Equal(t, b[:n], p.AppendWire(nil))
		case n == 0:
			require.ErrorIs(t, err, ErrShort)
			require.True(t, len(b) < LongBytes)
		default:
			require.ErrorIs(t, err, ErrParity)
			require.Equal(t, 0, onesInWire(b[:n])%2)
			fixed := p.AppendWire(nil)
			require.Equal(t, b[1:n], fixed[1:], "only the parity bit differs")
			require.Equal(t, b[0]^1, fixed[0])
		}

		// Encode then decode reproduces any packet built from the bytes.
		if len(b) < LongBytes {
			return
		}
		q := Packet{
			Type:       Type(b[0] >> 6),
			HasPayload: b[0]&2 != 0,
			Timestamp:  (b[0] >> 2) & 3,
			Route:      (b[0] >> 4) & 3,
			Key:        uint32(b[1]) | uint32(b[2])<<8 | uint32(b[3])<<16 | uint32(b[4])<<24,
		}
		if q.HasPayload {
			q.Payload = uint32(b[5]) | uint32(b[6])<<8 | uint32(b[7])<<16 | uint32(b[8])<<24
		}
		w := q.AppendWire(nil)
		require.Equal(t, 1, onesInWire(w)%2)
		got, m, err := Decode(w)
		require.NoError(t, err)
		require.Equal(t, len(w), m)
		require.Equal(t, q, got)
	})
}

func BenchmarkRoundTrip(b *testing.B) {
	p := MulticastPayload(0x12345678, 0x9ABCDEF0)
	buf := make([]byte, 0, LongBytes)
	for b.Loop() {
		w := p.AppendWire(buf[:0])
		if _, _, err := Decode(w); err != nil {
			b.Fatal(err)
		}
	}
}
