// Package actors runs a mapped machine on protoactor-go: one actor per
// application core, one per chip router, and a machine actor that owns them
// and keeps the clock. The actors are thin drivers: each Receive decodes a
// message, calls the pure core or router (packages core, router, sim) and
// forwards what comes back. They run on a fixed pool of goroutines (Pool),
// which costs far less per message than a goroutine per actor.
//
// A tick: the machine actor sends Tick to every core actor; a core runs its
// tick and sends its packets as one batch to its chip's router actor; a
// router switches a batch and sends the resulting batches on to neighbouring
// routers and to its cores. The machine actor knows the tick is over when
// every core has ticked and every batch has been consumed: each actor reports
// the batches it creates to the machine actor before sending them, and the
// batch it consumed, so the count of batches in flight is never
// under-estimated. Results do not depend on scheduling, because every core
// processes what it received in a canonical order (package core).
//
// Limits: the batch accounting relies on a local actor system's mailboxes
// (a report sent before a batch is enqueued before that batch's consumption
// is reported); remote actors will need acknowledgements.
package actors
