package net

import (
	"github.com/brainsyn/brainsyn/core/sim"
)

// Monitor records one variable of one node during a run. Row r holds the
// value after the node's update at step r·Every.
type Monitor struct {
	Node   int
	Var    string
	Idx    []int32 // nil: all elements
	Every  int     // record every Every steps (>= 1)
	Events bool    // record (step, index) of nonzero entries instead of rows

	Rows, Cols int
	F64        []float64
	U8         []uint8
	EvStep     []int32
	EvIdx      []int32

	src    sim.Var
	node   sim.Node
	gather sim.Gatherer
	tmp    []float64
}

func (m *Monitor) prepare(nw *Network, a sim.Alloc, nsteps int) error {
	name := nw.names[m.Node]
	node := nw.nodes[m.Node]
	m.node = node
	v, ok := node.Vars()[m.Var]
	g, isG := node.(sim.Gatherer)
	length := 0
	switch {
	case ok && !v.ReadOnly:
		length = v.Len()
		m.src = v
	case isG && g.Gather(m.Var, nil, []int32{}):
		if t, ok := node.(interface{ NeedTrace() error }); ok {
			if err := t.NeedTrace(); err != nil {
				return err
			}
		}
		m.gather = g
		length = nodeSyn(node)
	default:
		return sim.ErrorClassf("KeyError", "%s has no variable %q to monitor", name, m.Var)
	}
	for k, i := range m.Idx {
		if i < 0 || int(i) >= length {
			return sim.ErrorClassf("IndexError", "monitor %s.%s: index %d (position %d) is out of range for %d elements", name, m.Var, i, k, length)
		}
	}
	if m.Every < 1 {
		m.Every = 1
	}
	m.Cols = length
	if m.Idx != nil {
		m.Cols = len(m.Idx)
	}
	m.Rows = nsteps/m.Every + min(nsteps%m.Every, 1) // no overflow for large Every
	m.EvStep, m.EvIdx = nil, nil
	if m.Events {
		if !m.src.IsBool() || m.src.U8 == nil {
			return sim.ErrorClassf("TypeError", "monitor %s.%s: event recording needs a boolean variable such as spike", name, m.Var)
		}
		return nil
	}
	if err := sim.CheckElems("monitor "+name+"."+m.Var, m.Rows, m.Cols); err != nil {
		return err
	}
	if m.gather != nil || !m.src.IsBool() {
		m.F64, m.U8 = a.F64(m.Rows*m.Cols), nil
		if m.gather != nil {
			m.tmp = make([]float64, m.Cols)
		}
	} else {
		m.U8, m.F64 = a.U8(m.Rows*m.Cols), nil
	}
	return nil
}

// nodeSyn is the per-synapse length of a gathered node.
func nodeSyn(n sim.Node) int {
	if s, ok := n.(interface{ NSyn() int }); ok {
		return s.NSyn()
	}
	return 0
}

// record stores step i; it fails only when event storage cannot grow.
func (m *Monitor) record(i int) error {
	if i%m.Every != 0 {
		return nil
	}
	r := i / m.Every
	if m.Events {
		if sp, ok := m.node.(sim.Spiker); ok && m.Var == "spike" {
			spiked := sp.Spiked()
			if err := m.reserve(len(spiked)); err != nil {
				return err
			}
			for _, k := range spiked {
				m.EvStep = append(m.EvStep, int32(i))
				m.EvIdx = append(m.EvIdx, k)
			}
			return nil
		}
		if err := m.reserve(len(m.src.U8)); err != nil {
			return err
		}
		for k, x := range m.src.U8 {
			if x != 0 {
				m.EvStep = append(m.EvStep, int32(i))
				m.EvIdx = append(m.EvIdx, int32(k))
			}
		}
		return nil
	}
	if m.gather != nil {
		row := m.F64[r*m.Cols : (r+1)*m.Cols]
		m.gather.Gather(m.Var, row, m.Idx)
		return nil
	}
	if m.F64 != nil {
		row, src := m.F64[r*m.Cols:(r+1)*m.Cols], m.src.F64
		if m.Idx == nil {
			copy(row, src)
		} else {
			for c, k := range m.Idx {
				row[c] = src[k]
			}
		}
		return nil
	}
	row, src := m.U8[r*m.Cols:(r+1)*m.Cols], m.src.U8
	if m.Idx == nil {
		copy(row, src)
	} else {
		for c, k := range m.Idx {
			row[c] = src[k]
		}
	}
	return nil
}

// reserve makes room for up to n more events, checking a large growth
// against the memory available: a run that records every spike of a large
// group can outgrow the machine, and must stop with an error instead.
func (m *Monitor) reserve(n int) error {
	need := len(m.EvStep) + n
	if need <= cap(m.EvStep) {
		return nil
	}
	c := max(2*cap(m.EvStep), need, 1024)
	// Room for the old storage (until the collector frees it) and the copy
	// handed over at the end of the run, too.
	if err := sim.CheckBytes("event monitor "+m.Var, 8*int64(2*c+need)); err != nil {
		return err
	}
	m.EvStep = append(make([]int32, 0, c), m.EvStep...)
	m.EvIdx = append(make([]int32, 0, c), m.EvIdx...)
	return nil
}
