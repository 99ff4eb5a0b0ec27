package docs

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
)

// A code block in the doc is fenced with ```json (a whole network file: it
// must load and map), ```json fragment (a piece of one: skipped) or ```json
// pending (a whole network that uses a feature this version refuses: it must
// still be refused; once it is accepted, remove the marker and its Status
// line).
type block struct {
	kind string // "", "fragment" or "pending"
	line int
	text string
}

var fence = regexp.MustCompile("^( *)```json(?: +(\\w+))? *$")

func blocks(t *testing.T, doc string) []block {
	t.Helper()
	var out []block
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		m := fence.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := block{kind: m[2], line: i + 1}
		require.Contains(t, []string{"", "fragment", "pending"}, b.kind, "line %d: unknown marker", i+1)
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, strings.TrimPrefix(lines[i], m[1]))
		}
		b.text = strings.Join(body, "\n")
		out = append(out, b)
	}
	return out
}

func readDoc(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("network-format.md")
	require.NoError(t, err)
	return string(data)
}

func TestExamples(t *testing.T) {
	bs := blocks(t, readDoc(t))
	var whole, pending int
	for _, b := range bs {
		name := "line " + strconv.Itoa(b.line)
		t.Run(name, func(t *testing.T) {
			switch b.kind {
			case "fragment":
				return
			case "pending":
				pending++
				require.True(t, json.Valid([]byte(b.text)), "not JSON")
				net, err := network.Parse([]byte(b.text), "doc")
				if err == nil {
					_, err = mapping.Map(net)
				}
				require.Error(t, err, "this example is accepted now: remove its pending marker and its Status line")
				return
			}
			whole++
			net, err := network.Parse([]byte(b.text), "doc")
			require.NoError(t, err)
			_, err = mapping.Map(net)
			require.NoError(t, err)
		})
	}
	assert.GreaterOrEqual(t, whole, 5, "the doc's whole-network examples")
	t.Logf("%d whole-network examples load and map; %d are still refused (pending)", whole, pending)
}

// accessors are the methods through which the loader reads a key of an
// object (network/decode.go); their first argument is the key.
var accessors = map[string]bool{
	"get": true, "num": true, "reqNum": true, "integer": true, "reqInteger": true,
	"boolean": true, "label": true, "enum": true, "reqEnum": true, "missing": true,
	"member": true, "place": true, "at": true,
}

// loaderKeys walks the loader's source and returns every key it reads, so
// that a key added to the loader cannot be left out of the doc. A key given
// as a literal is taken as it is; one given as a loop variable over a list
// of literals, or as a field of a package-level table of structs, is
// resolved; anything else fails the test (teach this function the new form).
func loaderKeys(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("../network/*.go")
	require.NoError(t, err)
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "decode.go" {
			continue // decode.go defines the accessors: it reads no key of its own
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		parsed = append(parsed, af)
	}
	// Package-level tables: var name = []struct{...}{{"key", ...}, ...}.
	tables := map[string][]string{}
	for _, af := range parsed {
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, v := range vs.Values {
					cl, ok := v.(*ast.CompositeLit)
					if !ok {
						continue
					}
					for _, el := range cl.Elts {
						if inner, ok := el.(*ast.CompositeLit); ok && len(inner.Elts) > 0 {
							if lit, ok := inner.Elts[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								k, _ := strconv.Unquote(lit.Value)
								tables[vs.Names[i].Name] = append(tables[vs.Names[i].Name], k)
							}
						}
					}
				}
			}
		}
	}
	keys := map[string]bool{}
	for _, af := range parsed {
		// Loop variables over literal lists or tables: for _, k := range X.
		loops := map[*ast.Object][]string{}
		ast.Inspect(af, func(n ast.Node) bool {
			rs, ok := n.(*ast.RangeStmt)
			if !ok {
				return true
			}
			id, ok := rs.Value.(*ast.Ident)
			if !ok || id.Obj == nil {
				return true
			}
			switch x := rs.X.(type) {
			case *ast.CompositeLit:
				for _, el := range x.Elts {
					if lit, ok := el.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						k, _ := strconv.Unquote(lit.Value)
						loops[id.Obj] = append(loops[id.Obj], k)
					}
				}
			case *ast.Ident:
				loops[id.Obj] = tables[x.Name]
			}
			return true
		})
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !accessors[sel.Sel.Name] {
				return true
			}
			if recv, ok := sel.X.(*ast.Ident); ok && recv.Name == "c" {
				return true // checker methods take a node, not a key
			}
			switch a := call.Args[0].(type) {
			case *ast.BasicLit:
				if a.Kind == token.STRING {
					k, _ := strconv.Unquote(a.Value)
					keys[k] = true
					return true
				}
			case *ast.Ident:
				if ks, ok := loops[a.Obj]; ok && a.Obj != nil {
					for _, k := range ks {
						keys[k] = true
					}
					return true
				}
				if a.Name == "key" {
					return true // a helper's parameter: its callers pass literals
				}
			case *ast.SelectorExpr:
				if x, ok := a.X.(*ast.Ident); ok && x.Obj != nil {
					if ks, ok := loops[x.Obj]; ok {
						for _, k := range ks {
							keys[k] = true
						}
						return true
					}
				}
			}
			t.Errorf("%s: cannot tell which key %s(...) reads: teach loaderKeys", fset.Position(call.Pos()), sel.Sel.Name)
			return true
		})
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestEveryKeyDocumented(t *testing.T) {
	doc := readDoc(t)
	keys := loaderKeys(t)
	require.GreaterOrEqual(t, len(keys), 40, "the walk found the loader's keys: %v", keys)
	for _, k := range []string{"format", "spike_times", "tau_syn_E", "allow_self_connections", "inject_into", "dead_links"} {
		assert.Contains(t, keys, k, "the walk reaches literals, loops and tables")
	}
	for _, k := range keys {
		if !strings.Contains(doc, "`"+k+"`") && !strings.Contains(doc, `"`+k+`"`) {
			t.Errorf("the loader reads %q but docs/network-format.md never names it", k)
		}
	}
}

// The command's flags, from its source (the FlagSet's Var calls).
func TestEveryFlagDocumented(t *testing.T) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "../cmd/spinnsim/main.go", nil, 0)
	require.NoError(t, err)
	var flags []string
	ast.Inspect(af, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !strings.HasSuffix(sel.Sel.Name, "Var") {
			return true
		}
		if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			f, _ := strconv.Unquote(lit.Value)
			flags = append(flags, f)
		}
		return true
	})
	require.GreaterOrEqual(t, len(flags), 8)
	doc := readDoc(t)
	for _, f := range flags {
		assert.Contains(t, doc, "`-"+f, "the flag -%s is not documented", f)
	}
}
