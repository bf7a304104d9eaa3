package synapse

import (
	"math"
	"slices"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
)

// Per-synapse delays are stored as float32; their step counts must equal
// the exact ceil(d/dt) of the decimal delay (reference §2.3).
func TestDelayStepsF32(t *testing.T) {
	for _, c := range []struct {
		d, dt float64
		want  int
	}{
		{0, 0.1, 0}, {0.05, 0.1, 1}, {0.25, 0.1, 3}, {0.3, 0.1, 3}, {0.7, 0.1, 7}, {1.1, 0.1, 11},
		{1.15, 0.05, 23}, {2.3, 0.05, 46}, {1.0, 0.05, 20}, {2.7, 0.1, 27},
		{1e5, 0.1, 1000000}, // 1e-6 relative tolerance gave 999999
	} {
		if got := delayStepsF32(float32(c.d), 1/c.dt); got != c.want {
			t.Errorf("delayStepsF32(%v, 1/%v) = %d, want %d", c.d, c.dt, got, c.want)
		}
	}
	if got := delayStepsF32(float32(math.Inf(1)), 10); got <= 1<<20 {
		t.Errorf("infinite delay gave %d steps, want more than the 2^20 limit", got)
	}
}

// A refused SetDelays keeps the delays the projection had.
func TestSetDelaysRefusedLeavesDelays(t *testing.T) {
	m, err := NewModel("Exponential", nil, "conductance", "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := neuron.NewLIF(sim.GoAlloc{}, []int{2}, neuron.DefaultLIF())
	if err != nil {
		t.Fatal(err)
	}
	c := &conn.Conn{NPre: 2, NPost: 2, Indptr: []int32{0, 2, 3}, Post: []int32{0, 1, 1}}
	s, err := NewChem(sim.GoAlloc{}, m, g, g, c, PerSyn)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetDelays([]float64{0.5, 1, 2}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]float64{{1, 1, math.NaN()}, {3, -1, 3}, {1, 2}} {
		if err := s.SetDelays(bad); err == nil {
			t.Fatalf("SetDelays(%v) accepted", bad)
		}
		if want := []float32{0.5, 1, 2}; !slices.Equal(s.delays, want) {
			t.Fatalf("after refusing %v the delays are %v, want %v", bad, s.delays, want)
		}
	}
}
