package synapse

import (
	"math"
	"testing"
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
