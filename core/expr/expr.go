// Package expr evaluates expression graphs over arrays: the derivative of
// a model declared in Python is traced into a graph, sent as JSON, and run
// here block by block, each instruction a tight loop over the block.
//
// A graph is a list of nodes in topological order; node k may only use
// nodes before it. Leaves are constants, state variables (by index), the
// transmitter concentration "TT" and the time "t".
package expr

import (
	"encoding/json"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// Node is one operation of a graph as sent from Python.
type Node struct {
	Op    string  `json:"op"`
	Value float64 `json:"value,omitempty"` // const
	Index int     `json:"index,omitempty"` // var
	Args  []int   `json:"args,omitempty"`
}

// arity of each operation (leaves have 0).
var arity = map[string]int{
	"const": 0, "var": 0, "TT": 0, "t": 0,
	"add": 2, "sub": 2, "mul": 2, "div": 2, "pow": 2, "lt": 2, "le": 2, "gt": 2, "ge": 2,
	"max": 2, "min": 2,
	"neg": 1, "exp": 1, "log": 1, "sqrt": 1, "abs": 1, "tanh": 1,
	"where": 3,
}

// Program is a checked graph ready to run. Outputs name the nodes whose
// values are results. Eval may be called from several goroutines at once
// (a loop split across threads): each call evaluates in registers of its
// own.
type Program struct {
	nodes   []Node
	outputs []int
	nvars   int
	// regs are the registers of a call that finds them free (on one
	// thread, every call): a compare-and-swap takes them.
	regs  [][]float64
	taken atomic.Bool
	// spare holds copies of the program with registers of their own, for
	// calls at the same time as another.
	mu    sync.Mutex
	spare []*Program
}

// BlockSize is the number of elements evaluated per instruction.
const BlockSize = 256

// Parse checks a graph: known operations, arguments that come earlier,
// variable indices below nvars, at most maxNodes nodes.
func Parse(js []byte, nvars int) (*Program, error) {
	var g struct {
		Nodes   []Node `json:"nodes"`
		Outputs []int  `json:"outputs"`
	}
	if err := json.Unmarshal(js, &g); err != nil {
		return nil, fmt.Errorf("expression graph is not valid JSON: %v", err)
	}
	return New(g.Nodes, g.Outputs, nvars)
}

const maxNodes = 100000

// New checks nodes and outputs and makes a program.
func New(nodes []Node, outputs []int, nvars int) (*Program, error) {
	if len(nodes) == 0 || len(nodes) > maxNodes {
		return nil, fmt.Errorf("expression graph must have 1 to %d nodes, got %d", maxNodes, len(nodes))
	}
	for k, n := range nodes {
		a, ok := arity[n.Op]
		if !ok {
			return nil, fmt.Errorf("node %d: unknown operation %q", k, n.Op)
		}
		if len(n.Args) != a {
			return nil, fmt.Errorf("node %d (%s): %d arguments, expected %d", k, n.Op, len(n.Args), a)
		}
		for _, x := range n.Args {
			if x < 0 || x >= k {
				return nil, fmt.Errorf("node %d (%s): argument %d must name an earlier node", k, n.Op, x)
			}
		}
		if n.Op == "var" && (n.Index < 0 || n.Index >= nvars) {
			return nil, fmt.Errorf("node %d: variable %d out of range (%d variables)", k, n.Index, nvars)
		}
		if n.Op == "const" && (math.IsNaN(n.Value) || math.IsInf(n.Value, 0)) {
			return nil, fmt.Errorf("node %d: constant %v is not finite", k, n.Value)
		}
	}
	for _, o := range outputs {
		if o < 0 || o >= len(nodes) {
			return nil, fmt.Errorf("output %d names no node", o)
		}
	}
	return newProgram(nodes, outputs, nvars), nil
}

func newProgram(nodes []Node, outputs []int, nvars int) *Program {
	p := &Program{nodes: nodes, outputs: outputs, nvars: nvars, regs: make([][]float64, len(nodes))}
	for k := range p.regs {
		p.regs[k] = make([]float64, BlockSize)
	}
	return p
}

// takeSpare returns a copy of p that no other call uses.
func (p *Program) takeSpare() *Program {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.spare); n > 0 {
		q := p.spare[n-1]
		p.spare = p.spare[:n-1]
		return q
	}
	return newProgram(p.nodes, p.outputs, p.nvars)
}

func (p *Program) giveSpare(q *Program) {
	p.mu.Lock()
	p.spare = append(p.spare, q)
	p.mu.Unlock()
}

// Outputs is the number of results.
func (p *Program) Outputs() int { return len(p.outputs) }

// Eval writes output j for elements [lo, hi) into dst[j][lo:hi], reading
// state y (y[v][i]), the transmitter concentration tt[i] and time t.
func (p *Program) Eval(dst, y [][]float64, tt []float64, t float64, lo, hi int) {
	if !p.taken.CompareAndSwap(false, true) {
		q := p.takeSpare()
		q.Eval(dst, y, tt, t, lo, hi)
		p.giveSpare(q)
		return
	}
	for b := lo; b < hi; b += BlockSize {
		e := b + BlockSize
		if e > hi {
			e = hi
		}
		p.block(y, tt, t, b, e)
		for j, o := range p.outputs {
			copy(dst[j][b:e], p.regs[o][:e-b])
		}
	}
	p.taken.Store(false) // not deferred: after a panic, calls use spares
}

func (p *Program) block(y [][]float64, tt []float64, t float64, lo, hi int) {
	n := hi - lo
	for k, nd := range p.nodes {
		r := p.regs[k][:n]
		var a, b []float64
		if len(nd.Args) > 0 {
			a = p.regs[nd.Args[0]][:n]
		}
		if len(nd.Args) > 1 {
			b = p.regs[nd.Args[1]][:n]
		}
		switch nd.Op {
		case "const":
			for i := range r {
				r[i] = nd.Value
			}
		case "var":
			copy(r, y[nd.Index][lo:hi])
		case "TT":
			copy(r, tt[lo:hi])
		case "t":
			for i := range r {
				r[i] = t
			}
		case "add":
			for i := range r {
				r[i] = a[i] + b[i]
			}
		case "sub":
			for i := range r {
				r[i] = a[i] - b[i]
			}
		case "mul":
			for i := range r {
				r[i] = a[i] * b[i]
			}
		case "div":
			for i := range r {
				r[i] = a[i] / b[i]
			}
		case "pow":
			for i := range r {
				r[i] = math.Pow(a[i], b[i])
			}
		case "lt", "le", "gt", "ge":
			for i := range r {
				var c bool
				switch nd.Op {
				case "lt":
					c = a[i] < b[i]
				case "le":
					c = a[i] <= b[i]
				case "gt":
					c = a[i] > b[i]
				default:
					c = a[i] >= b[i]
				}
				r[i] = 0
				if c {
					r[i] = 1
				}
			}
		case "max":
			for i := range r {
				r[i] = math.Max(a[i], b[i])
			}
		case "min":
			for i := range r {
				r[i] = math.Min(a[i], b[i])
			}
		case "neg":
			for i := range r {
				r[i] = -a[i]
			}
		case "exp":
			for i := range r {
				r[i] = math.Exp(a[i])
			}
		case "log":
			for i := range r {
				r[i] = math.Log(a[i])
			}
		case "sqrt":
			for i := range r {
				r[i] = math.Sqrt(a[i])
			}
		case "abs":
			for i := range r {
				r[i] = math.Abs(a[i])
			}
		case "tanh":
			for i := range r {
				r[i] = math.Tanh(a[i])
			}
		case "where":
			c := p.regs[nd.Args[2]][:n]
			for i := range r {
				if a[i] != 0 {
					r[i] = b[i]
				} else {
					r[i] = c[i]
				}
			}
		}
	}
}
