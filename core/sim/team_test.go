package sim

import (
	"sync/atomic"
	"testing"
)

// Every thread of a team runs at once, each with its own index, and a
// barrier holds each one until all have arrived, step after step.
func TestTeamMeetsAtBarrierEveryStep(t *testing.T) {
	for _, hot := range []bool{false, true} {
		for _, n := range []int{1, 2, 3} {
			p := NewPool(n)
			p.Hot(hot)
			b := NewBarrier(p)
			const steps = 200
			var arrived [steps]atomic.Int64
			seen := make([]int, n)
			var bad atomic.Int64
			p.Team(func(w int) {
				seen[w]++
				for s := 0; s < steps; s++ {
					arrived[s].Add(1)
					if !b.Wait(int64(s + 1)) {
						bad.Add(1)
						return
					}
					if arrived[s].Load() != int64(n) {
						bad.Add(1)
					}
				}
			})
			p.Hot(false)
			p.Close()
			for w, c := range seen {
				if c != 1 {
					t.Fatalf("%d threads, hot %v: thread %d ran %d times", n, hot, w, c)
				}
			}
			if bad.Load() != 0 {
				t.Fatalf("%d threads, hot %v: %d waits returned before every thread arrived", n, hot, bad.Load())
			}
		}
	}
}

// A thread that panics aborts the barrier: the others stop waiting for
// it, and the panic reaches the team's caller instead of a hang.
func TestTeamPanicAbortsBarrier(t *testing.T) {
	p := NewPool(3)
	defer p.Close()
	b := NewBarrier(p)
	var released atomic.Int64
	r := catch(func() {
		p.Team(func(w int) {
			defer func() {
				if r := recover(); r != nil {
					b.Abort()
					panic(r)
				}
			}()
			if w == 1 {
				panic("thread 1 fails")
			}
			if !b.Wait(1) {
				released.Add(1)
			}
		})
	})
	lp, ok := r.(*LoopPanic)
	if !ok || lp.Value != "thread 1 fails" {
		t.Fatalf("the team's caller got %#v, want the thread's panic", r)
	}
	if released.Load() != 2 {
		t.Fatalf("%d of the 2 other threads were released by the abort", released.Load())
	}
	// Reset readies the barrier for the next task.
	b.Reset()
	var ok2 atomic.Int64
	p.Team(func(w int) {
		if b.Wait(1) {
			ok2.Add(1)
		}
	})
	if ok2.Load() != 3 {
		t.Fatalf("after Reset, %d of 3 waits passed", ok2.Load())
	}
}
