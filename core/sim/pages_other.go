//go:build !linux

package sim

// HugePage is the size of a transparent huge page on x86-64.
const HugePage = 2 << 20

// AdviseHugePages does nothing where the kernel offers no such advice.
func AdviseHugePages[T any](x []T) {}
