//go:build amd64 && !purego

package synapse

import "unsafe"

//go:noescape
func prefetchF64At(base *float64, idx *int32, n, lo, hi int)

//go:noescape
func prefetchSpan(p unsafe.Pointer, n int)

//go:noescape
func prefetchI32Stride(base *int32, idx *int32, n, stride int)

// prefetchTargets asks for ys[q], q in row and lo ≤ q < hi. Every q in
// row must be within ys.
func prefetchTargets(ys []float64, row []int32, lo, hi int) {
	hi = min(hi, len(ys))
	if len(row) > 0 && lo < hi {
		prefetchF64At(&ys[0], &row[0], len(row), max(lo, 0), hi)
	}
}

// prefetchRows asks for the rows of the neurons in spiked: their bounds
// in indptr first, then the rows of post (and w, if not nil), or of each
// row the part where targets in [lo, hi) of [0, n) would lie if they were
// spread evenly (a thread's share).
func prefetchRows(indptr, post []int32, w []float64, spiked []int32, lo, hi, n int) {
	if len(spiked) == 0 {
		return
	}
	prefetchI32Stride(&indptr[0], &spiked[0], len(spiked), 1)
	for _, p := range spiked {
		a, b := int(indptr[p]), int(indptr[p+1])
		if a == b {
			continue
		}
		if lo > 0 || hi < n {
			a, b = a+(b-a)*lo/n, min(a+(b-a)*hi/n+1, b)
		}
		prefetchSpan(unsafe.Pointer(&post[a]), (b-a)*4)
		if w != nil {
			prefetchSpan(unsafe.Pointer(&w[a]), (b-a)*8)
		}
	}
}

// prefetchCuts asks for the parts of the rows of spiked between cuts k
// and k+1, where row p's cuts are cuts[p·nk : (p+1)·nk]: the cuts first,
// then the parts of post (and w, if not nil).
func prefetchCuts(cuts, post []int32, w []float64, spiked []int32, nk, k int) {
	if len(spiked) == 0 {
		return
	}
	prefetchI32Stride(&cuts[k], &spiked[0], len(spiked), nk)
	for _, p := range spiked {
		a, b := int(cuts[int(p)*nk+k]), int(cuts[int(p)*nk+k+1])
		if a == b {
			continue
		}
		prefetchSpan(unsafe.Pointer(&post[a]), (b-a)*4)
		if w != nil {
			prefetchSpan(unsafe.Pointer(&w[a]), (b-a)*8)
		}
	}
}
