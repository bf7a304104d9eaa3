package sim

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Large counts the loops long enough to split, whether split or not.
func TestPoolCountsLoopsLongEnoughToSplit(t *testing.T) {
	p := NewPool(2)
	defer p.Close()
	var visited int
	count := func(lo, hi int) { visited += hi - lo }
	p.For(MinParallel-1, count)
	if p.Large() != 0 {
		t.Fatalf("a loop of %d counted as long enough to split", MinParallel-1)
	}
	p.SetSerial(true)
	p.For(MinParallel, count)
	p.SetSerial(false)
	p.Shares(MinParallel+5, func(lo, hi int) {})
	if p.Large() != 2 {
		t.Fatalf("Large() = %d after two loops of MinParallel elements or more, want 2", p.Large())
	}
	if visited != 2*MinParallel-1 {
		t.Fatalf("visited %d indices, want %d", visited, 2*MinParallel-1)
	}
}

// Sync returns once every worker has run, hot or not, and loops still
// cover every index after it.
func TestPoolSyncThenSplitLoop(t *testing.T) {
	for _, hot := range []bool{false, true} {
		p := NewPool(3)
		p.Hot(hot)
		p.Sync()
		x := make([]int, MinParallel+3*BlockSize+7)
		p.For(len(x), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				x[i]++
			}
		})
		p.Hot(false)
		p.Close()
		for i, v := range x {
			if v != 1 {
				t.Fatalf("hot %v: index %d visited %d times", hot, i, v)
			}
		}
	}
}

// catch runs f and returns what it panicked with.
func catch(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// A panic in a worker's share comes back to the loop's caller once every
// thread has finished (it used to kill the process), an *Error keeps its
// class, and the next loop runs on a clean pool: every index once and
// nothing of the failed loop. The caller's own share may panic too; the
// workers still finish theirs before it returns.
func TestPoolPanicComesBackToTheCaller(t *testing.T) {
	n := MinParallel + 3*BlockSize
	for _, hot := range []bool{false, true} {
		p := NewPool(3)
		p.Hot(hot)
		for _, on := range []string{"worker", "caller"} {
			for _, v := range []any{"boom", ErrorClassf("MemoryError", "too big")} {
				var late atomic.Int64 // calls of the failed loop's fn
				r := catch(func() {
					p.For(n, func(lo, hi int) {
						if (lo == 0) == (on == "caller") {
							panic(v)
						}
						time.Sleep(time.Millisecond) // the others are still at work
						late.Add(1)
					})
				})
				switch e := r.(type) {
				case *Error:
					if e.Class != "MemoryError" {
						t.Fatalf("hot %v, %s: class %q, want MemoryError", hot, on, e.Class)
					}
				case *LoopPanic:
					if e.Value != "boom" || !strings.Contains(e.Error(), "pool_test.go") {
						t.Fatalf("hot %v, %s: %v", hot, on, e)
					}
				default:
					t.Fatalf("hot %v, %s: loop panicking with %v returned %v", hot, on, v, r)
				}
				calls := late.Load()
				x := make([]int, n)
				p.For(n, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						x[i]++
					}
				})
				for i, c := range x {
					if c != 1 {
						t.Fatalf("hot %v, %s: after the panic, index %d visited %d times", hot, on, i, c)
					}
				}
				if late.Load() != calls {
					t.Fatalf("hot %v, %s: the failed loop ran on after it returned", hot, on)
				}
			}
		}
		p.Hot(false)
		p.Close()
	}
}
