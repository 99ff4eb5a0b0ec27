package network

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONStrings(t *testing.T) {
	cases := []struct{ in, want string }{
		{`"plain"`, "plain"},
		{`"\"\\\/\b\f\n\r\t"`, "\"\\/\b\f\n\r\t"},
		{`"\u00e9t\u00E9"`, "été"},
		{`"\ud83d\ude00"`, "😀"},
		{`"\ud83d alone"`, "\uFFFD alone"},
		{`"héllo, wörld"`, "héllo, wörld"},
		{"\"a\xffb\xc3\"", "a\uFFFDb\uFFFD"}, // invalid UTF-8, read as encoding/json reads it
	}
	for _, tc := range cases {
		n, err := parseJSON([]byte(tc.in))
		require.Nil(t, err, tc.in)
		assert.Equal(t, kindString, n.kind)
		assert.Equal(t, tc.want, n.text, tc.in)
	}
}

func TestJSONSyntaxErrors(t *testing.T) {
	cases := []struct {
		in   string
		line int
		col  int
		msg  string
	}{
		{"{\"a\": 01}", 1, 8, "leading zero"},
		{"{\"a\": -}", 1, 8, "want a digit after '-'"},
		{"{\"a\": 1.}", 1, 9, "want a digit after '.'"},
		{"{\"a\": 1e+}", 1, 10, "want a digit in the exponent"},
		{"{\"a\": tru}", 1, 7, "invalid literal (want true)"},
		{"{\"a\": NaN}", 1, 7, "unexpected 'N', want a value"},
		{"{'a': 1}", 1, 2, "want a key in double quotes"},
		{"{\"a\" 1}", 1, 6, `after key "a", want ':'`},
		{"[1 2]", 1, 4, "want ',' or ']'"},
		{"{\"a\": 1 \"b\": 2}", 1, 9, "want ',' or '}'"},
		{"{\"a\": \"x\ty\"}", 1, 9, "control character"},
		{"{\n\t\"é\": [\n\t\t1,\n\t\t}", 4, 3, "unexpected '}', want a value"},
		{"{\"a\": \"\\u12G4\"}", 1, 8, "want four hex digits"},
	}
	for _, tc := range cases {
		_, err := parseJSON([]byte(tc.in))
		require.NotNil(t, err, tc.in)
		line, col := lineColumn([]byte(tc.in), err.off)
		assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{line, col}, "%q: %s", tc.in, err.msg)
		assert.Contains(t, err.msg, tc.msg, tc.in)
	}
}

func TestByteOrderMark(t *testing.T) {
	net, err := Parse([]byte("\xEF\xBB\xBF{\"format\": \"spinnsim-network/1\", \"duration_ms\": 5}"), "bom")
	require.NoError(t, err)
	assert.Equal(t, 5, net.Ticks())
}

// The deepest nesting encoding/json accepts, and one level more, which it
// refuses. (Kept out of FuzzJSONValid's seeds: the fuzzer mutates big
// inputs slowly.)
func TestJSONDepthAsEncodingJSON(t *testing.T) {
	for _, depth := range []int{maxDepth, maxDepth + 1} {
		data := []byte(strings.Repeat("[", depth) + strings.Repeat("]", depth))
		_, err := parseJSON(data)
		assert.Equal(t, json.Valid(data), err == nil, "depth %d: %v", depth, err)
	}
	assert.Equal(t, 10000, maxDepth)
}
