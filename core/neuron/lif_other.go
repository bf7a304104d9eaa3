//go:build !amd64 || purego

package neuron

const haveAVX2 = false

// update2vec has no vector form in this build; the scalar loop does all.
func (g *LIF) update2vec(t float64, v, in, tl, sa, sb []float64, sp, rf []uint8, lo int, spk []int32) ([]int32, int) {
	return spk, 0
}

const haveAVX512 = false

var wide = false
