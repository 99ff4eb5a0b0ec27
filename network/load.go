package network

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Limits the spec leaves open. Where they come from the hardware they say so.
const (
	// maxCount bounds sizes, connector counts and slice sizes: SpiNNaker
	// addresses neurons and counts synapses in 32-bit words.
	maxCount = math.MaxInt32
	// maxTicks bounds a run: the on-chip tick counter is 32 bits (kept to the
	// signed range so that tick arithmetic cannot overflow an int anywhere).
	maxTicks = math.MaxInt32
	// maxBoards is the largest machine built: 1,200 SpiNN-5 boards.
	maxBoards = 1200
	// maxChipCoord is the largest chip coordinate: a chip id is x<<8 | y.
	maxChipCoord = 255
	// maxCore is the highest application core number on a chip (18 cores,
	// 0–17; core 0 runs the monitor and core 17 the extra monitor, so a
	// population can only be pinned to 1–16).
	maxCore = 16
	// maxPhysicalCore is the highest physical core number (dead_cores may
	// name any of the 18).
	maxPhysicalCore = 17
)

// Load reads and checks a network file. The network's name defaults to the
// file's base name without its extension. A file that cannot be read gives the
// os error (errors.Is(err, fs.ErrNotExist) works); a bad file gives Errors.
func Load(path string) (*Network, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	return Parse(data, strings.TrimSuffix(base, filepath.Ext(base)))
}

// Parse checks a network file held in memory and fills in every default.
// defaultName is the name used when the file has none. On any problem it
// returns a nil Network and Errors listing every problem found, in document
// order; malformed JSON is a single problem naming the line and column.
// What loads but is probably a mistake is in the Network's Warnings.
func Parse(data []byte, defaultName string) (*Network, error) {
	root, serr := parseJSON(data)
	if serr != nil {
		line, col := lineColumn(data, serr.off)
		return nil, Errors{{Msg: fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, serr.msg)}}
	}
	c := &checker{}
	net := c.network(root, defaultName)
	if errs := c.errors(); errs != nil {
		return nil, errs
	}
	net.Warnings = warnings(root, net)
	return net, nil
}

// network checks the top level and everything below it.
func (c *checker) network(root *node, defaultName string) *Network {
	o := c.object(root, "")
	if o == nil {
		return nil
	}
	net := &Network{Name: defaultName}

	if n := o.get("format"); n == nil {
		o.missing("format")
	} else if s, ok := c.str(n, "format"); ok && s != Format {
		c.add(n, "format", "unsupported format %q (want %q)", s, Format)
	}

	if n := o.get("name"); n != nil {
		if s, ok := c.str(n, "name"); ok {
			if msg := checkName(s); msg != "" {
				c.add(n, "name", "%s", msg)
			}
			net.Name = s
		}
	}

	h, hOK := o.num("timestep_ms", 1.0, positive, wholeMicroseconds)
	net.TimestepMs = h
	if !hOK {
		h = 0 // unknown: skip the checks that need it
	}

	if dn := o.get("duration_ms"); dn == nil {
		o.missing("duration_ms")
	} else if d, ok := c.number(dn, "duration_ms", positive); ok {
		net.DurationMs = d
		if h > 0 {
			ticks := d / h
			whole := math.Round(ticks)
			switch {
			case whole < 1:
				c.add(dn, "duration_ms", "must be at least one timestep (%g ms)", h)
			case math.Abs(ticks-whole) > 1e-9*whole:
				c.add(dn, "duration_ms", "must be a whole number of timesteps (%g ms)", h)
			case whole > maxTicks:
				c.add(dn, "duration_ms", "is %g timesteps; a run can last at most %d", whole, maxTicks)
			}
		}
	}

	net.Seed = 1
	if n := o.get("seed"); n != nil {
		net.Seed, _ = c.uint64(n, "seed")
	}

	net.Arithmetic, _ = o.enum("arithmetic", ArithmeticFixed, "unknown arithmetic", ArithmeticFixed, ArithmeticFloat)
	if n := o.get("float_quirks"); n != nil {
		net.FloatQuirks = c.floatQuirks(n, "float_quirks")
	}

	if n := o.get("machine"); n != nil {
		net.Machine = c.machine(n, "machine")
	}
	net.Mapping = MappingSpec{Compressor: CompressorPair}
	if n := o.get("mapping"); n != nil {
		net.Mapping = c.mapping(n, "mapping")
	}

	var pops []popInfo
	if n := o.get("populations"); n != nil {
		if items, ok := c.array(n, "populations"); ok {
			net.Populations, pops = c.populations(items, "populations")
		}
	}
	if n := o.get("projections"); n != nil {
		if items, ok := c.array(n, "projections"); ok {
			net.Projections = c.projections(items, "projections", net.Populations, pops, h)
		}
	}
	if n := o.get("faults"); n != nil {
		net.Faults = c.faults(n, "faults")
	}
	if n := o.get("current_sources"); n != nil {
		if items, ok := c.array(n, "current_sources"); ok {
			net.CurrentSources = c.currentSources(items, "current_sources", net.Populations, pops)
		}
	}
	o.done()
	return net
}

// checkName keeps the name usable as the output folder's name
// (./spinnsim-out/<name>/); the spec says nothing else about it.
func checkName(s string) string {
	switch {
	case s == "":
		return "must not be empty"
	case s == "." || s == "..":
		return "must not be . or .. (it names the output folder)"
	case strings.ContainsAny(s, "/\\\x00"):
		return `must not contain "/", "\" or NUL (it names the output folder)`
	}
	return ""
}

// wholeMicroseconds: SpiNNaker's timer counts microseconds, and sPyNNaker
// keeps the timestep as a whole number of them (machine_time_step).
func wholeMicroseconds(v float64) string {
	us := v * 1000
	if math.Abs(us-math.Round(us)) > 1e-9*us || math.Round(us) < 1 {
		return "must be a whole number of microseconds (SpiNNaker's timer counts µs)"
	}
	return ""
}

// machine checks the machine object.
func (c *checker) machine(n *node, path string) MachineSpec {
	var m MachineSpec
	o := c.object(n, path)
	if o == nil {
		return m
	}
	var boardOK bool
	m.Board, boardOK = o.enum("board", "", "unknown board", BoardSpiNN3, BoardSpiNN5)
	if m.Board != "" {
		m.Boards = 1
	}
	if bn := o.get("boards"); bn != nil {
		if v, ok := c.integer(bn, o.at("boards"), 1, maxBoards); ok {
			switch {
			case !boardOK:
				// the board's own problem says enough
			case m.Board == "":
				c.add(bn, o.at("boards"), "needs a board (%s)", choices([]string{BoardSpiNN3, BoardSpiNN5}))
			case m.Board == BoardSpiNN3 && v > 1:
				c.add(bn, o.at("boards"), "must be 1 for spinn-3 (a spinn-3 machine is a single 4-chip board)")
			default:
				m.Boards = int(v)
			}
		}
	}
	faults := false
	for _, k := range []string{"dead_chips", "dead_cores", "dead_links"} {
		dn := o.get(k)
		if dn == nil {
			continue
		}
		faults = true
		items, ok := c.array(dn, o.at(k))
		if !ok {
			continue
		}
		for i, it := range items {
			c.fault(it, indexPath(o.at(k), i), k, &m)
		}
	}
	if faults && m.Board == "" && boardOK {
		c.add(n, o.at("board"), "is required with dead_chips, dead_cores or dead_links (faults describe a particular machine)")
	}
	o.done()
	return m
}

// fault reads one entry of dead_chips ([x, y]), dead_cores ([x, y, p]) or
// dead_links ([x, y, direction]) into m.
func (c *checker) fault(n *node, path, kind string, m *MachineSpec) {
	want := map[string]string{"dead_chips": "[x, y]", "dead_cores": "[x, y, p]", "dead_links": "[x, y, direction]"}[kind]
	items, ok := c.array(n, path)
	if !ok {
		return
	}
	if len(items) != len(strings.Split(want, ",")) {
		c.add(n, path, "must be %s, not %d values", want, len(items))
		return
	}
	x, okX := c.integer(items[0], indexPath(path, 0), 0, maxChipCoord)
	y, okY := c.integer(items[1], indexPath(path, 1), 0, maxChipCoord)
	switch kind {
	case "dead_chips":
		if okX && okY {
			m.DeadChips = append(m.DeadChips, ChipXY{int(x), int(y)})
		}
	case "dead_cores":
		p, okP := c.integer(items[2], indexPath(path, 2), 0, maxPhysicalCore)
		if okX && okY && okP {
			m.DeadCores = append(m.DeadCores, CoreXYP{int(x), int(y), int(p)})
		}
	default:
		d, okD := c.enum(items[2], indexPath(path, 2), "unknown link direction", LinkNames...)
		if okX && okY && okD {
			m.DeadLinks = append(m.DeadLinks, LinkXY{int(x), int(y), slices.Index(LinkNames, d)})
		}
	}
}

// mapping checks the mapping object: the routing-table compressor and
// whether every table is compressed.
func (c *checker) mapping(n *node, path string) MappingSpec {
	ms := MappingSpec{Compressor: CompressorPair}
	o := c.object(n, path)
	if o == nil {
		return ms
	}
	ms.Compressor, _ = o.enum("compressor", CompressorPair, "unknown compressor", CompressorPair, CompressorOrderedCovering)
	ms.CompressAlways, _ = o.boolean("compress_always", false)
	o.done()
	return ms
}
