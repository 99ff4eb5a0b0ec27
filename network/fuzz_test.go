package network

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The seed corpora of both targets are the inputs below plus
// testdata/fuzz/<target>/: the smallest of the inputs fuzzing runs found
// interesting, and regression-* inputs for what fuzzing and review found
// (go test runs them all). Run each target with a short minimisation time:
// the fuzzer otherwise spends most of a minute minimising each new input.
//
//	go test -run '^$' -fuzz '^FuzzJSONValid$' -fuzztime 60s -fuzzminimizetime 2s ./network

// FuzzParse: whatever the input, Parse returns a network or problems, never
// panics, and never both; warnings come only with a network, and every
// problem and warning has a message.
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 60s -fuzzminimizetime 2s ./network
func FuzzParse(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input it finds, and a big
	// one (ten_pops.json) takes it the whole run. The files go in compacted.
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range append(files, "../examples/izhikevich_single.json") {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"a": "\ud83d\ude00 \u00e9", "b": [1e5, -0.5, true, null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := Parse(data, "fuzz")
		if (net == nil) == (err == nil) {
			t.Fatalf("net %v, err %v", net, err)
		}
		if err != nil {
			errs, ok := err.(Errors)
			if !ok || len(errs) == 0 {
				t.Fatalf("error %T %v: want a non-empty Errors", err, err)
			}
			for _, p := range errs {
				if p.Msg == "" {
					t.Fatalf("a problem without a message at %q", p.Path)
				}
			}
			return
		}
		for _, w := range net.Warnings {
			if w.Msg == "" || w.Path == "" {
				t.Fatalf("warning %+v: want a path and a message", w)
			}
		}
	})
}

// FuzzJSONValid: the loader's JSON layer accepts exactly what encoding/json
// accepts (json.Valid), but for a leading UTF-8 byte order mark, which it
// skips (RFC 8259 §8.1 allows it) and encoding/json refuses. What it
// accepts, it reads as encoding/json reads it: the same values, strings
// included (invalid UTF-8 and lone surrogates become U+FFFD).
//
//	go test -run '^$' -fuzz '^FuzzJSONValid$' -fuzztime 60s -fuzzminimizetime 2s ./network
func FuzzJSONValid(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `""`, `0`, `-0`, `-0.0e-0`, `1E+2`, `true`, `null`, ` [1, "a", {"b": null}] `,
		`{"a": "\ud83d\ude00 \u00e9 \ud800 \/"}`, `1e999`, `{"a": 1, "a": [2]}`, "\"\xff\"", "\xef\xbb\xbf{}", "\xef\xbb\xbf",
		`01`, `1.`, `.1`, `+1`, `1e`, `[1,]`, `{"a":1,}`, `{'a': 1}`, `[1] [2]`, `"\x"`, "\"\t\"", `nul`,
	} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, serr := parseJSON(data)
		valid := json.Valid(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
		if (serr == nil) != valid {
			t.Fatalf("loader accepts: %v (%v), encoding/json accepts: %v", serr == nil, serr, valid)
		}
		if serr != nil {
			if serr.off < 0 || serr.off > len(data) || serr.msg == "" {
				t.Fatalf("syntax error %+v out of place", serr)
			}
			return
		}
		dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("json.Valid but Decode fails: %v", err)
		}
		if got := toAny(root); !reflect.DeepEqual(got, want) {
			t.Fatalf("loader reads %#v, encoding/json %#v", got, want)
		}
	})
}

// toAny converts a tree to what a json.Decoder with UseNumber gives into an
// any: numbers are their literal text (json.Number).
func toAny(n *node) any {
	switch n.kind {
	case kindNull:
		return nil
	case kindBool:
		return n.b
	case kindNumber:
		return json.Number(n.text)
	case kindString:
		return n.text
	case kindArray:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = toAny(it)
		}
		return out
	default:
		out := map[string]any{}
		for i, k := range n.keys {
			out[k] = toAny(n.items[i]) // the last duplicate wins, as in encoding/json
		}
		return out
	}
}
