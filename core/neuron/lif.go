package neuron

import (
	"math"

	"github.com/brainsyn/brainsyn/core/sim"
)

// LIFParams are BrainModels 0.3 LIF defaults (reference §3.1). The code
// default t_refractory = 1 ms is used (its docstring said 5).
type LIFParams struct {
	VRest, VReset, VTh, R, Tau, TRef float64
	// Method is "euler" (default) or "exponential_euler".
	Method string
}

// DefaultLIF returns the BrainModels defaults.
func DefaultLIF() LIFParams {
	return LIFParams{VRest: 0, VReset: -5, VTh: 20, R: 1, Tau: 10, TRef: 1, Method: "euler"}
}

// Check validates the parameters.
func (p LIFParams) Check() error {
	for _, c := range []struct {
		n string
		v float64
	}{{"V_rest", p.VRest}, {"V_reset", p.VReset}, {"V_th", p.VTh}, {"R", p.R}} {
		if err := sim.CheckFinite(c.n, c.v); err != nil {
			return err
		}
	}
	if err := sim.CheckPositive("tau", p.Tau); err != nil {
		return err
	}
	if err := sim.CheckNonNeg("t_refractory", p.TRef); err != nil {
		return err
	}
	if p.Method != "euler" && p.Method != "exponential_euler" && p.Method != "exact" {
		return sim.Errorf("LIF: unknown method %q; valid: euler, exponential_euler, exact", p.Method)
	}
	return nil
}

// LIF is the leaky integrate-and-fire group:
//
//	τ dV/dt = −(V − V_rest) + R·I,  spike when V ≥ V_th, then V = V_reset
//	and V is held for t_refractory after the spike (t − t_last ≤ t_ref).
type LIF struct {
	base
	P     LIFParams
	tLast []float64
	decay float64 // e^{−dt/τ} for the exponential methods
}

// NewLIF makes a LIF group of the given shape.
func NewLIF(a sim.Alloc, shape []int, p LIFParams) (*LIF, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	g := &LIF{base: b, P: p}
	g.refr = a.U8(g.n)
	g.tLast = a.F64(g.n)
	fill(g.v, p.VRest)
	fill(g.tLast, -1e7)
	g.addBool("refractory", g.refr)
	g.add("t_last_spike", g.tLast)
	return g, nil
}

func (g *LIF) Kind() string { return "LIF" }

func (g *LIF) Prepare(c *sim.Clock) error {
	g.decay = math.Exp(-c.Dt / g.P.Tau)

	return nil
}

// Update follows the BrainModels numba loop per neuron.
func (g *LIF) Update(c *sim.Clock) {
	// Spike times are on the continued axis (Clock.Abs): the refractory
	// period carries across runs, whose times restart at 0 (reference §7.11).
	c.Pool.For(g.n, func(lo, hi int) { g.update(c.Abs, c.Dt, lo, hi) })
}

func (g *LIF) update(t, dt float64, lo, hi int) {
	p := g.P
	v, in, sp, rf, tl := g.v[lo:hi], g.input[lo:hi], g.spike[lo:hi], g.refr[lo:hi], g.tLast[lo:hi]
	exp := p.Method != "euler"
	for i := range v {
		refr := t-tl[i] <= p.TRef
		s := false
		if !refr {
			var nv float64
			if exp {
				// Exact for constant input: V∞ + (V − V∞)e^{−dt/τ}.
				vinf := p.VRest + p.R*in[i]
				nv = vinf + (v[i]-vinf)*g.decay
			} else {
				nv = v[i] + dt*((-v[i]+p.VRest+p.R*in[i])/p.Tau)
			}
			if nv >= p.VTh {
				s = true
				nv = p.VReset
				tl[i] = t
			}
			v[i] = nv
		}
		sp[i] = b2u(s)
		rf[i] = b2u(refr || s)
		in[i] = 0
	}
}
