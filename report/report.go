// Package report writes the resource report of a mapped network: how much
// of the machine it takes and how, in files a user can read and a program
// can parse, as sPyNNaker's reports folder describes a mapping. It is
// written by `spinnsim -map-only` (which maps without running) and by
// `spinnsim -report DIR`.
//
// The files:
//
//	summary.txt        machine use, limits needed against available, routing, per population
//	machine.json       the machine section: boards, chips, cores by application, router entries
//	cores.csv          per core: placement, application, neurons, DTCM/ITCM/SDRAM needed and
//	                   available, ring-buffer shifts and bits, incoming sources and rows, key, mask
//	chips.csv          per chip: board, cores, SDRAM, routing entries as generated and as loaded
//	placements.txt     per population: its slices, their chips and cores, keys and masks
//	routing_tables.txt every table as loaded into its router (compressed where it was)
//	routing_tables_generated.txt  every table as generated, before compression
//
// Cores are listed, not slices: a slice that takes several cores of its chip
// gives a line for each. Memory comes from the loaded cores' applications
// when the network was loaded, from the mapping's estimates when it was only
// mapped.
package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/router"
)

// Files of the report, in the order Write writes them.
var Files = []string{"summary.txt", "machine.json", "cores.csv", "chips.csv", "placements.txt",
	"routing_tables.txt", "routing_tables_generated.txt"}

// Core is one core of the report.
type Core struct {
	Chip        machine.XY
	P           int
	Application string
	Label       string // population and slice, e.g. "exc[0:256]"
	Pop         int
	Slice       *mapping.Slice
	Memory      core.Memory // DTCM and ITCM needed
	SDRAM       int64       // SDRAM needed (estimated)
	Measured    bool        // Memory is what the loaded application says
}

// coreMemory is what a loaded core needs of its memories, as its
// application says: the one place the report asks a core.
func coreMemory(c *core.Core) core.Memory { return c.App.Memory() }

// slicePs is every core of a slice: its own, then its synapse cores, then
// its delay-extension core.
func slicePs(s *mapping.Slice) []int {
	ps := []int{s.P}
	for _, sc := range s.SynCores {
		ps = append(ps, sc.P)
	}
	if s.Delay != nil {
		ps = append(ps, s.Delay.P)
	}
	return ps
}

// plannedApplication names the binary core i of a slice will run (0: the
// slice's own core; 1…: its synapse cores), as the applications name
// themselves once loaded.
func plannedApplication(net *network.Network, s *mapping.Slice, i int) string {
	p := &net.Populations[s.Pop]
	switch p.CellType {
	case network.SpikeSourceArray:
		return "spike_source_array"
	case network.SpikeSourcePoisson:
		if s.Into != nil {
			return "spike_source_poisson_direct"
		}
		return "spike_source_poisson"
	}
	if len(s.SynCores) > 0 && i == 0 {
		return "IF_curr_exp_neuron"
	}
	model := "IF_curr_exp"
	if i > 0 {
		model = "synapses"
	}
	var rule *network.Synapse
	nm := false
	for j := range net.Projections {
		pr := &net.Projections[j]
		if pr.Post != p.Label {
			continue
		}
		if pr.Synapse.IsPlastic() && rule == nil {
			rule = &pr.Synapse
		}
		nm = nm || pr.Synapse.Type == network.Neuromodulation
	}
	if rule == nil {
		return model
	}
	timing, weight := "pair", "additive"
	if rule.Timing.Type == network.SpikeNearestPairRule {
		timing = "nearest_pair"
	}
	if rule.WeightDep.Type == network.MultiplicativeWeightDependence {
		weight = "multiplicative"
	}
	if nm {
		return model + "_stdp_izhikevich_neuromodulation_" + timing + "_" + weight
	}
	return model + "_stdp_mad_" + timing + "_" + weight
}

// Cores lists the cores of the mapping, sorted by (x, y, p): the loaded
// cores when there are, else the cores the slices were placed on.
func Cores(m *mapping.Mapped) []Core {
	type at struct {
		c machine.XY
		p int
	}
	owner := map[at]*mapping.Slice{}
	for _, ss := range m.Slices {
		for _, s := range ss {
			for _, p := range slicePs(s) {
				owner[at{s.Chip, p}] = s
			}
		}
	}
	var out []Core
	if len(m.Cores) > 0 {
		for _, c := range m.Cores {
			s := owner[at{c.Chip, c.P}]
			rc := Core{Chip: c.Chip, P: c.P, Application: c.App.Name(), Label: c.Label, Pop: -1, Slice: s,
				Memory: coreMemory(c), Measured: true}
			if s != nil {
				rc.Pop, rc.SDRAM = s.Pop, s.Est.SDRAM/int64(len(slicePs(s)))
			}
			out = append(out, rc)
		}
	} else {
		for pi, ss := range m.Slices {
			for _, s := range ss {
				label := fmt.Sprintf("%s[%d:%d]", m.Net.Populations[pi].Label, s.Lo, s.Hi)
				ps := slicePs(s)
				for i, p := range ps {
					rc := Core{Chip: s.Chip, P: p, Application: plannedApplication(m.Net, s, i), Label: label, Pop: pi, Slice: s,
						Memory: core.Memory{DTCM: s.Est.DTCM, ITCM: s.Est.ITCM}, SDRAM: s.Est.SDRAM / int64(len(ps))}
					if d := s.Delay; d != nil && p == d.P {
						rc.Application, rc.Label = "delay_extension", label+" delays"
						rc.Memory, _ = core.DelayExtensionMemory(s.Hi-s.Lo, d.Stages, d.StageLen)
					} else if i > 0 {
						rc.Label = fmt.Sprintf("%s synapses %d", label, i-1)
						rc.Memory = core.Memory{DTCM: s.Est.SynDTCM, ITCM: s.Est.SynITCM}
					}
					out = append(out, rc)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Core) int {
		return cmp.Or(cmp.Compare(a.Chip.X, b.Chip.X), cmp.Compare(a.Chip.Y, b.Chip.Y), cmp.Compare(a.P, b.P))
	})
	return out
}

// Machine is the machine section of the report (machine.json), a superset
// of summary.json's.
type Machine struct {
	Board                   string         `json:"board"`
	Boards                  int            `json:"boards"`
	Chips                   int            `json:"chips"`
	ChipsUsed               int            `json:"chips_used"`
	CoresUsed               int            `json:"cores_used"`
	CoresAvailable          int            `json:"cores_available"`
	CoresByApplication      map[string]int `json:"cores_by_application"`
	RouterEntriesMax        int            `json:"router_entries_max"`
	RouterEntriesMaxGen     int            `json:"router_entries_max_generated"`
	ChipsCompressed         int            `json:"chips_compressed"`
	Compressor              string         `json:"compressor"`
	DeadChips               int            `json:"dead_chips"`
	Neurons                 int            `json:"neurons"`
	Sources                 int            `json:"spike_sources"`
	SynapsesExpected        float64        `json:"synapses_expected"`
	HostBytesForRun         float64        `json:"host_bytes_for_run"`
	SDRAMBytes              int64          `json:"sdram_bytes"`
	SDRAMBytesPerChipMaxUse int64          `json:"sdram_bytes_per_chip_max"`
}

// MachineUse summarises the machine a mapping takes.
func MachineUse(m *mapping.Mapped) Machine {
	mc := Machine{Board: m.Machine.Board, Boards: m.Machine.Boards, Chips: m.Machine.NumChips(),
		CoresByApplication: map[string]int{}, Compressor: m.Options.Compressor}
	mc.DeadChips = len(m.Net.Machine.DeadChips)
	sdram := map[machine.XY]int64{}
	for _, c := range Cores(m) {
		mc.CoresUsed++
		mc.CoresByApplication[c.Application]++
		sdram[c.Chip] += c.SDRAM
		mc.SDRAMBytes += c.SDRAM
	}
	mc.ChipsUsed = len(sdram)
	for _, b := range sdram {
		mc.SDRAMBytesPerChipMaxUse = max(mc.SDRAMBytesPerChipMaxUse, b)
	}
	for _, c := range m.Machine.Chips() {
		mc.CoresAvailable += len(m.Machine.AppCoresOf(c))
	}
	for _, r := range m.Routers {
		mc.RouterEntriesMax = max(mc.RouterEntriesMax, r.Table.Len())
		g := len(m.Uncompressed[r.Chip])
		mc.RouterEntriesMaxGen = max(mc.RouterEntriesMaxGen, g)
		if g != r.Table.Len() || (g > 0 && m.Options.CompressAlways) {
			mc.ChipsCompressed++
		}
	}
	for i := range m.Net.Populations {
		if p := &m.Net.Populations[i]; p.IsSource() {
			mc.Sources += p.Size
		} else {
			mc.Neurons += p.Size
		}
	}
	for _, e := range m.Expected {
		mc.SynapsesExpected += e
	}
	mc.HostBytesForRun = m.HostBytes
	return mc
}

// Write writes the report's files into dir (made if needed).
func Write(dir string, m *mapping.Mapped) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	cores := Cores(m)
	for _, f := range []struct {
		name string
		body func() ([]byte, error)
	}{
		{"summary.txt", func() ([]byte, error) { return []byte(Summary(m, cores)), nil }},
		{"machine.json", func() ([]byte, error) {
			b, err := json.MarshalIndent(MachineUse(m), "", "  ")
			return append(b, '\n'), err
		}},
		{"cores.csv", func() ([]byte, error) { return coresCSV(m, cores), nil }},
		{"chips.csv", func() ([]byte, error) { return chipsCSV(m, cores), nil }},
		{"placements.txt", func() ([]byte, error) { return placements(m), nil }},
		{"routing_tables.txt", func() ([]byte, error) { return tables(m, true), nil }},
		{"routing_tables_generated.txt", func() ([]byte, error) { return tables(m, false), nil }},
	} {
		b, err := f.body()
		if err != nil {
			return fmt.Errorf("report: %s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), b, 0o644); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

func mb(b int64) string { return strconv.FormatFloat(float64(b)/1e6, 'f', 2, 64) + " MB" }

// Summary is the report's readable overview: what the network needs of the
// machine against what it has.
func Summary(m *mapping.Mapped, cores []Core) string {
	var sb strings.Builder
	pf := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	mu := MachineUse(m)
	net := m.Net
	pf("spinnsim resource report for %q\n\n", net.Name)
	state := "estimated from the connectors' statistics (mapped only: no synapse generated)"
	if len(m.Cores) > 0 {
		state = "as loaded (DTCM and ITCM from the applications; SDRAM estimated)"
	}
	pf("Memory figures are %s.\n\n", state)
	pf("Machine\n")
	pf("  %d × %s board(s): %d live chips", mu.Boards, mu.Board, mu.Chips)
	if mu.DeadChips > 0 {
		pf(" (%d dead)", mu.DeadChips)
	}
	pf(", %d application cores\n", mu.CoresAvailable)
	pf("  used: %d chips, %d cores (%.1f%% of the cores)\n", mu.ChipsUsed, mu.CoresUsed, 100*float64(mu.CoresUsed)/float64(max(mu.CoresAvailable, 1)))
	apps := make([]string, 0, len(mu.CoresByApplication))
	for a := range mu.CoresByApplication {
		apps = append(apps, a)
	}
	slices.Sort(apps)
	for _, a := range apps {
		pf("    %6d cores  %s\n", mu.CoresByApplication[a], a)
	}
	pf("  network: %d neurons, %d spike sources, about %.4g synapses; a run would take about %.3g GB of host memory\n\n",
		mu.Neurons, mu.Sources, mu.SynapsesExpected, mu.HostBytesForRun/1e9)

	pf("Needed against available (the largest)\n")
	var dtcm, itcm Core
	var sdramChip int64
	for _, c := range cores {
		if c.Memory.DTCM > dtcm.Memory.DTCM {
			dtcm = c
		}
		if c.Memory.ITCM > itcm.Memory.ITCM {
			itcm = c
		}
	}
	sdramChip = mu.SDRAMBytesPerChipMaxUse
	if len(cores) > 0 {
		pf("  DTCM   %7d of %7d bytes  (%s on %v core %d)\n", dtcm.Memory.DTCM, core.DTCMBytes, dtcm.Label, dtcm.Chip, dtcm.P)
		pf("  ITCM   %7d of %7d bytes  (%s)\n", itcm.Memory.ITCM, core.ITCMBytes, itcm.Application)
	}
	pf("  SDRAM  %s of %s a chip; %s in all\n", mb(sdramChip), mb(mapping.SDRAMPerChip), mb(mu.SDRAMBytes))
	pf("  routing entries %d of %d a chip (%d before compression; %d chip(s) compressed with %s)\n\n",
		mu.RouterEntriesMax, router.UsableEntries, mu.RouterEntriesMaxGen, mu.ChipsCompressed, mu.Compressor)

	pf("Populations\n")
	w := len("population")
	for _, p := range net.Populations {
		w = max(w, min(len(p.Label), 32))
	}
	pf("  %-*s %-18s %8s %6s %7s %9s %7s %7s %11s\n", w, "population", "cell type", "neurons", "cores", "a core", "shift e/i", "DTCM", "sources", "SDRAM")
	for pi, ss := range m.Slices {
		p := &net.Populations[pi]
		ncores, most, dt, src := 0, 0, 0, 0
		var sd int64
		for _, s := range ss {
			ncores += s.Cores() - len(s.Direct) // merged sources count as their own population's
			most = max(most, s.Hi-s.Lo)
			dt = max(dt, s.Est.DTCM, s.Est.SynDTCM)
			src = max(src, s.Est.Sources)
			sd += s.Est.SDRAM
		}
		shift := "-"
		if !p.IsSource() {
			shift = fmt.Sprintf("%d/%d", m.Shift[pi][0], m.Shift[pi][1])
		}
		label := p.Label
		if len(label) > 32 {
			label = label[:31] + "…"
		}
		pf("  %-*s %-18s %8d %6d %7d %9s %7d %7d %11s\n", w, label, p.CellType, p.Size, ncores, most, shift, dt, src, mb(sd))
	}
	if len(m.Notes) > 0 {
		pf("\nDecisions of the plan\n")
		for _, n := range m.Notes {
			pf("  %s\n", n)
		}
	}
	pf("\nFiles: %s\n", strings.Join(Files, ", "))
	return sb.String()
}

func coresCSV(m *mapping.Mapped, cores []Core) []byte {
	var b bytes.Buffer
	b.WriteString("x,y,p,application,label,neurons,dtcm_bytes,dtcm_available,itcm_bytes,itcm_available,sdram_bytes,sdram_available_per_chip,shift_exc,shift_inh,ring_buffer_bits,sources,rows,max_row,expected_synapses,key,mask,memory\n")
	for _, c := range cores {
		n, shE, shI, ring, src, rows, maxRow, syn, key, mask := 0, "", "", 0, 0, 0, 0, 0.0, "", ""
		if s := c.Slice; s != nil {
			n = s.Hi - s.Lo
			if !m.Net.Populations[s.Pop].IsSource() {
				shE, shI = strconv.Itoa(int(m.Shift[s.Pop][0])), strconv.Itoa(int(m.Shift[s.Pop][1]))
				ring = int(s.Est.RingBits)
			}
			src, rows, maxRow, syn = s.Est.Sources, s.Est.Rows, s.Est.MaxRow, s.Est.Synapses
			key, mask = fmt.Sprintf("0x%08x", s.Key), fmt.Sprintf("0x%08x", s.Mask)
		}
		how := "estimated"
		if c.Measured {
			how = "loaded"
		}
		fmt.Fprintf(&b, "%d,%d,%d,%s,%s,%d,%d,%d,%d,%d,%d,%d,%s,%s,%d,%d,%d,%d,%.0f,%s,%s,%s\n",
			c.Chip.X, c.Chip.Y, c.P, c.Application, csvField(c.Label), n, c.Memory.DTCM, core.DTCMBytes, c.Memory.ITCM, core.ITCMBytes,
			c.SDRAM, mapping.SDRAMPerChip, shE, shI, ring, src, rows, maxRow, syn, key, mask, how)
	}
	return b.Bytes()
}

// csvField quotes a field as RFC 4180 does when it needs it.
func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func chipsCSV(m *mapping.Mapped, cores []Core) []byte {
	used := map[machine.XY]int{}
	sdram := map[machine.XY]int64{}
	for _, c := range cores {
		used[c.Chip]++
		sdram[c.Chip] += c.SDRAM
	}
	var b bytes.Buffer
	b.WriteString("x,y,board_x,board_y,cores_used,cores_available,sdram_bytes,sdram_available,entries_generated,entries_loaded\n")
	for _, c := range m.Machine.Chips() {
		r := m.Router(c)
		g := len(m.Uncompressed[c])
		if used[c] == 0 && g == 0 && r.Table.Len() == 0 {
			continue
		}
		e, _ := m.Machine.BoardOf(c)
		fmt.Fprintf(&b, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", c.X, c.Y, e.X, e.Y, used[c], len(m.Machine.AppCoresOf(c)),
			sdram[c], mapping.SDRAMPerChip, g, r.Table.Len())
	}
	return b.Bytes()
}

func placements(m *mapping.Mapped) []byte {
	var b bytes.Buffer
	for pi, ss := range m.Slices {
		p := &m.Net.Populations[pi]
		fmt.Fprintf(&b, "%s: %s, %d neurons, %d slice(s)\n", p.Label, p.CellType, p.Size, len(ss))
		for _, s := range ss {
			ps := make([]string, len(slicePs(s)))
			for i, q := range slicePs(s) {
				ps[i] = strconv.Itoa(q)
			}
			send := "sends"
			if !s.Sends {
				send = "silent"
			}
			fmt.Fprintf(&b, "  [%d:%d] chip %v core %s  key 0x%08x mask 0x%08x  %s\n", s.Lo, s.Hi, s.Chip, strings.Join(ps, ","), s.Key, s.Mask, send)
			if s.Into != nil {
				fmt.Fprintf(&b, "    merged into %s[%d:%d]'s neuron core (direct Poisson: no packets)\n", m.Net.Populations[s.Into.Pop].Label, s.Into.Lo, s.Into.Hi)
			}
			if d := s.Delay; d != nil {
				fmt.Fprintf(&b, "    delay extension: core %d  key 0x%08x mask 0x%08x  %d stage(s) of %d ticks\n", d.P, d.Key, d.Mask, d.Stages, d.StageLen)
			}
		}
	}
	return b.Bytes()
}

// tables lists every chip's routing table, as loaded or as generated, one
// entry a line: index, key, mask, route (links and cores).
func tables(m *mapping.Mapped, loaded bool) []byte {
	var b bytes.Buffer
	what := "as generated, before compression"
	if loaded {
		what = "as loaded into the routers (compressed where they were)"
	}
	fmt.Fprintf(&b, "Multicast routing tables %s. A key k matches an entry when k & mask == key; the first match wins; a packet that arrives on a link and matches nothing leaves on the opposite link, one sent by a core of the chip is dropped.\n", what)
	for _, r := range m.Routers {
		gen := m.Uncompressed[r.Chip]
		es := gen
		if loaded {
			es = r.Table.Entries()
		}
		if len(es) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\nchip %v: %d entries", r.Chip, len(es))
		if loaded && len(gen) != len(es) {
			fmt.Fprintf(&b, " (%d before %s compression)", len(gen), m.Options.Compressor)
		}
		b.WriteString("\n")
		for i, e := range es {
			fmt.Fprintf(&b, "  %4d  key 0x%08x  mask 0x%08x  -> %v\n", i, e.Key, e.Mask, e.Route)
		}
	}
	return b.Bytes()
}
