//go:build linux

package sim

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// AdviseHugePages asks the kernel to map the whole 2 MiB pages inside x
// with transparent huge pages, those already touched included (they are
// collapsed now). Delivery reads the rows of a large projection and adds
// into large state arrays at random places; with 4 KiB pages nearly every
// such access also misses the TLB, and under virtualisation a TLB miss is
// a two-level page walk. It is only advice: a kernel without huge pages,
// or without MADV_COLLAPSE (before Linux 6.1), leaves x as it is.
func AdviseHugePages[T any](x []T) {
	if len(x) == 0 {
		return
	}
	p := uintptr(unsafe.Pointer(&x[0]))
	n := uintptr(len(x)) * unsafe.Sizeof(x[0])
	lo := (p + HugePage - 1) &^ (HugePage - 1)
	hi := (p + n) &^ (HugePage - 1)
	if hi <= lo {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(&x[0]), lo-p)), hi-lo)
	if unix.Madvise(b, unix.MADV_HUGEPAGE) == nil {
		_ = unix.Madvise(b, unix.MADV_COLLAPSE)
	}
}
