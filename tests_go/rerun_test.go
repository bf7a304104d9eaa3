package tests_go

// Repeated runs (reference §1.5, §7.11): times restart at each run while the
// state persists. Spike times kept in state (LIF t_last_spike, the pulse
// synapses' last presynaptic spike) must carry the elapsed time across the
// boundary, so two runs of 30 ms give what one run of 60 ms gives.

import (
	"fmt"
	"math"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// splitRun runs LIF(2) → model → LIF(3), All2All, +drive into the pre
// group, in runs of the given step counts, and returns s of synapse 0 and
// pre V of neuron 0, concatenated over the runs.
func splitRun(t *testing.T, model string, params map[string]float64, drive float64, runs []int) (s, v []float64) {
	t.Helper()
	a := sim.GoAlloc{}
	pre, _ := neuron.NewLIF(a, []int{2}, neuron.DefaultLIF())
	post, _ := neuron.NewLIF(a, []int{3}, neuron.DefaultLIF())
	c, _ := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{2}, PostShape: []int{3}})
	m, err := synapse.NewModel(model, params, "", "")
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, pre, post, c, synapse.PerSyn)
	if err != nil {
		t.Fatal(err)
	}
	nw, _ := net.New([]sim.Node{pre, syn, post}, []string{"pre", "syn", "post"})
	for _, n := range runs {
		ms := &net.Monitor{Node: 1, Var: "s"}
		mv := &net.Monitor{Node: 0, Var: "V"}
		in := &net.Input{Node: 0, Var: "input", Op: '+', Width: 1, Data: []float64{drive}}
		if err := nw.Begin(a, n, 0.1, 0, 1, []*net.Input{in}, []*net.Monitor{ms, mv}); err != nil {
			t.Fatal(err)
		}
		if err := nw.Run(n); err != nil {
			t.Fatal(err)
		}
		nw.End()
		for i := 0; i < n; i++ {
			s = append(s, ms.F64[i*ms.Cols])
			v = append(v, mv.F64[i*mv.Cols])
		}
	}
	return s, v
}

func TestSplitRunsEqualOneRun(t *testing.T) {
	// Drive 35 gives pre spikes at 8.4, 19.2, 30.0 (reference §5.1: 8.4,
	// 19.2; the period is 10.8 ms), so the third spike falls in the first
	// step of the second run; a split at step 195 cuts the refractory period
	// and the pulse that follow the spike at 19.2.
	for _, tc := range []struct {
		model  string
		params map[string]float64
		split  int
	}{
		{"AMPA", map[string]float64{"T_duration": 3}, 300},
		{"AMPA", map[string]float64{"T_duration": 3}, 195},
		{"GABAa2", nil, 193},
		{"GABAb1", nil, 194},
	} {
		t.Run(fmt.Sprintf("%s/split=%d", tc.model, tc.split), func(t *testing.T) {
			s1, v1 := splitRun(t, tc.model, tc.params, 35, []int{600})
			s2, v2 := splitRun(t, tc.model, tc.params, 35, []int{tc.split, 600 - tc.split})
			for i := range s1 {
				if math.Abs(s1[i]-s2[i]) > 1e-12*(1+math.Abs(s1[i])) || math.Abs(v1[i]-v2[i]) > 1e-12*(1+math.Abs(v1[i])) {
					t.Fatalf("step %d: one run s=%.15g V=%.15g, split runs s=%.15g V=%.15g", i, s1[i], v1[i], s2[i], v2[i])
				}
			}
		})
	}
}
