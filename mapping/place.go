package mapping

import (
	"fmt"

	"github.com/spinnsim/spinnsim/machine"
	"github.com/spinnsim/spinnsim/network"
)

// machineSize is a machine to try: a board type and a count.
type machineSize struct {
	board  string
	boards int
}

// candidates lists the machines to try, smallest first: the one the file
// asks for, or a SpiNN-3, one SpiNN-5 and then every count of SpiNN-5
// boards that can be built and has the cores (placement may need more, for
// SDRAM), up to the whole machine.
func candidates(net *network.Network, cores int) []machineSize {
	if net.Machine.Board != "" {
		return []machineSize{{net.Machine.Board, max(net.Machine.Boards, 1)}}
	}
	c := []machineSize{{network.BoardSpiNN3, 1}, {network.BoardSpiNN5, 1}}
	per := 48 * len(machine.AppCores())
	for b := 3; b <= machine.MaxBoards; b++ {
		if machine.BuildableBoards(b) && b*per >= cores {
			c = append(c, machineSize{network.BoardSpiNN5, b})
		}
	}
	return c
}

// newMachine builds a machine and kills the file's dead chips, cores and
// links; a fault that names no part of the machine is an error at its
// place in the file.
func newMachine(net *network.Network, size machineSize) (*machine.Machine, error) {
	mc, err := machine.New(size.board, size.boards)
	if err != nil {
		return nil, errAt("machine", "%v", err)
	}
	var ps problems
	where := fmt.Sprintf("a %s machine of %d board(s)", mc.Board, mc.Boards)
	spec := net.Machine
	for i, c := range spec.DeadChips {
		if err := mc.KillChip(machine.XY{X: c.X, Y: c.Y}); err != nil {
			ps.add("fault", fmt.Sprintf("machine.dead_chips[%d]", i), "chip (%d,%d) is not on %s", c.X, c.Y, where)
		}
	}
	for i, c := range spec.DeadCores {
		xy := machine.XY{X: c.X, Y: c.Y}
		if !mc.HasChip(xy) {
			ps.add("fault", fmt.Sprintf("machine.dead_cores[%d]", i), "chip (%d,%d) is not on %s (or is dead)", c.X, c.Y, where)
			continue
		}
		if err := mc.KillCore(xy, c.P); err != nil {
			ps.add("fault", fmt.Sprintf("machine.dead_cores[%d]", i), "%v", err)
		}
	}
	for i, l := range spec.DeadLinks {
		xy := machine.XY{X: l.X, Y: l.Y}
		if !mc.HasChip(xy) {
			ps.add("fault", fmt.Sprintf("machine.dead_links[%d]", i), "chip (%d,%d) is not on %s (or is dead)", l.X, l.Y, where)
			continue
		}
		if err := mc.KillLink(xy, machine.Link(l.Link)); err != nil {
			ps.add("fault", fmt.Sprintf("machine.dead_links[%d]", i), "the %s link of chip (%d,%d) leads off %s",
				network.LinkNames[l.Link], l.X, l.Y, where)
		}
	}
	return mc, ps.err()
}

// chipState is what is left of a chip during placement.
type chipState struct {
	free  []int // free application cores, ascending
	sdram int64
}

// take removes n free cores (the lowest, or p first when p > 0) and the
// SDRAM; ok is false when the chip cannot hold them.
func (c *chipState) take(n, p int, sdram int64) ([]int, bool) {
	if len(c.free) < n || c.sdram < sdram {
		return nil, false
	}
	var got []int
	if p > 0 {
		i := -1
		for j, q := range c.free {
			if q == p {
				i = j
			}
		}
		if i < 0 {
			return nil, false
		}
		got = append(got, p)
		c.free = append(c.free[:i:i], c.free[i+1:]...)
	}
	for len(got) < n {
		got = append(got, c.free[0])
		c.free = c.free[1:]
	}
	c.sdram -= sdram
	return got, true
}

// place puts every slice on cores of one chip (Slice.Cores: its own, its
// synapse cores, the Poisson sources merged into it and its delay
// extension): pinned populations first, then the rest in file order, filling
// chips in (x, y) order and their live application cores in order, never
// beyond a chip's SDRAM. Dead chips and cores are never used.
func place(net *network.Network, mc *machine.Machine, all [][]*Slice) error {
	chips := mc.Chips()
	state := make(map[machine.XY]*chipState, len(chips))
	get := func(c machine.XY) *chipState {
		s := state[c]
		if s == nil {
			s = &chipState{free: mc.AppCoresOf(c), sdram: SDRAMPerChip}
			state[c] = s
		}
		return s
	}
	put := func(s *Slice, c machine.XY, ps []int) {
		s.Chip, s.P = c, ps[0]
		for i := range s.SynCores {
			s.SynCores[i].P = ps[1+i]
		}
		for i, d := range s.Direct {
			d.Chip, d.P = c, ps[1+len(s.SynCores)+i]
		}
		if s.Delay != nil {
			s.Delay.Chip, s.Delay.P = c, ps[len(ps)-1]
		}
	}
	var ps problems
	for pi, ss := range all {
		pl := net.Populations[pi].Placement
		if pl == nil {
			continue
		}
		c := machine.XY{X: pl.X, Y: pl.Y}
		path := fmt.Sprintf("populations[%d].placement", pi)
		if !mc.HasChip(c) {
			ps.add("placement", path, "chip %v is not on a %s machine of %d board(s) (or is dead)", c, mc.Board, mc.Boards)
			continue
		}
		label := net.Populations[pi].Label
		for _, s := range ss {
			want := 0
			if pl.HasP {
				want = pl.P
				if len(ss) > 1 {
					want = -1
				}
			}
			var got []int
			ok := want >= 0
			if ok {
				got, ok = get(c).take(s.Cores(), want, s.Est.SDRAM)
			}
			if !ok {
				switch {
				case pl.HasP:
					ps.add("placement", path, "core %d of chip %v is not free for %s (%d core(s) needed)", pl.P, c, label, len(ss)*s.Cores())
				case get(c).sdram < s.Est.SDRAM:
					ps.add("placement", path, "chip %v has too little SDRAM left for %s (%.4g MB needed)", c, label, float64(s.Est.SDRAM)/1e6)
				default:
					ps.add("placement", path, "chip %v has no free core left for %s", c, label)
				}
				break
			}
			put(s, c, got)
		}
	}
	if err := ps.err(); err != nil {
		return err
	}
	ci := 0
	for popi, ss := range all {
		if net.Populations[popi].Placement != nil {
			continue
		}
		for _, s := range ss {
			if s.Into != nil {
				continue // placed with the slice it feeds
			}
			for {
				if ci == len(chips) {
					return placeError(net, mc, all)
				}
				if got, ok := get(chips[ci]).take(s.Cores(), 0, s.Est.SDRAM); ok {
					put(s, chips[ci], got)
					break
				}
				ci++
			}
		}
	}
	return nil
}

// placeError says what the network needs against what the machine has.
func placeError(net *network.Network, mc *machine.Machine, all [][]*Slice) error {
	cores, sdram := 0, int64(0)
	for _, ss := range all {
		for _, s := range ss {
			if s.Into == nil {
				cores += s.Cores()
				sdram += s.Est.SDRAM
			}
		}
	}
	free := 0
	for _, c := range mc.Chips() {
		free += len(mc.AppCoresOf(c))
	}
	return errAt("populations", "the network needs %d cores and %.4g MB of SDRAM, more than a %s machine of %d board(s) holds (%d live chips, %d live application cores, %.4g MB of SDRAM a chip)",
		cores, float64(sdram)/1e6, mc.Board, mc.Boards, mc.NumChips(), free, float64(SDRAMPerChip)/1e6)
}
