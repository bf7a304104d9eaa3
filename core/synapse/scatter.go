// Scatter of spikes along rows (layout 'post'): shares of rows per thread,
// prefetching.

package synapse

// aheadMin is the number of targets from which a row's targets are
// prefetched (fewer stay in L2).
const aheadMin = 1 << 16

// scatter adds the weights of the rows of spiked into ys, for targets in
// [lo, hi) only.
func (s *Chem) scatter(ys []float64, spiked []int32, counts []uint8, lo, hi int) {
	if s.oneToOne {
		s.scatterOneToOne(ys, spiked, counts, lo, hi)
		return
	}
	all := lo == 0 && hi == len(ys)
	// Ascending rows are cut to the share; others are filtered element by
	// element.
	filter := !all && !s.rowsSorted
	// In a large network each row and most targets are cache misses:
	// ask for the rows at once, and for a row's targets one row ahead.
	s.prefetchShare(spiked, lo, hi, len(ys))
	ahead := len(ys) >= aheadMin
	var na, nb int
	if len(spiked) > 0 {
		na, nb = s.share(spiked[0], lo, hi, all)
	}
	for i, p := range spiked {
		a, b := na, nb
		if i+1 < len(spiked) {
			na, nb = s.share(spiked[i+1], lo, hi, all)
			if ahead {
				prefetchTargets(ys, s.postIdx[na:nb], lo, hi)
			}
		}
		post := s.postIdx[a:b]
		var w []float64
		if s.w != nil {
			w = s.w[a:b]
			w = w[:len(post)]
		}
		c := 1.0
		if counts != nil {
			c = float64(counts[p])
		}
		switch {
		case w == nil && !filter:
			x := s.M.Weight * c
			for _, q := range post {
				ys[q] += x
			}
		case w == nil:
			x := s.M.Weight * c
			for _, q := range post {
				if int(q) >= lo && int(q) < hi {
					ys[q] += x
				}
			}
		case counts == nil && !filter:
			for j, q := range post {
				ys[q] += w[j]
			}
		case counts == nil:
			for j, q := range post {
				if int(q) >= lo && int(q) < hi {
					ys[q] += w[j]
				}
			}
		default:
			for j, q := range post {
				if int(q) >= lo && int(q) < hi {
					ys[q] += w[j] * c
				}
			}
		}
	}
}

// scatterOneToOne is scatter for rows of one synapse p → p: the row
// needs no lookup and its target nothing to prefetch. The arithmetic is
// scatter's, so the numbers are the same.
func (s *Chem) scatterOneToOne(ys []float64, spiked []int32, counts []uint8, lo, hi int) {
	for _, p := range spiked {
		if int(p) < lo || int(p) >= hi {
			continue
		}
		c := 1.0
		if counts != nil {
			c = float64(counts[p])
		}
		switch {
		case s.w == nil:
			ys[p] += s.M.Weight * c
		case counts == nil:
			ys[p] += s.w[p]
		default:
			ys[p] += s.w[p] * c
		}
	}
}

// oneToOne reports whether row p is the one synapse p → p, for every p.
func oneToOne(indptr, post []int32) bool {
	if len(post) != len(indptr)-1 {
		return false
	}
	for p := range post {
		if indptr[p] != int32(p) || post[p] != int32(p) {
			return false
		}
	}
	return true
}

// share is the part of row p to visit for targets in [lo, hi): the whole
// row when all is set or the rows are not in ascending order, else the
// synapses whose targets lie in [lo, hi). The search starts where the
// share would begin if the row's targets were spread evenly, so that each
// of many threads reads little of every row besides its own part.
func (s *Chem) share(p int32, lo, hi int, all bool) (int, int) {
	a, b := int(s.indptr[p]), int(s.indptr[p+1])
	if all || !s.rowsSorted || a == b {
		return a, b
	}
	r := s.postIdx[a:b]
	i := lowerBound(r, lo, len(r)*lo/s.post.Size())
	j := i
	for j < len(r) && int(r[j]) < hi {
		j++
	}
	return a + i, a + j
}

// lowerBound is the first index of ascending r whose value is ≥ x,
// searched from guess g outwards in doubling steps, then by bisection.
func lowerBound(r []int32, x, g int) int {
	g = min(max(g, 0), len(r))
	var lo, hi int // the answer is in [lo, hi]
	if g < len(r) && int(r[g]) < x {
		lo = g + 1
		d := 1
		for ; g+d < len(r) && int(r[g+d]) < x; d *= 2 {
			lo = g + d + 1
		}
		hi = min(g+d, len(r))
	} else {
		hi = g
		d := 1
		for ; g-d >= 0 && int(r[g-d]) >= x; d *= 2 {
			hi = g - d
		}
		lo = max(g-d+1, 0)
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(r[m]) < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// prefetchShare asks for the rows of spiked, or for their parts that
// hold targets in [lo, hi) of n when rows ascend.
func (s *Chem) prefetchShare(spiked []int32, lo, hi, n int) {
	if !s.rowsSorted {
		lo, hi = 0, n
	}
	prefetchRows(s.indptr, s.postIdx, s.w, spiked, lo, hi, n)
}

// ascendingRows reports whether every row lists its targets in
// non-decreasing order (the connectors build them so).
func ascendingRows(indptr, post []int32) bool {
	for p := 0; p+1 < len(indptr); p++ {
		r := post[indptr[p]:indptr[p+1]]
		for k := 1; k < len(r); k++ {
			if r[k] < r[k-1] {
				return false
			}
		}
	}
	return true
}
