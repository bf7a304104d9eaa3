//go:build amd64 && !purego

package synapse

//go:noescape
func sumCondAVX2(in, v, inv *float64, n int, gain, rev float64)

// sumCondVec subtracts g·(v − e) (times inv when inv is not nil) from
// in[:i] for the largest multiple of four i ≤ len(v), and returns i.
func sumCondVec(in, v, inv []float64, g, e float64) int {
	n := len(v) &^ 3
	if !haveAVX2 || n == 0 {
		return 0
	}
	in = in[:n]
	var pinv *float64
	if inv != nil {
		pinv = &inv[:n][0]
	}
	sumCondAVX2(&in[0], &v[0], pinv, n, g, e)
	return n
}
