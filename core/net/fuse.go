// Planning before a run: outputs folded into post updates, quiet inputs,
// Mg²⁺ block caches and presynaptic state shared between projections,
// constant inputs absorbed into the update.

package net

import (
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// fuse lets post groups fold the output of projections that come after
// them in the step order, when no other node and no input writes their V
// (see sim.Channel for why this gives the same numbers).
func (nw *Network) fuse(inputs []*Input) {
	pos := map[sim.Node]int{}
	for i, n := range nw.nodes {
		pos[n] = i
		if h, ok := n.(sim.ChannelHost); ok {
			h.ClearChannels()
		}
	}
	writesV := map[sim.Node]bool{}
	for _, n := range nw.nodes {
		if w, ok := n.(sim.VWriter); ok {
			for _, g := range w.WritesV() {
				writesV[g] = true
			}
		}
	}
	for _, in := range inputs {
		if in.Var == "V" {
			writesV[nw.nodes[in.Node]] = true
		}
	}
	nw.shareMg(pos, writesV)
	nw.shareState()
	type chanKey struct {
		g           sim.Node
		decay, e    float64
		conductance bool
	}
	merged := map[chanKey]*sim.Channel{}
	for i, n := range nw.nodes {
		f, ok := n.(sim.Fusable)
		if !ok {
			continue
		}
		f.SetFused(false)
		if nw.NoFuse {
			continue
		}
		f.AddInto(nil)
		ch, post := f.Channel()
		if ch == nil {
			continue
		}
		host, ok := post.(sim.ChannelHost)
		j, in := pos[post]
		if !ok || !in || j > i || writesV[post] {
			continue
		}
		f.SetFused(true)
		k := chanKey{post, ch.Decay, ch.E, ch.Conductance}
		if first, seen := merged[k]; seen {
			f.AddInto(first.S)
			continue
		}
		merged[k] = ch
		host.AddChannel(ch)
	}
	nw.absorbInputs()
	nw.quietInputs()
}

// quietInputs tells each group that can use it whether anything but its
// own update writes its input during the run: no input that the group did
// not absorb, and no node that adds to it. A node that is neither a group
// nor says what it writes might write anything.
func (nw *Network) quietInputs() {
	written, rates := map[sim.Node]bool{}, map[sim.Node]bool{}
	unknown := nw.NoFuse
	for k, n := range nw.nodes {
		for _, in := range nw.inputs[k] {
			if in.Var == "input" && !in.absorbed {
				written[n] = true
			}
			rates[n] = rates[n] || in.Var == "freqs"
		}
		switch w := n.(type) {
		case sim.InputWriter:
			for _, g := range w.WritesInput() {
				written[g] = true
			}
		case sim.Group:
		default:
			unknown = true
		}
	}
	nw.setQuiet(func(n sim.Node) bool { return !unknown && !written[n] },
		func(n sim.Node) bool { return !unknown && !rates[n] })
}

// setQuiet tells each group that can stop reading its input whether it
// may, and each generator whether its rates stay fixed during the run.
func (nw *Network) setQuiet(quiet, fixed func(sim.Node) bool) {
	for _, n := range nw.nodes {
		if q, ok := n.(interface{ SetQuietInput(bool) }); ok {
			q.SetQuietInput(quiet(n))
		}
		if r, ok := n.(interface{ SetFixedRates(bool) }); ok {
			r.SetFixedRates(fixed(n))
		}
	}
}

// mgSharer is an NMDA-like projection whose voltage block can be computed
// once per post group and step.
type mgSharer interface {
	MgKey() (sim.Group, [3]float64, bool)
	SetMgCache(*synapse.MgCache)
}

// shareMg gives projections onto the same post group one block cache when
// they see the same V: all of them come before the group's update, or all
// after it, and nothing else writes the group's V.
func (nw *Network) shareMg(pos map[sim.Node]int, writesV map[sim.Node]bool) {
	type key struct {
		g     sim.Group
		p     [3]float64
		after bool
	}
	caches := map[key]*synapse.MgCache{}
	for i, n := range nw.nodes {
		m, ok := n.(mgSharer)
		if !ok {
			continue
		}
		g, p, use := m.MgKey()
		j, in := pos[g]
		if !use || nw.NoFuse || !in || writesV[g] {
			m.SetMgCache(nil)
			continue
		}
		k := key{g, p, i > j}
		if caches[k] == nil {
			caches[k] = &synapse.MgCache{}
		}
		c := caches[k]
		c.Reset()
		m.SetMgCache(c)
	}
}

// shareState lets PerPre projections with the same presynaptic group,
// kinetics and delay read the state of the first of them (each would
// compute the same numbers).
func (nw *Network) shareState() {
	owners := map[any]*synapse.Chem{}
	for _, n := range nw.nodes {
		c, ok := n.(*synapse.Chem)
		if !ok {
			continue
		}
		k, ok := c.ShareKey()
		if !ok || nw.NoFuse {
			c.SetOwner(nil)
			continue
		}
		if o, seen := owners[k]; seen {
			c.SetOwner(o)
		} else {
			owners[k] = c
			c.SetOwner(nil)
		}
	}
}

// absorbInputs lets a group add a constant current inside its own update
// when that is the only input to its input variable (one pass less per
// step, same numbers).
func (nw *Network) absorbInputs() {
	for k, ins := range nw.inputs {
		for _, in := range ins {
			in.absorbed = false
		}
		taker, ok := nw.nodes[k].(interface{ TakeConstantInput(float64) bool })
		if !ok || nw.NoFuse {
			continue
		}
		var only *Input
		n := 0
		for _, in := range ins {
			if in.Var == "input" {
				only = in
				n++
			}
		}
		if n == 1 && only.Op == '+' && !only.Iter && only.Width == 1 && taker.TakeConstantInput(only.Data[0]) {
			only.absorbed = true
		}
	}
}
