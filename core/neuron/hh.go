package neuron

import (
	"math"

	"github.com/brainsyn/brainsyn/core/sim"
)

// HHParams are the BrainModels 0.3 Hodgkin–Huxley defaults (reference §3.2).
type HHParams struct {
	ENa, GNa, EK, GK, EL, GL, VTh, C float64
}

// DefaultHH returns the BrainModels defaults.
func DefaultHH() HHParams {
	return HHParams{ENa: 50, GNa: 120, EK: -77, GK: 36, EL: -54.387, GL: 0.03, VTh: 20, C: 1}
}

// HH is the Hodgkin–Huxley group, integrated with exponential Euler per
// variable (each with the others at their old values). A spike is an upward
// crossing of V_th; there is no reset.
type HH struct {
	base
	P       HHParams
	m, h, k []float64 // k is the gate n
}

// Check validates the parameters against the registry's bounds (builtin.go).
func (p HHParams) Check() error {
	_, err := hhDef.params(values(p.fields()), nil)
	return err
}

// NewHH makes an HH group.
func NewHH(a sim.Alloc, shape []int, p HHParams) (*HH, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	g := &HH{base: b, P: p, m: a.F64(b.n), h: a.F64(b.n), k: a.F64(b.n)}
	fill(g.v, -65)
	fill(g.m, 0.5)
	fill(g.h, 0.6)
	fill(g.k, 0.32)
	g.add("m", g.m)
	g.add("h", g.h)
	g.add("n", g.k)
	return g, nil
}

func (g *HH) Kind() string               { return "HH" }
func (g *HH) Prepare(c *sim.Clock) error { return nil }
func (g *HH) Update(c *sim.Clock)        { c.Pool.For(g.n, func(lo, hi int) { g.update(c.Dt, lo, hi) }) }

func (g *HH) update(dt float64, lo, hi int) {
	p := g.P
	for i := lo; i < hi; i++ {
		v, m, h, n := g.v[i], g.m[i], g.h[i], g.k[i]
		am := 0.1 * vtrap(v+40, 10)
		bm := 4 * math.Exp(-(v+65)/18)
		ah := 0.07 * math.Exp(-(v+65)/20)
		bh := 1 / (1 + math.Exp(-(v+35)/10))
		an := 0.01 * vtrap(v+55, 10)
		bn := 0.125 * math.Exp(-(v+65)/80)
		g.m[i] = sim.ExpEuler(m, am*(1-m)-bm*m, -(am + bm), dt)
		g.h[i] = sim.ExpEuler(h, ah*(1-h)-bh*h, -(ah + bh), dt)
		g.k[i] = sim.ExpEuler(n, an*(1-n)-bn*n, -(an + bn), dt)
		gna := p.GNa * m * m * m * h
		gk := p.GK * n * n * n * n
		f := (-gna*(v-p.ENa) - gk*(v-p.EK) - p.GL*(v-p.EL) + g.input[i]) / p.C
		nv := sim.ExpEuler(v, f, -(gna+gk+p.GL)/p.C, dt)
		g.spike[i] = b2u(v < p.VTh && nv >= p.VTh)
		g.v[i] = nv
		g.input[i] = 0
	}
}

// vtrap is x/(1 − e^{−x/k}), with its limit k at x = 0: the rates α_m and
// α_n are 0/0 at V = −40 and −55 mV, where the plain formula gives NaN.
func vtrap(x, k float64) float64 {
	if math.Abs(x/k) < 1e-6 {
		return k + x/2 // first-order Taylor term
	}
	return x / (1 - math.Exp(-x/k))
}
