package kernels

// History is one post neuron's history of post spikes and dopamine events,
// which the deferred STDP rules read when a pre spike of a row onto the
// neuron is processed (reference spynnaker-neuromodulation.md §1.4,
// spynnaker-stdp.md §1.4). Each event keeps its tick, the post trace o and
// the dopamine level D just after it, and whether it is a dopamine event.
//
// Fixed point (T = S411) keeps the chip's record: entry 0 a permanent dummy
// (time 0, o = D = 0), at most HistorySize−1 = 15 real events after it,
// oldest first, and the dopamine kinds as a bit field. When it is full the
// oldest real event is lost (quirks Q2, P6).
//
// Float (T = float64) keeps its events in a log with no capacity: every
// event a synapse has not used yet is kept. The synapse engine calls Forget
// with the earliest window start of any row onto the neuron, which drops
// what no row can read again and keeps memory bounded in steady state. With
// QuirkHistoryCapacity the log keeps the 15 newest events, as the chip does.
//
// Both count the events lost before any pre spike used them: an event is
// used once a synapse's update has taken it in its window, which is the
// case for every event at or before the latest window end (t − d) of any
// synapse onto the neuron, since each synapse's windows tile time.
type History[T S411 | float64] struct {
	// The chip's record (fixed point).
	count   uint32 // entries in use, the dummy included (count_minus_one + 1)
	markers uint32 // bit i: entry i is a dopamine event
	times   [HistorySize]uint32
	d       [HistorySize]T // dopamine trace D
	o       [HistorySize]T // post trace o

	// used is the latest window end of any update that read the history.
	used uint32
	// lost counts the events evicted before any update used them:
	// [0] post spikes, [1] dopamine events.
	lost [2]uint64

	// log is the float arithmetic's record (nil in fixed point, so that the
	// chip's record stays compact).
	log *eventLog
}

// HistoryFixed and HistoryFloat are the histories of the two arithmetics.
type (
	HistoryFixed = History[S411]
	HistoryFloat = History[float64]
)

// NewHistoryFixed returns a history holding only the dummy entry.
func NewHistoryFixed() HistoryFixed { return HistoryFixed{count: 1} }

// NewHistoryFloat returns an empty float history with no capacity.
func NewHistoryFloat() HistoryFloat { return HistoryFloat{count: 1, log: &eventLog{}} }

// NewHistoryFloatQuirks returns an empty float history; with
// QuirkHistoryCapacity it keeps the chip's 15 newest events.
func NewHistoryFloatQuirks(q Quirks) HistoryFloat {
	h := NewHistoryFloat()
	if q.Has(QuirkHistoryCapacity) {
		h.log.capacity = HistorySize - 1
	}
	return h
}

// Len is the number of real events held.
func (h *History[T]) Len() int {
	if h.log != nil {
		return h.log.len()
	}
	return int(h.count) - 1
}

// Lost is the number of post spikes and of dopamine events that were
// evicted before any pre spike's update used them.
func (h *History[T]) Lost() (post, dopamine uint64) { return h.lost[0], h.lost[1] }

// markUsed notes that an update has read every event at or before end.
func (h *History[T]) markUsed(end uint32) {
	if end > h.used {
		h.used = end
	}
}

// push appends an event to the chip's record; when it is full, the oldest
// real event (entry 1) is lost and the markers shift with their entries.
func (h *History[T]) push(t uint32, o, d T, dopamine bool) {
	i := h.count
	if i == HistorySize {
		if h.times[1] > h.used {
			h.lost[h.markers>>1&1]++
		}
		copy(h.times[1:], h.times[2:])
		copy(h.d[1:], h.d[2:])
		copy(h.o[1:], h.o[2:])
		h.markers >>= 1
		i = HistorySize - 1
	} else {
		h.count++
	}
	h.times[i], h.o[i], h.d[i] = t, o, d
	if dopamine {
		h.markers |= 1 << i
	} else {
		h.markers &^= 1 << i
	}
}

// window finds the events of a pre spike's window in the chip's record:
// entries first…stop−1 have raw times in (begin, end]; prev = first−1 is
// the newest entry at or before begin (the dummy, 0, when none is kept).
func (h *History[T]) window(begin, end uint32) (prev, stop uint32) {
	stop = h.count
	i := h.count - 1
	for h.times[i] > end {
		stop = i
		i--
	}
	for h.times[i] > begin {
		i--
	}
	return i, stop
}

// delayedWindow is the window (t_lastpre − d, t − d] of raw history times,
// each end clamped at 0.
func delayedWindow(tlp, t, d uint32) (begin, end uint32) {
	if tlp >= d {
		begin = tlp - d
	}
	if t >= d {
		end = t - d
	}
	return begin, end
}

// event is one entry of the float log.
type event struct {
	t        uint32
	dopamine bool
	o, d     float64
}

// eventLog is the float history: ev[lo:] are the events kept, oldest first.
// The slice grows as events come and is compacted when its dropped head
// becomes as long as what is kept.
type eventLog struct {
	ev       []event
	lo       int
	capacity int // 0: no capacity; else keep this many newest events (Q2)

	// A post spike stamped one tick late (ConventionLatePostStamp) waits
	// here until an event or a window reaches its time.
	pending  bool
	pendingT uint32
}

func (l *eventLog) len() int { return len(l.ev) - l.lo }

// last is the newest event, or the zero event (the chip's dummy) when none.
func (l *eventLog) last() event {
	if len(l.ev) > l.lo {
		return l.ev[len(l.ev)-1]
	}
	return event{}
}

// append adds an event, evicting the oldest beyond the capacity; it reports
// the evicted event.
func (l *eventLog) append(e event) (evicted event, ok bool) {
	if l.ev == nil {
		l.ev = make([]event, 0, 16)
	}
	if l.capacity > 0 && l.len() == l.capacity {
		evicted, ok = l.ev[l.lo], true
		l.lo++
		l.compact()
	}
	l.ev = append(l.ev, e)
	return evicted, ok
}

// compact moves the kept events to the front once the dropped head is as
// long as what is kept.
func (l *eventLog) compact() {
	if l.lo >= 16 && l.lo >= len(l.ev)-l.lo {
		n := copy(l.ev, l.ev[l.lo:])
		l.ev = l.ev[:n]
		l.lo = 0
	}
}

// window finds the kept events with raw times in (begin, end]: ev[prev+1 :
// stop]; prev is the newest kept event at or before begin, valid only when
// prev ≥ lo.
func (l *eventLog) window(begin, end uint32) (prev, stop int) {
	stop = len(l.ev)
	i := stop - 1
	for i >= l.lo && l.ev[i].t > end {
		stop = i
		i--
	}
	for i >= l.lo && l.ev[i].t > begin {
		i--
	}
	return i, stop
}

// Forget drops the float events no update can read again: every event but
// the newest one at or before horizon, the earliest window start (t_lp − d)
// of any synapse onto the neuron. It does nothing to a history with a
// capacity, or in fixed point.
func (h *History[T]) Forget(horizon uint32) {
	l := h.log
	if l == nil || l.capacity > 0 {
		return
	}
	for l.lo+1 < len(l.ev) && l.ev[l.lo+1].t <= horizon {
		l.lo++
	}
	l.compact()
}

// Level is the dopamine level the history holds: D just after its newest
// event (0 when it has none), in s4.11 in fixed point and as a number in float.
func (h *History[T]) Level() T {
	if h.log != nil {
		return T(h.log.last().d)
	}
	return h.d[h.count-1]
}
