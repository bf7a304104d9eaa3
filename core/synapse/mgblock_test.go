package synapse

import (
	"math"
	"math/rand/v2"
	"testing"
)

// mgExp must stay within 2 ulp of math.Exp over the range it computes,
// clamp outside it, and keep NaN.
func TestMgExpAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, 1, -1, 0.5 * math.Ln2, -0.5 * math.Ln2, 708.9, -707.9, 1e-300, -1e-300}
	for i := 0; i < 200000; i++ {
		xs = append(xs, expLo+(expHi-expLo)*r.Float64(), 20*(r.Float64()-0.5))
	}
	worst := 0.0
	for _, x := range xs {
		got, want := mgExp(x), math.Exp(x)
		rel := math.Abs(got-want) / want
		worst = math.Max(worst, rel)
		if rel > 2*0x1p-52 {
			t.Fatalf("mgExp(%v) = %v, math.Exp %v: relative error %.3g", x, got, want, rel)
		}
	}
	t.Logf("largest relative error %.3g (%.2f ulp)", worst, worst/0x1p-52)
	if got := mgExp(1000); got != mgExp(expHi) || math.IsInf(got, 0) {
		t.Errorf("mgExp(1000) = %v, want the clamped e^709", got)
	}
	if got := mgExp(-1000); got != mgExp(expLo) || got == 0 {
		t.Errorf("mgExp(-1000) = %v, want the clamped e^-708", got)
	}
	if !math.IsNaN(mgExp(math.NaN())) {
		t.Error("mgExp(NaN) is not NaN")
	}
}

// The AVX2 kernel gives mgBlockGo's bits, tail included, and the block
// matches 1/(1 + k·math.Exp(−a·v)) to rounding.
func TestMgBlockVectorMatchesScalar(t *testing.T) {
	if !haveAVX2 {
		t.Skip("this build or CPU has no vector kernel")
	}
	r := rand.New(rand.NewPCG(3, 4))
	v := make([]float64, 1003)
	for i := range v {
		v[i] = -100 + 150*r.Float64()
	}
	v[0], v[1], v[2], v[3] = 1e5, -1e5, 0, math.NaN()
	a, k := 0.062, 1/3.57
	got, want := make([]float64, len(v)), make([]float64, len(v))
	mgBlock(got, v, a, k)
	mgBlockGo(want, v, a, k)
	for i := range v {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("B(%v): kernel %.17g, scalar %.17g", v[i], got[i], want[i])
		}
		exact := 1 / (1 + k*math.Exp(-a*v[i]))
		if math.IsNaN(v[i]) != math.IsNaN(got[i]) {
			t.Fatalf("B(%v) = %v", v[i], got[i])
		}
		if -a*v[i] > expHi {
			exact = 0 // e^x clamped at e^709: B is 4e-308 instead of 0
			if got[i] > 1e-300 {
				t.Fatalf("B(%v) = %v, want about 0", v[i], got[i])
			}
			continue
		}
		if math.Abs(got[i]-exact) > 8e-16*exact { // 2 ulp of e^x, 3 roundings
			t.Fatalf("B(%v) = %.17g, with math.Exp %.17g", v[i], got[i], exact)
		}
	}
}
