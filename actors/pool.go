package actors

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Pool is a protoactor dispatcher that runs mailboxes on a fixed set of
// goroutines (workers) instead of a new goroutine each time a mailbox is
// scheduled. It has one queue per worker: Shard(i) is a dispatcher that
// queues on queue i mod workers, so that actors that talk to each other
// most (a chip's router and cores) share a queue and its worker, and a
// worker with nothing of its own to run takes work from the others. A
// worker that runs out of work looks again for a little while before it
// sleeps, and one is woken only when one sleeps, so that scheduling costs
// no system call while the machine is busy. Queues are rings that grow to
// the most mailboxes ever waiting and are then reused: scheduling does not
// allocate.
type Pool struct {
	queues     []queue
	throughput int

	mu       sync.Mutex // for sleeping and waking
	cond     *sync.Cond
	sleeping atomic.Int32
	closed   atomic.Bool
	wg       sync.WaitGroup
}

// queue is one worker's queue of mailboxes to run.
type queue struct {
	mu sync.Mutex
	q  ring[func()]
	n  atomic.Int32 // len(q), read without the lock
	_  [40]byte     // keep queues on separate cache lines
}

var _ actor.Dispatcher = (*Pool)(nil)

// spin is how long an idle worker keeps looking for work, yielding in
// between, before it sleeps; wakeBacklog is how many mailboxes must wait
// before a sleeping worker is woken to help (while another is awake to run
// them). So a machine with little work a tick (ten_pops: 22 cores on two
// chips) runs on one worker without a system call a tick, and a busy one
// (a board's 48 chips, or seven chips of heavy cores) on all; and a worker
// that finds nothing wastes little of a CPU another program may need.
const (
	spin        = 10 * time.Microsecond
	wakeBacklog = 32
)

// NewPool starts workers goroutines. throughput is how many messages a
// mailbox may process before it yields its worker.
func NewPool(workers, throughput int) *Pool {
	workers = max(1, workers)
	p := &Pool{throughput: throughput, queues: make([]queue, workers)}
	p.cond = sync.NewCond(&p.mu)
	for w := range workers {
		p.wg.Add(1)
		go p.work(w)
	}
	return p
}

// Shard returns a dispatcher that runs mailboxes on the queue of worker
// i mod workers.
func (p *Pool) Shard(i int) actor.Dispatcher { return shard{p, i % len(p.queues)} }

// shard is a dispatcher onto one queue of a Pool.
type shard struct {
	p *Pool
	i int
}

func (s shard) Schedule(fn func()) { s.p.schedule(s.i, fn) }
func (s shard) Throughput() int    { return s.p.throughput }

// Schedule implements actor.Dispatcher: it queues on the first worker.
func (p *Pool) Schedule(fn func()) { p.schedule(0, fn) }

// Throughput implements actor.Dispatcher.
func (p *Pool) Throughput() int { return p.throughput }

func (p *Pool) schedule(i int, fn func()) {
	q := &p.queues[i]
	q.mu.Lock()
	q.q.push(fn)
	q.n.Add(1)
	q.mu.Unlock()
	if s := int(p.sleeping.Load()); s > 0 && (s == len(p.queues) || p.backlog() >= wakeBacklog) {
		p.mu.Lock()
		p.cond.Signal()
		p.mu.Unlock()
	}
}

// backlog is the number of mailboxes waiting in all queues.
func (p *Pool) backlog() int {
	n := 0
	for i := range p.queues {
		n += int(p.queues[i].n.Load())
	}
	return n
}

// take returns the next mailbox to run: from worker w's queue, or else
// from another's.
func (p *Pool) take(w int) func() {
	for k := range len(p.queues) {
		q := &p.queues[(w+k)%len(p.queues)]
		if q.n.Load() == 0 {
			continue
		}
		q.mu.Lock()
		fn, ok := q.q.pop()
		if ok {
			q.n.Add(-1)
		}
		q.mu.Unlock()
		if ok {
			return fn
		}
	}
	return nil
}

func (p *Pool) work(w int) {
	defer p.wg.Done()
	for {
		if fn := p.take(w); fn != nil {
			fn()
			continue
		}
		if len(p.queues) > 1 && p.spin() {
			continue
		}
		p.mu.Lock()
		p.sleeping.Add(1)
		for !p.pending() && !p.closed.Load() {
			p.cond.Wait()
		}
		p.sleeping.Add(-1)
		p.mu.Unlock()
		if !p.pending() && p.closed.Load() {
			return
		}
	}
}

// spin looks for work for a while, yielding in between, and reports
// whether it found some.
func (p *Pool) spin() bool {
	start := time.Now()
	for i := 1; ; i++ {
		runtime.Gosched()
		if p.pending() {
			return true
		}
		if i%16 == 0 && time.Since(start) > spin {
			return false
		}
	}
}

// pending reports whether any queue holds a mailbox.
func (p *Pool) pending() bool {
	for i := range p.queues {
		if p.queues[i].n.Load() > 0 {
			return true
		}
	}
	return false
}

// Close lets the workers finish what is queued and stop, and waits for them.
func (p *Pool) Close() {
	p.Stop()
	p.wg.Wait()
}

// Stop lets the workers finish what is queued and stop, without waiting
// (for a worker that may never return, such as a core stuck in a loop).
func (p *Pool) Stop() {
	p.mu.Lock()
	p.closed.Store(true)
	p.cond.Broadcast()
	p.mu.Unlock()
}

// ring is a FIFO queue in a circular buffer that doubles when full. The
// zero value is empty and ready to use.
type ring[T any] struct {
	buf        []T
	head, size int
}

func (r *ring[T]) push(v T) {
	if r.size == len(r.buf) {
		n := max(16, 2*len(r.buf))
		buf := make([]T, n)
		k := copy(buf, r.buf[r.head:])
		copy(buf[k:], r.buf[:r.head])
		r.buf, r.head = buf, 0
	}
	r.buf[(r.head+r.size)&(len(r.buf)-1)] = v
	r.size++
}

func (r *ring[T]) pop() (T, bool) {
	var zero T
	if r.size == 0 {
		return zero, false
	}
	v := r.buf[r.head]
	r.buf[r.head] = zero
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.size--
	return v, true
}
