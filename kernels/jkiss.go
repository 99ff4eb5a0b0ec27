package kernels

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
)

// JKISS is SpiNNaker's random number generator for structural plasticity:
// David Jones's JKISS, Marsaglia's KISS with a 64-bit multiply-with-carry,
// as spinn_common's mars_kiss64_seed implements it. The state is four 32-bit
// words [x, y, z, c], exactly the mars_kiss64_seed_t the host writes:
//
//	x ← 314527869·x + 1234567                  (mod 2^32, linear congruential)
//	y ← y ^ y<<5; y ← y ^ y>>7; y ← y ^ y<<22  (xorshift, y ≠ 0)
//	t ← 4294584393·z + c (64 bits); c ← t >> 32; z ← t mod 2^32 (multiply-with-carry)
//	output x + y + z (mod 2^32)
//
// A state must be validated (Validate) before use, as the chip does: y = 0
// would stay 0, and z = c = 0 would stay 0.
//
// Uniform draws from it follow sPyNNaker: RandInt(m) = floor(m·u/2^32) for
// an output u (rand_int, i.e. muliulr(m, ulrbits(u))), the raw u where the C
// compares words directly.
type JKISS [4]uint32

// JKISSDefaultSeed is the seed of spinn_common's mars_kiss64_simp and of
// JKISS as published: x 123456789, y 987654321, z 43219876, c 6543217.
var JKISSDefaultSeed = JKISS{123456789, 987654321, 43219876, 6543217}

// Constants of validate_mars_kiss64_seed.
const (
	jkissArbitraryY = 13031301  // replaces y = 0
	jkissCMax       = 698769068 // c ← c mod jkissCMax + 1, so 1 ≤ c < 698769069
)

// Next advances the state and returns the next 32-bit output.
func (s *JKISS) Next() uint32 {
	s[0] = 314527869*s[0] + 1234567
	y := s[1]
	y ^= y << 5
	y ^= y >> 7
	y ^= y << 22
	s[1] = y
	t := 4294584393*uint64(s[2]) + uint64(s[3])
	s[3] = uint32(t >> 32)
	s[2] = uint32(t)
	return s[0] + s[1] + s[2]
}

// RandInt returns floor(m·u/2^32) for the next output u: a draw in [0, m)
// (0 when m is 0; a draw is consumed whatever m is).
func (s *JKISS) RandInt(m uint32) uint32 {
	return uint32((uint64(m) * uint64(s.Next())) >> 32)
}

// Float returns the next output as a fraction u/2^32 in [0, 1): the draws of
// the float arithmetic, from the same stream as the fixed one.
func (s *JKISS) Float() float64 {
	return float64(s.Next()) * 0x1p-32
}

// Validate makes a proposed seed usable, as validate_mars_kiss64_seed does on
// the chip (and sPyNNaker's host before it): y = 0 becomes 13031301, and c
// becomes c mod 698769068 + 1, so that z and c are never both 0 and c stays
// below the multiply-with-carry's safe bound.
func (s *JKISS) Validate() {
	if s[1] == 0 {
		s[1] = jkissArbitraryY
	}
	s[3] = s[3]%jkissCMax + 1
}

// Seeds of the rewiring generators.
//
// sPyNNaker draws the shared seed of a post population (the same on every
// core of the population, so that all of them draw the same post neuron) and
// the local seed of each core from numpy's RandomState(seed), four words each
// in [0, 2^32−1), validated. We need determinism and independence, not
// numpy's stream, so a seed is derived from the run's seed and a name, the
// way every random stream of a run is (mapping.Stream): a PCG generator
// seeded with (run seed, FNV-1a 64 of the name) gives four 32-bit words (the
// high halves of four 64-bit outputs), which are then validated. The names:
//
//	shared seed of post population P:            "rewiring/shared/P"
//	local seed of the core whose slice starts at  "rewiring/local/P/LO"
//	atom LO of P
//
// Labels are unique, so distinct populations and slices get distinct
// streams; the derivation does not depend on placement, core numbers, the
// driver or GOMAXPROCS.

// KISSSeed is the validated JKISS seed of the stream name of a run.
func KISSSeed(runSeed uint64, name string) JKISS {
	h := fnv.New64a()
	h.Write([]byte(name))
	r := rand.New(rand.NewPCG(runSeed, h.Sum64()))
	var s JKISS
	for i := range s {
		s[i] = uint32(r.Uint64() >> 32)
	}
	s.Validate()
	return s
}

// SharedSeedName is the stream name of post population post's shared seed.
func SharedSeedName(post string) string { return "rewiring/shared/" + post }

// LocalSeedName is the stream name of the local seed of the core holding the
// slice of post population post that starts at atom lo.
func LocalSeedName(post string, lo int) string {
	return "rewiring/local/" + post + "/" + strconv.Itoa(lo)
}

// RewiringSeeds returns the shared seed of post population post and the local
// seed of its slice starting at atom lo.
func RewiringSeeds(runSeed uint64, post string, lo int) (shared, local JKISS) {
	return KISSSeed(runSeed, SharedSeedName(post)), KISSSeed(runSeed, LocalSeedName(post, lo))
}
