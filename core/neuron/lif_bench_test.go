package neuron

import (
	"math/rand"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// BenchmarkLIFTwoChannels is one step of 4000 COBA neurons with the
// excitatory and inhibitory conductances folded in.
func BenchmarkLIFTwoChannels(b *testing.B) {
	par := LIFParams{VRest: -60, VReset: -60, VTh: -50, R: 1, Tau: 20, TRef: 5, Method: "euler"}
	g, _ := NewLIF(sim.GoAlloc{}, []int{4000}, par)
	r := rand.New(rand.NewSource(1))
	ge, gi := make([]float64, 4000), make([]float64, 4000)
	for i := range g.v {
		g.v[i] = -55 + 5*r.NormFloat64()
		ge[i], gi[i] = r.Float64(), r.Float64()
	}
	g.AddChannel(&sim.Channel{S: ge, Decay: 0.98, E: 0, Conductance: true})
	g.AddChannel(&sim.Channel{S: gi, Decay: 0.99, E: -80, Conductance: true})
	c := &sim.Clock{Dt: 0.1}
	g.Prepare(c)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.At(i)
		for k := range g.input {
			g.input[k] = 20
		}
		g.Update(c)
	}
}
