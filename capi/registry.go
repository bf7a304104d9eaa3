package capi

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/sim"
)

// object is what a handle names.
type object struct {
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

// lookupIdle is lookupNode for a change to the object, which must not be
// in a running network.
func lookupIdle(h int64) (*object, error) {
	o, err := lookupNode(h)
	if err == nil && o.busy.Load() {
		err = sim.ErrorClassf("RuntimeError", "%s is in use by a running network", o.name)
	}
	return o, err
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

// hold adds a reference to each handle for the lifetime of o.
func hold(o *object, hs ...int64) {
	reg.Lock()
	defer reg.Unlock()
	for _, h := range hs {
		if d, ok := reg.m[h]; ok {
			d.refs++
			o.deps = append(o.deps, h)
		}
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
