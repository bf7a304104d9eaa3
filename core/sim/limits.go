package sim

import (
	"math"
	"sync/atomic"
)

// maxElements bounds the length of any one array the engine allocates
// (state, delay rings, monitor buffers, connectivity). The default, 2^32
// elements (32 GiB of float64), turns absurd sizes from hostile or mistyped
// input into an error instead of an allocation that takes the machine down.
var maxElements atomic.Int64

func init() { maxElements.Store(1 << 32) }

// MaxElements is the current bound on one array's length.
func MaxElements() int { return int(maxElements.Load()) }

// SetMaxElements changes the bound and returns the previous one (fuzz tests
// lower it so that no input can allocate more than a few MiB).
func SetMaxElements(n int) int {
	if n < 1 {
		n = 1
	}
	return int(maxElements.Swap(int64(n)))
}

// CheckElems returns an error naming what unless the product of dims is a
// valid array length within MaxElements. It never overflows.
func CheckElems(what string, dims ...int) error {
	limit := maxElements.Load()
	p := int64(1)
	for _, d := range dims {
		if d < 0 {
			return Errorf("%s: size %v has a negative dimension", what, dims)
		}
		if d == 0 {
			return nil
		}
		if int64(d) > limit || p > limit/int64(d) {
			return ErrorClassf("MemoryError", "%s: %v elements is more than the engine allows in one array (%d); reduce the size", what, dims, limit)
		}
		p *= int64(d)
	}
	return nil
}

// clampSteps converts a non-negative step count computed in float64 to int
// without the undefined behaviour of converting a value beyond int range.
func clampSteps(n float64) int {
	if !(n < math.MaxInt32) { // NaN too
		return math.MaxInt32
	}
	if n < 0 {
		return 0
	}
	return int(n)
}
