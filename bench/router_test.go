package bench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/router"
)

// boardNet is a SpiNN-5 board filled with pops populations of 32
// IF_curr_exp neurons (one core each), each projecting one to one onto the
// populations 1, 97 and 311 places further on (mod pops), so that routes
// cross the board and every chip's table holds entries.
func boardNet(pops int) string {
	var ps, prs []string
	for i := range pops {
		ps = append(ps, fmt.Sprintf(`{"label": "p%d", "size": 32, "cell_type": "IF_curr_exp"}`, i))
		for _, d := range []int{1, 97, 311} {
			prs = append(prs, fmt.Sprintf(`{"pre": "p%d", "post": "p%d", "connector": {"type": "OneToOneConnector"},
			 "synapse": {"type": "StaticSynapse", "weight": 0.5}}`, i, (i+d)%pops))
		}
	}
	return `{"format": "spinnsim-network/1", "name": "board", "duration_ms": 10,
	 "machine": {"board": "spinn-5", "boards": 1},
	 "populations": [` + strings.Join(ps, ",\n") + `],
	 "projections": [` + strings.Join(prs, ",\n") + `]}`
}

// BenchmarkRouterLookup looks up every slice's keys (neurons 0 and 31 of
// each) in every chip's routing table of a mapped 48-chip board: hits
// where the route passes, misses elsewhere, as the routers see them.
func BenchmarkRouterLookup(b *testing.B) {
	m, err := mapping.Map(parse(b, boardNet(700), "board"))
	if err != nil {
		b.Fatal(err)
	}
	var keys []uint32
	for _, ss := range m.Slices {
		for _, s := range ss {
			keys = append(keys, s.Key, s.Key|31)
		}
	}
	var tables []*router.Table
	entries, most := 0, 0
	for _, r := range m.Routers {
		if r.Table.Len() > 0 {
			tables = append(tables, &r.Table)
			entries += r.Table.Len()
			most = max(most, r.Table.Len())
		}
	}
	if len(tables) < 40 {
		b.Fatalf("only %d chips have routing entries", len(tables))
	}
	hits, n := 0, 0
	for b.Loop() {
		for _, t := range tables {
			for _, k := range keys {
				if _, _, ok := t.Lookup(k); ok {
					hits++
				}
				n++
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lookups/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(n), "ns/lookup")
	b.ReportMetric(float64(hits)/float64(n), "hit_ratio")
	b.ReportMetric(float64(entries)/float64(len(tables)), "entries/chip")
	b.ReportMetric(float64(most), "entries_max")
}
