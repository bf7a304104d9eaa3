// Pulled delivery (sim.Puller): in a network's owner way each thread adds
// the spikes that land in its own range of post neurons, with the row
// positions where each range begins found once per run, not per spike.

package synapse

import (
	"slices"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Ends returns the pre and post groups.
func (s *Chem) Ends() (pre, post sim.Group) { return s.pre, s.post }

// CanPull reports whether this run's step only adds the weights of pre's
// spikes into the post group's folded channel (besides the presynaptic
// trace, see Follow): layout 'post', fused, no delay line, single spikes,
// rows whose targets ascend.
func (s *Chem) CanPull() bool {
	_, counts := s.pre.(sim.Counter)
	return s.layout == PerPost && s.fused && s.ring.R == 0 && !s.common &&
		!counts && s.M.Plastic == nil && (s.rowsSorted || s.oneToOne)
}

// Follow advances the presynaptic trace, if kept, by a step whose spikes
// the pre group has joined.
func (s *Chem) Follow() {
	if s.Track {
		s.stepTrace(sim.SpikedOf(s.pre, nil), nil)
	}
}

// PrepareCuts finds, for every row, where each post range begins and
// ends: row p's part for range k runs from cut.pos[p·nk+k] to
// cut.pos[p·nk+k+1], nk = len(bounds), one cache line to read for a
// row's part, not two. The rows never change, so the positions are kept
// while the ranges stay the same.
func (s *Chem) PrepareCuts(bounds []int) {
	nk := len(bounds)
	same := slices.Equal(s.cut.bounds, bounds) && len(s.cut.pos) == nk*s.pre.Size()
	s.cut.bounds = append(s.cut.bounds[:0], bounds...)
	if s.oneToOne || same {
		return
	}
	np := len(s.indptr) - 1
	s.cut.pos = make([]int32, np*nk)
	for p := 0; p < np; p++ {
		a, b := int(s.indptr[p]), int(s.indptr[p+1])
		r := s.postIdx[a:b]
		row := s.cut.pos[p*nk : (p+1)*nk]
		row[0], row[nk-1] = int32(a), int32(b)
		for j := 1; j < nk-1; j++ {
			row[j] = int32(a + lowerBound(r, bounds[j], len(r)*bounds[j]/max(s.post.Size(), 1)))
		}
	}
}

// Pull adds the spikes of parts that land in post range k, in spike and
// row order, as scatter does: every target gets the same additions in the
// same order as on one thread.
func (s *Chem) Pull(parts sim.Parts, k int) {
	ys, _ := s.Target()
	lo, hi := s.cut.bounds[k], s.cut.bounds[k+1]
	if lo == hi {
		return
	}
	if s.oneToOne {
		for _, sp := range parts {
			s.scatterOneToOne(ys, sp.Spikes, nil, lo, hi)
		}
		return
	}
	// The additions are scatter's unfiltered ones, written out here too:
	// a shared function cost the one-thread step 1.3 % of its
	// instructions.
	nk, pos, x := len(s.cut.bounds), s.cut.pos, s.M.Weight
	for _, part := range parts {
		sp := part.Spikes
		// Each row is a cache miss: ask for all of them at once, as
		// scatter does.
		prefetchCuts(pos, s.postIdx, s.w, sp, nk, k)
		for _, p := range sp {
			a, b := pos[int(p)*nk+k], pos[int(p)*nk+k+1]
			post := s.postIdx[a:b]
			if s.w == nil {
				for _, q := range post {
					ys[q] += x
				}
				continue
			}
			w := s.w[a:b]
			w = w[:len(post)]
			for j, q := range post {
				ys[q] += w[j]
			}
		}
	}
}

// Advance does the rest of Update's bookkeeping for steps delivered by
// Pull: the delay line's head moves, and a presynaptic trace that was not
// kept stops being exact.
func (s *Chem) Advance(steps int) {
	s.ring.head += steps
	if !s.Track {
		s.traceOK = false
	}
}
