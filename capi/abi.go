package capi

import (
	"errors"
	"strings"
	"unsafe"

	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// The pointer-free cores of the bs_* exports. Each export in exports.go
// only converts C arguments and results; everything that can fail lives
// here, where Go tests and fuzz targets reach it (cgo is not allowed in
// _test.go files).

// errText is the "Class: message" text an export reports for err.
func errText(err error) string {
	msg := err.Error()
	var se *sim.Error
	if !errors.As(err, &se) {
		msg = "ValueError: " + msg
	}
	return msg
}

// classify makes err a *sim.Error whose class is that of the engine error
// it wraps (core wraps errors with the object's name: "syn: ValueError: ..."
// would otherwise reach Python with no class).
func classify(err error) error {
	if err == nil {
		return nil
	}
	if se, ok := err.(*sim.Error); ok {
		return se
	}
	var se *sim.Error
	if errors.As(err, &se) {
		return &sim.Error{Class: se.Class, Msg: strings.Replace(err.Error(), se.Class+": ", "", 1)}
	}
	return &sim.Error{Class: "ValueError", Msg: err.Error()}
}

// writeErr copies err's text, NUL-terminated and truncated, into b.
func writeErr(err error, b []byte) {
	if err == nil || len(b) == 0 {
		return
	}
	k := copy(b[:len(b)-1], errText(err))
	b[k] = 0
}

// goSlice copies n elements from a caller's array at p (nil when n is 0).
func goSlice[T any](p unsafe.Pointer, n int64, what string) ([]T, error) {
	if n < 0 || (n > 0 && p == nil) || n > int64(sim.MaxElements()) {
		return nil, sim.Errorf("bad %s: pointer %v with length %d", what, p, n)
	}
	if n == 0 {
		return nil, nil
	}
	return append([]T(nil), unsafe.Slice((*T)(p), int(n))...), nil
}

// ref is memory handed to the caller with one store reference (sid).
type ref struct {
	p    unsafe.Pointer
	n    int64
	kind int
	sid  int64
}

// varRef is bs_var's core: variable name of node h.
func varRef(h int64, name string) (r ref, err error) {
	defer guard(&err)
	o, err := lockNode(h)
	if err != nil {
		return ref{}, err
	}
	defer o.mu.Unlock() // until the store is retained: Free waits for it
	v, err := nodeVar(o, name)
	if err != nil {
		return ref{}, err
	}
	r.n = int64(v.Len())
	if v.IsBool() {
		r.kind = kindBool
		if len(v.U8) > 0 {
			r.p = unsafe.Pointer(&v.U8[0])
		}
	} else {
		r.kind = kindF64
		if len(v.F64) > 0 {
			r.p = unsafe.Pointer(&v.F64[0])
		}
	}
	if r.p != nil {
		r.sid = retainPtr(r.p)
		if r.sid == 0 {
			return ref{}, sim.ErrorClassf("RuntimeError", "variable %q is not in shareable memory", name)
		}
	}
	return r, nil
}

// monitorRef is bs_monitor's core: the row buffer of monitor k.
func monitorRef(h int64, k int) (r ref, rows, cols int64, err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return ref{}, 0, 0, err
	}
	if !n.call.TryLock() {
		return ref{}, 0, 0, busyErr()
	}
	defer n.call.Unlock()
	m, err := monitorAt(n, k)
	if err != nil {
		return ref{}, 0, 0, err
	}
	switch {
	case m.Events:
		return ref{}, 0, 0, sim.ErrorClassf("TypeError", "monitor %d records events; use bs_monitor_events", k)
	case m.F64 != nil:
		r.kind, r.n = kindF64, int64(len(m.F64))
		if len(m.F64) > 0 {
			r.p = unsafe.Pointer(&m.F64[0])
		}
	default:
		r.kind, r.n = kindBool, int64(len(m.U8))
		if len(m.U8) > 0 {
			r.p = unsafe.Pointer(&m.U8[0])
		}
	}
	if r.p != nil {
		r.sid = retainPtr(r.p)
	}
	return r, int64(m.Rows), int64(m.Cols), nil
}

// monitorEvents is bs_monitor_events' core: a copy of the events as
// (step, index) pairs of int32, one store that Python views as a record
// array without copying again (a large run records tens of millions).
func monitorEvents(h int64, k int) (pairs ref, err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return ref{}, err
	}
	if !n.call.TryLock() {
		return ref{}, busyErr()
	}
	defer n.call.Unlock()
	m, err := monitorAt(n, k)
	if err != nil {
		return ref{}, err
	}
	if !m.Events {
		return ref{}, sim.ErrorClassf("TypeError", "monitor %d records rows, not events", k)
	}
	if len(m.EvStep) == 0 {
		return ref{kind: kindI32}, nil
	}
	id, p := newStore(8 * len(m.EvStep))
	x := unsafe.Slice((*int32)(p), 2*len(m.EvStep))
	for i, s := range m.EvStep {
		x[2*i], x[2*i+1] = s, m.EvIdx[i]
	}
	return ref{p: p, n: int64(len(x)), kind: kindI32, sid: id}, nil
}

// copyI32 puts x in a new store owned by the caller.
func copyI32(x []int32) ref {
	id, p := newStore(4 * len(x))
	copy(unsafe.Slice((*int32)(p), len(x)), x)
	return ref{p: p, n: int64(len(x)), kind: kindI32, sid: id}
}

// connFromIJChecked is bs_conn_from_ij's core.
func connFromIJChecked(npre, npost int64, pre, post []int32) (h int64, err error) {
	defer guard(&err)
	if npre > 1<<31-1 || npost > 1<<31-1 || npre < 0 || npost < 0 {
		return 0, sim.Errorf("sizes must be in [1, 2^31), got pre %d and post %d", npre, npost)
	}
	return connFromIJ(int(npre), int(npost), pre, post)
}

// connIDs is bs_conn_ids' core: a copy of the pre (which 0) or post ids.
func connIDs(h int64, which int) (r ref, err error) {
	defer guard(&err)
	o, err := lookup(h)
	if err != nil {
		return ref{}, err
	}
	if !o.lock() { // a synapse makes its list of pre ids on first use
		return ref{}, closedErr(h)
	}
	defer o.mu.Unlock()
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
		case *synapse.RateSyn:
			pre, post = s.PreIDs(), s.PostIDs()
		default:
			return ref{}, sim.ErrorClassf("TypeError", "handle %d has no synapse list", h)
		}
	}
	if which != 0 {
		return copyI32(post), nil
	}
	return copyI32(pre), nil
}

// storeRelease is bs_store_release's core.
func storeRelease(id int64) (err error) {
	defer guard(&err)
	if !release(id) {
		return sim.Errorf("store %d does not exist", id)
	}
	return nil
}

// storeBytes is the size of live store id (0 if there is none): tests check
// that memory handed out is as long as the length reported with it.
func storeBytes(id int64) int {
	stores.Lock()
	defer stores.Unlock()
	if s, ok := stores.byID[id]; ok {
		return s.bytes
	}
	return 0
}

// netInput is bs_net_input's core.
func netInput(h int64, node int, v string, op byte, iter bool, width int64, data []float64) error {
	if width < 1 || width > int64(sim.MaxElements()) {
		return sim.Errorf("bad input array: length %d, width %d", len(data), width)
	}
	return addInput(h, node, v, op, iter, int(width), data)
}
