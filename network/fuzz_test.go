package network

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: whatever the input, Parse returns a network or problems, never
// panics, and never both.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"a": "\ud83d\ude00 \u00e9", "b": [1e5, -0.5, true, null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := Parse(data, "fuzz")
		if (net == nil) == (err == nil) {
			t.Fatalf("net %v, err %v", net, err)
		}
		if errs, ok := err.(Errors); ok && len(errs) == 0 {
			t.Fatal("empty Errors")
		}
	})
}
