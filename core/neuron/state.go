package neuron

import (
	"io"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Every group's state is its variables (V, input, spike and the model's
// own, t_last_spike of LIF included); SpikeTimeInput adds its position in
// the event list. Derived values (LIF's decay, event steps) are rebuilt by
// Prepare. ReadState checks a whole state before the returned function
// copies it in (sim.Stateful).

func saveVars(w io.Writer, kind string, vars map[string]sim.Var) error {
	sw := &sim.StateWriter{W: w}
	sw.Tag(kind)
	sw.Vars(vars)
	return sw.Err
}

// readVars starts the reading of a group's state: its label and variables.
func readVars(b []byte, kind string, vars map[string]sim.Var) (*sim.StateReader, sim.SavedVars) {
	sr := sim.NewStateReader(b, kind)
	sr.Tag(kind)
	return sr, sr.Vars(vars)
}

// varsOnly reads a state that is the variables alone.
func varsOnly(b []byte, kind string, vars map[string]sim.Var) (func(), error) {
	sr, v := readVars(b, kind, vars)
	if err := sr.End(); err != nil {
		return nil, err
	}
	return v.Apply, nil
}

func (g *LIF) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }

// ReadState also rebuilds the list of neurons that spiked in the last step.
func (g *LIF) ReadState(b []byte) (func(), error) {
	return readSpiking(b, g.Kind(), g.vars, g.spike, &g.spiked)
}

// readSpiking reads a group's variables and, on apply, rebuilds the list of
// neurons that spiked in the last step (synapses ordered before the group
// read it).
func readSpiking(b []byte, kind string, vars map[string]sim.Var, spike []uint8, spiked *[]int32) (func(), error) {
	set, err := varsOnly(b, kind, vars)
	if err != nil {
		return nil, err
	}
	return func() {
		set()
		*spiked = spikedFrom(spike, *spiked)
	}, nil
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

// ReadState reads what SaveState wrote; a count is at most the number of
// sources (and 255).
func (g *PoissonInput) ReadState(b []byte) (func(), error) {
	sr, vars := readVars(b, g.Kind(), g.vars)
	counts := sr.U8s("counts", len(g.counts))
	for i, c := range counts {
		if int(c) > g.Sources {
			sr.Fail("saved counts[%d] = %d is more than the %d sources", i, c, g.Sources)
			break
		}
	}
	if err := sr.End(); err != nil {
		return nil, err
	}
	return func() {
		vars.Apply()
		copy(g.counts, counts)
		g.spiked = spikedFrom(g.spike, g.spiked)
	}, nil
}

func (g *HH) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }
func (g *HH) ReadState(b []byte) (func(), error) {
	return varsOnly(b, g.Kind(), g.vars)
}
func (g *External) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }
func (g *External) ReadState(b []byte) (func(), error) {
	return varsOnly(b, g.Kind(), g.vars)
}

// SaveState writes the variables and the index of the next event.
func (g *SpikeTimeInput) SaveState(w io.Writer) error {
	if err := saveVars(w, g.Kind(), g.vars); err != nil {
		return err
	}
	sw := &sim.StateWriter{W: w}
	sw.Int(g.next)
	return sw.Err
}

// ReadState reads what SaveState wrote. Prepare recomputes next at the
// start of every run (event times are relative to each run's start), so
// the restored index matters only for a run already begun.
func (g *SpikeTimeInput) ReadState(b []byte) (func(), error) {
	sr, vars := readVars(b, g.Kind(), g.vars)
	next := sr.Int()
	if sr.Err == nil && (next < 0 || next > len(g.times)) {
		sr.Fail("saved event index %d is outside 0..%d", next, len(g.times))
	}
	if err := sr.End(); err != nil {
		return nil, err
	}
	return func() {
		vars.Apply()
		g.next = next
	}, nil
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
