package neuron

import (
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// BenchmarkPoissonSources is one step of the Wang network's drive: 2000
// neurons of 1000 sources at 2.4 Hz (about one neuron in five fires).
func BenchmarkPoissonSources(b *testing.B) {
	g, err := NewPoissonInput(sim.GoAlloc{}, []int{2000}, []float64{2.4}, 1, 1000)
	if err != nil {
		b.Fatal(err)
	}
	c := &sim.Clock{Dt: 0.1}
	g.Prepare(c)
	for i := 0; i < b.N; i++ {
		c.At(i)
		g.Update(c)
	}
}
