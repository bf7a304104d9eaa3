package capi

import (
	"bytes"
	"encoding/base64"

	"github.com/brainsyn/brainsyn/core/sim"
)

// SaveState returns the complete internal state of a neuron group or
// synapse (sim.Stateful) as base64 text: gopy strings must be valid UTF-8,
// and the state is binary.
func SaveState(h int64) (data string, err error) {
	defer guard(&err)
	o, err := lockNode(h)
	if err != nil {
		return "", err
	}
	defer o.mu.Unlock()
	st, ok := o.node.(sim.Stateful)
	if !ok {
		return "", sim.ErrorClassf("TypeError", "%s cannot save its state", o.name)
	}
	if o.busy.Load() {
		return "", sim.ErrorClassf("RuntimeError", "%s is in use by a running network; save its state after the run", o.name)
	}
	var buf bytes.Buffer
	if err := st.SaveState(&buf); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// LoadState restores what SaveState returned into an object of the same
// model and size: all of it, or nothing when any part is refused (every
// length, index and flag is checked first). Variables are written in
// place, so numpy views stay valid.
func LoadState(h int64, data string) (err error) { return readState(h, data, true) }

// CheckState returns the error LoadState would, changing nothing: a
// network checks the state of every object before it loads any.
func CheckState(h int64, data string) (err error) { return readState(h, data, false) }

func readState(h int64, data string, apply bool) (err error) {
	defer guard(&err)
	o, err := lockNode(h)
	if err != nil {
		return err
	}
	defer o.mu.Unlock()
	if o.busy.Load() {
		return sim.ErrorClassf("RuntimeError", "%s is in use by a running network; load its state before or after a run", o.name)
	}
	set, err := readBlob(o, data)
	if err == nil && apply {
		set()
	}
	return err
}

// readBlob checks a state for o (locked by the caller) and returns what
// writes it.
func readBlob(o *object, data string) (func(), error) {
	st, ok := o.node.(sim.Stateful)
	if !ok {
		return nil, sim.ErrorClassf("TypeError", "%s cannot load a state", o.name)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, sim.Errorf("%s: saved state is not valid base64 (%v)", o.name, err)
	}
	return st.ReadState(raw)
}

// LoadStates restores every object of network h at once, from a JSON list
// of what SaveState returned (one per object, in the network's order), and
// sets its step counter: all of it, or nothing when any state is refused.
// The objects stay locked and held from the first check to the last write,
// so no run or call on another thread sees half a checkpoint.
func LoadStates(h int64, states string, steps int64) (err error) {
	defer guard(&err)
	var blobs []string
	if err := decode(states, &blobs, "states"); err != nil {
		return err
	}
	if steps < 0 {
		return sim.Errorf("step counter must be >= 0, got %d", steps)
	}
	n, err := idleNet(h, "the state")
	if err != nil {
		return err
	}
	defer n.call.Unlock()
	if len(blobs) != len(n.handles) {
		return sim.Errorf("%d states for a network of %d objects", len(blobs), len(n.handles))
	}
	if err := n.nw.Acquire(); err != nil {
		return err
	}
	defer n.nw.Release()
	unlock, err := n.holdNodes()
	if err != nil {
		return err
	}
	defer n.releaseNodes()
	defer unlock()
	apply := make([]func(), len(blobs))
	for i, x := range n.handles {
		o, err := lookup(x)
		if err != nil {
			return err
		}
		if apply[i], err = readBlob(o, blobs[i]); err != nil {
			return err
		}
	}
	for _, set := range apply {
		set()
	}
	n.nw.SetSteps(uint64(steps))
	return nil
}
