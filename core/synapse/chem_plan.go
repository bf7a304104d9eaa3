// What a projection tells the network's planner: fusion into the post
// update, writes, work, and PerPre state shared between projections.

package synapse

import "github.com/brainsyn/brainsyn/core/sim"

// Channel offers the projection's per-post state to the post group: one
// state decaying by a constant factor, spikes added after the decay, and a
// plain conductance or current output.
func (s *Chem) Channel() (*sim.Channel, sim.Group) {
	m := s.M
	if s.layout != PerPost || len(m.Init) != 1 || m.SpikeFirst || m.Out.Mg || s.prop == nil ||
		(m.Out.Kind != "conductance" && m.Out.Kind != "current") {
		return nil, nil
	}
	if s.channel == nil {
		s.channel = &sim.Channel{}
	}
	*s.channel = sim.Channel{S: s.y[0], Decay: s.prop[0][0], E: m.Out.E, Conductance: m.Out.Kind == "conductance"}
	return s.channel, s.post
}

// SetFused records whether the post group folds this projection.
func (s *Chem) SetFused(f bool) { s.fused = f }

// AddInto makes the projection add its spikes into x (another
// projection's channel state), or into its own state when x is nil.
func (s *Chem) AddInto(x []float64) { s.into = x }

// Target is the array the update adds into when it does nothing else: a
// fused per-post projection (sim.Separate).
func (s *Chem) Target() ([]float64, bool) {
	if s.layout != PerPost || !s.fused {
		return nil, false
	}
	if s.into != nil {
		return s.into, true
	}
	return s.y[s.M.SpikeVar], true
}

// Work is the number of synapses.
func (s *Chem) Work() int { return len(s.postIdx) }

// Fused reports whether the post group folds this projection.
func (s *Chem) Fused() bool { return s.fused }

// Shared reports whether another projection computes this one's state.
func (s *Chem) Shared() bool { return s.owner != nil }

// WritesV lists the post group for voltage outputs.
func (s *Chem) WritesV() []sim.Group {
	if s.M.Out.Kind == "voltage" {
		return []sim.Group{s.post}
	}
	return nil
}

// WritesInput lists the post group unless its update folds this
// projection or the output goes elsewhere (V, or nowhere).
func (s *Chem) WritesInput() []sim.Group {
	if s.fused || s.M.Out.Kind == "voltage" || s.M.Out.Kind == "none" {
		return nil
	}
	return []sim.Group{s.post}
}

// shareKey identifies PerPre projections that compute the same state.
type shareKey struct {
	pre          sim.Group
	kin          Kinetics
	method       string
	pulse, first bool
	t, tdur      float64
	sv           int
	d            int
	gate         bool
	name         string
}

// ShareKey returns the key under which the projection's state can be
// shared, and whether it can be shared at all.
func (s *Chem) ShareKey() (any, bool) {
	m := s.M
	if s.layout != PerPre || s.delays != nil || m.Gate != nil {
		return nil, false
	}
	return shareKey{s.pre, m.Kin, m.Method, m.Pulse, m.SpikeFirst, m.T, m.TDur, m.SpikeVar, s.D, m.Gate != nil, m.Name}, true
}

// SetOwner makes o compute this projection's state (nil: compute it
// itself). A projection that stops reading an owner takes over its state.
func (s *Chem) SetOwner(o *Chem) {
	if o == s {
		o = nil
	}
	if s.owner != nil && o == nil {
		src := s.owner
		for j := range s.y {
			copy(s.y[j], src.y[j])
		}
		copy(s.tLast, src.tLast)
		if len(s.ring.buf) == len(src.ring.buf) {
			copy(s.ring.buf, src.ring.buf)
		}
		s.ring.head = src.ring.head
	}
	s.owner = o
	s.sumH = -1
}
