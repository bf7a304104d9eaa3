package net

import (
	"errors"
	"testing"
	"time"

	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
)

// withAvailable makes the memory checks see avail bytes for one test.
func withAvailable(t *testing.T, avail int64) {
	prev := sim.SetAvailable(func() int64 { return avail })
	t.Cleanup(func() { sim.SetAvailable(prev) })
}

func TestRunForReturnsAfterItsBudget(t *testing.T) {
	g := lif(t, 1000)
	nw, err := New([]sim.Node{g}, []string{"g"})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	if err := nw.Begin(sim.GoAlloc{}, 100, 0.1, 0, 1, nil, nil); err != nil {
		t.Fatal(err)
	}
	// A budget already spent when the first step ends: one step per call.
	for want := 1; want <= 3; want++ {
		if err := nw.RunFor(100, time.Nanosecond); err != nil || nw.Pos() != want {
			t.Fatalf("RunFor with a spent budget reached step %d (%v), want %d", nw.Pos(), err, want)
		}
	}
	if err := nw.RunFor(100, 0); err != nil || nw.Pos() != 100 {
		t.Fatalf("RunFor without a budget reached step %d (%v), want 100", nw.Pos(), err)
	}
}

func TestEventMonitorGrowthIsCheckedAgainstMemory(t *testing.T) {
	p := neuron.DefaultLIF()
	p.TRef = 0
	g, err := neuron.NewLIF(sim.GoAlloc{}, []int{100000}, p)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := New([]sim.Node{g}, []string{"g"})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	m := &Monitor{Node: 0, Var: "spike", Events: true}
	in := &Input{Node: 0, Var: "V", Op: '=', Width: 1, Data: []float64{100}}
	if err := nw.Begin(sim.GoAlloc{}, 1000, 0.1, 0, 1, []*Input{in}, []*Monitor{m}); err != nil {
		t.Fatal(err)
	}
	withAvailable(t, 64<<20) // every neuron spikes at every step: 0.8 MB of events per step
	err = nw.Run(1000)
	var e *sim.Error
	if !errors.As(err, &e) || e.Class != "MemoryError" {
		t.Fatalf("a run outgrowing memory returned %v, want a MemoryError", err)
	}
	if n := nw.Pos(); n == 0 || n >= 1000 || len(m.EvStep) != 100000*n {
		t.Fatalf("stopped at step %d with %d events", n, len(m.EvStep))
	}
}

func TestCheckBytesLeavesHeadroom(t *testing.T) {
	withAvailable(t, 100<<20)
	if err := sim.CheckBytes("x", 80<<20); err != nil {
		t.Fatalf("80 MiB of 100 refused: %v", err)
	}
	if err := sim.CheckBytes("x", 95<<20); err == nil {
		t.Fatal("95 MiB of 100 accepted: no headroom left")
	}
	if _, err := sim.MakeF64("ring", 20<<20); err == nil {
		t.Fatal("MakeF64 of 160 MiB accepted with 100 available")
	}
	withAvailable(t, -5) // a limit already exceeded
	if err := sim.CheckBytes("x", 1<<20); err == nil {
		t.Fatal("1 MiB accepted beyond a limit")
	}
}
