//go:build !amd64 || purego

package synapse

const haveAVX2 = false

// mgBlockVec has no vector form in this build.
func mgBlockVec(out, v []float64, a, k float64) int { return 0 }

// sumCondVec has no vector form in this build.
func sumCondVec(in, v, inv []float64, g, e float64) int { return 0 }
