// Package actors runs a mapped machine on protoactor-go: one actor per
// application core, one per chip's router and one per chip's SDRAM, and a
// machine actor that owns them and keeps the clock. The actors are thin
// drivers: each Receive decodes a message, calls the pure core or router
// (packages core, router, sim) and forwards what comes back.
//
// The run goes in windows of sim.MaxRunAhead ticks, and each window in
// the stages of sim.Plan, in order: a stage of cores that depend on nothing
// in the window but earlier stages runs the whole window in one phase, each
// core taking the window's ticks one after the other; a lockstep stage
// (cores that depend on one another within a tick) takes a phase per tick.
// A phase, so that no actor sees every message of it:
//
//   - The machine actor sends the phase to the router of every chip that
//     has cores in the stage (one message a chip), having set the count of
//     work in the phase to the number of those chips.
//   - A router first ends the previous tick on the stage's split synapse
//     cores, if it has any, then sends each of the stage's cores on its
//     chip the phase's command: for a tick, with the packets that reached
//     the core in the tick before; for a window, with the core's inbox, from
//     which the core takes each tick's packets before the next tick. Packets
//     for a chip's cores wait at its router, in an inbox per core and tick:
//     there are no delivery messages.
//   - A core runs its ticks, serves its DMA transfers through the chip's
//     SDRAM actor (waiting for a tick's before it runs the next), puts the
//     packets it sent, tick by tick, in the outbox its command brought, and
//     clears its bit of its chip's busy cores (an atomic AND); the core that
//     clears the last bit tells the router (one message a chip), which takes
//     the outboxes back.
//   - A router switches the packets of its cores, tick by tick, and those
//     arriving from its neighbours as they come, sending batches on over
//     the links. The count of work holds one unit per router still busy and
//     one per batch in flight: a router adds the batches it sends before
//     sending them, gives its own unit back when its cores are done and a
//     batch's when it has switched it; whoever brings the count to zero
//     tells the machine, which starts the next phase. After a window's last
//     phase it calls the progress callback for each of the window's ticks
//     and checks for an interruption; after the last window, the finish, in
//     which the cores take the packets of the last tick.
//
// A packet that reached a core after the core had taken its tick's packets
// would be a dependency the plan missed: the run fails, naming the core.
//
// Results do not depend on scheduling, because every core processes what
// it received in a canonical order (package core). Messages are values
// addressed by (chip, core) through a directory; one that carries data
// carries one pointer to a payload its sender owns and does not touch until
// it has been consumed, so that protoactor boxes it without allocating. The
// actors run on a fixed pool of goroutines (Pool) with one queue per worker
// (a chip's actors share one) and stealing, through mailboxes that reuse
// their buffers: a run in steady state allocates nothing.
//
// Limits: the count of work and the chip's busy bits are shared memory
// updated atomically, so the actors must share one address space; remote
// actors would need acknowledgements instead.
package actors
