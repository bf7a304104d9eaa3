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

func (g *LIF) SaveState(w io.Writer) error          { return saveVars(w, g.Kind(), g.vars) }
func (g *LIF) LoadState(r io.Reader) error          { return loadVars(r, g.Kind(), g.vars) }
func (g *HH) SaveState(w io.Writer) error           { return saveVars(w, g.Kind(), g.vars) }
func (g *HH) LoadState(r io.Reader) error           { return loadVars(r, g.Kind(), g.vars) }
func (g *PoissonInput) SaveState(w io.Writer) error { return saveVars(w, g.Kind(), g.vars) }
func (g *PoissonInput) LoadState(r io.Reader) error { return loadVars(r, g.Kind(), g.vars) }
func (g *External) SaveState(w io.Writer) error     { return saveVars(w, g.Kind(), g.vars) }
func (g *External) LoadState(r io.Reader) error     { return loadVars(r, g.Kind(), g.vars) }

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
