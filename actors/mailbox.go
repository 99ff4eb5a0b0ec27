package actors

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// mailbox is a protoactor mailbox that does not allocate per message: user
// and system messages wait in rings that grow to the most ever queued and
// are then reused, and the function the dispatcher runs is made once. It
// keeps protoactor's contract: system messages first, none of the user
// messages while suspended, at most the dispatcher's throughput in one go,
// and a panic escalated to the actor's supervisor.
//
// Whether it is on the dispatcher is an atomic flag, and how many messages
// wait an atomic count, so that finding it empty after a message takes no
// lock.
type mailbox struct {
	mu        sync.Mutex
	user      ring[any]
	system    ring[any]
	suspended bool

	waiting   atomic.Int32 // messages queued (user and system)
	scheduled atomic.Bool  // queued on the dispatcher or running

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
	run        func()
}

var _ actor.Mailbox = (*mailbox)(nil)

func newMailbox() actor.Mailbox {
	m := &mailbox{}
	m.run = m.process
	return m
}

// PostUserMessage implements actor.Mailbox.
func (m *mailbox) PostUserMessage(msg any) {
	m.mu.Lock()
	m.user.push(msg)
	m.mu.Unlock()
	m.posted()
}

// PostSystemMessage implements actor.Mailbox.
func (m *mailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.system.push(msg)
	m.mu.Unlock()
	m.posted()
}

// posted counts a message in and hands the mailbox to the dispatcher
// unless it is there already.
func (m *mailbox) posted() {
	m.waiting.Add(1)
	if m.scheduled.CompareAndSwap(false, true) {
		m.dispatcher.Schedule(m.run)
	}
}

// RegisterHandlers implements actor.Mailbox.
func (m *mailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.invoker, m.dispatcher = invoker, dispatcher
}

// Start implements actor.Mailbox.
func (m *mailbox) Start() {}

// UserMessageCount implements actor.Mailbox.
func (m *mailbox) UserMessageCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.user.size
}

// next takes the next message to process: a system message if any, else a
// user message unless suspended.
func (m *mailbox) next() (msg any, system, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if msg, ok := m.system.pop(); ok {
		return msg, true, true
	}
	if !m.suspended {
		if msg, ok := m.user.pop(); ok {
			return msg, false, true
		}
	}
	return nil, false, false
}

// process runs on the dispatcher: it handles messages until there are none
// (or none it may take, while suspended) or the throughput is used up, then
// yields the worker, rescheduling itself if messages remain.
func (m *mailbox) process() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.scheduled.Store(false)
			m.invoker.EscalateFailure(r, msg)
			m.reschedule()
		}
	}()
	for range max(1, m.dispatcher.Throughput()) {
		if m.waiting.Load() == 0 {
			break
		}
		var system, ok bool
		msg, system, ok = m.next()
		if !ok {
			break // suspended
		}
		m.waiting.Add(-1)
		if system {
			m.system1(msg)
		} else {
			m.invoker.InvokeUserMessage(msg)
		}
	}
	m.scheduled.Store(false)
	m.reschedule()
}

// reschedule puts the mailbox back on the dispatcher if messages it may
// take arrived while it was leaving it.
func (m *mailbox) reschedule() {
	if m.waiting.Load() == 0 {
		return
	}
	m.mu.Lock()
	runnable := m.system.size > 0 || !m.suspended && m.user.size > 0
	m.mu.Unlock()
	if runnable && m.scheduled.CompareAndSwap(false, true) {
		m.dispatcher.Schedule(m.run)
	}
}

// system1 handles a system message.
func (m *mailbox) system1(msg any) {
	switch msg.(type) {
	case *actor.SuspendMailbox:
		m.mu.Lock()
		m.suspended = true
		m.mu.Unlock()
	case *actor.ResumeMailbox:
		m.mu.Lock()
		m.suspended = false
		m.mu.Unlock()
		m.reschedule()
	default:
		m.invoker.InvokeSystemMessage(msg)
	}
}
