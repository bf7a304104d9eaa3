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
	st, ok := o.node.(sim.Stateful)
	if !ok {
		return sim.ErrorClassf("TypeError", "%s cannot load a state", o.name)
	}
	if o.busy.Load() {
		return sim.ErrorClassf("RuntimeError", "%s is in use by a running network; load its state before or after a run", o.name)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return sim.Errorf("%s: saved state is not valid base64 (%v)", o.name, err)
	}
	set, err := st.ReadState(raw)
	if err != nil {
		return err
	}
	if apply {
		set()
	}
	return nil
}
