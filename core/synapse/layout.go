// Layouts: where a chemical projection keeps its gating state.

package synapse

import "github.com/brainsyn/brainsyn/core/sim"

// Layout is where the gating state lives.
type Layout int

const (
	Auto    Layout = iota
	PerSyn         // one state per synapse: the reference
	PerPre         // one state per presynaptic neuron
	PerPost        // linear kinetics summed per postsynaptic neuron
)

var layoutNames = map[string]Layout{"auto": Auto, "synapse": PerSyn, "pre": PerPre, "post": PerPost}

// ParseLayout maps "auto", "synapse", "pre", "post" to a Layout.
func ParseLayout(s string) (Layout, error) {
	l, ok := layoutNames[s]
	if !ok {
		return 0, sim.Errorf("layout must be 'auto', 'synapse', 'pre' or 'post', got %q", s)
	}
	return l, nil
}

func (l Layout) String() string {
	for k, v := range layoutNames {
		if v == l {
			return k
		}
	}
	return "?"
}
