package output

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
)

// PyFloat formats x as Python's repr(float) does: the shortest decimal that
// reads back as x, always with a decimal point or an exponent ("10.0",
// "10.0654296875", "1e-05", "1e+16"), and "nan", "inf" or "-inf".
func PyFloat(x float64) string {
	return string(appendPyFloat(nil, x))
}

// appendPyFloat appends PyFloat(x) to b.
func appendPyFloat(b []byte, x float64) []byte {
	switch {
	case math.IsNaN(x):
		return append(b, "nan"...)
	case math.IsInf(x, 1):
		return append(b, "inf"...)
	case math.IsInf(x, -1):
		return append(b, "-inf"...)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], x, 'e', -1, 64) // [-]d[.ddd]e±XX
	if e[0] == '-' {
		b = append(b, '-')
		e = e[1:]
	}
	i := bytes.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(string(e[i+1:]))
	var dbuf [24]byte
	digits := dbuf[:0]
	for _, c := range e[:i] {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	// Python (float_repr_style 'short') switches to an exponent when the
	// decimal point would sit 4 or more places before the first digit or
	// more than 16 places after it.
	decpt := exp + 1
	switch {
	case decpt <= -4 || decpt > 16:
		b = append(b, digits[0])
		if len(digits) > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if exp < 0 {
			b = append(b, '-')
			exp = -exp
		} else {
			b = append(b, '+')
		}
		if exp < 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, int64(exp), 10)
	case decpt <= 0:
		b = append(b, '0', '.')
		for range -decpt {
			b = append(b, '0')
		}
		b = append(b, digits...)
	case decpt >= len(digits):
		b = append(b, digits...)
		for range decpt - len(digits) {
			b = append(b, '0')
		}
		b = append(b, '.', '0')
	default:
		b = append(b, digits[:decpt]...)
		b = append(b, '.')
		b = append(b, digits[decpt:]...)
	}
	return b
}

// appendJSONFloat appends x as a JSON number in PyFloat's form, or null when
// x is not finite (JSON has no NaN or infinity).
func appendJSONFloat(b []byte, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, "null"...)
	}
	return appendPyFloat(b, x)
}

// appendCSVFloat appends x in shortest round-trip form without an exponent.
func appendCSVFloat(b []byte, x float64) []byte {
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// csvField returns s as encoding/csv writes it in a record: quoted (RFC 4180)
// when it holds a comma, a quote, a line break or leading space.
func csvField(s string) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{s}) // cannot fail on a bytes.Buffer
	w.Flush()
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// TimeMs is the time of the start of tick, in ms: tick × TimestepMs, rounded
// to the decimal places of TimestepMs (up to 9), so that a 0.1 ms timestep
// gives 0.3 ms for tick 3 and not 0.30000000000000004.
func (r *Run) TimeMs(tick int) float64 {
	return newClock(r.TimestepMs).ms(tick)
}

// DurationMs is the simulated time, Ticks × TimestepMs.
func (r *Run) DurationMs() float64 {
	return r.TimeMs(r.Ticks)
}

// clock turns ticks into ms.
type clock struct {
	dt    float64
	scale float64 // 10^decimals of dt, or 0 to not round
}

func newClock(dt float64) clock {
	c := clock{dt: dt}
	if math.IsNaN(dt) || math.IsInf(dt, 0) {
		return c
	}
	s := strconv.FormatFloat(dt, 'f', -1, 64)
	decimals := 0
	if i := bytes.IndexByte([]byte(s), '.'); i >= 0 {
		decimals = len(s) - i - 1
	}
	if decimals <= 9 {
		c.scale = math.Pow10(decimals)
	}
	return c
}

func (c clock) ms(tick int) float64 {
	t := float64(tick) * c.dt
	if c.scale == 0 {
		return t
	}
	n := math.Round(t * c.scale)
	if math.Abs(n) >= 1<<53 {
		return t
	}
	// n and scale are exact, so the division is correctly rounded.
	return n / c.scale
}
