package synapse

import (
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
)

// lowerBound must give the lower bound whatever the guess, on rows with
// repeats, gaps and values outside the row.
func TestLowerBoundFromAnyGuess(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for it := 0; it < 20000; it++ {
		row := make([]int32, r.Intn(40))
		for k := range row {
			row[k] = int32(r.Intn(60))
		}
		slices.Sort(row)
		x := r.Intn(70) - 5
		g := r.Intn(len(row)+10) - 5
		want, _ := slices.BinarySearch(row, int32(x))
		if got := lowerBound(row, x, g); got != want {
			t.Fatalf("lowerBound(%v, %d, guess %d) = %d, want %d", row, x, g, got, want)
		}
	}
}

// The one-to-one delivery gives the general scatter's bits: with one
// weight or per-synapse weights, with spike counts or without, on the
// whole group and on shares of it.
func TestOneToOneScatterMatchesScatter(t *testing.T) {
	const n = 300
	r := rand.New(rand.NewSource(3))
	indptr, post := make([]int32, n+1), make([]int32, n)
	for p := range post {
		indptr[p+1], post[p] = int32(p+1), int32(p)
	}
	if !oneToOne(indptr, post) || oneToOne(indptr, post[:n-1]) {
		t.Fatal("oneToOne misreads the rows")
	}
	swapped := slices.Clone(post)
	swapped[3], swapped[4] = 4, 3
	if oneToOne(indptr, swapped) {
		t.Fatal("rows 3 → 4 and 4 → 3 taken for one-to-one")
	}
	w := make([]float64, n)
	counts := make([]uint8, n)
	var spiked []int32
	for p := range w {
		w[p] = r.Float64()
		counts[p] = uint8(1 + r.Intn(3))
		if r.Intn(4) == 0 {
			spiked = append(spiked, int32(p))
		}
	}
	g, err := neuron.NewExternal(sim.GoAlloc{}, []int{n})
	if err != nil {
		t.Fatal(err)
	}
	for _, weights := range [][]float64{nil, w} {
		for _, cnt := range [][]uint8{nil, counts} {
			for _, cut := range [][2]int{{0, n}, {0, 128}, {128, n}} {
				run := func(fast bool) []float64 {
					s := &Chem{M: &Model{Weight: 0.7}, post: g, indptr: indptr, postIdx: post, w: weights, rowsSorted: true, oneToOne: fast}
					ys := make([]float64, n)
					for k := range ys {
						ys[k] = 0.1 * float64(k)
					}
					s.scatter(ys, spiked, cnt, cut[0], cut[1])
					return ys
				}
				want, got := run(false), run(true)
				for k := range want {
					if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
						t.Fatalf("weights %v, counts %v, share %v: ys[%d] = %v, general scatter %v", weights != nil, cnt != nil, cut, k, got[k], want[k])
					}
				}
			}
		}
	}
}
