package capi

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// BenchmarkCOBAThroughAPI builds COBA through the Go-level API (C memory,
// handles) as Python does, and runs 1000 steps per iteration.
func BenchmarkCOBAThroughAPI(b *testing.B) {
	net := cobaThroughAPI(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runCOBA(b, net, 1000)
	}
}

// TestCOBASteps runs BRAINSYN_COBA_STEPS steps of COBA on one thread (and
// is skipped without it): bench/instructions.py counts its instructions
// under callgrind for two step counts, so that the difference is the
// cost of the steps alone.
func TestCOBASteps(t *testing.T) {
	steps, err := strconv.Atoi(os.Getenv("BRAINSYN_COBA_STEPS"))
	if err != nil {
		t.Skip("BRAINSYN_COBA_STEPS is not set")
	}
	defer SetThreads(Threads())
	SetThreads(1)
	runCOBA(t, cobaThroughAPI(t), steps)
}

func runCOBA(tb testing.TB, net int64, steps int) {
	if err := addInput(net, 0, "input", '+', false, 1, []float64{20}); err != nil {
		tb.Fatal(err)
	}
	addInput(net, 1, "input", '+', false, 1, []float64{20})
	if err := Begin(net, steps, 0.1, 0, false, `[{"node":0,"var":"spike","events":true}]`); err != nil {
		tb.Fatal(err)
	}
	if _, err := Run(net, steps); err != nil {
		tb.Fatal(err)
	}
	End(net)
}

// cobaThroughAPI builds COBA N = 4000 (perf_anchors §1.2) through the
// handles, as Python does.
func cobaThroughAPI(b testing.TB) int64 {
	lif := `{"shape":[%d],"params":{"V_rest":-60,"V_reset":-60,"V_th":-50,"tau":20,"t_refractory":5},"refractory_rule":"brian2"}`
	E, err := NewNeuron("LIF", fmt.Sprintf(lif, 3200))
	if err != nil {
		b.Fatal(err)
	}
	I, _ := NewNeuron("LIF", fmt.Sprintf(lif, 800))
	hs := []int64{E, I}
	k := 0
	for _, p := range []struct {
		pre, post   int64
		npre, npost int
		g, e, tau   float64
	}{{E, E, 3200, 3200, 0.6, 0, 5}, {E, I, 3200, 800, 0.6, 0, 5}, {I, E, 800, 3200, 6.7, -80, 10}, {I, I, 800, 800, 6.7, -80, 10}} {
		k++
		c, err := NewConn(fmt.Sprintf(`{"kind":"FixedProb","prob":0.02,"seed":%d,"pre_shape":[%d],"post_shape":[%d]}`, k, p.npre, p.npost))
		if err != nil {
			b.Fatal(err)
		}
		s, err := NewSynapse("Exponential", p.pre, p.post, c, fmt.Sprintf(`{"params":{"g_max":%g,"E":%g,"tau":%g},"output":"conductance"}`, p.g, p.e, p.tau))
		if err != nil {
			b.Fatal(err)
		}
		hs = append(hs, s)
	}
	net, err := NewNetwork(fmt.Sprint(`[`, hs[0], `,`, hs[1], `,`, hs[2], `,`, hs[3], `,`, hs[4], `,`, hs[5], `]`), `["E","I","a","b","c","d"]`)
	if err != nil {
		b.Fatal(err)
	}
	return net
}
