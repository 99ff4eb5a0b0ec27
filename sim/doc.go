// Package sim runs a mapped machine. It holds what every driver shares — the
// fabric that carries a core's packets through the routers to other cores,
// and the read-back of results — and the sequential driver, which runs the
// whole machine on one goroutine. The protoactor driver (package actors)
// runs the same cores and routers as actors; for the same network and seed
// both give identical outputs.
//
// One tick, whatever the driver: every core runs its timer tick (having first
// processed the packets that reached it in the previous tick); the packets
// sent are carried hop by hop through the routers until every copy has
// reached its target cores or been dropped. The sequential driver starts
// the next tick only when the machine is quiet; the actor driver lets a core
// run ahead of the others as far as Plan allows (a window of MaxRunAhead
// ticks at most), never before the packets of its previous tick have all
// arrived, so each core sees the same events in the same order either way.
// Packets take no simulated time to cross the machine: on SpiNNaker a hop
// takes well under a microsecond of a 1 ms tick.
package sim
