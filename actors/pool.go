package actors

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// Pool is a protoactor dispatcher that runs mailboxes on a fixed set of
// goroutines instead of a new goroutine each time a mailbox is scheduled.
type Pool struct {
	mu         sync.Mutex
	cond       *sync.Cond
	queue      []func()
	closed     bool
	wg         sync.WaitGroup
	throughput int
}

var _ actor.Dispatcher = (*Pool)(nil)

// NewPool starts workers goroutines. throughput is how many messages a
// mailbox may process before it yields its worker.
func NewPool(workers, throughput int) *Pool {
	p := &Pool{throughput: throughput}
	p.cond = sync.NewCond(&p.mu)
	for range workers {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

func (p *Pool) work() {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		for len(p.queue) == 0 && !p.closed {
			p.cond.Wait()
		}
		if len(p.queue) == 0 {
			p.mu.Unlock()
			return
		}
		fn := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()
		fn()
	}
}

// Schedule implements actor.Dispatcher.
func (p *Pool) Schedule(fn func()) {
	p.mu.Lock()
	p.queue = append(p.queue, fn)
	p.mu.Unlock()
	p.cond.Signal()
}

// Throughput implements actor.Dispatcher.
func (p *Pool) Throughput() int { return p.throughput }

// Close lets the workers finish what is queued and stop, and waits for them.
func (p *Pool) Close() {
	p.Stop()
	p.wg.Wait()
}

// Stop lets the workers finish what is queued and stop, without waiting
// (for a worker that may never return, such as a core stuck in a loop).
func (p *Pool) Stop() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cond.Broadcast()
}
