package synapse

import "math"

// The NMDA Mg²⁺ block B(V) = 1/(1 + [Mg]/β·e^{−αV}) is evaluated for every
// post neuron at every step, so e^x is computed here in a form that the
// AVX2 kernel (mgblock_amd64.s) repeats operation for operation: Cody–Waite
// range reduction and Cephes' rational approximation on |r| ≤ ln2/2, within
// 2 ulp of math.Exp. The kernel and mgBlockGo give the same bits.

const (
	expHi    = 709.0  // e^709 is finite
	expLo    = -708.0 // e^−708 is normal
	expLog2e = 1.4426950408889634073599
	expC1    = 6.93145751953125e-1 // ln 2 = C1 + C2, C1 exact in 20 bits
	expC2    = 1.42860682030941723212e-6
	expP0    = 1.26177193074810590878e-4
	expP1    = 3.02994407707441961300e-2
	expP2    = 9.99999999999999999910e-1
	expQ0    = 3.00198505138664455042e-6
	expQ1    = 2.52448340349684104192e-3
	expQ2    = 2.27265548208155028766e-1
	expQ3    = 2.00000000000000000009e0
	expMagic = 0x1.8p52 // n + magic holds the integer n in its low bits
)

// mgExp is e^x for x clamped to [expLo, expHi]; NaN stays NaN.
func mgExp(x float64) float64 {
	if x != x {
		return x
	}
	if expHi < x {
		x = expHi
	}
	if expLo > x {
		x = expLo
	}
	n := math.Floor(x*expLog2e + 0.5)
	r := x - n*expC1
	r = r - n*expC2
	xx := r * r
	px := r * ((expP0*xx+expP1)*xx + expP2)
	qx := ((expQ0*xx+expQ1)*xx+expQ2)*xx + expQ3
	e := px / (qx - px)
	e = 1 + 2*e
	// e·2^n by adding n to the exponent field.
	t := n + expMagic
	return math.Float64frombits(math.Float64bits(e) + math.Float64bits(t)<<52)
}

// mgBlockGo writes B(v) = 1/(1 + k·e^{−a·v}) into out.
func mgBlockGo(out, v []float64, a, k float64) {
	out = out[:len(v)]
	for q, x := range v {
		out[q] = 1 / (1 + k*mgExp(-a*x))
	}
}

// mgBlock is mgBlockGo, four neurons at a time where the CPU allows.
func mgBlock(out, v []float64, a, k float64) {
	i := mgBlockVec(out, v, a, k)
	mgBlockGo(out[i:], v[i:], a, k)
}
