package network

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The loader reads JSON into a small tree of its own rather than through
// encoding/json: it needs the byte offset of every value (to sort problems into
// document order and to give a line and column for malformed input), the keys of
// every object in order and with duplicates, and the literal text of numbers (to
// tell 3 from 3.5 without a round trip through float64). encoding/json's
// Decoder.Token reports syntax error offsets relative to its buffer, not the
// file, so it cannot name the line and column reliably.

type kind int

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// article names a JSON kind for messages: "must be a number, not a string".
func (k kind) article() string {
	switch k {
	case kindNull:
		return "null"
	case kindBool:
		return "a boolean"
	case kindNumber:
		return "a number"
	case kindString:
		return "a string"
	case kindArray:
		return "an array"
	default:
		return "an object"
	}
}

// node is one JSON value and where it starts in the file.
type node struct {
	kind  kind
	off   int    // byte offset of the value's first character
	text  string // the string, or the number's literal text
	b     bool
	keys  []string // object keys, in document order (duplicates kept)
	items []*node  // object values (parallel to keys) or array elements
}

// member returns the value of an object's key (its first occurrence), or nil.
func (n *node) member(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.items[i]
		}
	}
	return nil
}

// maxDepth bounds nesting: encoding/json's limit (its scanner's
// maxNestingDepth), so that the loader accepts exactly the JSON that
// encoding/json accepts. A network file needs about six levels; 10,000
// levels of recursion take a few megabytes of goroutine stack.
const maxDepth = 10000

// syntaxError is malformed JSON at a byte offset.
type syntaxError struct {
	off int
	msg string
}

type jsonParser struct {
	data  []byte
	pos   int
	depth int
}

// parseJSON reads one JSON document. It accepts exactly what encoding/json
// accepts (json.Valid), which FuzzJSONValid checks, with one addition that
// RFC 8259 §8.1 allows: a leading UTF-8 byte order mark is skipped. Like
// encoding/json, it reads each byte of invalid UTF-8 in a string as U+FFFD
// (RFC 8259 asks for UTF-8 but encoding/json does not enforce it), and lone
// UTF-16 surrogates in \u escapes likewise.
func parseJSON(data []byte) (*node, *syntaxError) {
	p := &jsonParser{data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3
	}
	p.space()
	if p.pos == len(p.data) {
		return nil, &syntaxError{p.pos, "the file is empty"}
	}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.data) {
		return nil, p.errorf("unexpected %s after the end of the top-level value", p.describe())
	}
	return n, nil
}

// lineColumn gives the 1-based line and column (in characters) of a byte offset.
func lineColumn(data []byte, off int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < off && i < len(data); i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	if off > len(data) {
		off = len(data)
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

func (p *jsonParser) errorf(format string, args ...any) *syntaxError {
	return &syntaxError{p.pos, fmt.Sprintf(format, args...)}
}

// describe names the character at the current position for an error message.
func (p *jsonParser) describe() string {
	if p.pos >= len(p.data) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", p.data[p.pos])
	}
	return strconv.QuoteRune(r)
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (*node, *syntaxError) {
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of file, want a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		off := p.pos
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		return &node{kind: kindString, off: off, text: s}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", &node{kind: kindBool, off: p.pos, b: true})
	case c == 'f':
		return p.literal("false", &node{kind: kindBool, off: p.pos})
	case c == 'n':
		return p.literal("null", &node{kind: kindNull, off: p.pos})
	default:
		return nil, p.errorf("unexpected %s, want a value", p.describe())
	}
}

func (p *jsonParser) literal(word string, n *node) (*node, *syntaxError) {
	end := p.pos + len(word)
	if end > len(p.data) || string(p.data[p.pos:end]) != word {
		return nil, p.errorf("invalid literal (want %s)", word)
	}
	p.pos = end
	return n, nil
}

func (p *jsonParser) enter() *syntaxError {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("nested more than %d levels deep", maxDepth)
	}
	return nil
}

func (p *jsonParser) object() (*node, *syntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &node{kind: kindObject, off: p.pos}
	p.pos++ // '{'
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			if len(n.keys) > 0 && p.pos < len(p.data) && p.data[p.pos] == '}' {
				return nil, p.errorf("unexpected '}' after ',' (JSON allows no trailing comma)")
			}
			return nil, p.errorf("unexpected %s, want a key in double quotes", p.describe())
		}
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("unexpected %s after key %q, want ':'", p.describe(), key)
		}
		p.pos++
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.items = append(n.items, v)
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.space()
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			p.depth--
			return n, nil
		}
		return nil, p.errorf("unexpected %s in an object, want ',' or '}'", p.describe())
	}
}

func (p *jsonParser) array() (*node, *syntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &node{kind: kindArray, off: p.pos}
	p.pos++ // '['
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		if len(n.items) > 0 && p.pos < len(p.data) && p.data[p.pos] == ']' {
			return nil, p.errorf("unexpected ']' after ',' (JSON allows no trailing comma)")
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.space()
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			p.depth--
			return n, nil
		}
		return nil, p.errorf("unexpected %s in an array, want ',' or ']'", p.describe())
	}
}

// string reads a double-quoted string starting at the current position.
func (p *jsonParser) string() (string, *syntaxError) {
	p.pos++ // opening quote
	var buf []byte
	for {
		if p.pos >= len(p.data) {
			return "", p.errorf("unexpected end of file in a string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character %s in a string (write it as an escape)", p.describe())
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			buf = utf8.AppendRune(buf, r)
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError) // as encoding/json reads it
			} else {
				buf = append(buf, p.data[p.pos:p.pos+size]...)
			}
			p.pos += size
		}
	}
}

// jsonEscapes are the one-letter escapes of RFC 8259.
var jsonEscapes = map[byte]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape reads a backslash escape, including a UTF-16 surrogate pair.
func (p *jsonParser) escape() (rune, *syntaxError) {
	if p.pos+1 >= len(p.data) {
		p.pos++
		return 0, p.errorf("unexpected end of file in a string")
	}
	c := p.data[p.pos+1]
	if r, ok := jsonEscapes[c]; ok {
		p.pos += 2
		return r, nil
	}
	if c != 'u' {
		p.pos++
		return 0, p.errorf("invalid escape \\%s in a string", string(rune(c)))
	}
	r, ok := p.hex4(p.pos + 2)
	if !ok {
		return 0, p.errorf("invalid \\u escape in a string (want four hex digits)")
	}
	p.pos += 6
	if utf16.IsSurrogate(r) {
		if r2, ok := p.hex4(p.pos + 2); ok && p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				p.pos += 6
				return d, nil
			}
		}
		return utf8.RuneError, nil
	}
	return r, nil
}

func (p *jsonParser) hex4(at int) (rune, bool) {
	if at+4 > len(p.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[at:at+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}

// number reads a number as RFC 8259 writes it and keeps its literal text.
func (p *jsonParser) number() (*node, *syntaxError) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	intStart := p.pos
	if digits() == 0 {
		return nil, p.errorf("invalid number (want a digit after '-')")
	}
	if p.data[intStart] == '0' && p.pos-intStart > 1 {
		p.pos = intStart + 1
		return nil, p.errorf("invalid number (JSON allows no leading zero)")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errorf("invalid number (want a digit after '.')")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf("invalid number (want a digit in the exponent)")
		}
	}
	return &node{kind: kindNumber, off: start, text: string(p.data[start:p.pos])}, nil
}
