package neuron

import (
	"io"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Group is a neuron group of a registered model (registry.go). Each
// neuron is updated on its own, so the pool's fixed blocks give the same
// bits for any thread count.
type Group struct {
	base
	Def    *Def
	P      map[string]float64 // the full parameter set
	Method string
	dyn    Dyn
	st     [][]float64 // the arrays of Def.Vars, st[0] = V
	tLast  []float64   // refractory models
	tRef   float64
	blocks [][]int32
	spiked []int32
}

// NewModel makes a Group of a registered model run by Group (one with
// Make); params override the defaults, method "" is the model's default.
// New makes a group of any registered model.
func NewModel(a sim.Alloc, name string, shape []int, params map[string]float64, method string) (*Group, error) {
	d, ok := registry.Lookup(name)
	if !ok {
		return nil, unknownModel(name)
	}
	if d.Make == nil {
		return nil, sim.Errorf("neuron.NewModel: %s has a group of its own; use New", name)
	}
	p, err := d.params(defaults(d), params)
	if err != nil {
		return nil, err
	}
	if method, err = d.method(method); err != nil {
		return nil, err
	}
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	g := &Group{base: b, Def: d, P: p, Method: method, dyn: d.Make(p)}
	g.tRef = p["t_refractory"]
	init := d.Init(p)
	for k, v := range d.Vars {
		x := g.v
		if k > 0 {
			x = a.F64(g.n)
			g.add(v.Name, x)
		}
		fill(x, init[k])
		g.st = append(g.st, x)
	}
	if d.Refractory {
		g.refr = a.U8(g.n)
		g.tLast = a.F64(g.n)
		fill(g.tLast, -1e7)
		g.addBool("refractory", g.refr)
		g.add("t_last_spike", g.tLast)
	}
	return g, nil
}

func (g *Group) Kind() string               { return g.Def.Name }
func (g *Group) Prepare(c *sim.Clock) error { return nil }

// Spiked lists the neurons that spiked in the last update.
func (g *Group) Spiked() []int32 { return g.spiked }

// SetParams changes parameters from the next run on; nothing changes
// unless all are valid.
func (g *Group) SetParams(change map[string]float64) error {
	p, err := g.Def.params(g.P, change)
	if err != nil {
		return err
	}
	g.P, g.dyn, g.tRef = p, g.Def.Make(p), p["t_refractory"]
	return nil
}

// Update advances every neuron by one step. Spike times are on the
// continued time axis (Clock.Abs), as LIF's.
func (g *Group) Update(c *sim.Clock) {
	nb := g.n/sim.BlockSize + 1
	if len(g.blocks) < nb {
		g.blocks = make([][]int32, nb)
	}
	c.Pool.For(g.n, func(lo, hi int) {
		for ; lo < hi; lo += sim.BlockSize {
			b := lo / sim.BlockSize
			g.blocks[b] = g.update(c.Abs, c.Dt, lo, min(hi, lo+sim.BlockSize), g.blocks[b][:0])
		}
	})
	g.spiked = g.spiked[:0]
	for _, s := range g.blocks[:nb] {
		g.spiked = append(g.spiked, s...)
	}
}

func (g *Group) update(t, dt float64, lo, hi int, spk []int32) []int32 {
	nv := len(g.st)
	d, reset := g.dyn, g.Def.Rule == ResetRule
	var y, old State
	for i := lo; i < hi; i++ {
		refr := g.tLast != nil && t-g.tLast[i] <= g.tRef
		s := false
		if !refr {
			for k := 0; k < nv; k++ {
				y[k] = g.st[k][i]
			}
			old = y
			step(g.Method, d.Deriv, &y, nv, g.input[i], dt)
			if d.Fire(&old, &y) {
				s = true
				if reset {
					d.Reset(&y)
				}
				if g.tLast != nil {
					g.tLast[i] = t
				}
				spk = append(spk, int32(i))
			}
			for k := 0; k < nv; k++ {
				g.st[k][i] = y[k]
			}
		}
		g.spike[i] = b2u(s)
		if g.refr != nil {
			g.refr[i] = b2u(refr || s)
		}
		g.input[i] = 0
	}
	return spk
}

// step integrates y over dt with the input held constant: forward Euler
// (BrainPy 1.0's default), Heun's rk2 or the classical rk4, as BrainPy's
// odeint methods of those names.
func step(method string, f func(y, dy *State, in float64), y *State, nv int, in, dt float64) {
	var k1, k2, k3, k4, z State
	f(y, &k1, in)
	switch method {
	case "euler":
		for k := 0; k < nv; k++ {
			y[k] += dt * k1[k]
		}
	case "rk2":
		for k := 0; k < nv; k++ {
			z[k] = y[k] + dt*k1[k]
		}
		f(&z, &k2, in)
		for k := 0; k < nv; k++ {
			y[k] += dt / 2 * (k1[k] + k2[k])
		}
	case "rk4":
		for k := 0; k < nv; k++ {
			z[k] = y[k] + dt/2*k1[k]
		}
		f(&z, &k2, in)
		for k := 0; k < nv; k++ {
			z[k] = y[k] + dt/2*k2[k]
		}
		f(&z, &k3, in)
		for k := 0; k < nv; k++ {
			z[k] = y[k] + dt*k3[k]
		}
		f(&z, &k4, in)
		for k := 0; k < nv; k++ {
			y[k] += dt / 6 * (k1[k] + 2*k2[k] + 2*k3[k] + k4[k])
		}
	}
}

// SaveState writes the variables (the state variables, input, spike and,
// for refractory models, refractory and t_last_spike).
func (g *Group) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }

// ReadState also rebuilds the list of neurons that spiked in the last step.
func (g *Group) ReadState(b []byte) (func(), error) {
	return readSpiking(b, g.Kind(), g.vars, g.spike, &g.spiked)
}

var _ sim.Stateful = (*Group)(nil)
var _ sim.Group = (*Group)(nil)
