package sim

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Pool runs data-parallel loops on a fixed number of goroutines. Work is cut
// into blocks that depend only on the length and the block size, never on
// the number of workers, so results are bit-identical for any thread count.
type Pool struct {
	n     int
	mu    sync.Mutex
	start []chan task
	wg    sync.WaitGroup
}

type task struct {
	fn     func(lo, hi int)
	n, blk int
	next   *atomic.Int64
}

// BlockSize is the number of elements a worker takes at a time.
const BlockSize = 1024

// MinParallel is the smallest loop handed to the workers: waking them costs
// about as much as updating a few thousand neurons.
var MinParallel = 8 * BlockSize

// NewPool makes a pool with n workers (n < 1 means 1).
func NewPool(n int) *Pool {
	if n < 1 {
		n = 1
	}
	p := &Pool{n: n}
	for w := 1; w < n; w++ {
		ch := make(chan task)
		p.start = append(p.start, ch)
		go p.worker(ch)
	}
	return p
}

func (p *Pool) worker(ch chan task) {
	for t := range ch {
		t.run()
		p.wg.Done()
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
	for _, ch := range p.start {
		close(ch)
	}
	p.start = nil
}

// DefaultThreads is the number of threads used unless set otherwise.
func DefaultThreads() int { return runtime.GOMAXPROCS(0) }
