package sim_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/output"
	"github.com/spinnsim/spinnsim/sim"
)

// A DCSource through the whole machine: the recorded v (taken at the start of
// each tick, before the update) stays at v_rest until the update of tick
// start has run, then follows v_rest + R·I·(1 − e^{−n·h/τm}) with n the
// updates since start, and relaxes after stop. The second population gets no
// current. Float is exact; fixed within 40 µV (see the kernel's test).
func TestDCSourceRun(t *testing.T) {
	const doc = `{"format": "spinnsim-network/1", "duration_ms": 60, "timestep_ms": 0.1,
	  "populations": [
	    {"label": "lit", "size": 2, "cell_type": "IF_curr_exp",
	     "parameters": {"cm": 0.25, "tau_m": 20, "v_thresh": 0}, "record": ["v", "spikes"]},
	    {"label": "dark", "size": 1, "cell_type": "IF_curr_exp", "record": ["v"]}],
	  "current_sources": [
	    {"type": "DCSource", "amplitude": 0.2, "start": 10, "stop": 30, "inject_into": "lit"},
	    {"type": "DCSource", "amplitude": 0.1, "start": 20, "stop": 30, "inject_into": "lit"}]}`
	for _, arith := range []string{network.ArithmeticFixed, network.ArithmeticFloat} {
		t.Run(arith, func(t *testing.T) {
			net, err := network.Parse([]byte(doc), "dc")
			require.NoError(t, err)
			net.Arithmetic = arith
			m, err := mapping.Map(net)
			require.NoError(t, err)
			require.NoError(t, sim.Sequential{}.Run(context.Background(), m, nil))
			r := sim.Results(m, 0)
			lit, dark := r.Populations[0], r.Populations[1]
			assert.Empty(t, lit.Spikes)
			const vRest, rm, h, tau = -65.0, 80.0, 0.1, 20.0
			e := math.Exp(-h / tau)
			want := make([]float64, 600)
			v := vRest
			for tick := range want {
				want[tick] = v // recorded before the update of tick
				i := 0.0
				if tick >= 100 && tick < 300 {
					i += 0.2
				}
				if tick >= 200 && tick < 300 {
					i += 0.1
				}
				alpha := vRest + rm*i
				v = alpha - e*(alpha-v) // exact over a step with constant current
			}
			tol := 1e-9
			if arith == network.ArithmeticFixed {
				tol = 40e-3
			}
			litV, err := output.AllSamples(lit.V)
			require.NoError(t, err)
			darkV, err := output.AllSamples(dark.V)
			require.NoError(t, err)
			for n := range litV {
				require.Len(t, litV[n], 600)
				for tick, got := range litV[n] {
					require.InDelta(t, want[tick], got, tol, "neuron %d, tick %d", n, tick)
				}
			}
			assert.Equal(t, vRest, litV[0][100], "the current acts from the update of tick start")
			assert.Less(t, litV[0][101], vRest+1.0)
			assert.Greater(t, litV[0][299], vRest+10, "charged towards v_rest + R·I")
			for tick, got := range darkV[0] {
				require.Equal(t, vRest, got, "no current into dark, tick %d", tick)
			}
		})
	}
}
