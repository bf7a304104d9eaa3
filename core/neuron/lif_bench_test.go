package neuron

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// BenchmarkLIFTwoChannels is one step of COBA neurons with the excitatory
// and inhibitory conductances folded in and the constant drive taken by
// the update, for a group that fits in cache and one that does not; with
// each vector kernel the CPU can run.
func BenchmarkLIFTwoChannels(b *testing.B) {
	kernels := []bool{false}
	if haveAVX512 {
		kernels = append(kernels, true)
	}
	for _, n := range []int{4000, 40000, 400000} {
		for _, w := range kernels {
			name := fmt.Sprintf("n=%d", n)
			if haveAVX512 {
				name += map[bool]string{false: "/AVX2", true: "/AVX-512"}[w]
			}
			b.Run(name, func(b *testing.B) {
				defer func(w0 bool) { wide = w0 }(wide)
				wide = w
				benchLIF2(b, n)
			})
		}
	}
}

func benchLIF2(b *testing.B, n int) {
	par := LIFParams{VRest: -60, VReset: -60, VTh: -50, R: 1, Tau: 20, TRef: 5, Method: "euler"}
	g, _ := NewLIF(sim.GoAlloc{}, []int{n}, par)
	r := rand.New(rand.NewSource(1))
	ge, gi := make([]float64, n), make([]float64, n)
	for i := range g.v {
		g.v[i] = -55 + 5*r.NormFloat64()
		ge[i], gi[i] = r.Float64(), r.Float64()
	}
	g.AddChannel(&sim.Channel{S: ge, Decay: 0.98, E: 0, Conductance: true})
	g.AddChannel(&sim.Channel{S: gi, Decay: 0.99, E: -80, Conductance: true})
	g.TakeConstantInput(20)
	g.SetQuietInput(true)
	c := &sim.Clock{Dt: 0.1}
	g.Prepare(c)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.At(i)
		g.Update(c)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/neuron")
}
