package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rewardTrain = "../../examples/reward_train.json"

// -float-quirks switches the chip's behaviours on in float: the reward
// train's weight is the equations' 3.3750… in float and what the chip's
// 16-entry history leaves of it with history_capacity, which also brings
// the history warning on standard error; fixed has it too. Unknown quirks
// are bad input.
func TestFloatQuirksFlag(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "-net", rewardTrain, "-out", dir, "-quiet", "-arith", "float", "-driver", "sequential")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "Final weight plastic: [(0, 0, 3.3750372072160237)]\n", out)
	assert.Empty(t, errs)

	code, out, errs = runCmd(t, "-net", rewardTrain, "-out", dir, "-quiet", "-arith", "float", "-float-quirks", "history_capacity", "-driver", "sequential")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "Final weight plastic: [(0, 0, 0.4204331310135553)]\n", out)
	assert.Contains(t, errs, "spinnsim: warning: the post-synaptic history overflowed (float with the history_capacity quirk)")
	assert.Contains(t, errs, "\n    post: 85 events (0 post spikes, 85 reward or punishment events)\n")

	code, out, errs = runCmd(t, "-net", rewardTrain, "-out", dir, "-quiet")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "Final weight plastic: [(0, 0, 2.470703125)]\n", out)
	assert.Contains(t, errs, "spinnsim: warning: SpiNNaker's post-synaptic history overflowed")
	raw, err := os.ReadFile(filepath.Join(dir, "provenance.json"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `{"label": "plastic", "post": "post", "history_evicted_post": 0, "history_evicted_dopamine": 85}`)
	for _, f := range []string{"traces.csv", "traces.png"} {
		_, err := os.Stat(filepath.Join(dir, f))
		assert.NoError(t, err, "the file traces its synapse")
	}

	// "none" clears the file's quirks.
	code, out, _ = runCmd(t, "-net", rewardTrain, "-out", dir, "-quiet", "-arith", "float", "-float-quirks", "none")
	require.Equal(t, 0, code)
	assert.Equal(t, "Final weight plastic: [(0, 0, 3.3750372072160237)]\n", out)

	code, _, errs = runCmd(t, "-net", rewardTrain, "-out", dir, "-float-quirks", "lut_stair,int16_wrap")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `spinnsim: -float-quirks: unknown float quirk "lut_stair" (did you mean "lut_staircase"?)`)
}
