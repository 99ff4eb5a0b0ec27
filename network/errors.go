package network

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a network file.
type Problem struct {
	// Path is the JSON path of the offending value, e.g.
	// "projections[2].synapse.tau_c"; "" means the file as a whole (malformed JSON).
	Path string
	Msg  string
}

// String gives "path: msg", or msg alone when the path is empty.
func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Errors is every problem found in a network file, in document order. Parse and
// Load return it as their error; use errors.As to get at the list.
type Errors []Problem

// Error gives one line per problem.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// checker collects problems while the loader walks the tree. Each problem keeps
// the offset of the value it is about so that the final list is in document
// order whatever order the checks ran in.
type checker struct {
	found []located
}

type located struct {
	off int
	p   Problem
}

// add records a problem about the value n (its offset places the problem).
func (c *checker) add(n *node, path, format string, args ...any) {
	c.found = append(c.found, located{n.off, Problem{path, fmt.Sprintf(format, args...)}})
}

// errors returns the problems in document order (stable for equal offsets), or nil.
func (c *checker) errors() Errors {
	if len(c.found) == 0 {
		return nil
	}
	sort.SliceStable(c.found, func(i, j int) bool { return c.found[i].off < c.found[j].off })
	errs := make(Errors, len(c.found))
	for i, f := range c.found {
		errs[i] = f.p
	}
	return errs
}

// keyPath appends an object key to a path: "a.b", or `a["odd key"]` when the
// key is not an identifier.
func keyPath(parent, key string) string {
	if !isIdent(key) {
		return parent + "[" + strconv.Quote(key) + "]"
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// indexPath appends an array index to a path: "a[3]".
func indexPath(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// choices writes a list of allowed words for a message: `"a", "b" or "c"`.
func choices(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// suggest returns the allowed word s most likely stands for, or "": the
// closest by case-insensitive edit distance when that is at most a third of
// its length, or else one that s begins (or that begins s), as "AllToAll" for
// "AllToAllConnector".
func suggest(s string, allowed []string) string {
	ls := strings.ToLower(s)
	best, bestD := "", -1
	prefix := ""
	for _, a := range allowed {
		la := strings.ToLower(a)
		if d := editDistance(ls, la); bestD < 0 || d < bestD {
			best, bestD = a, d
		}
		if prefix == "" && len(ls) >= 3 && (strings.HasPrefix(la, ls) || strings.HasPrefix(ls, la)) {
			prefix = a
		}
	}
	if bestD >= 0 && bestD <= max(1, len(s)/3) {
		return best
	}
	return prefix
}

// editDistance is the Levenshtein distance between two strings, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
