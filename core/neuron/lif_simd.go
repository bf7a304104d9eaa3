//go:build goexperiment.simd && amd64

package neuron

import (
	"encoding/binary"
	"simd/archsimd"
)

var haveAVX2 = archsimd.X86.AVX2()

// spread4 maps 4 mask bits to 4 bytes of 0/1 (little endian).
var spread4 = func() (t [16]uint32) {
	for b := range t {
		for j := 0; j < 4; j++ {
			if b>>j&1 != 0 {
				t[b] |= 1 << (8 * j)
			}
		}
	}
	return
}()

// update2vec runs update2 four neurons at a time with AVX2 and returns the
// neuron index where the scalar loop must take over. It performs the same
// operations in the same order as update2 (no fused multiply-add), so the
// results are bit-identical.
func (g *LIF) update2vec(t float64, v, in, tl, sa, sb []float64, sp, rf []uint8, lo int, spk []int32) ([]int32, int) {
	if !haveAVX2 {
		return spk, 0
	}
	p := g.P
	a, b := g.chans[0], g.chans[1]
	n := len(v)
	in, tl, sa, sb, sp, rf = in[:n], tl[:n], sa[:n], sb[:n], sp[:n], rf[:n]
	T := archsimd.BroadcastFloat64x4(t)
	tref := archsimd.BroadcastFloat64x4(p.TRef)
	ea, eb := archsimd.BroadcastFloat64x4(a.E), archsimd.BroadcastFloat64x4(b.E)
	da, db := archsimd.BroadcastFloat64x4(a.Decay), archsimd.BroadcastFloat64x4(b.Decay)
	k := archsimd.BroadcastFloat64x4(g.dtTau)
	vr, R := archsimd.BroadcastFloat64x4(p.VRest), archsimd.BroadcastFloat64x4(p.R)
	vth, vreset := archsimd.BroadcastFloat64x4(p.VTh), archsimd.BroadcastFloat64x4(p.VReset)
	zero := archsimd.BroadcastFloat64x4(0)
	bias := archsimd.BroadcastFloat64x4(g.bias)
	i := 0
	for ; i+4 <= n; i += 4 {
		vi := archsimd.LoadFloat64x4Slice(v[i:])
		x := archsimd.LoadFloat64x4Slice(sa[i:])
		y := archsimd.LoadFloat64x4Slice(sb[i:])
		x.Mul(da).StoreSlice(sa[i:])
		y.Mul(db).StoreSlice(sb[i:])
		tlv := archsimd.LoadFloat64x4Slice(tl[i:])
		since := T.Sub(tlv)
		refr := since.LessEqual(tref)
		ini := archsimd.LoadFloat64x4Slice(in[i:])
		if g.biasOn {
			ini = ini.Add(bias)
		}
		cur := ini.Sub(x.Mul(vi.Sub(ea))).Sub(y.Mul(vi.Sub(eb)))
		nv := vi.Add(k.Mul(vr.Sub(vi).Add(R.Mul(cur))))
		fire := nv.GreaterEqual(vth).And(since.Greater(tref))
		nv = vi.Merge(nv, refr) // refractory: V is held
		vreset.Merge(nv, fire).StoreSlice(v[i:])
		T.Merge(tlv, fire).StoreSlice(tl[i:])
		zero.StoreSlice(in[i:])
		fb, rb := fire.ToBits()&15, refr.ToBits()&15
		binary.LittleEndian.PutUint32(sp[i:], spread4[fb])
		binary.LittleEndian.PutUint32(rf[i:], spread4[fb|rb])
		if fb != 0 {
			for j := 0; j < 4; j++ {
				if fb>>j&1 != 0 {
					spk = append(spk, int32(lo+i+j))
				}
			}
		}
	}
	// Leave no dirty upper halves behind: SSE code that follows (math.Exp
	// in an NMDA block, for one) would otherwise pay a transition penalty
	// on every instruction.
	archsimd.ClearAVXUpperBits()
	return spk, i
}
