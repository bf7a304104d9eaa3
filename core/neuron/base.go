package neuron

import "github.com/brainsyn/brainsyn/core/sim"

// base holds what every group shares.
type base struct {
	shape []int
	n     int
	v     []float64
	input []float64
	spike []uint8
	refr  []uint8
	vars  map[string]sim.Var
}

func newBase(a sim.Alloc, shape []int) (base, error) {
	if len(shape) == 0 {
		return base{}, sim.Errorf("neuron group size is empty")
	}
	for _, d := range shape {
		if d <= 0 {
			return base{}, sim.Errorf("neuron group size %v has a dimension <= 0", shape)
		}
	}
	if err := sim.CheckElems("neuron group", shape...); err != nil {
		return base{}, err
	}
	n := sim.Prod(shape)
	b := base{shape: append([]int(nil), shape...), n: n,
		v: a.F64(n), input: a.F64(n), spike: a.U8(n)}
	b.vars = map[string]sim.Var{}
	b.add("V", b.v)
	b.add("input", b.input)
	b.addBool("spike", b.spike)
	return b, nil
}

func (b *base) add(name string, x []float64) { b.vars[name] = sim.Var{F64: x, Shape: b.shape} }
func (b *base) addBool(name string, x []uint8) {
	b.vars[name] = sim.Var{U8: x, Shape: b.shape}
}

func (b *base) Vars() map[string]sim.Var { return b.vars }
func (b *base) Size() int                { return b.n }
func (b *base) Shape() []int             { return b.shape }
func (b *base) V() []float64             { return b.v }
func (b *base) Input() []float64         { return b.input }
func (b *base) Spike() []uint8           { return b.spike }
func (b *base) Refractory() []uint8      { return b.refr }

func fill(x []float64, v float64) {
	for i := range x {
		x[i] = v
	}
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
