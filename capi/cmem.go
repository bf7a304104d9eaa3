package capi

/*
#include <stdint.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>

// bs_map returns n zeroed bytes that start on a 2 MiB boundary and are
// advised for transparent huge pages, or NULL. The unaligned head and the
// tail of the mapping are given back at once.
static void *bs_map(size_t n) {
	const size_t huge = (size_t)2 << 20;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	n = (n + page - 1) / page * page;
	char *b = mmap(NULL, n + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED) {
		return NULL;
	}
	char *p = (char *)(((uintptr_t)b + huge - 1) & ~(uintptr_t)(huge - 1));
	size_t head = (size_t)(p - b); // < huge, so some tail is always left
	if (head > 0) {
		munmap(b, head);
	}
	munmap(p + n, huge - head);
	madvise(p, n, MADV_HUGEPAGE);
	return p;
}

static void bs_unmap(void *p, size_t n) {
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	munmap(p, (n + page - 1) / page * page);
}
#else
static void *bs_map(size_t n) { return NULL; }
static void bs_unmap(void *p, size_t n) {}
#endif
*/
import "C"

import (
	"sync"
	"unsafe"

	"github.com/brainsyn/brainsyn/core/sim"
)

// store is one C allocation with a reference count.
type store struct {
	p      unsafe.Pointer
	bytes  int
	refs   int
	mapped bool // from bs_map, not calloc
}

var stores = struct {
	sync.Mutex
	byID  map[int64]*store
	byPtr map[uintptr]int64
	next  int64
	live  int64 // bytes held
}{byID: map[int64]*store{}, byPtr: map[uintptr]int64{}}

// newStore allocates n zeroed bytes (at least 1) with one reference.
func newStore(n int) (int64, unsafe.Pointer) {
	if n < 1 {
		n = 1
	}
	if err := sim.CheckBytes("allocation", int64(n)); err != nil {
		panic(err)
	}
	// Large stores (a group's state from about 260 000 neurons) get huge
	// pages: delivery adds into them at random places.
	var p unsafe.Pointer
	mapped := n >= sim.HugePage
	if mapped {
		p = C.bs_map(C.size_t(n))
		mapped = p != nil
	}
	if p == nil {
		p = C.calloc(C.size_t(n), 1)
	}
	if p == nil {
		panic(sim.ErrorClassf("MemoryError", "out of memory allocating %d bytes", n))
	}
	sim.Touch(p, n)
	stores.Lock()
	defer stores.Unlock()
	stores.next++
	id := stores.next
	stores.byID[id] = &store{p: p, bytes: n, refs: 1, mapped: mapped}
	stores.byPtr[uintptr(p)] = id
	stores.live += int64(n)
	return id, p
}

// retain adds a reference to the store holding address p.
func retainPtr(p unsafe.Pointer) int64 {
	stores.Lock()
	defer stores.Unlock()
	id, ok := stores.byPtr[uintptr(p)]
	if !ok {
		return 0
	}
	stores.byID[id].refs++
	return id
}

// release drops one reference and frees the memory at zero.
func release(id int64) bool {
	stores.Lock()
	defer stores.Unlock()
	s, ok := stores.byID[id]
	if !ok {
		return false
	}
	s.refs--
	if s.refs == 0 {
		delete(stores.byID, id)
		delete(stores.byPtr, uintptr(s.p))
		stores.live -= int64(s.bytes)
		if s.mapped {
			C.bs_unmap(s.p, C.size_t(s.bytes))
		} else {
			C.free(s.p)
		}
	}
	return true
}

// liveStores is the number of stores not yet freed and their bytes.
func liveStores() (int, int64) {
	stores.Lock()
	defer stores.Unlock()
	return len(stores.byID), stores.live
}

// cAlloc is a sim.Alloc backed by stores; it remembers what it made so the
// owner can release it.
type cAlloc struct {
	mu  sync.Mutex
	ids []int64
}

func (a *cAlloc) keep(id int64) {
	a.mu.Lock()
	a.ids = append(a.ids, id)
	a.mu.Unlock()
}

// checkLen refuses a length the engine must not allocate; sim.Alloc has
// no error result, so it panics with a *sim.Error that guard returns.
func checkLen(n int) {
	if err := sim.CheckElems("allocation", n); err != nil {
		panic(err)
	}
}

func (a *cAlloc) F64(n int) []float64 {
	checkLen(n)
	id, p := newStore(8 * n)
	a.keep(id)
	return unsafe.Slice((*float64)(p), n)
}

func (a *cAlloc) U8(n int) []uint8 {
	checkLen(n)
	id, p := newStore(n)
	a.keep(id)
	return unsafe.Slice((*uint8)(p), n)
}

// releaseAll drops the owner's reference to everything it allocated.
func (a *cAlloc) releaseAll() {
	a.mu.Lock()
	ids := a.ids
	a.ids = nil
	a.mu.Unlock()
	for _, id := range ids {
		release(id)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
