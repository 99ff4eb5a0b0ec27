package kernels

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// The number formats of SpiNNaker's neural code, as defined types so that
// the compiler tells an s16.15 from an s4.11 (conversions between them are
// explicit and name the shift or truncation they stand for).
//
//   - S1615 ("accum"): signed, 16 integer bits and 15 fraction bits in an
//     int32; 1.0 = 32768. Weights and eligibility while a synapse is updated,
//     membrane potentials, currents, the weight rules' words.
//   - S411: signed, 4 integer bits and 11 fraction bits in an int16; 1.0 =
//     2048. Stored STDP traces (r, o), the dopamine trace D, the dopamine step
//     and every lookup-table value.
//   - S411Wide: an s4.11 value held in an int32, 1.0 = 2048: the result of a
//     16×16 multiply M, a trace before it is stored (it keeps its low 16 bits
//     then, and wraps above 15.99), and the amounts the weight rules take.
//   - U032: unsigned fraction in a uint32; 1.0 = 2^32. Synaptic decay and
//     initial-input factors.
//
// Rounding: every multiply shifts an exact 64-bit (or 32-bit) product right
// arithmetically, which is floor (towards −∞), as GCC's ARM fixed-point
// library and the SMULBB instruction do. The host converts float parameters
// to fixed point with round-half-to-even of the decimal the Python float
// prints as (DataSpecification's encode_as_int).
type (
	S1615    int32
	S411     int16
	S411Wide int32
	U032     uint32
)

const (
	// One is 1.0 in each format.
	S1615One = 1 << 15
	S411One  = 1 << 11
	// S411Shift is STDP_FIXED_POINT.
	S411Shift = 11
)

// MulAccum is A(a, b): the s16.15 product, floor.
func MulAccum(a, b S1615) S1615 {
	return S1615((int64(a) * int64(b)) >> 15)
}

// Mul16 is M(a, b): the signed 16×16 product (SMULBB) shifted right by 11
// (floor). SMULBB reads only the low halves of its registers; here the
// operands are S411, so a wide value is truncated where it is converted (the
// wrap of quirk Q5 and P7 happens at that conversion or when it is stored).
func Mul16(a, b S411) S411Wide {
	return S411Wide(int32(a)*int32(b)) >> S411Shift
}

// MulAccumS411 is F(a, x): an s16.15 times an s4.11, the s4.11 shifted left 4
// bits to become s16.15, then A.
func MulAccumS411(a S1615, x S411Wide) S1615 {
	return MulAccum(a, S1615(x)<<4)
}

// MulU032 is (x · f) >> 32 for a signed s16.15 x and an unsigned 0.32 fraction
// (floor).
func MulU032(x S1615, f U032) S1615 {
	return S1615((int64(x) * int64(f)) >> 32)
}

// EncodeError reports a parameter that does not fit its fixed-point format.
type EncodeError struct {
	Value  float64
	Format string
}

func (e *EncodeError) Error() string {
	return fmt.Sprintf("%v does not fit in %s", e.Value, e.Format)
}

// hostRound returns round-half-even(Decimal(repr(x)) · scale) as the host
// tool chain computes it: the float is taken at its shortest decimal form,
// multiplied exactly, then rounded.
func hostRound(x float64, scale int64) *big.Int {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		return nil
	}
	r.Mul(r, new(big.Rat).SetInt64(scale))
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int)) // truncated
	// Compare 2|m| with den to round half to even.
	twice := new(big.Int).Abs(m)
	twice.Lsh(twice, 1)
	switch c := twice.Cmp(den); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// ToS1615 converts a host float to s16.15 as sPyNNaker's host does.
func ToS1615(x float64) (S1615, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, &EncodeError{x, "s16.15"}
	}
	q := hostRound(x, 1<<15)
	if q == nil || !q.IsInt64() || q.Int64() > math.MaxInt32 || q.Int64() < math.MinInt32 {
		return 0, &EncodeError{x, "s16.15"}
	}
	return S1615(q.Int64()), nil
}

// ToU032 converts a host float in [0, 1) to an unsigned 0.32 fraction.
func ToU032(x float64) (U032, error) {
	if math.IsNaN(x) || x < 0 {
		return 0, &EncodeError{x, "u0.32"}
	}
	q := hostRound(x, 1<<32)
	if q == nil || !q.IsInt64() || q.Int64() > math.MaxUint32 {
		return 0, &EncodeError{x, "u0.32"}
	}
	return U032(q.Int64()), nil
}

// S1615ToFloat is the value of an s16.15.
func S1615ToFloat(x S1615) float64 { return float64(x) / S1615One }

// RoundHalfEven is numpy's rint.
func RoundHalfEven(x float64) float64 { return math.RoundToEven(x) }
