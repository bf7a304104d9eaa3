package sim

import "testing"

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
