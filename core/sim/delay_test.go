package sim

import (
	"math"
	"testing"
)

// A value sent at step k arrives at step k + ceil(d/dt) (reference §2.3);
// expected counts are the exact ceilings of the decimal quotients.
func TestDelaySteps(t *testing.T) {
	for _, c := range []struct {
		d, dt float64
		want  int
	}{
		{0, 0.1, 0}, {0.05, 0.1, 1}, {0.1, 0.1, 1}, {0.25, 0.1, 3}, {0.3, 0.1, 3}, {0.7, 0.1, 7},
		{1.1, 0.1, 11}, {1.15, 0.05, 23}, {2.3, 0.05, 46}, {1.0, 0.05, 20}, {1e5, 0.1, 1000000},
		{100000.05, 0.1, 1000001},
	} {
		if got := DelaySteps(c.d, c.dt); got != c.want {
			t.Errorf("DelaySteps(%v, %v) = %d, want %d", c.d, c.dt, got, c.want)
		}
		// Delays stored per synapse as float32 give the same counts.
		if got := DelayStepsF32(float32(c.d), 1/c.dt); got != c.want && c.d < 1e5 {
			t.Errorf("DelayStepsF32(%v, 1/%v) = %d, want %d", c.d, c.dt, got, c.want)
		}
	}
	// float32 keeps ~7 digits: 1e5 ms is exact and must not lose a step.
	if got := DelayStepsF32(1e5, 10); got != 1000000 {
		t.Errorf("DelayStepsF32(1e5, 10) = %d, want 1000000", got)
	}
	// Huge, infinite and NaN delays saturate instead of overflowing.
	for _, d := range []float64{1e300, math.Inf(1), math.NaN()} {
		if got := DelaySteps(d, 0.1); got != MaxDelaySteps {
			t.Errorf("DelaySteps(%v) = %d, want MaxDelaySteps", d, got)
		}
	}
	if got := DelayStepsF32(float32(math.Inf(1)), 10); got != MaxDelaySteps {
		t.Errorf("DelayStepsF32(+Inf) = %d, want MaxDelaySteps", got)
	}
}
