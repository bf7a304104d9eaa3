// Layout 'post': linear kinetics summed per postsynaptic neuron, with the
// presynaptic trace that keeps per-synapse views exact.

package synapse

import "github.com/brainsyn/brainsyn/core/sim"

func (s *Chem) updatePost(c *sim.Clock, spike []uint8, v, in []float64) {
	m := s.M
	sv := m.SpikeVar
	h := s.ring.head
	Y := s.y
	s.spiked = sim.SpikedOf(s.pre, s.spiked)
	spiked := s.spiked
	var counts []uint8
	if ct, ok := s.pre.(sim.Counter); ok {
		counts = ct.Counts()
	}
	ys := Y[sv]
	if s.fused && s.into != nil {
		ys = s.into
	}
	// Each worker adds the increments that land in its share of the post
	// group, the share whose conductances it reads in the group's update;
	// every target still gets its increments in spike and row order.
	add := func() {
		if s.common {
			s.addCommon(c, ys, spiked, counts, h)
			return
		}
		if s.ring.R == 0 {
			s.step.ys, s.step.counts = ys, counts
			if s.step.scatter == nil {
				s.step.scatter = func(lo, hi int) { s.scatter(s.step.ys, s.spiked, s.step.counts, lo, hi) }
			}
			c.Pool.Shares(len(ys), s.step.scatter)
			return
		}
		rg := &s.ring
		W := rg.W
		c.Pool.Shares(W, func(lo, hi int) {
			s.prefetchShare(spiked, lo, hi, W)
			all := lo == 0 && hi == W
			for _, p := range spiked {
				a, b := s.share(p, lo, hi, all)
				for k := a; k < b; k++ {
					q := int(s.postIdx[k])
					if q < lo || q >= hi {
						continue
					}
					w := s.weight(k)
					if counts != nil {
						w *= float64(counts[p])
					}
					rg.buf[rg.at(h, s.delaySteps(k), q)] += w
				}
			}
			row := rg.row(h)[lo:hi]
			for j, x := range row {
				if x != 0 {
					ys[lo+j] += x
					row[j] = 0
				}
			}
		})
	}
	if s.Track {
		s.stepTrace(spiked, counts)
	} else {
		s.traceOK = false
	}
	if s.fused {
		// The post group has read and decayed Y in its own update.
		add()
		return
	}
	if m.SpikeFirst {
		add()
	}
	c.Pool.For(s.n, func(lo, hi int) { applyProp(s.prop, Y, lo, hi) })
	if !m.SpikeFirst {
		add()
	}
	o := &m.Out
	g := Y[0]
	switch o.Kind {
	case "conductance":
		for q := range g {
			if g[q] != 0 {
				in[q] -= g[q] * (v[q] - o.E)
			}
		}
	case "current":
		for q := range g {
			in[q] += g[q]
		}
	}
}

// addCommon is the all-to-all delivery with one weight and one delay: the
// spikes of a step make one increment, the same for every post neuron,
// which waits in the one-number-per-step delay line.
func (s *Chem) addCommon(c *sim.Clock, ys []float64, spiked []int32, counts []uint8, h int) {
	n := float64(len(spiked))
	if counts != nil {
		n = 0
		for _, p := range spiked {
			n += float64(counts[p])
		}
	}
	x := s.M.Weight * n
	if rg := &s.ring; rg.R > 0 {
		rg.buf[rg.at(h, s.D, 0)] += x
		now := rg.row(h)
		x, now[0] = now[0], 0
	}
	if x == 0 {
		return
	}
	c.Pool.For(len(ys), func(lo, hi int) {
		for q := range ys[lo:hi] {
			ys[lo+q] += x
		}
	})
}

// stepTrace advances the presynaptic trace (unit increments, no delay):
// the per-synapse s of BrainPy is the trace of the synapse's pre neuron.
func (s *Chem) stepTrace(spiked []int32, counts []uint8) {
	m, tr, sv := s.M, s.trace, s.M.SpikeVar
	add := func() {
		for _, p := range spiked {
			if counts != nil {
				tr[sv][p] += float64(counts[p])
			} else {
				tr[sv][p]++
			}
		}
	}
	if m.SpikeFirst {
		add()
	}
	applyProp(s.prop, tr, 0, len(tr[0]))
	if !m.SpikeFirst {
		add()
	}
}
