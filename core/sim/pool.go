package sim

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Pool runs data-parallel loops on a fixed number of goroutines. Work is cut
// into blocks that depend only on the length and the block size, never on
// the number of workers, so results are bit-identical for any thread count.
// Each worker takes the same run of blocks in every loop of the same
// length, so a group's state stays in the cache of the core that updates it.
//
// While a run is in progress (Hot), idle workers spin on a sequence number
// instead of sleeping, so handing them a loop costs a fraction of a
// microsecond rather than a wake-up from the operating system; between
// runs they sleep.
type Pool struct {
	n     int
	start []chan task
	wg    sync.WaitGroup

	hot    atomic.Bool
	serial bool // run every loop on the caller (see SetSerial)
	// crowded: there are more workers than processors, so a waiting caller
	// yields at once (the workers need its processor).
	crowded bool
	large   int // loops of MinParallel elements or more so far
	wake    []chan struct{}
	mu      sync.Mutex
	cur     task
	// first is the first panic of the loop in progress, on any thread;
	// the loop's caller panics with it once every thread has finished.
	first atomic.Pointer[fault]
	// The caller writes seq and the workers write done: each on its own
	// cache line, so that spinning on one does not slow writes to the other.
	_    [64]byte
	seq  atomic.Uint64
	_    [56]byte
	done atomic.Int64
	_    [56]byte
	next atomic.Int64 // the next task of Each
	_    [56]byte
}

// yieldEvery is how many empty spins pass between yields to the Go
// scheduler. Yielding often makes the spinning goroutines contend for the
// scheduler's lock; never yielding would starve other goroutines when
// there are more of them than processors.
const yieldEvery = 1 << 14

// callerPatience is how long the caller of a loop spins, waiting for the
// workers, before it starts to yield as they do. A caller from C (Python)
// runs Go on a thread of its own, locked to its goroutine, and each yield
// of such a goroutine hands the processor over to another operating-system
// thread and back: yielding every few microseconds made a split run of a
// large network slower than one thread. Within a millisecond a worker that
// has a processor has finished its share.
const callerPatience = time.Millisecond

type task struct {
	fn      func(lo, hi int)
	n, blk  int
	threads int
	whole   bool // one call over the worker's share instead of one per block
}

// BlockSize is the unit in which loops are cut: a worker's share is a run
// of whole blocks.
const BlockSize = 1024

// MinParallel is the smallest loop handed to the workers.
// Handing a loop out costs 0.2–0.8 µs, about what half of the update of
// 2048 LIF neurons takes.
var MinParallel = 4 * BlockSize

// AlwaysSplit keeps networks from running loops on one thread when they
// find that splitting does not pay (tests set it so that small networks
// exercise the parallel path).
var AlwaysSplit = false

// AlwaysTogether makes networks that always split also update runs of
// separate nodes at the same time (see Separate), so that tests exercise
// that way too.
var AlwaysTogether = false

// AlwaysOwner makes networks that always split run in the owner way
// where it applies (see net.Network), so that tests exercise it.
var AlwaysOwner = false

// NewPool makes a pool with n workers (n < 1 means 1).
func NewPool(n int) *Pool {
	if n < 1 {
		n = 1
	}
	p := &Pool{n: n}
	for w := 1; w < n; w++ {
		ch := make(chan task)
		wk := make(chan struct{}, 1)
		p.start = append(p.start, ch)
		p.wake = append(p.wake, wk)
		go p.worker(w, ch, wk)
	}
	return p
}

func (p *Pool) worker(w int, ch chan task, wk chan struct{}) {
	// Every loop handed out has a sequence number > 0; starting from 0 the
	// worker also takes one handed out before it first ran.
	var last uint64
	for {
		select {
		case t, ok := <-ch:
			if !ok {
				return
			}
			p.share(t, w)
			p.wg.Done()
		case <-wk:
			// Spin while the run lasts, taking each new loop as it comes.
			for spins := 0; p.hot.Load(); {
				if s := p.seq.Load(); s != last {
					last = s
					p.share(p.cur, w)
					p.done.Add(1)
					spins = 0
					continue
				}
				if spins++; spins%yieldEvery == 0 {
					runtime.Gosched()
				}
			}
		}
	}
}

// fault is a panic recovered in a loop's share, where it happened.
type fault struct {
	value any
	stack []byte
}

// share runs thread w's share of t, recovering a panic into p.first: a
// worker that died would take the process with it, and the loop's caller
// would wait for it forever.
func (p *Pool) share(t task, w int) {
	defer func() {
		if r := recover(); r != nil {
			p.first.CompareAndSwap(nil, &fault{value: r, stack: debug.Stack()})
		}
	}()
	t.run(w)
}

// raise panics, on the loop's caller, with the first panic of the loop
// that just finished, if any, and clears it for the next loop. An *Error
// passes as it is (its class reaches Python); anything else becomes a
// *LoopPanic that keeps the stack of the thread it happened on.
func (p *Pool) raise() {
	if p.first.Load() == nil { // a read: no write to a line the workers read
		return
	}
	f := p.first.Swap(nil)
	if e, ok := f.value.(*Error); ok {
		panic(e)
	}
	panic(&LoopPanic{Value: f.value, Stack: f.stack})
}

// LoopPanic is a panic in a loop run by a Pool, passed on to the loop's
// caller.
type LoopPanic struct {
	Value any
	Stack []byte // where it happened
}

func (e *LoopPanic) Error() string {
	return fmt.Sprintf("%v (in a split loop)\n%s", e.Value, e.Stack)
}

// run calls fn over worker w's share: a contiguous run of whole blocks.
func (t task) run(w int) {
	nb := (t.n + t.blk - 1) / t.blk
	first, end := w*nb/t.threads, (w+1)*nb/t.threads
	if t.whole {
		if first < end {
			t.fn(first*t.blk, min(end*t.blk, t.n))
		}
		return
	}
	for b := first; b < end; b++ {
		lo, hi := b*t.blk, (b+1)*t.blk
		if hi > t.n {
			hi = t.n
		}
		t.fn(lo, hi)
	}
}

// Threads is the number of workers.
func (p *Pool) Threads() int {
	if p == nil {
		return 1
	}
	return p.n
}

// SetSerial makes every loop run on the caller (on) or be split again
// (off). Results are the same either way; a network uses it when handing
// loops out costs more than it saves.
func (p *Pool) SetSerial(on bool) {
	if p != nil {
		p.serial = on
	}
}

// Hot keeps the workers spinning (on) or lets them sleep (off). A network
// turns it on for the length of a chunk of steps.
func (p *Pool) Hot(on bool) {
	if p == nil || p.n == 1 || (on && p.serial) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hot.Load() == on {
		return
	}
	p.hot.Store(on)
	if on {
		p.crowded = p.n > runtime.GOMAXPROCS(0)
		for _, wk := range p.wake {
			select {
			case wk <- struct{}{}:
			default:
			}
		}
	}
}

// Large is the number of loops long enough to split (MinParallel elements
// or more) run so far, split or not.
func (p *Pool) Large() int {
	if p == nil {
		return 0
	}
	return p.large
}

// IsHot reports whether the workers are spinning (Hot(true) is in effect).
func (p *Pool) IsHot() bool { return p != nil && p.hot.Load() }

// For calls fn over [0, n) in blocks. Each index is visited exactly once;
// fn must only write data owned by its block.
func (p *Pool) For(n int, fn func(lo, hi int)) { p.loop(n, fn, false) }

// Shares calls fn once per worker, over the same indices that For(n, ...)
// gives that worker. Work whose cost does not grow with the range (a scan
// of the spikes that writes only into [lo, hi)) is done once per worker
// rather than once per block, and on the core whose cache holds [lo, hi).
func (p *Pool) Shares(n int, fn func(lo, hi int)) { p.loop(n, fn, true) }

func (p *Pool) loop(n int, fn func(lo, hi int), whole bool) {
	if p != nil && n >= MinParallel {
		p.large++
	}
	if p == nil || p.n == 1 || p.serial || n < MinParallel {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	p.dispatch(task{fn: fn, n: n, blk: BlockSize, threads: p.n, whole: whole})
}

// Parallel reports whether loops are handed to workers at all (more than
// one thread and not SetSerial).
func (p *Pool) Parallel() bool { return p != nil && p.n > 1 && !p.serial }

// Each calls fn(i) for every i in [0, n), each call on one thread, the
// caller's included; whichever thread is free takes the next i. It is for
// independent tasks of unequal size, best given largest first.
func (p *Pool) Each(n int, fn func(i int)) {
	if !p.Parallel() || n < 2 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	p.large++
	p.next.Store(0)
	p.dispatch(task{fn: func(int, int) {
		for i := int(p.next.Add(1) - 1); i < n; i = int(p.next.Add(1) - 1) {
			fn(i)
		}
	}, n: p.n, blk: 1, threads: p.n, whole: true})
}

// Sync hands every worker an empty loop and waits for all of them. After
// Hot(true) it returns once they are running, so that the next loop does
// not also wait for the operating system to wake them.
func (p *Pool) Sync() {
	if p == nil || p.n == 1 || p.serial {
		return
	}
	p.dispatch(task{fn: func(int, int) {}, n: p.n, blk: 1, threads: p.n, whole: true})
}

func (p *Pool) dispatch(t task) {
	if p.hot.Load() {
		// Every worker takes part in every loop: it runs its share when
		// it sees the new sequence number, then reports.
		p.cur = t
		p.done.Store(0)
		p.seq.Add(1)
		p.share(t, 0)
		w := waiter{crowded: p.crowded}
		for want := int64(len(p.wake)); p.done.Load() < want; {
			w.spin()
		}
		p.raise()
		return
	}
	p.wg.Add(len(p.start))
	for _, ch := range p.start {
		ch <- t
	}
	p.share(t, 0)
	p.wg.Wait()
	p.raise()
}

// waiter is the loop of a thread that waits for others by spinning: it
// yields to the Go scheduler now and then, at once when threads outnumber
// processors (the others need its processor), else only after
// callerPatience.
type waiter struct {
	spins   int
	since   time.Time
	crowded bool
}

// spin is one turn of the loop.
func (w *waiter) spin() {
	if w.spins++; w.spins%yieldEvery != 0 {
		return
	}
	if w.crowded {
		runtime.Gosched()
	} else if w.since.IsZero() {
		w.since = time.Now()
	} else if time.Since(w.since) > callerPatience {
		runtime.Gosched()
	}
}

// Close stops the workers.
func (p *Pool) Close() {
	if p == nil {
		return
	}
	p.Hot(false)
	for _, ch := range p.start {
		close(ch)
	}
	p.start = nil
}
