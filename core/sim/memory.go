package sim

import (
	"sync/atomic"
	"unsafe"
)

// The engine checks large allocations against the memory the process may
// still take, so that a size typed in the wrong units fails with a
// MemoryError instead of the kernel's out-of-memory killer or Go's
// unrecoverable "out of memory" ending the interpreter. Checked memory is
// touched as soon as it is allocated (Touch): what the kernel has only
// promised does not show in the figures the next check reads.

// checkFrom is the smallest allocation checked: reading the limits costs
// tens of microseconds.
const checkFrom = 1 << 20

// available, when set by tests, replaces the figures read from the
// system.
var available atomic.Pointer[func() int64]

// SetAvailable makes the checks use f instead of the system's figures
// (nil restores them) and returns the previous override.
func SetAvailable(f func() int64) func() int64 {
	var p *func() int64
	if f != nil {
		p = &f
	}
	if old := available.Swap(p); old != nil {
		return *old
	}
	return nil
}

// Available is the memory in bytes the process may still take: the least
// of what the machine has available, what its cgroup allows beyond its
// usage and what its address-space limit (RLIMIT_AS) leaves.
func Available() int64 {
	if f := available.Load(); f != nil {
		return (*f)()
	}
	return systemAvailable()
}

// CheckBytes returns a MemoryError naming what unless n bytes fit in nine
// tenths of Available (the rest is headroom for everything else).
func CheckBytes(what string, n int64) error {
	if n < checkFrom {
		return nil
	}
	if avail := Available(); n > avail/10*9 {
		return ErrorClassf("MemoryError", "%s needs %.3g GiB but only %.3g GiB of memory is available; reduce the size",
			what, float64(n)/(1<<30), float64(max(avail, 0))/(1<<30))
	}
	return nil
}

// MakeF64 makes a zeroed slice of n floats after CheckBytes and touches it.
func MakeF64(what string, n int) ([]float64, error) {
	if err := CheckElems(what, n); err != nil {
		return nil, err
	}
	if err := CheckBytes(what, 8*int64(n)); err != nil {
		return nil, err
	}
	x := make([]float64, n)
	Touch(unsafe.Pointer(unsafe.SliceData(x)), 8*n)
	return x, nil
}

// Touch writes a zero into every page of the n bytes at p (which must be
// zero already), so the memory counts as used from now on.
func Touch(p unsafe.Pointer, n int) {
	if n < checkFrom {
		return
	}
	b := unsafe.Slice((*byte)(p), n)
	for i := 0; i < n; i += 4096 {
		b[i] = 0
	}
}
