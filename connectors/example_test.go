package connectors_test

import (
	"fmt"

	"github.com/spinnsim/spinnsim/connectors"
	"github.com/spinnsim/spinnsim/network"
)

// Three neurons connected to each other but not to themselves, at a 0.1 ms
// timestep: a 1.25 ms delay is 12.5 ticks, rounded half to even to 12.
func ExampleBuild() {
	c := network.Connector{Type: network.AllToAll, AllowSelf: false}
	syn := network.Synapse{Type: network.StaticSynapse,
		Weight: network.Value{Const: -0.5}, // inhibitory, PyNN's sign: stored as 0.5
		Delay:  network.Value{Const: 1.25}}
	syns, err := connectors.Build(c, syn, 3, 3, true, 0.1, 160, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range syns {
		fmt.Printf("%d→%d w=%v d=%d\n", s.Pre, s.Post, s.Weight, s.DelayTicks)
	}
	fmt.Println("n_conn_max:", connectors.MaxPerPost(c, 3, 3, true))
	// Output:
	// 0→1 w=0.5 d=12
	// 0→2 w=0.5 d=12
	// 1→0 w=0.5 d=12
	// 1→2 w=0.5 d=12
	// 2→0 w=0.5 d=12
	// 2→1 w=0.5 d=12
	// n_conn_max: 3
}

func ExampleBinomPPF() {
	// scipy.stats.binom.ppf(0.9999, 100, 0.1)
	fmt.Println(connectors.BinomPPF(0.9999, 100, 0.1))
	// Output: 23
}
