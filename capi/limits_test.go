package capi

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// Regression tests for inputs the fuzz targets found or that must stay cheap.

func wantErr(t *testing.T, err error, class, part string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s containing %q", class, part)
	}
	checkErr(t, err)
	if msg := errText(err); !strings.HasPrefix(msg, class+": ") || !strings.Contains(msg, part) {
		t.Fatalf("got %q; want %s containing %q", msg, class, part)
	}
}

func TestAbsurdSizesAreRefusedQuickly(t *testing.T) {
	done := baseline(t)
	t0 := time.Now()
	_, err := NewNeuron("LIF", `{"shape":[4294967296,4294967296]}`)
	wantErr(t, err, "MemoryError", "more than the engine allows")
	_, err = NewNeuron("LIF", `{"shape":[8589934592]}`)
	wantErr(t, err, "MemoryError", "more than the engine allows")
	h, err := NewConn(`{"kind":"GridN","N":1000000000,"pre_shape":[3,3],"post_shape":[3,3]}`)
	checkErr(t, err) // N is clamped to the grid: every pair is a neighbour
	if n, _ := ConnSize(h); n != 9*8 {
		t.Fatalf("GridN on 3×3 has %d synapses, want 72", n)
	}
	free(t, h)
	_, err = NewConn(`{"kind":"FixedPreNum","num":1e300,"pre_shape":[10],"post_shape":[5]}`)
	wantErr(t, err, "ValueError", "more than the 10 available")
	_, err = NewConn(`{"kind":"FixedProb","prob":1e-9,"pre_shape":[2147483647],"post_shape":[2147483647]}`)
	wantErr(t, err, "ValueError", "synapses is too many")
	if d := time.Since(t0); d > 2*time.Second {
		t.Fatalf("refusals took %v", d)
	}
	done()
}

func TestWrappedEngineErrorsKeepTheirClass(t *testing.T) {
	done := baseline(t)
	pre, _ := NewNeuron("LIF", `{"shape":[2]}`)
	c, _ := NewConn(`{"kind":"All2All","pre_shape":[2],"post_shape":[2]}`)
	s, err := NewSynapse("AMPA", pre, pre, c, `{"delay":1e300}`)
	checkErr(t, err)
	nw, _ := NewNetwork(jsonInts(pre, s), `["pre","syn"]`)
	err = Begin(nw, 10, 0.1, 0, false, `[]`)
	wantErr(t, err, "ValueError", "syn: AMPA: a delay of")
	free(t, nw, s, c, pre)
	done()
}

// A Begin refused because the network is running elsewhere must drop the
// inputs queued for it: they would otherwise leak into the next run.
func TestRefusedBeginDropsItsInputs(t *testing.T) {
	done := baseline(t)
	g, _ := NewNeuron("LIF", `{"shape":[2]}`)
	nw, _ := NewNetwork(jsonInts(g), `["g"]`)
	if err := Begin(nw, 10, 0.1, 0, false, `[]`); err != nil {
		t.Fatal(err)
	}
	checkErr(t, netInput(nw, 0, "V", '=', false, 1, []float64{-1000}))
	wantErr(t, Begin(nw, 10, 0.1, 0, false, `[]`), "RuntimeError", "already running")
	checkErr(t, End(nw))
	if err := Begin(nw, 1, 0.1, 0, false, `[{"node":0,"var":"V"}]`); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(nw, 1); err != nil {
		t.Fatal(err)
	}
	checkErr(t, End(nw))
	r, _, _, err := monitorRef(nw, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v := (*[2]float64)(r.p); v[0] == -1000 {
		t.Fatal("the refused run's input was applied")
	}
	checkRef(t, r)
	free(t, nw, g)
	done()
}

// Calls on one network from many goroutines: each either runs or is
// refused; none races (run with -race to check) and the network ends usable.
func TestConcurrentCallsOnOneNetwork(t *testing.T) {
	done := baseline(t)
	g, _ := NewNeuron("LIF", `{"shape":[3000]}`)
	nw, _ := NewNetwork(jsonInts(g), `["g"]`)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				switch (w + i) % 5 {
				case 0:
					checkErr(t, Begin(nw, 100, 0.1, 0, false, `[{"node":0,"var":"V","every":10}]`))
				case 1:
					_, err := Run(nw, 100)
					checkErr(t, err)
				case 2:
					checkErr(t, End(nw))
				case 3:
					checkErr(t, netInput(nw, 0, "input", '+', false, 1, []float64{1}))
				case 4:
					if r, _, _, err := monitorRef(nw, 0); err == nil {
						checkRef(t, r)
					}
				}
			}
		}(w)
	}
	wg.Wait()
	End(nw)
	if err := Begin(nw, 5, 0.1, 0, false, `[]`); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(nw, 5); err != nil {
		t.Fatal(err)
	}
	checkErr(t, End(nw))
	free(t, nw, g)
	done()
}
