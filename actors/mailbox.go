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
// waiting counts the messages not yet handled: the message that takes it
// from zero puts the mailbox on the dispatcher, and the mailbox runs until
// it has handled them all, so that each message costs one atomic add on
// either side and finding the mailbox empty takes no lock. A suspended
// mailbox with only user messages left parks; a system message wakes it.
type mailbox struct {
	mu        sync.Mutex
	user      ring[any]
	system    ring[any]
	suspended bool

	waiting atomic.Int32 // messages posted and not yet handled
	parked  atomic.Bool  // off the dispatcher with messages waiting (suspended)

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
	if m.waiting.Add(1) == 1 {
		m.dispatcher.Schedule(m.run)
	}
}

// PostSystemMessage implements actor.Mailbox.
func (m *mailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.system.push(msg)
	m.mu.Unlock()
	if m.waiting.Add(1) == 1 || m.parked.CompareAndSwap(true, false) {
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

// hasSystem reports whether a system message waits.
func (m *mailbox) hasSystem() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.system.size > 0
}

// process runs on the dispatcher: it handles messages until none is left
// (or, suspended, only user messages), or until the throughput is used up
// and it puts itself back on the dispatcher.
func (m *mailbox) process() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
			if m.waiting.Add(-1) > 0 {
				m.dispatcher.Schedule(m.run)
			}
		}
	}()
	for range max(1, m.dispatcher.Throughput()) {
		var system, ok bool
		msg, system, ok = m.next()
		if !ok {
			// Suspended: park until a system message comes; one may have
			// come just before we parked.
			m.parked.Store(true)
			if !m.hasSystem() || !m.parked.CompareAndSwap(true, false) {
				return
			}
			continue
		}
		if system {
			m.system1(msg)
		} else {
			m.invoker.InvokeUserMessage(msg)
		}
		if m.waiting.Add(-1) == 0 {
			return
		}
	}
	m.dispatcher.Schedule(m.run)
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
	default:
		m.invoker.InvokeSystemMessage(msg)
	}
}
