package capi

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/sim"
)

// object is what a handle names.
type object struct {
	// mu guards what calls on other threads may change or free: the
	// node's variables (some are made on first use), parameters and
	// state, and its memory. The engine releases the GIL, so two Python
	// threads call at once. A run does not hold mu: busy, set under mu,
	// keeps changes out while it lasts.
	mu    sync.Mutex
	dead  bool // released by unref (guarded by mu)
	node  sim.Node
	conn  *conn.Conn
	net   *network
	alloc *cAlloc
	refs  int         // the caller's reference plus one per network using it
	busy  atomic.Bool // set while a network run holds the node
	name  string
	deps  []int64 // handles this object points into (a synapse's groups)
}

type network struct {
	// call serialises the calls that touch the run's state: a second
	// thread gets an error instead of racing (TryLock), and close waits.
	call    sync.Mutex
	nw      *net.Network
	handles []int64
	inMu    sync.Mutex // guards inputs (queued by one call, taken by Begin)
	inputs  []*net.Input
	mons    []*net.Monitor
	monMem  *cAlloc
	fuse    atomic.Bool // outputs may fold into post groups (SetFusion)
	held    bool
	open    bool // between a successful Begin and End
	nsteps  int
}

var reg = struct {
	sync.Mutex
	m    map[int64]*object
	next int64
}{m: map[int64]*object{}}

func register(o *object) int64 {
	reg.Lock()
	defer reg.Unlock()
	reg.next++
	o.refs = 1
	reg.m[reg.next] = o
	return reg.next
}

func lookup(h int64) (*object, error) {
	reg.Lock()
	defer reg.Unlock()
	o, ok := reg.m[h]
	if !ok {
		return nil, sim.ErrorClassf("ValueError", "invalid handle %d: the object was closed or never existed", h)
	}
	return o, nil
}

func lookupNode(h int64) (*object, error) {
	o, err := lookup(h)
	if err == nil && o.node == nil {
		err = sim.ErrorClassf("TypeError", "handle %d is not a neuron group or synapse", h)
	}
	return o, err
}

// lockNode is lookupNode for a call that reads or changes the node: it
// returns the object locked (the caller unlocks o.mu) and still alive.
func lockNode(h int64) (*object, error) {
	o, err := lookupNode(h)
	if err != nil {
		return nil, err
	}
	if !o.lock() {
		return nil, closedErr(h)
	}
	return o, nil
}

// lockIdle is lockNode for a change to the object, which must not be in a
// running network.
func lockIdle(h int64) (*object, error) {
	o, err := lockNode(h)
	if err == nil && o.busy.Load() {
		o.mu.Unlock()
		return nil, inUseErr(o)
	}
	return o, err
}

// lock locks o unless it has been released since it was looked up.
func (o *object) lock() bool {
	o.mu.Lock()
	if o.dead {
		o.mu.Unlock()
		return false
	}
	return true
}

func closedErr(h int64) error {
	return sim.ErrorClassf("ValueError", "invalid handle %d: the object was closed", h)
}

func inUseErr(o *object) error {
	return sim.ErrorClassf("RuntimeError", "%s is in use by a running network", o.name)
}

func lookupNet(h int64) (*network, error) {
	o, err := lookup(h)
	if err != nil {
		return nil, err
	}
	if o.net == nil {
		return nil, sim.ErrorClassf("TypeError", "handle %d is not a network", h)
	}
	return o.net, nil
}

// unref drops one reference; at zero the object's memory is released.
func unref(h int64) error {
	reg.Lock()
	o, ok := reg.m[h]
	if !ok {
		reg.Unlock()
		return sim.ErrorClassf("ValueError", "invalid handle %d: already closed", h)
	}
	o.refs--
	dead := o.refs == 0
	if dead {
		delete(reg.m, h)
	}
	reg.Unlock()
	if dead {
		// A call on another thread that looked o up first finishes with
		// its memory before it is released; later ones find it dead.
		o.mu.Lock()
		o.dead = true
		o.mu.Unlock()
		if o.net != nil {
			o.net.close()
		}
		if o.alloc != nil {
			o.alloc.releaseAll()
		}
		for _, d := range o.deps {
			unref(d)
		}
	}
	return nil
}

// hold adds a reference to each handle, to be dropped with unrefAll; it
// fails, holding none, if one is closed (by another thread since it was
// looked up), so that an object built over them never reads freed memory.
func hold(hs ...int64) ([]int64, error) {
	reg.Lock()
	defer reg.Unlock()
	for _, h := range hs {
		if _, ok := reg.m[h]; !ok {
			return nil, closedErr(h)
		}
	}
	for _, h := range hs {
		reg.m[h].refs++
	}
	return hs, nil
}

func unrefAll(hs []int64) {
	for _, h := range hs {
		unref(h)
	}
}

func liveObjects() int {
	reg.Lock()
	defer reg.Unlock()
	return len(reg.m)
}

func (n *network) close() {
	n.call.Lock() // wait for a call in progress on another thread
	defer n.call.Unlock()
	n.releaseNodes()
	if n.monMem != nil {
		n.monMem.releaseAll()
	}
	n.nw.Close()
	for _, h := range n.handles {
		unref(h)
	}
	n.handles = nil
}

// holdNodes marks the network's nodes busy and returns them locked, to be
// unlocked with unlock. Locks are taken in handle order, so Begins of two
// networks that share objects never wait for each other.
func (n *network) holdNodes() (unlock func(), err error) {
	hs := slices.Clone(n.handles)
	slices.Sort(hs)
	var locked []*object
	unlock = func() {
		for _, o := range locked {
			o.mu.Unlock()
		}
	}
	for _, h := range hs {
		o, err := lookup(h)
		if err == nil && !o.lock() {
			err = closedErr(h)
		}
		if err != nil {
			unlock()
			return nil, err
		}
		locked = append(locked, o)
		if o.busy.Load() {
			unlock()
			return nil, sim.ErrorClassf("RuntimeError", "%s is in use by another running network", o.name)
		}
	}
	for _, o := range locked {
		o.busy.Store(true)
	}
	n.held = true
	return unlock, nil
}

func (n *network) releaseNodes() {
	if !n.held {
		return
	}
	for _, h := range n.handles {
		if o, err := lookup(h); err == nil {
			o.busy.Store(false)
		}
	}
	n.held = false
}

// guard turns a panic into an error; every entry point defers it. A
// *sim.Error panic (an allocation refused by the size limit) is passed on
// as the error it is.
func guard(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(*sim.Error); ok {
			*err = e
			return
		}
		*err = &sim.Error{Class: "RuntimeError", Msg: fmt.Sprintf("internal error in brainsyn's engine: %v\n%s", r, debug.Stack())}
	}
}

// busyErr is returned when a network is used by a call on another thread.
func busyErr() error {
	return sim.ErrorClassf("RuntimeError", "the network is already running (in a call on another thread)")
}
