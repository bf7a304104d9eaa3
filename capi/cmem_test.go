package capi

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Stores of 2 MiB or more are mapped on a huge page boundary on Linux;
// either way they start zeroed and are freed with their last reference.
func TestStoresLargeAndSmall(t *testing.T) {
	n0, b0 := liveStores()
	for _, n := range []int{1, 4096, sim.HugePage - 1, sim.HugePage, 3*sim.HugePage + 12345} {
		id, p := newStore(n)
		b := unsafe.Slice((*byte)(p), n)
		for i, x := range b {
			if x != 0 {
				t.Fatalf("store of %d bytes: byte %d is %d, want 0", n, i, x)
			}
		}
		b[0], b[n-1] = 1, 2
		aligned := uintptr(p)%sim.HugePage == 0
		if runtime.GOOS == "linux" && n >= sim.HugePage && !aligned {
			t.Errorf("store of %d bytes at %p: not on a 2 MiB boundary", n, p)
		}
		if retainPtr(p) != id {
			t.Fatalf("store of %d bytes: retain found another id", n)
		}
		if !release(id) || !release(id) {
			t.Fatalf("store of %d bytes: release failed", n)
		}
		if release(id) {
			t.Fatalf("store of %d bytes: released three times", n)
		}
	}
	if n, b := liveStores(); n != n0 || b != b0 {
		t.Errorf("live stores %d (%d bytes), want %d (%d bytes)", n, b, n0, b0)
	}
}
