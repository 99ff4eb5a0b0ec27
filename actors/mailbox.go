package actors

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// mailbox is a protoactor mailbox that does not allocate per message: user
// and system messages wait in rings that grow to the most ever queued and
// are then reused, and the function the dispatcher runs is made once. It
// keeps protoactor's contract: system messages first, none of the user
// messages while suspended, at most the dispatcher's throughput in one go,
// and a panic escalated to the actor's supervisor.
type mailbox struct {
	mu        sync.Mutex
	user      ring[any]
	system    ring[any]
	scheduled bool // queued on the dispatcher or running
	suspended bool

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
	m.scheduleLocked()
}

// PostSystemMessage implements actor.Mailbox.
func (m *mailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.system.push(msg)
	m.scheduleLocked()
}

// scheduleLocked unlocks m and hands it to the dispatcher unless it is
// already there.
func (m *mailbox) scheduleLocked() {
	if m.scheduled {
		m.mu.Unlock()
		return
	}
	m.scheduled = true
	m.mu.Unlock()
	m.dispatcher.Schedule(m.run)
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
// user message unless suspended. ok is false when there is none, and then
// the mailbox is no longer scheduled.
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
	m.scheduled = false
	return nil, false, false
}

// process runs on the dispatcher: it handles messages until there are none
// or the throughput is used up, then yields the worker (rescheduling
// itself if messages remain).
func (m *mailbox) process() {
	for range max(1, m.dispatcher.Throughput()) {
		msg, system, ok := m.next()
		if !ok {
			return
		}
		m.invoke(msg, system)
	}
	m.mu.Lock()
	if m.system.size == 0 && (m.suspended || m.user.size == 0) {
		m.scheduled = false
		m.mu.Unlock()
		return
	}
	m.mu.Unlock()
	m.dispatcher.Schedule(m.run)
}

func (m *mailbox) invoke(msg any, system bool) {
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
		}
	}()
	if !system {
		m.invoker.InvokeUserMessage(msg)
		return
	}
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
