//go:build amd64 && !purego

package neuron

import (
	"slices"

	"golang.org/x/sys/cpu"
)

var haveAVX2 = cpu.X86.HasAVX2

// haveAVX512 is whether the eight-wide kernel can run; wide is whether it
// does (tests turn it off to check the four-wide one on the same CPU).
var (
	haveAVX512 = haveAVX2 && cpu.X86.HasAVX512F
	wide       = haveAVX512
)

// spread4 and spread8 map 4 and 8 mask bits to as many bytes of 0/1
// (little endian): the kernels' spike and refractory flags.
var (
	spread4 = spreadBits[uint32](4)
	spread8 = spreadBits[uint64](8)
)

func spreadBits[T uint32 | uint64](bits int) []T {
	t := make([]T, 1<<bits)
	for b := range t {
		for j := 0; j < bits; j++ {
			if b>>j&1 != 0 {
				t[b] |= 1 << (8 * j)
			}
		}
	}
	return t
}

// lif2Consts is what the assembly kernels read besides the arrays: each
// constant broadcast to four lanes so that it can be a memory operand.
// lif2consts_amd64.h holds its offsets.
type lif2Consts struct {
	t, tref, ea, eb, da, db, k, vr, r, vth, vreset, bias [4]float64
	biasOn, inZero                                       uint64
}

//go:noescape
func lif2AVX2(c *lif2Consts, v, in, tl, sa, sb *float64, sp, rf *uint8, table *uint32, n int, spk *int32) (done, nspk int)

//go:noescape
func lif2AVX512(c *lif2Consts, v, in, tl, sa, sb *float64, sp, rf *uint8, table *uint64, n int) int

func bcast(x float64) [4]float64 { return [4]float64{x, x, x, x} }

// update2vec runs update2 eight neurons at a time with AVX-512 where the
// CPU has it, then four at a time with AVX2, and returns the neuron index
// where the scalar loop must take over. The kernels perform update2's
// operations in the same order (no fused multiply-add), so the results
// are bit-identical.
func (g *LIF) update2vec(t float64, v, in, tl, sa, sb []float64, sp, rf []uint8, lo int, spk []int32) ([]int32, int) {
	n := len(v) &^ 3
	if !haveAVX2 || n == 0 {
		return spk, 0
	}
	in, tl, sa, sb, sp, rf = in[:n], tl[:n], sa[:n], sb[:n], sp[:n], rf[:n]
	p := g.P
	a, b := g.chans[0], g.chans[1]
	c := lif2Consts{t: bcast(t), tref: bcast(g.tRef), ea: bcast(a.E), eb: bcast(b.E),
		da: bcast(a.Decay), db: bcast(b.Decay), k: bcast(g.dtTau), vr: bcast(p.VRest),
		r: bcast(p.R), vth: bcast(p.VTh), vreset: bcast(p.VReset), bias: bcast(g.bias)}
	if g.biasOn {
		c.biasOn = 1
	}
	if g.inZero {
		c.inZero = 1
	}
	i := 0
	if wide && n >= 8 {
		i = lif2AVX512(&c, &v[0], &in[0], &tl[0], &sa[0], &sb[0], &sp[0], &rf[0], &spread8[0], n&^7)
		// Spikes are rare: collect them from the flags afterwards
		// (appendSpikes tests 32 at a time), so that the kernel keeps no list.
		spk = appendSpikes(spk, sp[:i], lo)
	}
	if i < n {
		// The four-wide kernel lists the spikes itself, from lane 0 of its
		// first neuron; room for one per neuron.
		spk = slices.Grow(spk, n-i)
		m := len(spk)
		done, ns := lif2AVX2(&c, &v[i], &in[i], &tl[i], &sa[i], &sb[i], &sp[i], &rf[i], &spread4[0], n-i, &spk[:m+n-i][m])
		spk = spk[:m+ns]
		for k := m; k < len(spk); k++ {
			spk[k] += int32(lo + i)
		}
		i += done
	}
	return spk, i
}
