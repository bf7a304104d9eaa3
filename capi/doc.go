// Package capi is the boundary between the Go engine and other languages:
// C-allocated state memory, a registry of integer handles, and the C ABI
// (bs_* functions, see brainsyn.h).
//
// Rules every entry point keeps:
//   - handles are int64 > 0; 0 is never valid;
//   - every call recovers panics and reports them as errors: a Go panic
//     never reaches the caller;
//   - memory handed out (variable and monitor buffers) is C memory owned by
//     a reference-counted store: the object holds one reference, each view
//     the caller takes holds one more (bs_store_release drops it), and the
//     memory is freed when the count reaches zero;
//   - Go never prints; messages travel back as errors;
//   - calls come from many threads at once (the GIL is released): every
//     entry point that reads or changes a node holds its object's lock;
//     a run holds none, but marks its nodes busy, under their locks, and
//     changes are refused while it lasts. Locks are taken in the order
//     network call, objects (by handle), registry and stores, never back.
package capi
