package actors

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/sim"
)

// A plan that misses a dependency (every core of the guide's second example
// in one stage that runs ahead, so the populations run a window before
// their sources have sent its spikes) does not give wrong results
// silently: the first packet that reaches a core after it has taken its
// tick's packets stops the run, naming the core and the tick.
func TestPlanMissingDependencyFails(t *testing.T) {
	planOf = func(m *mapping.Mapped) []sim.Stage {
		all := sim.Stage{}
		for i := range m.Cores {
			all.Cores = append(all.Cores, i)
		}
		return []sim.Stage{all}
	}
	defer func() { planOf = sim.Plan }()
	net, err := network.Load("../examples/ten_pops.json")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	err = Driver{}.Run(context.Background(), m, nil)
	require.Error(t, err)
	assert.Regexp(t, `packets of tick \d+ reached core \d+ \(post\d\[0:5\]\) after it had taken that tick's packets: `+
		`the plan of stages missed a dependency`, err.Error())
}
