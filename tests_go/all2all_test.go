package tests_go

import (
	"fmt"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// runAll2All drives LIF(15) from 20 bundles of 5 Poisson sources (counts
// above 1) through an all-to-all projection with one weight, for two runs
// of 50 ms. With reweight, per-synapse weights are set between the runs,
// while spikes are in flight on the delay line; with explicit, the one
// weight is given per synapse from the start.
func runAll2All(t *testing.T, model string, layout synapse.Layout, delay, reweight, explicit bool) []float64 {
	t.Helper()
	const npre, npost, nsteps = 20, 15, 500
	a := sim.GoAlloc{}
	pre, post := poissonToLIF(t, a, npre, npost, 60, 9, 5)
	cn, err := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{npre}, PostShape: []int{npost}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel(model, nil, "", "")
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, pre, post, cn, layout)
	if err != nil {
		t.Fatal(err)
	}
	w := []float64{0.02}
	if explicit {
		w = make([]float64, syn.NSyn())
		for k := range w {
			w[k] = 0.02
		}
	}
	if err := syn.SetWeights(a, w); err != nil {
		t.Fatal(err)
	}
	if delay {
		if err := syn.SetDelay(1.3); err != nil {
			t.Fatal(err)
		}
	}
	nw, _ := net.New([]sim.Node{pre, syn, post}, []string{"pre", "syn", "post"})
	var v []float64
	for run := 0; run < 2; run++ {
		if run == 1 && reweight {
			w := make([]float64, syn.NSyn())
			for k := range w {
				w[k] = 0.01 + 0.001*float64(k%7)
			}
			if err := syn.SetWeights(a, w); err != nil {
				t.Fatal(err)
			}
		}
		mv := &net.Monitor{Node: 2, Var: "V"}
		in := &net.Input{Node: 2, Var: "input", Op: '+', Width: 1, Data: []float64{15}}
		if err := nw.Begin(a, nsteps, 0.1, 0, 1, []*net.Input{in}, []*net.Monitor{mv}); err != nil {
			t.Fatal(err)
		}
		if err := nw.Run(nsteps); err != nil {
			t.Fatal(err)
		}
		nw.End()
		v = append(v, mv.F64...)
	}
	nw.Close()
	return v
}

// All-to-all projections with one weight and one delay keep one increment
// per step for all post neurons; they must give what one state per synapse
// gives. When per-synapse weights replace the common one while increments
// are in flight, those are delivered to every post neuron as a post layout
// with per-synapse weights from the start would (the post layout applies a
// weight when the spike is sent, the synapse layout to the present state).
func TestAllToAllCommonIncrement(t *testing.T) {
	for _, model := range []string{"Exponential", "AMPA1", "Two_exponentials", "Alpha"} {
		for _, delay := range []bool{false, true} {
			name := fmt.Sprintf("%s/delay=%v", model, delay)
			ref := runAll2All(t, model, synapse.PerSyn, delay, false, false)
			got := runAll2All(t, model, synapse.PerPost, delay, false, false)
			closeAll(t, name, got, ref, 1e-12)
			if ref[len(ref)-1] == ref[len(ref)/2-1] {
				t.Fatalf("%s: V does not move", name)
			}
			ref = runAll2All(t, model, synapse.PerPost, delay, true, true)
			got = runAll2All(t, model, synapse.PerPost, delay, true, false)
			closeAll(t, name+"/reweighted", got, ref, 1e-12)
		}
	}
}
