package synapse

import (
	"math"
	"math/rand/v2"
	"testing"
)

// NMDA's one-pass Euler step gives the bits of Deriv followed by the
// generic update.
func TestNMDAEulerStepMatchesDeriv(t *testing.T) {
	k := nmda{tau: 100, a: 0.5, tauRise: 2}
	r := rand.New(rand.NewPCG(7, 8))
	const n = 257
	y := [][]float64{make([]float64, n), make([]float64, n)}
	for i := 0; i < n; i++ {
		y[0][i], y[1][i] = r.Float64(), 3*r.Float64()
	}
	want := [][]float64{append([]float64(nil), y[0]...), append([]float64(nil), y[1]...)}
	d := [][]float64{make([]float64, n), make([]float64, n)}
	k.Deriv(d, want, nil, 0, n)
	for j := range want {
		for i := range want[j] {
			want[j][i] += 0.1 * d[j][i]
		}
	}
	k.EulerStep(y, 0.1, 0, n)
	for j := range y {
		for i := range y[j] {
			if math.Float64bits(y[j][i]) != math.Float64bits(want[j][i]) {
				t.Fatalf("%s[%d]: one pass %.17g, Deriv %.17g", k.Vars()[j], i, y[j][i], want[j][i])
			}
		}
	}
}
