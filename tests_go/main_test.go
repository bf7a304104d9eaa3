package tests_go

import (
	"os"
	"testing"

	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
)

// Small test networks must still split their loops across threads, so the
// comparisons of thread counts exercise the parallel path.
func TestMain(m *testing.M) {
	sim.MinParallel = sim.BlockSize
	sim.AlwaysSplit = true
	os.Exit(m.Run())
}

// poissonToLIF makes npre bundles of `sources` Poisson sources at rate Hz
// (seeded) and a default LIF group of npost neurons.
func poissonToLIF(t *testing.T, a sim.Alloc, npre, npost int, rate float64, seed uint64, sources int) (*neuron.PoissonInput, *neuron.LIF) {
	t.Helper()
	pre, err := neuron.NewPoissonInput(a, []int{npre}, []float64{rate}, seed, sources)
	if err != nil {
		t.Fatal(err)
	}
	post, err := neuron.NewLIF(a, []int{npost}, neuron.DefaultLIF())
	if err != nil {
		t.Fatal(err)
	}
	return pre, post
}
