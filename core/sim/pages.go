package sim

import "unsafe"

// HugePage is the size of a transparent huge page on x86-64.
const HugePage = 2 << 20

// hugeAligned makes a slice of n elements; one of 2 MiB or more starts on
// a huge page boundary and is advised for huge pages, as the C allocator's
// stores are (a 2.6 MB array at a random offset often holds no whole huge
// page at all).
func hugeAligned[T any](n int) []T {
	var z T
	size := int(unsafe.Sizeof(z))
	if n*size < HugePage {
		return make([]T, n)
	}
	pad := HugePage / size
	b := make([]T, n+pad)
	off := int(-uintptr(unsafe.Pointer(&b[0]))&(HugePage-1)) / size
	x := b[off : off+n : off+n]
	AdviseHugePages(x)
	return x
}
