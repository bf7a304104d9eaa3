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

// A ring delivers a value d steps after it was put, keeps what is in
// flight when Prepare finds the same shape, and starts empty otherwise.
func TestRing(t *testing.T) {
	var r ring
	if err := r.ensure("test", 3, 2, false); err != nil {
		t.Fatal(err)
	}
	var got []float64
	for h := 0; h < 5; h++ {
		got = append(got, r.delayed(h, 2, 1, float64(h+1)))
		r.head++
	}
	if want := []float64{0, 0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Fatalf("delayed gave %v, want %v", got, want)
	}
	r.row(r.head)[1] = 7 // a history line writes the row of the step
	r.head++
	if x := r.buf[r.ago(r.head, 1, 1)]; x != 7 {
		t.Fatalf("value written 1 step ago is %v, want 7", x)
	}
	if err := r.ensure("test", 3, 2, false); err != nil || r.head != 6 || r.pos() != 0 {
		t.Fatalf("same shape: head %d, pos %d, err %v; want the line kept", r.head, r.pos(), err)
	}
	if err := r.ensure("test", 3, 2, true); err != nil || r.head != 0 || slices.Max(r.buf) != 0 {
		t.Fatalf("reset: head %d, line %v, err %v; want an empty line", r.head, r.buf, err)
	}
	one := ring{buf: []float64{1, 2}, R: 2, W: 1}
	if err := one.widen("test", 3); err != nil || !slices.Equal(one.buf, []float64{1, 1, 1, 2, 2, 2}) {
		t.Fatalf("widen gave %v (%v)", one.buf, err)
	}
}
