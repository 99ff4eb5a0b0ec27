package actors

import (
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
)

// fanOut is the router's pattern: a hub commands n leaves; each clears its
// bit, and the last tells the hub, which starts the next round.
type fanOut struct {
	leaves []*actor.PID
	busy   atomic.Uint32
	rounds int
	done   chan struct{}
	cmd    [4]command
	k      int
}

type leaf struct {
	hub *actor.PID
	f   *fanOut
	bit uint32
}

func (h *fanOut) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case chipDone:
		if h.rounds == 0 {
			close(h.done)
			return
		}
		h.rounds--
		h.busy.Store(1<<len(h.leaves) - 1)
		for _, l := range h.leaves {
			c := &h.cmd[h.k%4]
			h.k++
			ctx.Send(l, commandMsg{c})
		}
	}
}

func (l *leaf) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(commandMsg); ok {
		if l.f.busy.And(^l.bit) == l.bit {
			ctx.Send(l.hub, chipDone{})
		}
	}
}

// BenchmarkFanOut measures a message to a core and its count-off through
// the driver's mailbox and pool, per message, on one worker.
func BenchmarkFanOut(b *testing.B) {
	pool := NewPool(1, throughput)
	defer pool.Close()
	system := actor.NewActorSystemWithConfig(actor.Configure(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) })))
	defer system.Shutdown()
	props := func(a actor.Actor) *actor.Props {
		return actor.PropsFromProducer(func() actor.Actor { return a }, actor.WithDispatcher(pool.Shard(0)), actor.WithMailbox(newMailbox))
	}
	const n = 16
	h := &fanOut{done: make(chan struct{}), rounds: b.N}
	hub := system.Root.Spawn(props(h))
	var leaves []*leaf
	for i := range n {
		l := &leaf{hub: hub, f: h, bit: 1 << i}
		leaves = append(leaves, l)
		h.leaves = append(h.leaves, system.Root.Spawn(props(l)))
	}
	b.ResetTimer()
	system.Root.Send(hub, chipDone{})
	<-h.done
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/msg")
}
