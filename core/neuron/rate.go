package neuron

import (
	"io"

	"github.com/brainsyn/brainsyn/core/sim"
)

// RateGroup is a group of rate units for the rate-based learning rules
// (Oja, BCM): the BrainPy handbook's `neu`, whose update is r = r. Its
// one variable r is set by inputs (op '=') or by a rate synapse that
// writes r = Σ w·r_pre into it; nothing else changes it. It never spikes.
type RateGroup struct {
	base
}

// NewRateGroup makes a group of rate units at r = 0.
func NewRateGroup(a sim.Alloc, shape []int) (*RateGroup, error) {
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	// r lives in the V slot, so the group is a sim.Group as any other; it
	// is shown only as r, and there is no input to add to (an input
	// would do nothing).
	b.vars = map[string]sim.Var{}
	b.add("r", b.v)
	b.addBool("spike", b.spike)
	return &RateGroup{base: b}, nil
}

func (g *RateGroup) Kind() string               { return "RateGroup" }
func (g *RateGroup) Prepare(c *sim.Clock) error { return nil }
func (g *RateGroup) Update(c *sim.Clock)        {}

// Rate is the rate of each unit, read and written by rate synapses.
func (g *RateGroup) Rate() []float64 { return g.v }

func (g *RateGroup) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }
func (g *RateGroup) ReadState(b []byte) (func(), error) {
	return varsOnly(b, g.Kind(), g.vars)
}

var _ sim.Stateful = (*RateGroup)(nil)
