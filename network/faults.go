package network

import "fmt"

// Faults are hardware faults injected while a network runs, as a board with
// flaky links or a core that dies: the run completes, and provenance and the
// summary say what was lost. Every draw derives from the run's seed, so the
// same seed drops the same packets.
//
//	"faults": {
//	  "drop": [{"link": [x, y, "east"], "fraction": 0.01},   packets sent on a link
//	           {"router": [x, y], "fraction": 0.001}],        packets arriving at a router
//	  "kill": [{"core": [x, y, p], "at_ms": 500}]}            a core stops at a time
type Faults struct {
	Drops []PacketDrop
	Kills []CoreKill
}

// PacketDrop drops a fraction of the multicast packets that leave chip
// (X, Y) on Link, or, when Link is "", of those that arrive at its router.
type PacketDrop struct {
	X, Y     int
	Link     string // a direction of machine.dead_links, or "" for the router
	Fraction float64
	Path     string // JSON path, for the mapping's errors
}

// CoreKill stops core (X, Y, P) at AtMs: from that tick on it runs nothing,
// sends nothing and takes no packets.
type CoreKill struct {
	X, Y, P int
	AtMs    float64
	Path    string
}

// LinkNames are the directions of a chip's six links, in hardware order.
var LinkNames = []string{"east", "north_east", "north", "west", "south_west", "south"}

// faults reads the faults section.
func (c *checker) faults(n *node, path string) *Faults {
	o := c.object(n, path)
	if o == nil {
		return nil
	}
	f := &Faults{}
	if dn := o.get("drop"); dn != nil {
		if items, ok := c.array(dn, o.at("drop")); ok {
			for i, it := range items {
				ip := indexPath(o.at("drop"), i)
				d := c.object(it, ip)
				if d == nil {
					continue
				}
				drop := PacketDrop{Path: ip}
				ln, rn := d.get("link"), d.get("router")
				switch {
				case ln != nil && rn != nil:
					c.add(it, ip, `give "link" or "router", not both`)
				case ln != nil:
					xs, ok := c.array(ln, d.at("link"))
					if ok && len(xs) == 3 {
						x, okx := c.integer(xs[0], indexPath(d.at("link"), 0), 0, maxChipCoord)
						y, oky := c.integer(xs[1], indexPath(d.at("link"), 1), 0, maxChipCoord)
						l, okl := c.enum(xs[2], indexPath(d.at("link"), 2), "unknown link direction", LinkNames...)
						if okx && oky && okl {
							drop.X, drop.Y, drop.Link = int(x), int(y), l
						}
					} else if ok {
						c.add(ln, d.at("link"), `must be [x, y, "direction"]`)
					}
				case rn != nil:
					xs, ok := c.array(rn, d.at("router"))
					if ok && len(xs) == 2 {
						x, okx := c.integer(xs[0], indexPath(d.at("router"), 0), 0, maxChipCoord)
						y, oky := c.integer(xs[1], indexPath(d.at("router"), 1), 0, maxChipCoord)
						if okx && oky {
							drop.X, drop.Y = int(x), int(y)
						}
					} else if ok {
						c.add(rn, d.at("router"), "must be [x, y]")
					}
				default:
					c.add(it, ip, `needs "link": [x, y, "direction"] or "router": [x, y]`)
				}
				drop.Fraction, _ = d.reqNum("fraction", probability)
				d.done()
				f.Drops = append(f.Drops, drop)
			}
		}
	}
	if kn := o.get("kill"); kn != nil {
		if items, ok := c.array(kn, o.at("kill")); ok {
			for i, it := range items {
				ip := indexPath(o.at("kill"), i)
				k := c.object(it, ip)
				if k == nil {
					continue
				}
				kill := CoreKill{Path: ip}
				if cn := k.get("core"); cn != nil {
					xs, ok := c.array(cn, k.at("core"))
					if ok && len(xs) == 3 {
						x, okx := c.integer(xs[0], indexPath(k.at("core"), 0), 0, maxChipCoord)
						y, oky := c.integer(xs[1], indexPath(k.at("core"), 1), 0, maxChipCoord)
						p, okp := c.integer(xs[2], indexPath(k.at("core"), 2), 1, maxCore)
						if okx && oky && okp {
							kill.X, kill.Y, kill.P = int(x), int(y), int(p)
						}
					} else if ok {
						c.add(cn, k.at("core"), "must be [x, y, p]")
					}
				} else {
					k.missing("core")
				}
				kill.AtMs, _ = k.reqNum("at_ms", nonNegative)
				k.done()
				f.Kills = append(f.Kills, kill)
			}
		}
	}
	o.done()
	return f
}

// String names a drop's place.
func (d PacketDrop) String() string {
	if d.Link == "" {
		return fmt.Sprintf("router (%d, %d)", d.X, d.Y)
	}
	return fmt.Sprintf("link %s of chip (%d, %d)", d.Link, d.X, d.Y)
}
