package synapse

import (
	"io"

	"github.com/brainsyn/brainsyn/core/sim"
)

// SaveState writes everything a later step reads: the kinetic state of the
// layout's elements, transmitter-pulse spike times, gates, presynaptic
// traces (layout 'post'), weights, and the delay line with its head and
// the dt it was sized for, so spikes in flight are delivered after a
// restore exactly as without one.
func (s *Chem) SaveState(w io.Writer) error {
	sw := &sim.StateWriter{W: w}
	// A projection that reads the state of another with the same
	// presynaptic group and kinetics (shared in net.Network) has no
	// up-to-date state of its own: write its owner's, as SetOwner(nil) would
	// take it over.
	src := s
	if s.owner != nil {
		src = s.owner
	}
	sw.Tag(s.M.Name)
	sw.Tag(s.layout.String())
	sw.Int(len(src.y))
	for _, y := range src.y {
		sw.F64s(y)
	}
	optional := func(x []float64) {
		if x == nil {
			sw.Int(0)
			return
		}
		sw.Int(1)
		sw.F64s(x)
	}
	optional(src.tLast)
	optional(src.gate)
	optional(s.w)
	sw.F64(s.M.Weight)
	sw.Int(len(s.trace))
	for _, t := range s.trace {
		sw.F64s(t)
	}
	sw.F64(src.dt)
	sw.Int(src.R)
	sw.Int(src.ringW)
	sw.Int(src.head)
	sw.F64s(src.ring)
	sw.Int(b2i(s.Track))
	sw.Int(b2i(s.traceOK))
	return sw.Err
}

// LoadState reads what SaveState wrote into a synapse of the same model,
// layout and size. The next Prepare keeps the restored delay line when the
// run's dt and delays are those it was saved with.
func (s *Chem) LoadState(r io.Reader) error {
	sr := &sim.StateReader{R: r, What: s.M.Name}
	sr.Tag(s.M.Name)
	sr.Tag(s.layout.String())
	if sr.Len("state variables", len(s.y)); sr.Err != nil {
		return sr.Err
	}
	for j, y := range s.y {
		sr.F64sInto(s.varNames()[j], y)
	}
	optional := func(what string, dst []float64) bool {
		has := sr.Int() == 1
		if sr.Err != nil {
			return false
		}
		if has != (dst != nil) {
			sr.F64sNew(what) // consume, then report the mismatch
			if sr.Err == nil && dst != nil {
				sr.Err = sim.Errorf("%s: saved state has no %s but this synapse has one", s.M.Name, what)
			} else if sr.Err == nil {
				sr.Err = sim.Errorf("%s: saved state has %s but this synapse has none", s.M.Name, what)
			}
			return false
		}
		if has {
			sr.F64sInto(what, dst)
		}
		return true
	}
	optional("spike times (t_last)", s.tLast)
	optional("gates", s.gate)
	if sr.Err != nil {
		return sr.Err
	}
	// Weights: a per-synapse array is made here if the saved synapse had one.
	hasW := sr.Int() == 1
	if sr.Err == nil && hasW {
		if s.w == nil {
			if _, err := s.Ensure(s.alloc, "w"); err != nil {
				return err
			}
		}
		sr.F64sInto("w", s.w)
	}
	weight := sr.F64()
	if sr.Err == nil && !hasW && s.w != nil {
		for k := range s.w {
			s.w[k] = weight // the saved synapse used one weight for all
		}
	}
	if sr.Len("traces", len(s.trace)); sr.Err != nil {
		return sr.Err
	}
	for _, t := range s.trace {
		sr.F64sInto("trace", t)
	}
	dt := sr.F64()
	R, ringW, head := sr.Int(), sr.Int(), sr.Int()
	ring := sr.F64sNew("delay line")
	track, traceOK := sr.Int() == 1, sr.Int() == 1
	if sr.Err != nil {
		return sr.Err
	}
	if len(ring) != R*ringW || head < 0 || R < 0 {
		return sim.Errorf("%s: saved delay line is corrupt (%d values for %d×%d)", s.M.Name, len(ring), R, ringW)
	}
	s.M.Weight = weight
	s.Track, s.traceOK = track, traceOK
	s.dt, s.R, s.ringW, s.head = dt, R, ringW, head
	if dt > 0 {
		s.invDt = 1 / dt
	}
	s.ring = ring
	if len(ring) == 0 {
		s.ring = nil
	}
	s.SyncMirrors()
	return nil
}

// SaveState writes the weights and the spikelet delay line.
func (g *Gap) SaveState(w io.Writer) error {
	sw := &sim.StateWriter{W: w}
	sw.Tag(g.Kind())
	sw.F64s(g.w)
	sw.Int(g.D)
	sw.Int(g.head)
	sw.F64s(g.ring)
	return sw.Err
}

// LoadState reads what SaveState wrote into junctions of the same size.
func (g *Gap) LoadState(r io.Reader) error {
	sr := &sim.StateReader{R: r, What: g.Kind()}
	sr.Tag(g.Kind())
	sr.F64sInto("w", g.w)
	D, head := sr.Int(), sr.Int()
	ring := sr.F64sNew("delay line")
	if sr.Err != nil {
		return sr.Err
	}
	if D < 0 || head < 0 || (len(ring) != 0 && len(ring) != (D+1)*len(g.w)) {
		return sim.Errorf("Gap_junction: saved delay line is corrupt (%d values, delay %d steps)", len(ring), D)
	}
	g.D, g.head, g.ring = D, head, ring
	if len(ring) == 0 {
		g.ring = nil
	}
	return nil
}

var (
	_ sim.Stateful = (*Chem)(nil)
	_ sim.Stateful = (*Gap)(nil)
)

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
