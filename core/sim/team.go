// Teams: every thread of a pool on one task at once, meeting at a
// barrier, for work that synchronises between threads inside the task
// (a network's owner way, see net.Network).

package sim

import (
	"runtime"
	"sync/atomic"
)

// Team calls fn(w) on every thread of the pool at the same time, w = 0 on
// the caller, and returns when all have returned. Unlike For, each thread
// gets its own index even while the pool is serial, and the calls may wait
// for one another (at a Barrier).
func (p *Pool) Team(fn func(w int)) {
	if p == nil || p.n == 1 {
		fn(0)
		return
	}
	p.dispatch(task{fn: func(w, _ int) { fn(w) }, n: p.n, blk: 1, threads: p.n, whole: true})
}

// Barrier makes the n threads of a Team wait for one another. Waits are
// counted, not reset, so one barrier serves every step of a task; a
// thread that fails calls Abort, and every wait then returns false
// instead of waiting for it forever.
type Barrier struct {
	_       [64]byte
	arrived atomic.Int64
	_       [56]byte
	aborted atomic.Bool
	n       int64
	crowded bool
}

// NewBarrier is a barrier for the threads of p.
func NewBarrier(p *Pool) *Barrier {
	b := &Barrier{n: int64(p.Threads())}
	b.crowded = p.Threads() > runtime.GOMAXPROCS(0)
	return b
}

// Reset readies the barrier for a new task; no thread may be waiting.
func (b *Barrier) Reset() {
	b.arrived.Store(0)
	b.aborted.Store(false)
}

// Abort releases every wait, now and later, with false.
func (b *Barrier) Abort() { b.aborted.Store(true) }

// Wait is the k-th wait of this thread since Reset (k = 1, 2, ...): it
// returns true once every thread has made its k-th wait, false if the
// task was aborted. Threads spin: a step of a network is a few
// microseconds, shorter than a wake-up by the operating system.
func (b *Barrier) Wait(k int64) bool {
	want := k * b.n
	b.arrived.Add(1)
	w := waiter{crowded: b.crowded}
	for b.arrived.Load() < want {
		if b.aborted.Load() {
			return false
		}
		pause()
		w.spin()
	}
	return !b.aborted.Load()
}
