package neuron

import (
	"encoding/binary"
	"math/bits"

	"github.com/brainsyn/brainsyn/core/sim"
)

// bytesPerNeuron bounds the state of one neuron of any model (HH's five
// floats and flags, LIF's spike time and refractory flag).
const bytesPerNeuron = 64

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
	// All of a model's arrays together, checked before the first is made.
	if err := sim.CheckBytes("neuron group", int64(n)*bytesPerNeuron); err != nil {
		return base{}, err
	}
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

// appendSpikes appends lo+i for every i with sp[i] != 0, testing 32 flags
// at a time (spikes are rare) and finding the set ones in a word by their
// trailing zeros.
func appendSpikes(spk []int32, sp []uint8, lo int) []int32 {
	le := binary.LittleEndian
	i := 0
	for ; i+32 <= len(sp); i += 32 {
		w := sp[i : i+32]
		x := [4]uint64{le.Uint64(w), le.Uint64(w[8:]), le.Uint64(w[16:]), le.Uint64(w[24:])}
		if x[0]|x[1]|x[2]|x[3] == 0 {
			continue
		}
		for k, b := range x {
			for b != 0 {
				j := bits.TrailingZeros64(b) >> 3
				spk = append(spk, int32(lo+i+8*k+j))
				b &^= 0xff << (8 * j)
			}
		}
	}
	for ; i < len(sp); i++ {
		if sp[i] != 0 {
			spk = append(spk, int32(lo+i))
		}
	}
	return spk
}
