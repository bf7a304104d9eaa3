package tests_go

import (
	"math"
	"testing"

	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// Folding the conductances into the LIF update must give the numbers of
// the separate per-projection outputs, up to rounding, over a short run
// (long runs of a chaotic network diverge from any rounding difference).
func TestFusedCOBAMatchesSeparateOutputs(t *testing.T) {
	run := func(noFuse bool, layout synapse.Layout) []float64 {
		nw, ins, _ := cobaNet(t, 400, 0.2, layout)
		nw.NoFuse = noFuse
		if err := nw.Begin(sim.GoAlloc{}, 200, 0.1, 0, 1, ins, nil); err != nil {
			t.Fatal(err)
		}
		if err := nw.Run(200); err != nil {
			t.Fatal(err)
		}
		nw.End()
		E := nw.Nodes()[0].(*neuron.LIF)
		return append([]float64(nil), E.V()...)
	}
	fused := run(false, synapse.Auto)
	sep := run(true, synapse.Auto)
	ref := run(true, synapse.PerSyn)
	spikes := 0
	for i := range fused {
		if math.Abs(fused[i]-sep[i]) > 1e-9*(1+math.Abs(sep[i])) || math.Abs(ref[i]-sep[i]) > 1e-9*(1+math.Abs(sep[i])) {
			t.Fatalf("neuron %d: fused %v, separate %v, per-synapse %v", i, fused[i], sep[i], ref[i])
		}
		if fused[i] != sep[i] {
			spikes++
		}
	}
	if spikes == 0 {
		t.Fatalf("fused and separate runs are bit-identical: the fused path did not run")
	}
}
