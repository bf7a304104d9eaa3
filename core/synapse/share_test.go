package synapse

import (
	"math/rand"
	"slices"
	"testing"
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
