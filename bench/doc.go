// Package bench holds spinnsim's whole-machine and inner-loop benchmarks.
//
//	go test -run '^$' -bench . -benchtime 3s ./bench
//
// BenchmarkSTDPDopamineRows measures the neuromodulated STDP row update of a
// combined neuron+synapse core under a steady load (every post neuron fires
// and receives dopamine, so each synapse's window holds events) and reports
// synaptic events per second per host core. BenchmarkTenPops runs the guide's
// ten-population example through each driver and reports how much faster
// than real time it runs.
//
// Beside the Go code: compare.sh runs spinnsim and Brian2 on the same
// network file, with brian2_dense.py (plastic networks of the dense family)
// or brian2_static.py (static networks such as the cortical microcircuit)
// as the Brian2 side. README.md here has how to run everything and the
// figures.
package bench
