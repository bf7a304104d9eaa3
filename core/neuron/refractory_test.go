package neuron

import (
	"fmt"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// isiSteps drives LIF neurons so hard that one step from V_reset crosses
// the threshold, so every interval is the shortest one the refractory
// rule allows, and returns how often each interval (in steps) occurred.
// With two conductance channels the update takes the folded (vector)
// loop, else the plain one.
func isiSteps(t *testing.T, rule string, tref, dt float64, channels bool) map[int]int {
	t.Helper()
	par := LIFParams{VRest: -60, VReset: -60, VTh: -50, R: 1, Tau: 20, TRef: tref, Method: "euler", Refractory: rule}
	g, err := NewLIF(sim.GoAlloc{}, []int{37}, par)
	if err != nil {
		t.Fatal(err)
	}
	if channels {
		g.AddChannel(&sim.Channel{S: make([]float64, g.n), Decay: 0.98, E: 0, Conductance: true})
		g.AddChannel(&sim.Channel{S: make([]float64, g.n), Decay: 0.99, E: -80, Conductance: true})
	}
	c := &sim.Clock{Dt: dt}
	if err := g.Prepare(c); err != nil {
		t.Fatal(err)
	}
	last := make([]int, g.n)
	for i := range last {
		last[i] = -1
	}
	hist := map[int]int{}
	for i := 0; i < 20000; i++ {
		c.At(i)
		for k := range g.input {
			g.input[k] = 1e4
		}
		g.Update(c)
		for _, k := range g.Spiked() {
			if last[k] >= 0 {
				hist[i-last[k]]++
			}
			last[k] = i
		}
	}
	return hist
}

// The step rules give one interval, t_ref/dt steps (Brian2) or one more
// (NEST), at any time and on both loops; the time rule gives one of the
// two, as rounding of t − t_last falls.
func TestRefractorySteps(t *testing.T) {
	for _, tc := range []struct {
		tref, dt float64
		n        int
	}{{2, 0.1, 20}, {5, 0.1, 50}, {1, 0.1, 10}, {0.5, 0.05, 10}, {0.3, 0.1, 3}, {0.25, 0.1, 2}, {0, 0.1, 0}} {
		for _, ch := range []bool{false, true} {
			name := fmt.Sprintf("tref=%g,dt=%g,channels=%v", tc.tref, tc.dt, ch)
			t.Run(name, func(t *testing.T) {
				for rule, want := range map[string]int{"brian2": tc.n, "nest": tc.n + 1} {
					// A neuron fires at most once a step: t_ref = 0 gives 1.
					want = max(want, 1)
					h := isiSteps(t, rule, tc.tref, tc.dt, ch)
					if len(h) != 1 || h[want] == 0 {
						t.Errorf("%s: intervals in steps %v, want all %d", rule, h, want)
					}
				}
				h := isiSteps(t, "time", tc.tref, tc.dt, ch)
				for k := range h {
					if k != max(tc.n, 1) && k != tc.n+1 {
						t.Errorf("time: intervals in steps %v, want %d or %d", h, tc.n, tc.n+1)
					}
				}
				t.Logf("time rule: %v", h)
			})
		}
	}
}

func TestRefractoryRuleChecked(t *testing.T) {
	par := DefaultLIF()
	par.Refractory = "steps"
	if _, err := NewLIF(sim.GoAlloc{}, []int{3}, par); err == nil {
		t.Fatal("an unknown refractory rule was taken")
	}
}
