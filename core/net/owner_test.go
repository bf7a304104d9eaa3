package net

import (
	"slices"
	"testing"
	"time"

	"github.com/brainsyn/brainsyn/core/sim"
)

// ownerPlanOf plans the owner way of two LIF groups (3000 and 1000
// neurons) and a projection between them, on threads threads.
func ownerPlanOf(t *testing.T, threads int) *ownerPlan {
	t.Helper()
	return ownerNetOf(t, threads).owner
}

// ownerNetOf is ownerPlanOf's network, with a run of 10 steps begun.
func ownerNetOf(t *testing.T, threads int) *Network {
	t.Helper()
	E, I := lif(t, 3000), lif(t, 1000)
	nw, err := New([]sim.Node{E, I, projection(t, E, I, 0.02, 0, 5, 1)}, []string{"E", "I", "EI"})
	if err != nil {
		t.Fatal(err)
	}
	if err := nw.Begin(sim.GoAlloc{}, 10, 0.1, 0, threads, nil, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.End(); nw.Close() })
	if nw.owner == nil {
		t.Fatal("the owner way does not apply")
	}
	return nw
}

// The threads start on even shares of the groups laid end to end, cut at
// multiples of 64; each group's ranges follow the cuts.
func TestOwnerPlanCutsEvenly(t *testing.T) {
	pl := ownerPlanOf(t, 3)
	if got, want := pl.bal.cuts, []int{0, 1344, 2688, 4000}; !slices.Equal(got, want) {
		t.Fatalf("cuts %v, want %v", got, want)
	}
	if got, want := pl.bounds[0], []int{0, 1344, 2688, 3000}; !slices.Equal(got, want) {
		t.Fatalf("E's ranges %v, want %v", got, want)
	}
	if got, want := pl.bounds[1], []int{0, 0, 0, 1000}; !slices.Equal(got, want) {
		t.Fatalf("I's ranges %v, want %v", got, want)
	}
}

// A thread that took longer gets fewer neurons, halfway to the shares
// that would take equal time; small differences and chunks off the
// schedule (1, 2, 4, ...) move nothing.
func TestOwnerRebalanceMovesTowardEqualTimes(t *testing.T) {
	pl := ownerPlanOf(t, 2)
	b := &pl.bal
	if !slices.Equal(b.cuts, []int{0, 1984, 4000}) {
		t.Fatalf("start cuts %v", b.cuts)
	}
	// Thread 1 (2016 neurons) took three times as long as thread 0
	// (1984): equal times would give thread 0 about 2988 neurons.
	b.busy[0].ns, b.busy[1].ns = 1000, 3000
	pl.rebalance(time.Millisecond)
	if c := b.cuts[1]; c < 2432 || c > 2560 {
		t.Fatalf("after thread 1 took 3× as long, cut at %d, want about (1984+2988)/2", c)
	}
	if pl.bounds[0][1] != b.cuts[1] || pl.bounds[1][1] != 0 {
		t.Fatalf("group ranges %v do not follow cut %d", pl.bounds, b.cuts[1])
	}
	before := b.cuts[1]
	b.busy[0].ns, b.busy[1].ns = 1000, 3000
	pl.rebalance(time.Millisecond) // chunk 2: on the schedule, but ...
	if b.cuts[1] <= before {
		t.Fatalf("chunk 2: cut stayed at %d", b.cuts[1])
	}
	before = b.cuts[1]
	b.busy[0].ns, b.busy[1].ns = 1000, 3000
	pl.rebalance(time.Millisecond) // chunk 3: off the schedule
	if b.cuts[1] != before {
		t.Fatalf("chunk 3 moved the cut from %d to %d", before, b.cuts[1])
	}
	b.busy[0].ns, b.busy[1].ns = 1000, 1030
	pl.rebalance(time.Millisecond) // chunk 4: within 5 %
	if b.cuts[1] != before {
		t.Fatalf("a 3 %% difference moved the cut from %d to %d", before, b.cuts[1])
	}
	// Moving has cost more than 2 % of the time in this way: no more.
	b.moving = time.Second
	for b.chunks < 7 {
		pl.rebalance(time.Millisecond)
	}
	b.busy[0].ns, b.busy[1].ns = 1000, 3000
	pl.rebalance(time.Millisecond) // chunk 8
	if b.cuts[1] != before {
		t.Fatalf("moving after it cost more than 2 %% of the time: cut %d → %d", before, b.cuts[1])
	}
}

// The next run starts where the last one's balance left the cuts.
func TestOwnerCutsCarryToTheNextRun(t *testing.T) {
	nw := ownerNetOf(t, 2)
	b := &nw.owner.bal
	b.busy[0].ns, b.busy[1].ns = 1000, 3000
	nw.owner.rebalance(time.Millisecond)
	moved := slices.Clone(b.cuts)
	if moved[1] == 1984 {
		t.Fatal("the cut did not move")
	}
	nw.End()
	if err := nw.Begin(sim.GoAlloc{}, 10, 0.1, 0, 2, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := nw.owner.bal.cuts; !slices.Equal(got, moved) {
		t.Fatalf("the next run starts at cuts %v, the last ended at %v", got, moved)
	}
	if got := nw.owner.bounds[0][1]; got != moved[1] {
		t.Fatalf("E's ranges start at %d, want %d", got, moved[1])
	}
}
