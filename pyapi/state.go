package pyapi

import "github.com/brainsyn/brainsyn/capi"

// SaveState returns the full internal state of a neuron group or synapse
// (variables, delay lines, step counters) as base64 text.
func SaveState(h int64) (string, error) { return capi.SaveState(h) }

// LoadState restores a state returned by SaveState into an object of the
// same model and size, or nothing of it when any part is refused.
func LoadState(h int64, data string) error { return capi.LoadState(h, data) }

// CheckState returns the error LoadState would give for data, changing
// nothing.
func CheckState(h int64, data string) error { return capi.CheckState(h, data) }

// LoadStates restores every object of a network at once (JSON list of
// SaveState results in the network's order) and sets its step counter, or
// changes nothing when any state is refused.
func LoadStates(net int64, states string, steps int64) error {
	return capi.LoadStates(net, states, steps)
}
