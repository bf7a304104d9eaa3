package synapse

import (
	"math"
	"math/rand"
	"testing"
)

// The vector loop of sumAll's conductance outputs gives the scalar loop's
// bits, with the Mg²⁺ factor and without, on lengths with a scalar tail.
func TestSumCondVectorMatchesScalar(t *testing.T) {
	if !haveAVX2 {
		t.Skip("this build or CPU has no vector loop")
	}
	r := rand.New(rand.NewSource(5))
	for _, n := range []int{4, 7, 103, 1000} {
		v, inv, in := make([]float64, n), make([]float64, n), make([]float64, n)
		for q := range v {
			v[q], inv[q], in[q] = -70+30*r.Float64(), r.Float64(), r.NormFloat64()
		}
		const g, e = 0.0371, -3.5
		for _, withInv := range []bool{false, true} {
			want, got := append([]float64(nil), in...), append([]float64(nil), in...)
			for q := range v {
				if withInv {
					want[q] -= g * (v[q] - e) * inv[q]
				} else {
					want[q] -= g * (v[q] - e)
				}
			}
			var x []float64
			if withInv {
				x = inv
			}
			i := sumCondVec(got, v, x, g, e)
			if i != n&^3 {
				t.Fatalf("n = %d: the vector loop did %d elements, want %d", n, i, n&^3)
			}
			for q := i; q < n; q++ {
				if withInv {
					got[q] -= g * (v[q] - e) * inv[q]
				} else {
					got[q] -= g * (v[q] - e)
				}
			}
			for q := range want {
				if math.Float64bits(got[q]) != math.Float64bits(want[q]) {
					t.Fatalf("n = %d, Mg %v: in[%d] = %v, scalar %v", n, withInv, q, got[q], want[q])
				}
			}
		}
	}
}
