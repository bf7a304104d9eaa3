//go:build amd64 && !purego

package synapse

import "golang.org/x/sys/cpu"

var haveAVX2 = cpu.X86.HasAVX2

// mgConsts are the kernel's constants, each broadcast to four lanes so
// that it can be a memory operand; mgblock_amd64.s assumes this layout.
type mgConsts struct {
	negA, k, hi, lo, log2e, half, c1, c2, p0, p1, p2, q0, q1, q2, q3, one, two, magic [4]float64
}

//go:noescape
func mgBlockAVX2(out, v *float64, n int, c *mgConsts)

func bcast(x float64) [4]float64 { return [4]float64{x, x, x, x} }

// mgBlockVec fills out[:i] for the largest multiple of four i ≤ len(v)
// and returns i.
func mgBlockVec(out, v []float64, a, k float64) int {
	n := len(v) &^ 3
	if !haveAVX2 || n == 0 {
		return 0
	}
	out = out[:n]
	c := mgConsts{negA: bcast(-a), k: bcast(k), hi: bcast(expHi), lo: bcast(expLo), log2e: bcast(expLog2e),
		half: bcast(0.5), c1: bcast(expC1), c2: bcast(expC2), p0: bcast(expP0), p1: bcast(expP1), p2: bcast(expP2),
		q0: bcast(expQ0), q1: bcast(expQ1), q2: bcast(expQ2), q3: bcast(expQ3), one: bcast(1), two: bcast(2),
		magic: bcast(expMagic)}
	mgBlockAVX2(&out[0], &v[0], n, &c)
	return n
}
