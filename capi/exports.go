package capi

/*
#include <stdint.h>
*/
import "C"

import (
	"errors"
	"unsafe"

	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

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
		msg := err.Error()
		var se *sim.Error
		if !errors.As(err, &se) {
			msg = "ValueError: " + msg
		}
		b := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
		k := copy(b[:n-1], msg)
		b[k] = 0
	}
	return failed
}

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
	var err error
	func() {
		defer guard(&err)
		var v sim.Var
		v, err = lookupVar(int64(h), C.GoString(name))
		if err != nil {
			return
		}
		*n = C.int64_t(v.Len())
		*ptr, *storeID = nil, 0
		if v.IsBool() {
			*kind = kindBool
			if len(v.U8) > 0 {
				*ptr = unsafe.Pointer(&v.U8[0])
			}
		} else {
			*kind = kindF64
			if len(v.F64) > 0 {
				*ptr = unsafe.Pointer(&v.F64[0])
			}
		}
		if *ptr != nil {
			*storeID = C.int64_t(retainPtr(*ptr))
			if *storeID == 0 {
				err = sim.ErrorClassf("RuntimeError", "variable %q is not in shareable memory", C.GoString(name))
			}
		}
	}()
	return report(err, buf, blen)
}

//export bs_store_release
func bs_store_release(id C.int64_t) C.int {
	var err error
	func() {
		defer guard(&err)
		if !release(int64(id)) {
			err = sim.Errorf("store %d does not exist", int64(id))
		}
	}()
	if err != nil {
		return failed
	}
	return ok
}

//export bs_monitor
func bs_monitor(h C.int64_t, k C.int, ptr *unsafe.Pointer, rows, cols *C.int64_t, kind *C.int, storeID *C.int64_t, buf *C.char, blen C.int) C.int {
	var err error
	func() {
		defer guard(&err)
		m, e := monitorAt(int64(h), int(k))
		if e != nil {
			err = e
			return
		}
		*rows, *cols = C.int64_t(m.Rows), C.int64_t(m.Cols)
		*ptr, *storeID = nil, 0
		switch {
		case m.Events:
			err = sim.ErrorClassf("TypeError", "monitor %d records events; use bs_monitor_events", int(k))
			return
		case m.F64 != nil:
			*kind = kindF64
			if len(m.F64) > 0 {
				*ptr = unsafe.Pointer(&m.F64[0])
			}
		default:
			*kind = kindBool
			if len(m.U8) > 0 {
				*ptr = unsafe.Pointer(&m.U8[0])
			}
		}
		if *ptr != nil {
			*storeID = C.int64_t(retainPtr(*ptr))
		}
	}()
	return report(err, buf, blen)
}

// copyI32 puts x in a new store owned by the caller.
func copyI32(x []int32) (unsafe.Pointer, int64) {
	id, p := newStore(4 * len(x))
	copy(unsafe.Slice((*int32)(p), len(x)), x)
	return p, id
}

//export bs_monitor_events
func bs_monitor_events(h C.int64_t, k C.int, steps, idx *unsafe.Pointer, n *C.int64_t, s1, s2 *C.int64_t, buf *C.char, blen C.int) C.int {
	var err error
	func() {
		defer guard(&err)
		m, e := monitorAt(int64(h), int(k))
		if e != nil {
			err = e
			return
		}
		if !m.Events {
			err = sim.ErrorClassf("TypeError", "monitor %d records rows, not events", int(k))
			return
		}
		*n = C.int64_t(len(m.EvStep))
		p1, id1 := copyI32(m.EvStep)
		p2, id2 := copyI32(m.EvIdx)
		*steps, *idx, *s1, *s2 = p1, p2, C.int64_t(id1), C.int64_t(id2)
	}()
	return report(err, buf, blen)
}

//export bs_set_array
func bs_set_array(h C.int64_t, name *C.char, x *C.double, n C.int64_t, buf *C.char, blen C.int) C.int {
	var err error
	func() {
		defer guard(&err)
		if n < 0 || (n > 0 && x == nil) {
			err = sim.Errorf("bad array: pointer %v with length %d", x, int64(n))
			return
		}
		vals := make([]float64, int(n))
		if n > 0 {
			copy(vals, unsafe.Slice((*float64)(unsafe.Pointer(x)), int(n)))
		}
		err = setArray(int64(h), C.GoString(name), vals)
	}()
	return report(err, buf, blen)
}

//export bs_conn_from_ij
func bs_conn_from_ij(npre, npost C.int64_t, pre, post *C.int32_t, n C.int64_t, out *C.int64_t, buf *C.char, blen C.int) C.int {
	var err error
	func() {
		defer guard(&err)
		if n < 0 || (n > 0 && (pre == nil || post == nil)) || npre > 1<<31 || npost > 1<<31 {
			err = sim.Errorf("bad index arrays: length %d", int64(n))
			return
		}
		var p, q []int32
		if n > 0 {
			p = append([]int32(nil), unsafe.Slice((*int32)(unsafe.Pointer(pre)), int(n))...)
			q = append([]int32(nil), unsafe.Slice((*int32)(unsafe.Pointer(post)), int(n))...)
		}
		var h int64
		h, err = connFromIJ(int(npre), int(npost), p, q)
		*out = C.int64_t(h)
	}()
	return report(err, buf, blen)
}

//export bs_conn_ids
func bs_conn_ids(h C.int64_t, which C.int, ptr *unsafe.Pointer, n *C.int64_t, storeID *C.int64_t, buf *C.char, blen C.int) C.int {
	var err error
	func() {
		defer guard(&err)
		o, e := lookup(int64(h))
		if e != nil {
			err = e
			return
		}
		var pre, post []int32
		switch {
		case o.conn != nil:
			pre, post = o.conn.PreIDs(), o.conn.Post
		default:
			switch s := o.node.(type) {
			case *synapse.Chem:
				pre, post = s.PreIDs(), s.PostIDs()
			case *synapse.Gap:
				pre, post = s.PreIDs(), s.PostIDs()
			default:
				err = sim.ErrorClassf("TypeError", "handle %d has no synapse list", int64(h))
				return
			}
		}
		x := pre
		if which != 0 {
			x = post
		}
		*n = C.int64_t(len(x))
		p, id := copyI32(x)
		*ptr, *storeID = p, C.int64_t(id)
	}()
	return report(err, buf, blen)
}

//export bs_net_input
func bs_net_input(h C.int64_t, node C.int, v *C.char, op C.char, iter C.int, width C.int64_t, data *C.double, n C.int64_t, buf *C.char, blen C.int) C.int {
	var err error
	func() {
		defer guard(&err)
		if n < 0 || (n > 0 && data == nil) || width < 1 {
			err = sim.Errorf("bad input array: length %d, width %d", int64(n), int64(width))
			return
		}
		vals := make([]float64, int(n))
		if n > 0 {
			copy(vals, unsafe.Slice((*float64)(unsafe.Pointer(data)), int(n)))
		}
		err = addInput(int64(h), int(node), C.GoString(v), byte(op), iter != 0, int(width), vals)
	}()
	return report(err, buf, blen)
}

//export bs_live
func bs_live(objects, nstores, bytes *C.int64_t) C.int {
	o, s := Live()
	*objects, *nstores, *bytes = C.int64_t(o), C.int64_t(s), C.int64_t(LiveBytes())
	return ok
}
