package capi

import (
	"strings"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// boomNode splits a loop across the threads at every step; while boom is
// set, the loop panics with it in its last block, which is a worker's.
type boomNode struct {
	boom  any
	steps int
}

func (b *boomNode) Kind() string               { return "Boom" }
func (b *boomNode) Vars() map[string]sim.Var   { return nil }
func (b *boomNode) Prepare(c *sim.Clock) error { return nil }
func (b *boomNode) Update(c *sim.Clock) {
	n := sim.MinParallel + 3*sim.BlockSize
	c.Pool.For(n, func(lo, hi int) {
		if hi == n && b.boom != nil {
			panic(b.boom)
		}
	})
	b.steps++
}

// A panic in a worker thread during a run comes back from Run as an error
// (it used to abort the process), a *sim.Error with its class; the network
// ends and runs again on the same threads.
func TestPanicInAWorkerFailsTheRun(t *testing.T) {
	prevThreads, prevSplit := Threads(), SetAlwaysSplit(true)
	defer func() { SetThreads(prevThreads); SetAlwaysSplit(prevSplit) }()
	if err := SetThreads(2); err != nil {
		t.Fatal(err)
	}
	node := &boomNode{}
	h := register(&object{node: node, name: "Boom"})
	nw, err := NewNetwork(jsonInts(h), `["boom"]`)
	if err != nil {
		t.Fatal(err)
	}
	defer free(t, nw, h)
	for _, tc := range []struct {
		boom        any
		class, part string
	}{
		// A Go panic is a bug of the engine, reported with where it was.
		{"index out of range", "RuntimeError", "internal error in brainsyn's engine: index out of range (in a split loop)"},
		{sim.ErrorClassf("MemoryError", "out of memory"), "MemoryError", "out of memory"},
		{nil, "", ""},
	} {
		node.boom, node.steps = tc.boom, 0
		if err := Begin(nw, 10, 0.1, 0, false, `[]`); err != nil {
			t.Fatal(err)
		}
		pos, err := Run(nw, 10)
		if tc.boom == nil {
			if err != nil || pos != 10 || node.steps != 10 {
				t.Fatalf("run after the failures: %v at step %d, %d steps done", err, pos, node.steps)
			}
		} else {
			msg := errText(err)
			if !strings.HasPrefix(msg, tc.class+": ") || !strings.Contains(msg, tc.part) {
				t.Fatalf("got %q; want %s containing %q", msg, tc.class, tc.part)
			}
			if tc.class == "RuntimeError" && !strings.Contains(msg, "(*Pool).worker") {
				t.Fatalf("the error has no stack of the worker it happened on: %s", msg)
			}
			if pos != 0 {
				t.Fatalf("the failed step counts: next step %d", pos)
			}
		}
		if err := End(nw); err != nil {
			t.Fatal(err)
		}
	}
	js, err := Threading(nw)
	if err != nil || !strings.Contains(js, `"split":true`) {
		t.Fatalf("the runs did not split their loops: %s %v", js, err)
	}
}
