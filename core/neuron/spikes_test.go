package neuron

import (
	"math/rand"
	"slices"
	"testing"
)

// appendSpikes must list exactly the nonzero flags, in order, for any
// length and any byte values.
func TestAppendSpikesListsNonzeroFlags(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for it := 0; it < 2000; it++ {
		sp := make([]uint8, r.Intn(200))
		p := r.Float64() * 0.3
		for i := range sp {
			if r.Float64() < p {
				sp[i] = uint8(1 + r.Intn(255))
			}
		}
		lo := r.Intn(1000)
		got := appendSpikes([]int32{-1}, sp, lo)
		want := []int32{-1}
		for i, s := range sp {
			if s != 0 {
				want = append(want, int32(lo+i))
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d flags from %d: listed %v, want %v", len(sp), lo, got, want)
		}
	}
}
