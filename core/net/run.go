// The run loop: Begin prepares a run, Run/RunFor/StepRange advance it step
// by step, End finishes it.

package net

import (
	"fmt"
	"math"
	"time"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Begin prepares a run of nsteps steps of dt from start, with the inputs
// and monitors given. Monitor buffers come from a.
func (nw *Network) Begin(a sim.Alloc, nsteps int, dt, start float64, threads int, inputs []*Input, mons []*Monitor) error {
	if nsteps < 0 {
		return sim.Errorf("the number of steps must be >= 0, got %d", nsteps)
	}
	if err := sim.CheckPositive("dt", dt); err != nil {
		return err
	}
	if err := sim.CheckFinite("start time", start); err != nil {
		return err
	}
	for i := range nw.inputs {
		nw.inputs[i], nw.mons[i] = nil, nil
	}
	for _, in := range inputs {
		if err := nw.CheckInput(in, nsteps); err != nil {
			return err
		}
		nw.inputs[in.Node] = append(nw.inputs[in.Node], in)
	}
	c := &nw.clock
	switch {
	case !nw.ran:
		c.AbsOrigin, c.AbsSteps = start, 0
	case c.Dt != 0 && dt != c.Dt:
		// A new dt: the continued axis restarts its step count where the
		// previous runs ended.
		c.AbsOrigin += float64(c.AbsSteps) * c.Dt
		c.AbsSteps = 0
	}
	c.Dt, c.Start = dt, start
	for i, n := range nw.nodes {
		if err := n.Prepare(&nw.clock); err != nil {
			return fmt.Errorf("%s: %w", nw.names[i], err)
		}
	}
	nw.fuse(inputs)
	for _, m := range mons {
		if m.Node < 0 || m.Node >= len(nw.nodes) {
			return sim.ErrorClassf("IndexError", "monitor target %d is not in the network", m.Node)
		}
		if err := m.prepare(nw, a, nsteps); err != nil {
			return err
		}
		nw.mons[m.Node] = append(nw.mons[m.Node], m)
	}
	nw.group()
	if nw.pool == nil || nw.pool.Threads() != threads {
		nw.pool.Close()
		nw.pool = sim.NewPool(threads)
	}
	nw.clock.Pool = nw.pool
	nw.owner = nw.planOwner()
	nw.nsteps, nw.pos, nw.open = nsteps, 0, true
	nw.tuned, nw.way, nw.stepped, nw.joined = false, oneThread, false, 0
	for w := range nw.timing.ratios {
		nw.timing.ratios[w] = nw.timing.ratios[w][:0]
	}
	nw.timing.spent, nw.timing.window, nw.timing.noSplit, nw.timing.step = 0, 0, false, 0
	nw.stop.Store(false)
	nw.nanErr = nil
	return nil
}

// Pos is the next step of the current run.
func (nw *Network) Pos() int { return nw.pos }

// Run advances the current run up to step upTo (exclusive). It returns
// early, without error, if Stop was called.
func (nw *Network) Run(upTo int) error { return nw.RunFor(upTo, 0) }

// RunFor is Run that also returns, without error, after the first step
// that ends more than budget after the call (budget <= 0: no limit). A
// caller that must react in time (Ctrl-C, a progress bar) asks for a
// budget instead of guessing how many steps fit in it.
func (nw *Network) RunFor(upTo int, budget time.Duration) error {
	nw.deadline = time.Time{}
	if budget > 0 {
		nw.deadline = time.Now().Add(budget)
	}
	if !nw.open {
		return sim.ErrorClassf("RuntimeError", "no run in progress")
	}
	if upTo > nw.nsteps {
		upTo = nw.nsteps
	}
	if nw.pool.Threads() > 1 && !nw.tuned && !sim.AlwaysSplit {
		if err := nw.tune(upTo); err != nil {
			return err
		}
	}
	switch {
	case nw.pool.Threads() == 1:
		nw.way = oneThread
	case sim.AlwaysSplit && sim.AlwaysOwner && nw.owner != nil:
		nw.way = owner
	case sim.AlwaysSplit && sim.AlwaysTogether:
		nw.way = together
	case sim.AlwaysSplit || !nw.tuned:
		// Steps left over while the ways are still being timed split.
		nw.way = splitLoops
	}
	nw.setWay(nw.way)
	return nw.steps(upTo)
}

// StepRange runs step i for nodes [from, to) only; a caller that steps some
// nodes itself (Python models) uses it and then calls Advance. Such a
// caller may write inputs between calls, so from the first call on every
// group reads its input each step.
func (nw *Network) StepRange(i, from, to int) error {
	if from < 0 || to > len(nw.nodes) || from > to {
		return sim.ErrorClassf("IndexError", "node range [%d, %d) is outside the network's %d objects", from, to, len(nw.nodes))
	}
	if i < 0 || i >= nw.nsteps {
		return sim.ErrorClassf("IndexError", "step %d is outside the run of %d steps", i, nw.nsteps)
	}
	if !nw.stepped {
		nw.stepped = true
		nothing := func(sim.Node) bool { return false }
		nw.setQuiet(nothing, nothing)
	}
	return nw.step(i, from, to)
}

// step runs step i for nodes [from, to), within bounds StepRange checks.
func (nw *Network) step(i, from, to int) error {
	c := &nw.clock
	c.At(i)
	for k := from; k < to; k++ {
		if e := nw.together[k]; e <= to && nw.concurrent(k) {
			nw.updateTogether(k)
			k = e - 1
			continue
		}
		for _, in := range nw.inputs[k] {
			if !in.absorbed {
				in.apply(i)
			}
		}
		nw.nodes[k].Update(c)
		if nw.CheckNaN {
			if err := nw.checkNaN(k, i); err != nil {
				return err
			}
		}
		for _, m := range nw.mons[k] {
			if err := m.record(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// Advance sets the next step after a caller-driven step.
func (nw *Network) Advance(i int) { nw.pos = i }

func (nw *Network) checkNaN(k, i int) error {
	for name, v := range nw.nodes[k].Vars() {
		for j, x := range v.F64 {
			if math.IsNaN(x) {
				return sim.ErrorClassf("FloatingPointError", "NaN in %s.%s[%d] at step %d (t = %g ms)", nw.names[k], name, j, i, nw.clock.T)
			}
		}
	}
	return nil
}

// End closes the run: mirrors are refreshed and the step counter advanced
// by the steps computed.
func (nw *Network) End() {
	if !nw.open {
		return
	}
	for _, n := range nw.nodes {
		if g, ok := n.(sim.Gatherer); ok {
			g.SyncMirrors()
		}
	}
	nw.clock.Base += uint64(nw.pos)
	nw.ran = true
	nw.clock.AbsSteps += uint64(nw.pos)
	nw.open = false
}
