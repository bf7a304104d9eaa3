package capi

/*
#include <stdint.h>
*/
import "C"

import (
	"unsafe"

	"github.com/brainsyn/brainsyn/core/sim"
)

// The C ABI. Each export is a thin shim: it converts C arguments, calls
// its pointer-free core in abi.go or api.go (which recovers panics), and
// writes results through the caller's pointers inside a guard, so that a
// NULL result pointer is an error too.

// Status codes: 0 is success; otherwise the error text ("Class: message")
// is written, NUL-terminated and truncated, into the caller's buffer.
const (
	ok     = 0
	failed = 1
)

func report(err error, buf *C.char, n C.int) C.int {
	if err == nil {
		return ok
	}
	if buf != nil && n > 0 {
		writeErr(err, unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n)))
	}
	return failed
}

// out checks the caller's result pointers, then runs f, which writes
// through them; a NULL result pointer is an error, not a fault.
func out(err *error, f func(), ptrs ...unsafe.Pointer) {
	if *err != nil {
		return
	}
	for _, p := range ptrs {
		if p == nil {
			*err = sim.Errorf("a result pointer is NULL")
			return
		}
	}
	defer guard(err)
	f()
}

func up[T any](p *T) unsafe.Pointer { return unsafe.Pointer(p) }

// Kinds of element in a buffer.
const (
	kindF64  = 0
	kindBool = 1
	kindI32  = 2
)

//export bs_version
func bs_version() C.int { return 1 }

//export bs_var
func bs_var(h C.int64_t, name *C.char, ptr *unsafe.Pointer, n *C.int64_t, kind *C.int, storeID *C.int64_t, buf *C.char, blen C.int) C.int {
	r, err := varRef(int64(h), C.GoString(name))
	out(&err, func() { *ptr, *n, *kind, *storeID = r.p, C.int64_t(r.n), C.int(r.kind), C.int64_t(r.sid) },
		up(ptr), up(n), up(kind), up(storeID))
	if err != nil && r.sid != 0 {
		release(r.sid)
	}
	return report(err, buf, blen)
}

//export bs_store_release
func bs_store_release(id C.int64_t) C.int {
	if storeRelease(int64(id)) != nil {
		return failed
	}
	return ok
}

//export bs_monitor
func bs_monitor(h C.int64_t, k C.int, ptr *unsafe.Pointer, rows, cols *C.int64_t, kind *C.int, storeID *C.int64_t, buf *C.char, blen C.int) C.int {
	r, nr, nc, err := monitorRef(int64(h), int(k))
	out(&err, func() {
		*rows, *cols = C.int64_t(nr), C.int64_t(nc)
		*ptr, *kind, *storeID = r.p, C.int(r.kind), C.int64_t(r.sid)
	}, up(ptr), up(rows), up(cols), up(kind), up(storeID))
	if err != nil && r.sid != 0 {
		release(r.sid)
	}
	return report(err, buf, blen)
}

//export bs_monitor_events
func bs_monitor_events(h C.int64_t, k C.int, pairs *unsafe.Pointer, n *C.int64_t, sid *C.int64_t, buf *C.char, blen C.int) C.int {
	r, err := monitorEvents(int64(h), int(k))
	out(&err, func() {
		*pairs, *n, *sid = r.p, C.int64_t(r.n/2), C.int64_t(r.sid)
	}, up(pairs), up(n), up(sid))
	if err != nil && r.sid != 0 {
		release(r.sid)
	}
	return report(err, buf, blen)
}

//export bs_set_array
func bs_set_array(h C.int64_t, name *C.char, x *C.double, n C.int64_t, buf *C.char, blen C.int) C.int {
	vals, err := goSlice[float64](unsafe.Pointer(x), int64(n), "array")
	if err == nil {
		err = setArray(int64(h), C.GoString(name), vals)
	}
	return report(err, buf, blen)
}

//export bs_conn_from_ij
func bs_conn_from_ij(npre, npost C.int64_t, pre, post *C.int32_t, n C.int64_t, outH *C.int64_t, buf *C.char, blen C.int) C.int {
	p, err := goSlice[int32](unsafe.Pointer(pre), int64(n), "pre index array")
	var q []int32
	if err == nil {
		q, err = goSlice[int32](unsafe.Pointer(post), int64(n), "post index array")
	}
	var h int64
	if err == nil {
		h, err = connFromIJChecked(int64(npre), int64(npost), p, q)
	}
	out(&err, func() { *outH = C.int64_t(h) }, up(outH))
	if err != nil && h != 0 {
		Free(h)
	}
	return report(err, buf, blen)
}

//export bs_conn_ids
func bs_conn_ids(h C.int64_t, which C.int, ptr *unsafe.Pointer, n *C.int64_t, storeID *C.int64_t, buf *C.char, blen C.int) C.int {
	r, err := connIDs(int64(h), int(which))
	out(&err, func() { *n, *ptr, *storeID = C.int64_t(r.n), r.p, C.int64_t(r.sid) }, up(ptr), up(n), up(storeID))
	if err != nil && r.sid != 0 {
		release(r.sid)
	}
	return report(err, buf, blen)
}

//export bs_net_input
func bs_net_input(h C.int64_t, node C.int, v *C.char, op C.char, iter C.int, width C.int64_t, data *C.double, n C.int64_t, buf *C.char, blen C.int) C.int {
	vals, err := goSlice[float64](unsafe.Pointer(data), int64(n), "input array")
	if err == nil {
		err = netInput(int64(h), int(node), C.GoString(v), byte(op), iter != 0, int64(width), vals)
	}
	return report(err, buf, blen)
}

//export bs_live
func bs_live(objects, nstores, bytes *C.int64_t) C.int {
	o, s := Live()
	b := LiveBytes()
	var err error
	out(&err, func() { *objects, *nstores, *bytes = C.int64_t(o), C.int64_t(s), C.int64_t(b) },
		up(objects), up(nstores), up(bytes))
	if err != nil {
		return failed
	}
	return ok
}
