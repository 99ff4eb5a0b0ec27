package network

import "fmt"

// projInfo is what the cross-projection rules need to know about a projection
// beyond the Projection itself.
type projInfo struct {
	n            *node // the projection object
	path         string
	postOK       bool  // Post names a neuron population
	receptorOK   bool  // Receptor is valid
	receptorNode *node // nil when receptor_type is left to its default
	postNode     *node
	syn          synInfo
}

// projections checks the projection list, then the rules that tie projections
// together (labels, receptors and neuromodulation).
func (c *checker) projections(items []*node, path string, pops []Population, popInfos []popInfo, h float64) []Projection {
	byLabel := make(map[string]int, len(pops)) // first population with each label
	for i := range pops {
		if _, dup := byLabel[pops[i].Label]; popInfos[i].labelOK && !dup {
			byLabel[pops[i].Label] = i
		}
	}
	projs := make([]Projection, len(items))
	infos := make([]projInfo, len(items))
	first := make(map[string]int, len(items)) // label → first projection using it
	for i, n := range items {
		ip := indexPath(path, i)
		var labelNode *node
		projs[i], infos[i], labelNode = c.projection(n, ip, pops, popInfos, byLabel, h)
		label := projs[i].Label
		if label == "" {
			continue // invalid, or no default for lack of pre/post
		}
		if j, dup := first[label]; dup {
			if labelNode != nil {
				c.add(labelNode, keyPath(ip, "label"), "duplicate label %q (also %s)", label, indexPath(path, j))
			} else {
				c.add(n, keyPath(ip, "label"), "is required here: the default label %q is taken by %s", label, indexPath(path, j))
			}
			continue
		}
		first[label] = i
	}
	c.neuromodulationRules(projs, infos)
	c.structuralRules(projs, infos, pops, byLabel)
	return projs
}

// projection checks one projection. A projection without a label gets
// "<pre>-><post>". It returns the label's node, nil when defaulted.
func (c *checker) projection(n *node, path string, pops []Population, popInfos []popInfo, byLabel map[string]int, h float64) (Projection, projInfo, *node) {
	var p Projection
	info := projInfo{n: n, path: path}
	o := c.object(n, path)
	if o == nil {
		return p, info, nil
	}
	x := &projCtx{h: h}

	// pre and post name populations; post must have neurons to take input.
	ref := func(key string) (string, *Population, *node) {
		rn := o.get(key)
		if rn == nil {
			o.missing(key)
			return "", nil, nil
		}
		label, ok := c.str(rn, o.at(key))
		if !ok {
			return "", nil, rn
		}
		i, found := byLabel[label]
		if !found {
			c.add(rn, o.at(key), "no population is labelled %q", label)
			return label, nil, rn
		}
		if !popInfos[i].sizeOK || !popInfos[i].typeOK {
			return label, nil, rn // its own problems are reported; skip checks that need it
		}
		return label, &pops[i], rn
	}
	p.Pre, x.pre, _ = ref("pre")
	p.Post, x.post, info.postNode = ref("post")
	x.samePop = x.pre != nil && x.pre == x.post
	if x.post != nil && x.post.IsSource() {
		c.add(info.postNode, o.at("post"), "must be a neuron population: %q is a %s, which takes no input", p.Post, x.post.CellType)
		x.post = nil
	} else {
		info.postOK = x.post != nil
	}

	info.receptorNode = o.get("receptor_type")
	p.Receptor, info.receptorOK = o.enum("receptor_type", Excitatory, "unknown receptor type", Excitatory, Inhibitory, Reward, Punishment)
	x.receptor = p.Receptor

	p.Synapse, info.syn = c.synapse(o.get("synapse"), o.at("synapse"), x) // sets x.synType

	if cn := o.get("connector"); cn != nil {
		p.Connector = c.connector(cn, o.at("connector"), x)
		if r := p.Synapse.Structural; r != nil && r.SMax >= 1 {
			c.checkInitialFanIn(cn, o.at("connector"), p.Connector, x, r.SMax)
		}
	} else {
		o.missing("connector")
	}

	if rn := o.get("record"); rn != nil {
		if items, ok := c.array(rn, o.at("record")); ok {
			for i, it := range items {
				if _, ok := c.enum(it, indexPath(o.at("record"), i), "unknown variable", RecordWeight); ok {
					p.RecordWeight = true
				}
			}
		}
	}

	if tn := o.get("trace"); tn != nil {
		p.Trace = c.trace(tn, o.at("trace"), x, &p.Synapse, info.syn.typeOK)
	}

	ln := o.get("label")
	switch {
	case ln != nil:
		p.Label, _ = c.str(ln, o.at("label"))
		if ln.kind == kindString && p.Label == "" {
			c.add(ln, o.at("label"), "must not be empty")
		}
	case p.Pre != "" && p.Post != "":
		p.Label = p.Pre + "->" + p.Post
	}
	o.done()
	return p, info, ln
}

// connector checks a connector. allow_self_connections defaults to true
// (PyNN) and, as the spec says, is taken only by the connectors that draw
// pairs and only where pre and post are the same population: anywhere else it
// would mean nothing, so writing it there is an error.
func (c *checker) connector(n *node, path string, x *projCtx) Connector {
	conn := Connector{AllowSelf: true}
	o := c.object(n, path)
	if o == nil {
		return conn
	}
	t, ok := o.reqEnum("type", "unknown connector type",
		AllToAll, OneToOne, FixedProbability, FixedNumberPre, FixedNumberPost, FixedTotalNumber, FromList)
	if !ok {
		o.ignoreRest()
		return conn
	}
	conn.Type = t
	sizesOK := x.pre != nil && x.post != nil

	selfOK := true
	if an := o.get("allow_self_connections"); an != nil {
		switch {
		case t == OneToOne || t == FromList:
			c.add(an, o.at("allow_self_connections"), "%s takes no allow_self_connections", t)
		case sizesOK && !x.samePop:
			c.add(an, o.at("allow_self_connections"), "applies only when pre and post are the same population")
		default:
			conn.AllowSelf, selfOK = o.boolean("allow_self_connections", true)
		}
	}

	switch t {
	case OneToOne:
		// Populations of different sizes connect their first
		// min(n_pre, n_post) neurons pairwise, as PyNN does.
	case FixedProbability:
		conn.PConnect, _ = o.reqNum("p_connect", probability)
	case FixedNumberPre, FixedNumberPost, FixedTotalNumber:
		var nOK, rOK bool
		conn.N, nOK = o.reqInteger("n", 0, maxCount)
		conn.WithReplacement, rOK = o.boolean("with_replacement", false)
		if sizesOK && nOK && rOK && selfOK {
			c.checkDraws(o, conn, x)
		}
	case FromList:
		if ln := o.get("conn_list"); ln != nil {
			conn.List = c.connList(ln, o.at("conn_list"), x)
		} else {
			o.missing("conn_list")
		}
	}
	o.done()
	return conn
}

// checkDraws checks that a FixedNumber or FixedTotalNumber connector has
// enough candidates: without replacement n may not exceed them (PyNN and
// sPyNNaker raise), and with replacement there must be at least one.
func (c *checker) checkDraws(o *object, conn Connector, x *projCtx) {
	self := 0 // candidates lost to allow_self_connections: false
	if x.samePop && !conn.AllowSelf {
		self = 1
	}
	var pool int64
	var what string
	switch conn.Type {
	case FixedNumberPre:
		pool = int64(x.pre.Size - self)
		what = fmt.Sprintf("pre neurons for each post neuron in %q", x.pre.Label)
	case FixedNumberPost:
		pool = int64(x.post.Size - self)
		what = fmt.Sprintf("post neurons for each pre neuron in %q", x.post.Label)
	default:
		pool = int64(x.pre.Size)*int64(x.post.Size) - int64(self*x.pre.Size)
		what = "(pre, post) pairs"
	}
	n := int64(conn.N)
	switch {
	case n > 0 && pool == 0:
		c.add(o.place("n"), o.at("n"), "is %d but there are no %s to draw from", n, what)
	case n > pool && !conn.WithReplacement:
		c.add(o.place("n"), o.at("n"), "is more than the %d %s (with_replacement is false)", pool, what)
	}
}

// connList reads a FromListConnector's rows: [pre, post] or [pre, post,
// weight, delay]. A row's weight is a magnitude like the synapse's; its delay
// obeys the same rules.
func (c *checker) connList(n *node, path string, x *projCtx) []ListEntry {
	rows, ok := c.array(n, path)
	if !ok {
		return nil
	}
	list := make([]ListEntry, 0, len(rows))
	for i, r := range rows {
		rp := indexPath(path, i)
		cells, ok := c.array(r, rp)
		if !ok {
			continue
		}
		if len(cells) != 2 && len(cells) != 4 {
			c.add(r, rp, "must be [pre, post] or [pre, post, weight, delay], not %d numbers", len(cells))
			continue
		}
		var e ListEntry
		var preOK, postOK bool
		e.Pre, preOK = c.index(cells[0], indexPath(rp, 0), x.pre)
		e.Post, postOK = c.index(cells[1], indexPath(rp, 1), x.post)
		rowOK := preOK && postOK
		if len(cells) == 4 {
			wp, dp := indexPath(rp, 2), indexPath(rp, 3)
			w, wOK := c.number(cells[2], wp)
			if wOK {
				w, wOK = c.magnitude(cells[2], wp, w, x.receptor)
			}
			d, dOK := c.number(cells[3], dp)
			if dOK {
				dOK = c.checkDelay(cells[3], dp, d, x)
			}
			e.Weight, e.Delay = &w, &d
			rowOK = rowOK && wOK && dOK
		}
		if rowOK {
			list = append(list, e)
		}
	}
	return list
}

// index reads a neuron index into pop (nil: the population is unknown, only
// the integer is checked).
func (c *checker) index(n *node, path string, pop *Population) (int, bool) {
	v, ok := c.integer(n, path, 0, maxCount)
	if ok && pop != nil && v >= int64(pop.Size) {
		c.add(n, path, "is out of range: %q has %d neurons", pop.Label, pop.Size)
		ok = false
	}
	return int(v), ok
}
