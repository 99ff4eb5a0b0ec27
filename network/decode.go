package network

import (
	"math"
	"slices"
	"strconv"
)

// This file turns JSON tree values into Go values, reporting wrong types and
// out-of-range numbers at their path. Every accessor returns ok == false when
// it has reported a problem, so that callers can skip the checks that depend on
// the value instead of piling up follow-on errors.

// object reads the keys of one JSON object. Every key asked for with get counts
// as known; done reports every other key as unknown.
type object struct {
	c     *checker
	n     *node
	path  string
	used  []bool
	known []string
}

// object returns a reader for n, or nil (with a problem) when n is not an object.
// Duplicate keys are problems; the first occurrence is the one read.
func (c *checker) object(n *node, path string) *object {
	if n.kind != kindObject {
		c.wrongType(n, path, "an object")
		return nil
	}
	o := &object{c: c, n: n, path: path, used: make([]bool, len(n.keys))}
	seen := make(map[string]bool, len(n.keys))
	for i, k := range n.keys {
		if seen[k] {
			c.add(n.items[i], keyPath(path, k), "duplicate key")
			o.used[i] = true
		}
		seen[k] = true
	}
	return o
}

// get returns the value of key, or nil when it is absent, and marks key known.
func (o *object) get(key string) *node {
	if !slices.Contains(o.known, key) {
		o.known = append(o.known, key)
	}
	for i, k := range o.n.keys {
		if k == key {
			o.used[i] = true
			return o.n.items[i]
		}
	}
	return nil
}

// at is the path of one of the object's keys.
func (o *object) at(key string) string { return keyPath(o.path, key) }

// place is the node a problem about key is placed at: its value, or the
// object itself when the key is absent.
func (o *object) place(key string) *node { return placeIn(o.n, key) }

// missing reports a required key that is absent (placed at the object).
func (o *object) missing(key string) {
	o.c.add(o.n, o.at(key), "is required")
}

// ignoreRest marks every key as read: used after a problem that makes the
// object's other keys meaningless (an unknown or unsupported type).
func (o *object) ignoreRest() {
	for i := range o.used {
		o.used[i] = true
	}
}

// done reports every key not asked for, as "unknown key" with a hint.
func (o *object) done() { o.doneAs("unknown key") }

// doneAs is done with a message of the caller's choosing ("unknown parameter of IF_curr_exp").
func (o *object) doneAs(msg string) {
	for i, k := range o.n.keys {
		if o.used[i] {
			continue
		}
		if s := suggest(k, o.known); s != "" {
			o.c.add(o.n.items[i], o.at(k), "%s (did you mean %q?)", msg, s)
		} else if len(o.known) > 0 {
			o.c.add(o.n.items[i], o.at(k), "%s (want %s)", msg, choices(o.known))
		} else {
			o.c.add(o.n.items[i], o.at(k), "%s", msg)
		}
	}
}

// rule checks a number that has the right type; it returns "" or what is wrong
// ("must be > 0").
type rule func(float64) string

func positive(v float64) string {
	if v <= 0 {
		return "must be > 0"
	}
	return ""
}

func nonNegative(v float64) string {
	if v < 0 {
		return "must be >= 0"
	}
	return ""
}

func probability(v float64) string {
	if v < 0 || v > 1 {
		return "must be between 0 and 1"
	}
	return ""
}

// num reads an optional number; def when the key is absent.
func (o *object) num(key string, def float64, rules ...rule) (float64, bool) {
	n := o.get(key)
	if n == nil {
		return def, true
	}
	return o.c.number(n, o.at(key), rules...)
}

// reqNum reads a required number.
func (o *object) reqNum(key string, rules ...rule) (float64, bool) {
	n := o.get(key)
	if n == nil {
		o.missing(key)
		return 0, false
	}
	return o.c.number(n, o.at(key), rules...)
}

// integer reads an optional integer in [lo, hi]; def when absent.
func (o *object) integer(key string, def int, lo, hi int64) (int, bool) {
	n := o.get(key)
	if n == nil {
		return def, true
	}
	v, ok := o.c.integer(n, o.at(key), lo, hi)
	return int(v), ok
}

// reqInteger reads a required integer in [lo, hi].
func (o *object) reqInteger(key string, lo, hi int64) (int, bool) {
	n := o.get(key)
	if n == nil {
		o.missing(key)
		return 0, false
	}
	v, ok := o.c.integer(n, o.at(key), lo, hi)
	return int(v), ok
}

// boolean reads an optional boolean; def when absent.
func (o *object) boolean(key string, def bool) (bool, bool) {
	n := o.get(key)
	if n == nil {
		return def, true
	}
	if n.kind != kindBool {
		o.c.wrongType(n, o.at(key), "a boolean")
		return def, false
	}
	return n.b, true
}

// label reads a required, non-empty string.
func (o *object) label(key string) (string, bool) {
	n := o.get(key)
	if n == nil {
		o.missing(key)
		return "", false
	}
	s, ok := o.c.str(n, o.at(key))
	if ok && s == "" {
		o.c.add(n, o.at(key), "must not be empty")
		return "", false
	}
	return s, ok
}

// enum reads an optional string that must be one of allowed; def when absent.
// what names the thing for the message ("unknown receptor type").
func (o *object) enum(key, def, what string, allowed ...string) (string, bool) {
	n := o.get(key)
	if n == nil {
		return def, true
	}
	return o.c.enum(n, o.at(key), what, allowed...)
}

// reqEnum reads a required string that must be one of allowed.
func (o *object) reqEnum(key, what string, allowed ...string) (string, bool) {
	n := o.get(key)
	if n == nil {
		o.missing(key)
		return "", false
	}
	return o.c.enum(n, o.at(key), what, allowed...)
}

func (c *checker) wrongType(n *node, path, want string) {
	c.add(n, path, "must be %s, not %s", want, n.kind.article())
}

func (c *checker) str(n *node, path string) (string, bool) {
	if n.kind != kindString {
		c.wrongType(n, path, "a string")
		return "", false
	}
	return n.text, true
}

func (c *checker) array(n *node, path string) ([]*node, bool) {
	if n.kind != kindArray {
		c.wrongType(n, path, "an array")
		return nil, false
	}
	return n.items, true
}

func (c *checker) enum(n *node, path, what string, allowed ...string) (string, bool) {
	s, ok := c.str(n, path)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	if hint := suggest(s, allowed); hint != "" {
		c.add(n, path, "%s %q (did you mean %q?)", what, s, hint)
	} else {
		c.add(n, path, "%s %q (want %s)", what, s, choices(allowed))
	}
	return "", false
}

// number reads a finite number and applies the rules in order (first failure reported).
func (c *checker) number(n *node, path string, rules ...rule) (float64, bool) {
	if n.kind != kindNumber {
		c.wrongType(n, path, "a number")
		return 0, false
	}
	v, _ := strconv.ParseFloat(n.text, 64) // the grammar was checked; only the range can fail
	if math.IsInf(v, 0) {
		c.add(n, path, "%s is out of range", n.text)
		return 0, false
	}
	for _, r := range rules {
		if msg := r(v); msg != "" {
			c.add(n, path, "%s", msg)
			return v, false
		}
	}
	return v, true
}

// integer reads a whole number in [lo, hi] (|lo|, |hi| < 2^53). A number written with a fraction
// or exponent is accepted when its value is whole (3.0, 1e3), as Python's int()
// of a float would be; 2.5 is not.
func (c *checker) integer(n *node, path string, lo, hi int64) (int64, bool) {
	if n.kind != kindNumber {
		c.wrongType(n, path, "an integer")
		return 0, false
	}
	v, err := strconv.ParseInt(n.text, 10, 64)
	if err != nil { // a fraction, an exponent, or beyond int64
		f, _ := strconv.ParseFloat(n.text, 64)
		switch {
		case f != math.Trunc(f):
			c.add(n, path, "must be an integer, not %s", n.text)
			return 0, false
		case f < float64(lo):
			v = lo - 1
		case f > float64(hi):
			v = hi + 1
		default:
			v = int64(f)
		}
	}
	if v < lo {
		c.add(n, path, "must be >= %d", lo)
		return 0, false
	}
	if v > hi {
		c.add(n, path, "must be <= %d", hi)
		return 0, false
	}
	return v, true
}

// uint64 reads a whole number in [0, 2^64-1] (the seed).
func (c *checker) uint64(n *node, path string) (uint64, bool) {
	if n.kind != kindNumber {
		c.wrongType(n, path, "an integer")
		return 0, false
	}
	if v, err := strconv.ParseUint(n.text, 10, 64); err == nil {
		return v, true
	}
	f, _ := strconv.ParseFloat(n.text, 64)
	switch {
	case f != math.Trunc(f):
		c.add(n, path, "must be an integer, not %s", n.text)
	case f < 0:
		c.add(n, path, "must be >= 0")
	case f >= math.Exp2(64):
		c.add(n, path, "must be <= %d", uint64(math.MaxUint64))
	default:
		return uint64(f), true
	}
	return 0, false
}
