package examples

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/sim"
)

// acrossLink places the ten-population example's sources on chip (0, 0) and
// its neurons on chip (1, 0), so that every spike the neurons receive
// crosses the east link of chip (0, 0), and drops a fraction of the packets
// sent on it.
func acrossLink(fraction float64) func(*network.Network) {
	return func(n *network.Network) {
		for i := range n.Populations {
			p := &n.Populations[i]
			x := 0
			if !p.IsSource() {
				x = 1
			}
			p.Placement = &network.Placement{X: x, Y: 0}
		}
		n.Machine.Board, n.Machine.Boards = network.BoardSpiNN5, 1
		n.Faults = &network.Faults{Drops: []network.PacketDrop{{X: 0, Y: 0, Link: "east", Fraction: fraction, Path: "faults.drop[0]"}}}
	}
}

func faultDropped(r *output.Run) uint64 {
	var n uint64
	for _, rt := range r.Provenance.Routers {
		n += rt.FaultDropped
	}
	return n
}

// Dropping 1 % of the packets on one link of the ten-population example:
// the run completes; provenance counts the drops, about 1 % of the packets
// that cross the link (binomial bounds); the summary warns; the same seed
// drops the same packets, with either driver; all packets dropped, the
// neurons lose their input.
func TestLinkFaults(t *testing.T) {
	dir, r := runNet(t, "ten_pops.json", sim.Sequential{}, acrossLink(0.01))
	crossing := 0
	for _, p := range r.Populations {
		if p.CellType != network.IFCurrExp {
			crossing += p.SpikeCount // each source spike crosses the link once
		}
	}
	dropped := float64(faultDropped(r))
	mean, sd := 0.01*float64(crossing), math.Sqrt(0.01*0.99*float64(crossing))
	assert.InDelta(t, mean, dropped, 5*sd, "%v of %d packets dropped", dropped, crossing)
	require.NotEmpty(t, r.Warnings)
	assert.Contains(t, strings.Join(r.Warnings, "\n"), "multicast packets were dropped by injected faults (chip (0, 0): ")

	act, ra := runNet(t, "ten_pops.json", actors.Driver{}, acrossLink(0.01))
	assert.Equal(t, faultDropped(r), faultDropped(ra))
	for _, name := range []string{"spikes.csv", "weights.csv", "provenance.json"} {
		assert.True(t, bytes.Equal(readAll(t, dir)[name], readAll(t, act)[name]), "%s differs between drivers", name)
	}

	_, none := runNet(t, "ten_pops.json", sim.Sequential{}, acrossLink(0))
	assert.Zero(t, faultDropped(none))
	assert.NotContains(t, strings.Join(none.Warnings, "\n"), "injected faults")
	assert.Greater(t, none.Populations[3].SpikeCount, 0)
	_, all := runNet(t, "ten_pops.json", sim.Sequential{}, acrossLink(1))
	assert.EqualValues(t, crossing, faultDropped(all), "every packet on the link")
	for _, p := range all.Populations {
		if p.CellType == network.IFCurrExp {
			assert.Zero(t, p.SpikeCount, "%s gets no input", p.Label)
		}
	}
}

// A core killed at 500 ms stops: its neurons spike no more, the packets that
// reach it are counted lost, and the run says so.
func TestCoreKill(t *testing.T) {
	var killed string
	_, r := runNet(t, "ten_pops.json", sim.Sequential{}, func(n *network.Network) {
		acrossLink(0)(n)
		n.Faults = &network.Faults{Kills: []network.CoreKill{{X: 1, Y: 0, P: 1, AtMs: 500, Path: "faults.kill[0]"}}}
	})
	for _, c := range r.Provenance.Cores {
		if c.KilledAtTick != nil {
			killed = c.Label
			assert.EqualValues(t, 500, *c.KilledAtTick)
			assert.Positive(t, c.PacketsLost)
		}
	}
	require.NotEmpty(t, killed)
	pop := strings.Split(killed, "[")[0]
	for _, p := range r.Populations {
		if p.Label == pop {
			for _, s := range p.Spikes {
				assert.Less(t, s.Tick, uint32(500))
			}
		}
	}
	assert.Contains(t, strings.Join(r.Warnings, "\n"), "was killed by an injected fault at tick 500")
}
