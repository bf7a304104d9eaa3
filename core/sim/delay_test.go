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
	}
	// Huge, infinite and NaN delays give a count far beyond any allowed
	// delay line instead of overflowing to a small or negative one.
	for _, d := range []float64{1e300, math.Inf(1), math.NaN()} {
		if got := DelaySteps(d, 0.1); got < 1<<30 {
			t.Errorf("DelaySteps(%v) = %d, want a huge count", d, got)
		}
	}
}
