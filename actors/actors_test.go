package actors_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spinnsim/spinnsim/actors"
	"github.com/spinnsim/spinnsim/core"
	"github.com/spinnsim/spinnsim/mapping"
	"github.com/spinnsim/spinnsim/network"
	"github.com/spinnsim/spinnsim/sdram"
	"github.com/spinnsim/spinnsim/sim"
)

func mapped(t *testing.T) *mapping.Mapped {
	t.Helper()
	net, err := network.Load("../examples/izhikevich_single.json")
	require.NoError(t, err)
	m, err := mapping.Map(net)
	require.NoError(t, err)
	return m
}

// The progress callback sees every tick once, in order, from both drivers.
func TestProgress(t *testing.T) {
	for _, d := range []sim.Driver{actors.Driver{Workers: 3}, sim.Sequential{}} {
		m := mapped(t)
		next := uint32(0)
		require.NoError(t, d.Run(context.Background(), m, func(tk uint32) {
			assert.Equal(t, next, tk)
			next++
		}))
		assert.Equal(t, m.Clock.Ticks, next)
	}
}

// panicky breaks an invariant at tick 100.
type panicky struct{ core.Application }

func (p panicky) TimerTick(t uint32, r *core.Ready, c *core.Counters) {
	if t == 100 {
		panic("broken invariant")
	}
	p.Application.TimerTick(t, r, c)
}

// A panic inside a core stops the run at once with an error naming the
// chip, the core, the application and the tick, and leaves no goroutine
// behind.
func TestPanicBecomesError(t *testing.T) {
	defer goleak.VerifyNone(t)
	m := mapped(t)
	c := m.Cores[0]
	c.App = panicky{c.App}
	start := time.Now()
	err := actors.Driver{}.Run(context.Background(), m, nil)
	require.Error(t, err)
	assert.Less(t, time.Since(start), time.Second)
	assert.Contains(t, err.Error(), fmt.Sprintf("core (%d, %d, %d) %s running %s, tick 100: panic: broken invariant",
		c.Chip.X, c.Chip.Y, c.P, c.Label, c.App.Name()))
}

// stuck never returns from its timer tick 20 until released.
type stuck struct {
	core.Application
	release chan struct{}
}

func (s stuck) TimerTick(t uint32, r *core.Ready, c *core.Counters) {
	if t == 20 {
		<-s.release
	}
	s.Application.TimerTick(t, r, c)
}

// A tick that never completes is noticed by the watchdog, which names the
// core it waits for. The core runs ahead (it has no inputs), so the
// watchdog names the window of ticks it was given.
func TestWatchdog(t *testing.T) {
	defer goleak.VerifyNone(t)
	m := mapped(t)
	c := m.Cores[len(m.Cores)-1]
	release := make(chan struct{})
	c.App = stuck{c.App, release}
	err := actors.Driver{Watchdog: 100 * time.Millisecond}.Run(context.Background(), m, nil)
	close(release)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("watchdog: ticks 0 to %d of 3000 made no progress; waiting for 1 core(s) that have not finished them: ", sim.MaxRunAhead-1)+
		fmt.Sprintf("core (%d, %d, %d) %s", c.Chip.X, c.Chip.Y, c.P, c.Label))
}

// The run leaves no goroutine behind.
func TestNoLeak(t *testing.T) {
	defer goleak.VerifyNone(t)
	require.NoError(t, actors.Driver{}.Run(context.Background(), mapped(t), nil))
}

func TestPoolRunsEverything(t *testing.T) {
	p := actors.NewPool(runtime.GOMAXPROCS(0), 10)
	var n atomic.Int64
	for range 1000 {
		p.Schedule(func() { n.Add(1) })
	}
	p.Close()
	assert.EqualValues(t, 1000, n.Load())
}

// badWriter shifts its synapse core's SDRAM write past the end of its block
// at tick 50.
type badWriter struct{ core.Application }

func (b badWriter) EndTick(t uint32, r *core.Ready, c *core.Counters) {
	b.Application.(core.TickEnder).EndTick(t, r, c)
	if t == 50 {
		r.Transfers[0].Offset = 1
	}
}

func (b badWriter) DMADone(t uint32, tr *sdram.Transfer, r *core.Ready, c *core.Counters) error {
	return b.Application.(core.DMAUser).DMADone(t, tr, r, c)
}

// The SDRAM actor serves a split population's transfers, and refuses one
// outside its region: the run stops with an error that names the chip, the
// core, the region and the address, through either driver.
func TestSDRAMAccessOutsideRegion(t *testing.T) {
	for _, d := range []sim.Driver{actors.Driver{}, sim.Sequential{}} {
		net, err := network.Load("../examples/izhikevich_single.json")
		require.NoError(t, err)
		net.Populations[net.Population("post1")].SynapseCores = 1
		m, err := mapping.Map(net)
		require.NoError(t, err)
		var syn *core.Core
		for _, c := range m.Cores {
			if c.EndsTicks() {
				syn = c
			}
		}
		require.NotNil(t, syn)
		c, err := core.New(syn.Chip, syn.P, syn.Label, badWriter{syn.App})
		require.NoError(t, err)
		*syn = *c
		err = d.Run(context.Background(), m, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), fmt.Sprintf("chip %v core %d: DMA write", syn.Chip, syn.P))
		assert.Contains(t, err.Error(), `region "post1[0:1] input from synapse core`)
		assert.Contains(t, err.Error(), "outside the region")
	}
}
