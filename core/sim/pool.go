package sim

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Pool runs data-parallel loops on a fixed number of goroutines. Work is cut
// into blocks that depend only on the length and the block size, never on
// the number of workers, so results are bit-identical for any thread count.
//
// While a run is in progress (Hot), idle workers spin on a sequence number
// instead of sleeping, so handing them a loop costs a fraction of a
// microsecond rather than a wake-up from the operating system; between
// runs they sleep.
type Pool struct {
	n     int
	start []chan task
	wg    sync.WaitGroup

	hot  atomic.Bool
	wake []chan struct{}
	seq  atomic.Uint64
	cur  task
	done atomic.Int64
	mu   sync.Mutex
}

type task struct {
	fn     func(lo, hi int)
	n, blk int
	next   *atomic.Int64
}

// BlockSize is the number of elements a worker takes at a time.
const BlockSize = 1024

// MinParallel is the smallest loop handed to the workers.
var MinParallel = 2 * BlockSize

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
		go p.worker(ch, wk)
	}
	return p
}

func (p *Pool) worker(ch chan task, wk chan struct{}) {
	// Every loop handed out has a sequence number > 0; starting from 0 the
	// worker also takes one handed out before it first ran.
	var last uint64
	for {
		select {
		case t, ok := <-ch:
			if !ok {
				return
			}
			t.run()
			p.wg.Done()
		case <-wk:
			// Spin while the run lasts, taking each new loop as it comes.
			for spins := 0; p.hot.Load(); {
				if s := p.seq.Load(); s != last {
					last = s
					p.cur.run()
					p.done.Add(1)
					spins = 0
					continue
				}
				if spins++; spins%64 == 0 {
					runtime.Gosched()
				}
			}
		}
	}
}

func (t task) run() {
	for {
		b := int(t.next.Add(1) - 1)
		lo := b * t.blk
		if lo >= t.n {
			return
		}
		hi := lo + t.blk
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

// Hot keeps the workers spinning (on) or lets them sleep (off). A network
// turns it on for the length of a chunk of steps.
func (p *Pool) Hot(on bool) {
	if p == nil || p.n == 1 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hot.Load() == on {
		return
	}
	p.hot.Store(on)
	if on {
		for _, wk := range p.wake {
			select {
			case wk <- struct{}{}:
			default:
			}
		}
	}
}

// For calls fn over [0, n) in blocks. Each index is visited exactly once;
// fn must only write data owned by its block.
func (p *Pool) For(n int, fn func(lo, hi int)) {
	if p == nil || p.n == 1 || n < MinParallel {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	var next atomic.Int64
	t := task{fn: fn, n: n, blk: BlockSize, next: &next}
	if p.hot.Load() {
		// Every worker takes part in every loop: it runs the blocks left
		// when it arrives, then reports.
		p.cur = t
		p.done.Store(0)
		p.seq.Add(1)
		t.run()
		for want := int64(len(p.wake)); p.done.Load() < want; {
			runtime.Gosched()
		}
		return
	}
	used := (n+BlockSize-1)/BlockSize - 1
	if used > len(p.start) {
		used = len(p.start)
	}
	p.wg.Add(used)
	for w := 0; w < used; w++ {
		p.start[w] <- t
	}
	t.run()
	p.wg.Wait()
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
