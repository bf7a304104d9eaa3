// The step of a chemical projection: kinetics, delay line and output, by layout.

package synapse

import "github.com/brainsyn/brainsyn/core/sim"

func (s *Chem) Update(c *sim.Clock) {
	// A bundle of sources may fire several times in a step: the count is
	// the increment.
	spike := s.pre.Spike()
	if ct, ok := s.pre.(sim.Counter); ok {
		spike = ct.Counts()
	}
	v, in, refr := s.post.V(), s.post.Input(), s.post.Refractory()
	h := s.ring.head
	var inv []float64
	if s.M.Out.Mg && s.layout != PerPost {
		inv = s.mgInv(c, v)
	}
	switch s.layout {
	case PerSyn:
		P := s.prop
		if s.M.Method != "exact" {
			P = nil
		}
		// Element k is synapse k; its pre neuron is found by walking rows.
		pre := s.preOfSyn()
		if len(s.synSpk) != s.n {
			s.synSpk = make([]uint8, s.n)
		}
		for k, p := range pre {
			s.synSpk[k] = spike[p]
		}
		if s.M.Plastic != nil {
			post := s.post.Spike()
			c.Pool.For(s.n, func(lo, hi int) { s.stdpStep(s.synSpk, post, lo, hi) })
		} else {
			c.Pool.For(s.n, func(lo, hi int) { s.kinetics(s.y, c.Abs, s.synSpk, lo, hi, P) })
		}
		rg := &s.ring
		if s.M.Out.Kind == "none" {
			break
		}
		for k := 0; k < s.n; k++ {
			o := s.weight(k) * s.gateOf(k)
			if s.M.Plastic != nil {
				o = s.y[0][k] // s holds the weights of the spikes it received
			}
			if rg.R > 1 {
				o = rg.delayed(h, s.delaySteps(k), k, o)
			}
			s.deliver(k, o, v, in, refr, inv)
		}
	case PerPre:
		src := s
		if s.owner != nil {
			src, h = s.owner, s.owner.lastH
		} else {
			P := s.prop
			if s.M.Method != "exact" {
				P = nil
			}
			c.Pool.For(s.n, func(lo, hi int) { s.kinetics(s.y, c.Abs, spike, lo, hi, P) })
			row := s.ring.row(h)
			for p := range row {
				row[p] = s.gateOf(p)
			}
			s.lastH, s.sumH = h, -1
		}
		hist := &src.ring
		if s.M.Out.Kind == "none" {
			break
		}
		if s.delays == nil && s.M.Out.Kind != "voltage" {
			i := hist.ago(h, s.D, 0)
			row := hist.buf[i : i+hist.W]
			if !s.all2all || !s.uniW {
				s.gatherPre(row, v, in, inv)
				break
			}
			if src.sumH != i {
				sum := 0.0
				for _, x := range row {
					sum += x
				}
				src.sumH, src.rowSum = i, sum
			}
			s.sumAll(src.rowSum, v, in, inv)
			break
		}
		for p := 0; p < s.pre.Size(); p++ {
			for k := int(s.indptr[p]); k < int(s.indptr[p+1]); k++ {
				sp := hist.buf[hist.ago(h, s.delaySteps(k), p)]
				if sp == 0 {
					continue
				}
				s.deliver(k, s.weight(k)*sp, v, in, refr, inv)
			}
		}
	case PerPost:
		s.updatePost(c, spike, v, in)
	}
	s.ring.head++
}
