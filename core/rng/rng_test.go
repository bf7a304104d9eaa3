package rng

import (
	"math"
	"testing"
)

func TestUniformMoments(t *testing.T) {
	const n = 200000
	var sum, sq float64
	for i := uint64(0); i < n; i++ {
		u := Uniform(7, 3, i)
		if u < 0 || u >= 1 {
			t.Fatalf("draw %d out of [0,1): %v", i, u)
		}
		sum += u
		sq += u * u
	}
	mean := sum / n
	variance := sq/n - mean*mean
	// Standard error of the mean is sqrt(1/12/n) ≈ 6.5e-4.
	if math.Abs(mean-0.5) > 4*math.Sqrt(1.0/12/n) {
		t.Errorf("mean %v", mean)
	}
	if math.Abs(variance-1.0/12) > 2e-3 {
		t.Errorf("variance %v", variance)
	}
}

func TestStreamsDiffer(t *testing.T) {
	if Uint64(1, 0, 0) == Uint64(1, 1, 0) || Uint64(1, 0, 0) == Uint64(2, 0, 0) {
		t.Fatal("streams or seeds collide")
	}
}

func TestKeyMatchesUint64(t *testing.T) {
	for _, c := range []uint64{0, 1, 12345, 1 << 40} {
		if FromKey(Key(9, 77), c) != Uint64(9, 77, c) {
			t.Fatalf("counter %d: FromKey differs from Uint64", c)
		}
	}
}
