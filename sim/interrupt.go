package sim

import (
	"context"
	"fmt"
)

// Interrupted is the error a Driver returns, wrapped, when its context is
// done before the run ends. The driver stops at a tick boundary: ticks
// 0 … Tick−1 have run (every core has finished them and every packet they
// sent has been delivered), tick Tick has not started. Use errors.As to get
// at it; the error also wraps the context's cause (context.Canceled, ...).
type Interrupted struct {
	Tick  uint32 // ticks completed: the run stopped at the boundary before tick Tick
	Ticks uint32 // the ticks the run was to last
}

// Error says where the run stopped: "interrupted at tick 5312 of 12000".
func (e *Interrupted) Error() string {
	return fmt.Sprintf("interrupted at tick %d of %d", e.Tick, e.Ticks)
}

// Interrupt returns the error a driver gives when ctx is done at the tick
// boundary before tick (of ticks): an *Interrupted that also wraps the
// context's cause. It returns nil while ctx is not done.
func Interrupt(ctx context.Context, tick, ticks uint32) error {
	if ctx.Err() == nil {
		return nil
	}
	return fmt.Errorf("%w (%w)", &Interrupted{Tick: tick, Ticks: ticks}, context.Cause(ctx))
}
