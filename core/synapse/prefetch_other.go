//go:build !amd64 || purego

package synapse

// Prefetching needs assembly; this build goes without.

func prefetchTargets(ys []float64, row []int32, lo, hi int) {}

func prefetchRows(indptr, post []int32, w []float64, spiked []int32, lo, hi, n int) {}

func prefetchCuts(cuts, post []int32, w []float64, spiked []int32, nk, k int) {}
