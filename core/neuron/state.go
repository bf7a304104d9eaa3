package neuron

import (
	"io"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Every group's state is its variables (V, input, spike and the model's
// own, t_last_spike of LIF included); SpikeTimeInput adds its position in
// the event list. Derived values (LIF's decay, event steps) are rebuilt by
// Prepare.

func saveVars(w io.Writer, kind string, vars map[string]sim.Var) error {
	sw := &sim.StateWriter{W: w}
	sw.Tag(kind)
	sw.Vars(vars)
	return sw.Err
}

func loadVars(r io.Reader, kind string, vars map[string]sim.Var) error {
	sr := &sim.StateReader{R: r, What: kind}
	sr.Tag(kind)
	sr.Vars(vars)
	return sr.Err
}

func (g *LIF) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }

// LoadState also rebuilds the list of neurons that spiked in the last step
// (synapses ordered before the group read it).
func (g *LIF) LoadState(r io.Reader) error {
	if err := loadVars(r, g.Kind(), g.vars); err != nil {
		return err
	}
	g.spiked = spikedFrom(g.spike, g.spiked)
	return nil
}

// SaveState writes the variables and the spike counts of the last step
// (bundles of sources fire more than once per step). The random stream
// itself is keyed by the network's step counter (net.Network.SetSteps).
func (g *PoissonInput) SaveState(w io.Writer) error {
	if err := saveVars(w, g.Kind(), g.vars); err != nil {
		return err
	}
	sw := &sim.StateWriter{W: w}
	sw.U8s(g.counts)
	return sw.Err
}

// LoadState reads what SaveState wrote.
func (g *PoissonInput) LoadState(r io.Reader) error {
	if err := loadVars(r, g.Kind(), g.vars); err != nil {
		return err
	}
	sr := &sim.StateReader{R: r, What: g.Kind()}
	sr.U8sInto("counts", g.counts)
	g.spiked = spikedFrom(g.spike, g.spiked)
	return sr.Err
}

func (g *HH) SaveState(w io.Writer) error       { return saveVars(w, g.Kind(), g.vars) }
func (g *HH) LoadState(r io.Reader) error       { return loadVars(r, g.Kind(), g.vars) }
func (g *External) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }
func (g *External) LoadState(r io.Reader) error { return loadVars(r, g.Kind(), g.vars) }

// SaveState writes the variables and the index of the next event.
func (g *SpikeTimeInput) SaveState(w io.Writer) error {
	if err := saveVars(w, g.Kind(), g.vars); err != nil {
		return err
	}
	sw := &sim.StateWriter{W: w}
	sw.Int(g.next)
	return sw.Err
}

// LoadState reads what SaveState wrote. Prepare recomputes next at the
// start of every run (event times are relative to each run's start), so
// the restored index matters only for a run already begun.
func (g *SpikeTimeInput) LoadState(r io.Reader) error {
	if err := loadVars(r, g.Kind(), g.vars); err != nil {
		return err
	}
	sr := &sim.StateReader{R: r, What: g.Kind()}
	next := sr.Int()
	if sr.Err == nil && (next < 0 || next > len(g.times)) {
		return sim.Errorf("SpikeTimeInput: saved event index %d is outside 0..%d", next, len(g.times))
	}
	g.next = next
	return sr.Err
}

var (
	_ sim.Stateful = (*LIF)(nil)
	_ sim.Stateful = (*HH)(nil)
	_ sim.Stateful = (*SpikeTimeInput)(nil)
	_ sim.Stateful = (*PoissonInput)(nil)
	_ sim.Stateful = (*External)(nil)
)

// spikedFrom lists the indices of set flags in ascending order.
func spikedFrom(spike []uint8, buf []int32) []int32 {
	buf = buf[:0]
	for i, x := range spike {
		if x != 0 {
			buf = append(buf, int32(i))
		}
	}
	return buf
}
