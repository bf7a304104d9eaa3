// The owner way: each thread owns an even share of the neurons of every
// group and, every step, delivers the previous step's spikes into its
// share and updates it, with one barrier a step. No loop is handed out
// and no thread waits for serial work: the ways that split loops pay
// several hand-outs a step, too many for a step of a few microseconds.

package net

import (
	"sync/atomic"
	"time"

	"github.com/brainsyn/brainsyn/core/sim"
)

// ownerPlan is how a network runs in the owner way: its groups come first
// in the step and every projection after them only adds into a group's
// folded channel (sim.Puller).
type ownerPlan struct {
	groups []sim.ShareGroup
	node   []int // node index of each group
	// bounds[g][k:k+2] is thread k's range of group g
	bounds [][]int
	projs  []sim.Puller
	pre    []int // group index of each projection's pre group
	post   []int
	// parts[s&1][g][k]: spikes of group g in thread k's range at step s
	parts [2][]sim.Parts
	bar   *sim.Barrier
	// next is the step whose spikes are joined and recorded next (see
	// ownerRun); err is a monitor's error.
	next atomic.Int64
	err  error
	bal  balance
}

// balance moves the threads' ranges so that their work takes the same
// time: a thread that also delivers into a second group reads more rows
// per spike, and machines differ. Where the ranges are cut changes no
// number, only who computes it.
type balance struct {
	total  int           // neurons of all groups
	cuts   []int         // thread k owns [cuts[k], cuts[k+1]) of the groups end to end
	busy   []lane        // per thread: sampled time delivering and updating
	chunks int           // chunks run since the plan was made
	spent  time.Duration // in the owner way, and in moving the ranges
	moving time.Duration
}

// lane is one thread's busy time, on a cache line of its own.
type lane struct {
	ns int64
	_  [56]byte
}

// ownerChunk is the most steps one hand-out to the team runs: between
// chunks the caller checks Stop and its deadline.
const ownerChunk = 64

// planOwner makes the owner plan of this run, or nil where the way does
// not apply: fewer than two threads, fewer than MinParallel/4 neurons per
// thread, a check for NaN after each node, a node that is not a share
// group or a pulled projection, a projection before a group, an input the
// groups do not take in their update, or a monitor other than a group's
// spike events.
func (nw *Network) planOwner() *ownerPlan {
	T := nw.pool.Threads()
	if T < 2 || nw.CheckNaN {
		return nil
	}
	pl := &ownerPlan{}
	index := map[sim.Node]int{}
	total := 0
	for k, n := range nw.nodes {
		for _, in := range nw.inputs[k] {
			if !in.absorbed {
				return nil
			}
		}
		if g, ok := n.(sim.ShareGroup); ok {
			if len(pl.projs) > 0 {
				return nil
			}
			for _, m := range nw.mons[k] {
				if !m.Events || m.Var != "spike" {
					return nil
				}
			}
			index[n] = len(pl.groups)
			pl.groups, pl.node = append(pl.groups, g), append(pl.node, k)
			total += g.Size()
			continue
		}
		p, ok := n.(sim.Puller)
		if !ok || !p.CanPull() || len(nw.mons[k]) > 0 {
			return nil
		}
		pre, post := p.Ends()
		i, okPre := index[pre]
		j, okPost := index[post]
		if !okPre || !okPost {
			return nil
		}
		pl.projs, pl.pre, pl.post = append(pl.projs, p), append(pl.pre, i), append(pl.post, j)
	}
	if len(pl.groups) == 0 || total < T*sim.MinParallel/4 {
		return nil
	}
	// Thread k starts with neurons [k·total/T, (k+1)·total/T) of the
	// groups laid end to end, or where the last run's balance left it
	// (the rows' cut positions are then still valid).
	pl.bal.total = total
	pl.bal.busy = make([]lane, T)
	pl.bal.cuts = make([]int, T+1)
	for k := range pl.bal.cuts {
		pl.bal.cuts[k] = align(k*total/T, total)
	}
	if last := nw.owner; last != nil && last.bal.total == total && len(last.bal.cuts) == T+1 {
		copy(pl.bal.cuts, last.bal.cuts)
	}
	pl.setBounds()
	for s := range pl.parts {
		pl.parts[s] = make([]sim.Parts, len(pl.groups))
		for g := range pl.parts[s] {
			pl.parts[s][g] = make(sim.Parts, T)
		}
	}
	pl.bar = sim.NewBarrier(nw.pool)
	return pl
}

// align cuts at a multiple of 64 neurons: no two threads write one cache
// line of a byte array, and the vector kernels get whole vectors.
func align(x, total int) int { return min((x+32)&^63, total) }

// setBounds cuts each group at the threads' cuts and readies the
// projections for the ranges of their post groups.
func (pl *ownerPlan) setBounds() {
	T := len(pl.bal.cuts) - 1
	pl.bounds = pl.bounds[:0]
	off := 0
	for _, g := range pl.groups {
		n := g.Size()
		b := make([]int, T+1)
		for k := range b {
			b[k] = min(max(pl.bal.cuts[k]-off, 0), n)
		}
		pl.bounds = append(pl.bounds, b)
		off += n
	}
	for i, p := range pl.projs {
		p.PrepareCuts(pl.bounds[pl.post[i]])
	}
}

// rebalance moves the cuts after chunks 1, 2, 4, 8, ... of the plan, when
// the threads' busy times differ by more than 5 %: each thread gets
// neurons in proportion to the speed it showed, halfway. Moving costs a
// search of every row for its new cuts; it stops when that has taken more
// than 2 % of the time spent in this way.
func (pl *ownerPlan) rebalance(took time.Duration) {
	b := &pl.bal
	b.chunks++
	b.spent += took
	if b.chunks&(b.chunks-1) != 0 || b.moving*50 > b.spent {
		return
	}
	T := len(b.cuts) - 1
	var busy []float64
	most, least := 0.0, -1.0
	for k := range b.busy {
		x := float64(b.busy[k].ns)
		b.busy[k].ns = 0
		busy = append(busy, x)
		most = max(most, x)
		if least < 0 || x < least {
			least = x
		}
	}
	if most == 0 || most-least < 0.05*most {
		return
	}
	// Neurons per unit of time on each thread, then the shares that
	// would take the same time, taken halfway.
	speed, sum := make([]float64, T), 0.0
	for k := range speed {
		n := b.cuts[k+1] - b.cuts[k]
		speed[k] = float64(max(n, 64)) / max(busy[k], 1)
		sum += speed[k]
	}
	cuts := make([]int, T+1)
	cuts[T] = b.total
	at := 0.0
	for k := 0; k < T-1; k++ {
		at += float64(b.total) * speed[k] / sum
		want := (float64(b.cuts[k+1]) + at) / 2
		cuts[k+1] = max(align(int(want), b.total), cuts[k])
	}
	same := true
	for k := range cuts {
		same = same && cuts[k] == b.cuts[k]
	}
	if same {
		return
	}
	t0 := time.Now()
	b.cuts = cuts
	pl.setBounds()
	b.moving += time.Since(t0)
}

// steady reports whether every group's next update reads what all the
// later ones do (the first step of a run runs on its own).
func (pl *ownerPlan) steady() bool {
	for _, g := range pl.groups {
		if !g.Steady() {
			return false
		}
	}
	return true
}

// ownerSteps runs steps up to upTo in the owner way.
func (nw *Network) ownerSteps(upTo int) error {
	pl := nw.owner
	for from := nw.pos; nw.pos < upTo; {
		if nw.stop.Load() || (nw.pos > from && nw.late()) {
			return nil
		}
		if !pl.steady() {
			if err := nw.step(nw.pos, 0, len(nw.nodes)); err != nil {
				return err
			}
			nw.pos++
			continue
		}
		first, n := nw.pos, min(upTo-nw.pos, ownerChunk)
		pl.bar.Reset()
		pl.err = nil
		pl.next.Store(int64(first))
		t0 := time.Now()
		nw.pool.Team(func(w int) { nw.ownerRun(w, first, n) })
		if pl.err == nil {
			pl.err = nw.ownerRecord(first + n - 1)
		}
		if pl.err != nil {
			return pl.err
		}
		pl.rebalance(time.Since(t0))
		nw.clock.At(first + n - 1)
		for _, p := range pl.projs {
			p.Advance(n)
		}
		nw.pos += n
	}
	return nil
}

// ownerRun is thread w's part of steps [first, first+n): deliver the
// spikes of the step before into its ranges, update its ranges, wait for
// the others. The first thread at a step's barrier joins the spike lists
// of the step before and records its monitors while it would otherwise
// wait. The spikes of the last step are delivered before returning, so
// the state is one thread's after the same steps.
func (nw *Network) ownerRun(w, first, n int) {
	pl := nw.owner
	defer func() {
		if r := recover(); r != nil {
			pl.bar.Abort()
			panic(r)
		}
	}()
	c := nw.clock // a copy: each thread keeps its own time
	pull := func(s int) {
		parts := pl.parts[s&1]
		for i, p := range pl.projs {
			p.Pull(parts[pl.pre[i]], w)
		}
	}
	for i := first; i < first+n; i++ {
		// Every fourth step is timed, for rebalance.
		timed := i&3 == 0
		var t0 time.Time
		if timed {
			t0 = time.Now()
		}
		if i > first {
			pull(i - 1)
		}
		c.At(i)
		parts := pl.parts[i&1]
		for g, grp := range pl.groups {
			b := pl.bounds[g]
			parts[g][w].Spikes = grp.UpdateShare(c.Abs, c.Dt, b[w], b[w+1], parts[g][w].Spikes[:0])
		}
		if timed {
			pl.bal.busy[w].ns += int64(time.Since(t0))
		}
		// Step i-1's parts stay as they are until step i+1 updates,
		// after this barrier, which waits for the thread that records.
		if i > first && pl.next.CompareAndSwap(int64(i-1), int64(i)) {
			if err := nw.ownerRecord(i - 1); err != nil {
				pl.err = err
				pl.bar.Abort()
				return
			}
		}
		if !pl.bar.Wait(int64(i - first + 1)) {
			return
		}
	}
	pull(first + n - 1)
}

// ownerRecord joins the spike lists of step i, records its monitors and
// lets the projections follow.
func (nw *Network) ownerRecord(i int) error {
	pl := nw.owner
	for g, grp := range pl.groups {
		grp.JoinSpikes(pl.parts[i&1][g])
		for _, m := range nw.mons[pl.node[g]] {
			if err := m.record(i); err != nil {
				return err
			}
		}
	}
	for _, p := range pl.projs {
		p.Follow()
	}
	return nil
}
