package network

import "fmt"

// Float quirks: chip behaviours the float arithmetic can switch on
// (float_quirks; the command's -float-quirks). See kernels.Quirks.
const (
	QuirkLUTStaircase       = "lut_staircase"
	QuirkHistoryCapacity    = "history_capacity"
	QuirkMarkerMisalignment = "marker_misalignment"
	QuirkUndelayedPrev      = "undelayed_prev"
	QuirkInt16Wrap          = "int16_wrap"
)

// FloatQuirks are the quirks float_quirks accepts, in the order of the
// reference's Q1–Q5.
var FloatQuirks = []string{QuirkLUTStaircase, QuirkHistoryCapacity, QuirkMarkerMisalignment, QuirkUndelayedPrev, QuirkInt16Wrap}

// floatQuirks checks a float_quirks list: known names, each at most once.
func (c *checker) floatQuirks(n *node, path string) []string {
	items, ok := c.array(n, path)
	if !ok {
		return nil
	}
	var qs []string
	seen := map[string]int{}
	for i, it := range items {
		ip := indexPath(path, i)
		q, ok := c.enum(it, ip, "unknown float quirk", FloatQuirks...)
		if !ok {
			continue
		}
		if j, dup := seen[q]; dup {
			c.add(it, ip, "%q is listed twice (also %s)", q, indexPath(path, j))
			continue
		}
		seen[q] = i
		qs = append(qs, q)
	}
	return qs
}

// CheckFloatQuirks checks quirk names given outside a file (the command's
// -float-quirks): it returns the unknown ones' problems, or nil.
func CheckFloatQuirks(names []string) Errors {
	var errs Errors
	for i, q := range names {
		known := false
		for _, k := range FloatQuirks {
			known = known || q == k
		}
		if !known {
			msg := fmt.Sprintf("unknown float quirk %q (want %s)", q, choices(FloatQuirks))
			if s := suggest(q, FloatQuirks); s != "" {
				msg = fmt.Sprintf("unknown float quirk %q (did you mean %q?)", q, s)
			}
			errs = append(errs, Problem{Path: indexPath("float_quirks", i), Msg: msg})
		}
	}
	return errs
}
