package net

import (
	"math"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Input is one "target.key op= value" applied at the start of the target's
// step. A fixed value has Width 1 (broadcast) or the variable's length; an
// iterated value has one row per step.
type Input struct {
	Node  int
	Var   string
	Op    byte // '+', '-', '*', '/', '='
	Iter  bool
	Width int
	Data  []float64
	dst   []float64
	// absorbed: the target adds this constant in its own update.
	absorbed bool
}

// CheckInput validates an input against a network before a run of n steps.
func (nw *Network) CheckInput(in *Input, nsteps int) error {
	if in.Node < 0 || in.Node >= len(nw.nodes) {
		return sim.ErrorClassf("IndexError", "input target %d is not in the network (it has %d objects)", in.Node, len(nw.nodes))
	}
	name := nw.names[in.Node]
	v, ok := nw.nodes[in.Node].Vars()[in.Var]
	if !ok {
		return sim.ErrorClassf("KeyError", "%s has no variable %q for an input", name, in.Var)
	}
	if v.IsBool() || v.ReadOnly {
		return sim.ErrorClassf("TypeError", "%s.%s cannot take an input (it is %s)", name, in.Var, map[bool]string{true: "boolean", false: "read-only"}[v.IsBool()])
	}
	switch in.Op {
	case '+', '-', '*', '/', '=':
	default:
		return sim.Errorf("input op must be one of + - * / =, got %q", string(in.Op))
	}
	if in.Width != 1 && in.Width != v.Len() {
		return sim.Errorf("input to %s.%s has %d values per step; the variable has %d", name, in.Var, in.Width, v.Len())
	}
	rows := 1
	if in.Iter {
		rows = nsteps
	}
	if in.Width < 1 || rows > math.MaxInt/in.Width { // rows*Width must not wrap around
		return sim.Errorf("input to %s.%s: %d steps × %d values is too large", name, in.Var, rows, in.Width)
	}
	if len(in.Data) != rows*in.Width {
		return sim.Errorf("input to %s.%s has %d values, expected %d (%d steps × %d)", name, in.Var, len(in.Data), rows*in.Width, rows, in.Width)
	}
	for k, x := range in.Data {
		if math.IsNaN(x) {
			return sim.Errorf("input to %s.%s has NaN at position %d", name, in.Var, k)
		}
	}
	in.dst = v.F64
	return nil
}

func (in *Input) apply(i int) {
	src := in.Data
	if in.Iter {
		src = src[i*in.Width : (i+1)*in.Width]
	}
	dst := in.dst
	if in.Width == 1 {
		x := src[0]
		switch in.Op {
		case '+':
			for j := range dst {
				dst[j] += x
			}
		case '-':
			for j := range dst {
				dst[j] -= x
			}
		case '*':
			for j := range dst {
				dst[j] *= x
			}
		case '/':
			for j := range dst {
				dst[j] /= x
			}
		case '=':
			for j := range dst {
				dst[j] = x
			}
		}
		return
	}
	switch in.Op {
	case '+':
		for j := range dst {
			dst[j] += src[j]
		}
	case '-':
		for j := range dst {
			dst[j] -= src[j]
		}
	case '*':
		for j := range dst {
			dst[j] *= src[j]
		}
	case '/':
		for j := range dst {
			dst[j] /= src[j]
		}
	case '=':
		copy(dst, src)
	}
}
