// Thread planning: how a run splits its steps across worker threads (one
// thread, split loops, objects updated together, each thread owning its
// neurons), tuned by timing.

package net

import (
	"sort"
	"time"

	"github.com/brainsyn/brainsyn/core/sim"
)

// way is how a run uses its threads.
type way int

const (
	oneThread  way = iota // every loop on the caller
	splitLoops            // loops split across the threads
	together              // and runs of separate nodes updated at once
	owner                 // each thread steps its own neurons (owner.go)
	nWays
)

func (nw *Network) setWay(w way) {
	nw.way = w
	nw.pool.SetSerial(w == oneThread)
	nw.joint = w == together
}

// canJoin reports whether some run of separate nodes would be updated at
// the same time by the together way.
func (nw *Network) canJoin() bool {
	for k := range nw.together {
		if nw.joinable(k) {
			return true
		}
	}
	return false
}

// joinable reports whether a run of separate nodes starts at k that pays
// to update at the same time: it has MinParallel synapses or more, and no
// fewer nodes than threads (with more threads, splitting each node's
// delivery keeps every thread busy).
func (nw *Network) joinable(k int) bool {
	e := nw.together[k]
	return e > k+1 && nw.pool.Threads() <= e-k && nw.work[k] >= sim.MinParallel
}

// steps runs steps up to upTo. Workers spin meanwhile, so each parallel
// loop starts without waking a sleeping thread.
func (nw *Network) steps(upTo int) error {
	if !nw.pool.IsHot() {
		nw.pool.Hot(true)
		defer nw.pool.Hot(false)
	}
	if nw.way == owner && !nw.CheckNaN {
		return nw.ownerSteps(upTo)
	}
	for from := nw.pos; nw.pos < upTo; nw.pos++ {
		if nw.stop.Load() || (nw.pos > from && nw.late()) {
			return nil
		}
		if err := nw.step(nw.pos, 0, len(nw.nodes)); err != nil {
			return err
		}
	}
	return nil
}

// late reports whether the deadline of this call has passed.
func (nw *Network) late() bool {
	return !nw.deadline.IsZero() && time.Now().After(nw.deadline)
}

// tune decides how this run uses its threads: it times windows of steps
// on one thread and split, and, where there are runs of separate nodes,
// split with those nodes updated at the same time, one per thread. The
// ways take turns (the machine's speed drifts), in an order that rotates
// from round to round, over calls if they are short. A split way is kept
// only if it is clearly faster in the median round. Small networks lose
// more to handing loops out than they gain; updating whole projections on
// one thread each spares the threads a search of every spiking row for
// their share but gives up the share's place in one core's cache, and
// which matters more depends on the sizes and the machine. The steps are
// real steps of the run, and every way gives the same bits.
func (nw *Network) tune(upTo int) error {
	const rounds = 15
	t := &nw.timing
	if t.window == 0 {
		t.window = 32
	}
	ways := []way{oneThread, splitLoops}
	if nw.canJoin() {
		ways = append(ways, together)
	}
	if t.noSplit {
		ways = ways[:1]
	}
	if nw.owner != nil {
		ways = append(ways, owner)
	}
	// The workers spin through all the windows, as they do through a run
	// that splits: waking them for each window would time the wake-up.
	nw.setWay(splitLoops)
	nw.pool.Hot(true)
	defer nw.pool.Hot(false)
	nw.pool.Sync()
	// Enough rounds: fifteen, or five when they already decide or have
	// taken 200 ms or a tenth of the run's time on one thread: the slower
	// ways' windows, and moving state between cores at each switch, cost
	// a short run more than a wrong choice would.
	enough := func() bool {
		n := len(t.ratios[ways[1]])
		if n >= rounds {
			return true
		}
		if n < 5 {
			return false
		}
		all := true
		for _, w := range ways[1:] {
			all = all && decided(t.ratios[w])
		}
		long := min(200*time.Millisecond, time.Duration(nw.nsteps)*t.step/10)
		return all || t.spent > long
	}
	// The deadline is kept between rounds (a cut round would time nothing).
	deadline := nw.deadline
	nw.deadline = time.Time{}
	defer func() { nw.deadline = deadline }()
	for !enough() && nw.pos+len(ways)*t.window <= upTo {
		if r := len(t.ratios[ways[1]]); r > 0 && !deadline.IsZero() && time.Now().After(deadline) {
			return nil
		}
		// Which way goes first rotates: activity that changes during the
		// timing (the first steps of a run often differ) would otherwise
		// favour the way timed last in every round.
		r := len(t.ratios[ways[1]])
		var took [nWays]time.Duration
		split := true
		for i := range ways {
			w := ways[(r+i)%len(ways)]
			nw.setWay(w)
			large := nw.pool.Large()
			t0 := time.Now()
			if err := nw.steps(nw.pos + t.window); err != nil || nw.stop.Load() {
				return err
			}
			took[w] = time.Since(t0)
			if w == oneThread {
				t.step = took[w] / time.Duration(t.window)
			}
			if w == splitLoops && nw.pool.Large() == large {
				split = false
			}
			t.spent += took[w]
		}
		if !split {
			// No loop is long enough to split: nothing to time but the
			// owner way, which splits no loop.
			if nw.owner == nil {
				nw.tuned, nw.way = true, oneThread
				return nil
			}
			t.noSplit = true
			ways = []way{oneThread, owner}
			continue
		}
		if nw.owner != nil && took[oneThread] < ownerWindow {
			// Each switch to or from the owner way moves every thread's
			// share of the state into its core's cache (for 4000 neurons
			// up to 0.8 ms on a two-vCPU guest): shorter windows would
			// time the move more than the way.
			t.window *= 2
			continue
		}
		for _, w := range ways[1:] {
			t.ratios[w] = append(t.ratios[w], float64(took[w])/float64(took[oneThread]))
		}
		// Windows of about 10 ms: long enough to time, short enough that
		// a large network does not spend long on the slower ways.
		if took[oneThread] > 20*time.Millisecond && t.window > 2 {
			t.window /= 2
		}
	}
	if enough() {
		nw.tuned, nw.way = true, oneThread
		best := 0.95
		for _, w := range ways[1:] {
			if m := median(t.ratios[w]); m < best {
				nw.way, best = w, m
			}
		}
	}
	return nil
}

// Splitting reports whether this run has decided yet how to use its
// threads, whether it splits its loops, and whether it also updates runs
// of separate nodes at the same time.
func (nw *Network) Splitting() (decided, split, joint bool) {
	return nw.tuned, nw.way == splitLoops || nw.way == together, nw.way == together
}

// Owner reports whether this run steps in the owner way (each thread its
// own neurons), and whether that way applies to it at all.
func (nw *Network) Owner() (on, applies bool) {
	return nw.way == owner, nw.owner != nil
}

// ownerWindow is the shortest window, on one thread, that times the owner
// way.
const ownerWindow = 4 * time.Millisecond

// decided reports whether the rounds timed so far already decide: in the
// median one, splitting took under 0.8 or over 1.25 × the time.
func decided(ratios []float64) bool {
	m := median(ratios)
	return m < 0.8 || m > 1.25
}

func median(x []float64) float64 {
	r := append([]float64(nil), x...)
	sort.Float64s(r)
	return r[len(r)/2]
}

// group finds the runs of consecutive nodes that can be updated at the
// same time: Separate nodes with different targets, none of them with an
// input or a monitor of its own (those are applied and recorded between
// the updates of the nodes one by one).
func (nw *Network) group() {
	nw.together = make([]int, len(nw.nodes))
	nw.order = make([][]int, len(nw.nodes))
	nw.work = make([]int, len(nw.nodes))
	free := func(k int) ([]float64, bool) {
		sep, ok := nw.nodes[k].(sim.Separate)
		if !ok || len(nw.inputs[k]) > 0 || len(nw.mons[k]) > 0 {
			return nil, false
		}
		x, ok := sep.Target()
		return x, ok && len(x) > 0
	}
	for k := 0; k < len(nw.nodes); {
		e := k
		seen := map[*float64]bool{}
		for e < len(nw.nodes) {
			x, ok := free(e)
			if !ok || seen[&x[0]] {
				break
			}
			seen[&x[0]] = true
			e++
		}
		if e-k < 2 {
			k++
			continue
		}
		nw.together[k] = e
		order := make([]int, 0, e-k)
		for j := k; j < e; j++ {
			order = append(order, j)
		}
		sort.SliceStable(order, func(a, b int) bool {
			return nw.nodes[order[a]].(sim.Separate).Work() > nw.nodes[order[b]].(sim.Separate).Work()
		})
		nw.order[k] = order
		for _, j := range order {
			nw.work[k] += nw.nodes[j].(sim.Separate).Work()
		}
		k = e
	}
}

// concurrent reports whether the run of separate nodes that starts at k
// is updated at the same time in this step: in the together way, with
// loops split, no check for NaN after each node, and a run that pays.
func (nw *Network) concurrent(k int) bool {
	return nw.joint && nw.pool.Parallel() && !nw.CheckNaN && nw.joinable(k)
}

// updateTogether updates the run of separate nodes that starts at k, each
// node on one thread with loops that are not split further.
func (nw *Network) updateTogether(k int) {
	c := nw.clock
	pool := c.Pool
	c.Pool = nil
	order := nw.order[k]
	pool.Each(len(order), func(i int) { nw.nodes[order[i]].Update(&c) })
	nw.joined++
}

// Threads is the number of threads of the current or last run (1 before
// the first).
func (nw *Network) Threads() int { return nw.pool.Threads() }

// Joined is the number of times in this run that a run of separate nodes
// was updated at the same time.
func (nw *Network) Joined() int { return nw.joined }
