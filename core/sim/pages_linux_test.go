//go:build linux

package sim

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// hugeBytesIn sums AnonHugePages over the mappings of this process that
// overlap [lo, hi).
func hugeBytesIn(t *testing.T, lo, hi uintptr) int {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in, total := false, 0
	for sc.Scan() {
		l := sc.Text()
		var a, b uintptr
		if n, _ := fmt.Sscanf(l, "%x-%x", &a, &b); n == 2 { // a mapping's header
			in = a < hi && b > lo
			continue
		}
		var kb int
		if in && strings.HasPrefix(l, "AnonHugePages:") {
			fmt.Sscanf(strings.TrimPrefix(l, "AnonHugePages:"), "%d", &kb)
			total += kb << 10
		}
	}
	return total
}

func thpOff() bool {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err != nil || strings.Contains(string(b), "[never]")
}

func TestGoAllocLargeIsHugeAligned(t *testing.T) {
	n := 5*HugePage/8 + 3
	x := GoAlloc{}.F64(n)
	if len(x) != n || cap(x) != n {
		t.Fatalf("len %d cap %d, want %d", len(x), cap(x), n)
	}
	p := uintptr(unsafe.Pointer(&x[0]))
	if p%HugePage != 0 {
		t.Fatalf("a %d-element array starts at %#x, not on a 2 MiB boundary", n, p)
	}
	for i, v := range x {
		if v != 0 {
			t.Fatalf("x[%d] = %v, want 0", i, v)
		}
	}
	for i := range x {
		x[i] = float64(i)
	}
	if thpOff() {
		return
	}
	if got := hugeBytesIn(t, p, p+uintptr(8*n)); got < 4*HugePage {
		t.Errorf("%d bytes of huge pages under a %d-byte array, want at least 4 whole ones", got, 8*n)
	}
	if small := (GoAlloc{}).U8(1000); len(small) != 1000 || cap(small) != 1000 {
		t.Errorf("small array: len %d cap %d", len(small), cap(small))
	}
}

// A projection's rows are filled before they are advised: the pages are
// collapsed under the data, which must not change.
func TestAdviseHugePagesKeepsData(t *testing.T) {
	x := make([]int32, 3*HugePage/4+1001)
	for i := range x {
		x[i] = int32(i*7919) ^ 0x5a5a
	}
	AdviseHugePages(x)
	for i, v := range x {
		if v != int32(i*7919)^0x5a5a {
			t.Fatalf("x[%d] = %d changed by the advice", i, v)
		}
	}
	AdviseHugePages(x[:0])
	AdviseHugePages(x[:100])
	if thpOff() {
		return
	}
	p := uintptr(unsafe.Pointer(&x[0]))
	if got := hugeBytesIn(t, p, p+uintptr(4*len(x))); got < HugePage {
		t.Errorf("no huge page under a %d-byte array after the advice", 4*len(x))
	}
}
