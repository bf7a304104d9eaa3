//go:build !linux

package sim

// AdviseHugePages does nothing where the kernel offers no such advice.
func AdviseHugePages[T any](x []T) {}
