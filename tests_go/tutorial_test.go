// Package tests_go holds cross-package tests: networks built from core
// pieces, checked against the tutorial's published numbers (reference §5.6)
// and against the straightforward per-synapse computation.
package tests_go

import (
	"math"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

type runSynResult struct {
	s      []float64 // synapse 0 per step
	preSpk []float64 // times of pre neuron 0 spikes
	n      int
}

// runSyn is the tutorial's run_syn: LIF(2) → syn → LIF(3), All2All,
// +35 into the pre group, 30 ms at dt 0.1.
func runSyn(t *testing.T, model string, params map[string]float64, method string, layout synapse.Layout) runSynResult {
	t.Helper()
	a := sim.GoAlloc{}
	pre, _ := neuron.NewLIF(a, []int{2}, neuron.DefaultLIF())
	post, _ := neuron.NewLIF(a, []int{3}, neuron.DefaultLIF())
	c, err := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{2}, PostShape: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel(model, params, "", method)
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, pre, post, c, layout)
	if err != nil {
		t.Fatal(err)
	}
	nw, _ := net.New([]sim.Node{pre, syn, post}, []string{"pre", "syn", "post"})
	const n = 300
	mon := &net.Monitor{Node: 1, Var: "s"}
	spk := &net.Monitor{Node: 0, Var: "spike"}
	in := &net.Input{Node: 0, Var: "input", Op: '+', Width: 1, Data: []float64{35}}
	if err := nw.Begin(a, n, 0.1, 0, 1, []*net.Input{in}, []*net.Monitor{mon, spk}); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(n); err != nil {
		t.Fatal(err)
	}
	nw.End()
	r := runSynResult{n: n}
	for i := 0; i < n; i++ {
		r.s = append(r.s, mon.F64[i*mon.Cols])
		if spk.U8[i*spk.Cols] != 0 {
			r.preSpk = append(r.preSpk, float64(i)*0.1)
		}
	}
	return r
}

func argmax(x []float64) int {
	b := 0
	for i := range x {
		if x[i] > x[b] {
			b = i
		}
	}
	return b
}

// Reference §5.6: AMPA with T_duration = 3.
func TestTutorialAMPA(t *testing.T) {
	for _, layout := range []synapse.Layout{synapse.PerSyn, synapse.PerPre} {
		r := runSyn(t, "AMPA", map[string]float64{"T_duration": 3}, "", layout)
		if len(r.preSpk) != 2 || math.Abs(r.preSpk[0]-8.4) > 1e-9 || math.Abs(r.preSpk[1]-19.2) > 1e-9 {
			t.Fatalf("pre spikes at %v, want 8.4 and 19.2", r.preSpk)
		}
		i := argmax(r.s)
		if math.Abs(r.s[i]-0.6542) > 1e-3 || i != 221 {
			t.Errorf("%v: peak %.4f at step %d, want 0.6542 at 221", layout, r.s[i], i)
		}
		if math.Abs(r.s[299]-0.1607) > 1e-3 {
			t.Errorf("%v: final s %.4f, want 0.1607", layout, r.s[299])
		}
		if math.Abs(r.s[113]-0.6334) > 1e-3 {
			t.Errorf("%v: s at 11.3 ms %.4f, want 0.6334", layout, r.s[113])
		}
	}
}

// Reference §5.6: NMDA integrated with rk4 as in the tutorial's class.
func TestTutorialNMDA(t *testing.T) {
	r := runSyn(t, "NMDA", nil, "rk4", synapse.Auto)
	if math.Abs(r.s[150]-0.5916) > 1e-3 {
		t.Errorf("s(15.0) = %.4f, want 0.5916", r.s[150])
	}
	if m := r.s[argmax(r.s)]; math.Abs(m-0.8033) > 1e-3 {
		t.Errorf("max %.4f, want 0.8033", m)
	}
	if math.Abs(r.s[299]-0.7731) > 1e-3 {
		t.Errorf("final %.4f, want 0.7731", r.s[299])
	}
}
