// Output: what a projection delivers to its post neurons (conductance with
// or without the Mg²⁺ block, current, voltage), per synapse or summed.

package synapse

import "github.com/brainsyn/brainsyn/core/sim"

func (s *Chem) weight(k int) float64 {
	if s.w != nil {
		return s.w[k]
	}
	return s.M.Weight
}

// deliver applies output value o of synapse k to its post neuron; inv is
// 1/B(V) of the post neurons for NMDA outputs.
func (s *Chem) deliver(k int, o float64, v, in []float64, refr []uint8, inv []float64) {
	q := s.postIdx[k]
	switch s.M.Out.Kind {
	case "none":
	case "conductance":
		if s.M.Out.Mg {
			in[q] -= o * (v[q] - s.M.Out.E) * inv[q]
		} else {
			in[q] -= o * (v[q] - s.M.Out.E)
		}
	case "current":
		in[q] += o
	case "voltage":
		if s.M.Out.PostRefractory && refr != nil {
			o *= 1 - float64(refr[q])
		}
		v[q] += o
	}
}

// gatherPre is the sparse output of PerPre state with one delay: the
// conductance of each post neuron is accumulated over its synapses, then
// applied once, so the per-synapse work is one load and one add.
func (s *Chem) gatherPre(row []float64, v, in []float64, inv []float64) {
	if len(s.acc) != len(v) {
		s.acc = make([]float64, len(v))
	}
	G := s.acc
	for q := range G {
		G[q] = 0
	}
	for p, sp := range row {
		if sp == 0 {
			continue
		}
		lo, hi := s.indptr[p], s.indptr[p+1]
		if s.w == nil {
			for _, q := range s.postIdx[lo:hi] {
				G[q] += sp
			}
		} else {
			w := s.w[lo:hi]
			for j, q := range s.postIdx[lo:hi] {
				G[q] += w[j] * sp
			}
		}
	}
	g := 1.0
	if s.w == nil {
		g = s.M.Weight
	}
	o := &s.M.Out
	switch {
	case o.Kind == "current":
		for q, x := range G {
			in[q] += g * x
		}
	case o.Mg:
		for q, x := range G {
			if x != 0 {
				in[q] -= g * x * (v[q] - o.E) * inv[q]
			}
		}
	case o.Kind == "conductance":
		for q, x := range G {
			if x != 0 {
				in[q] -= g * x * (v[q] - o.E)
			}
		}
	}
}

// sumAll is the all-to-all output with one weight: every post neuron sees
// g = w·Σ_p s_p (sum is Σ_p s_p).
func (s *Chem) sumAll(sum float64, v, in []float64, inv []float64) {
	g := s.M.Weight
	if s.w != nil {
		g = s.w[0]
	}
	g *= sum
	if g == 0 {
		return
	}
	o := &s.M.Out
	in = in[:len(v)]
	switch {
	case o.Kind == "current":
		for q := range in {
			in[q] += g
		}
	case o.Mg:
		inv = inv[:len(v)]
		for q := sumCondVec(in, v, inv, g, o.E); q < len(v); q++ {
			in[q] -= g * (v[q] - o.E) * inv[q]
		}
	default:
		for q := sumCondVec(in, v, nil, g, o.E); q < len(v); q++ {
			in[q] -= g * (v[q] - o.E)
		}
	}
}

// MgCache holds 1/B(V) of the NMDA block for one post group, shared by the
// projections that see the same V in a step, so e^{−αV} is computed once
// per neuron and step however many NMDA projections a neuron receives.
type MgCache struct {
	step int64
	inv  []float64
}

// Reset marks the cache empty (a new run may have changed V).
func (m *MgCache) Reset() { m.step = -1 }

// SetMgCache shares c with other projections (nil: a private cache).
func (s *Chem) SetMgCache(c *MgCache) { s.mg = c }

// MgKey identifies projections that may share a cache (same post group
// and block parameters).
func (s *Chem) MgKey() (sim.Group, [3]float64, bool) {
	o := s.M.Out
	return s.post, [3]float64{o.CcMg, o.AMg, o.BMg}, o.Mg && s.layout != PerPost
}

func (s *Chem) mgInv(c *sim.Clock, v []float64) []float64 {
	if s.mg == nil {
		s.mg = &MgCache{step: -1}
	}
	now := int64(c.Base) + int64(c.I)
	m := s.mg
	if m.step == now && len(m.inv) == len(v) {
		return m.inv
	}
	if len(m.inv) != len(v) {
		m.inv = make([]float64, len(v))
	}
	o := &s.M.Out
	k := o.CcMg / o.BMg
	mgBlock(m.inv, v, o.AMg, k)
	m.step = now
	return m.inv
}
