package tests_go

import (
	"math"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
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

// When nothing but the LIF update writes input, the update stops reading
// and clearing it after the first step. The run must equal one where an
// extra input keeps the group reading input every step, including a value
// set before the run; input ends at zero as BrainPy leaves it.
func TestQuietInputMatchesReadInput(t *testing.T) {
	run := func(extra bool) (*neuron.LIF, bool) {
		nw, ins, _ := cobaNet(t, 400, 0.2, synapse.Auto)
		E := nw.Nodes()[0].(*neuron.LIF)
		for k := 0; k < E.Size(); k += 5 {
			E.Input()[k] = 3
		}
		if extra {
			// Adds 0: the numbers stay the same, but the constant is no
			// longer the only input and input is written each step.
			ins = append(ins, &net.Input{Node: 0, Var: "input", Op: '+', Width: 1, Data: []float64{0}})
		}
		if err := nw.Begin(sim.GoAlloc{}, 300, 0.1, 0, 2, ins, nil); err != nil {
			t.Fatal(err)
		}
		if err := nw.Run(300); err != nil {
			t.Fatal(err)
		}
		// Still quiet after the run: stepping from Run is not stepping
		// by the caller.
		quiet := E.QuietInput()
		nw.End()
		return E, quiet
	}
	q, quiet := run(false)
	r, rquiet := run(true)
	if !quiet || rquiet {
		t.Fatalf("quiet input after the run: %v with the constant alone, %v with a second input (want true, false)", quiet, rquiet)
	}
	spikes := 0
	for i := range q.V() {
		if q.V()[i] != r.V()[i] || q.Input()[i] != 0 || r.Input()[i] != 0 {
			t.Fatalf("neuron %d: V %v quiet, %v reading input; input %v, %v", i, q.V()[i], r.V()[i], q.Input()[i], r.Input()[i])
		}
		if q.Vars()["t_last_spike"].F64[i] > 0 {
			spikes++
		}
	}
	if spikes == 0 {
		t.Fatal("no neuron spiked: the comparison means little")
	}
}

// A projection the group does not fold, or a gap junction, adds to input:
// the group must keep reading it.
func TestInputWritersKeepInputRead(t *testing.T) {
	nw, ins, _ := cobaNet(t, 400, 0.2, synapse.Auto)
	E := nw.Nodes()[0].(*neuron.LIF)
	begin := func() {
		if err := nw.Begin(sim.GoAlloc{}, 10, 0.1, 0, 1, ins, nil); err != nil {
			t.Fatal(err)
		}
		nw.End()
	}
	begin()
	if !E.QuietInput() {
		t.Fatal("COBA with folded projections: input should be quiet")
	}
	nw.NoFuse = true
	begin()
	if E.QuietInput() {
		t.Fatal("unfolded projections write input, yet the group stopped reading it")
	}
	c, err := conn.Build(&conn.Spec{Kind: "One2One", PreShape: []int{E.Size()}, PostShape: []int{E.Size()}})
	if err != nil {
		t.Fatal(err)
	}
	gap, err := synapse.NewGap(sim.GoAlloc{}, E, E, c, 0.1, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel("AMPA", nil, "conductance", "")
	if err != nil {
		t.Fatal(err)
	}
	ampa, err := synapse.NewChem(sim.GoAlloc{}, m, E, E, c, synapse.Auto)
	if err != nil {
		t.Fatal(err)
	}
	for _, extra := range []sim.Node{gap, ampa} {
		nodes := append(nw.Nodes()[:len(nw.Nodes()):len(nw.Nodes())], extra)
		names := make([]string, len(nodes))
		for i := range names {
			names[i] = "x"
		}
		nw2, err := net.New(nodes, names)
		if err != nil {
			t.Fatal(err)
		}
		if err := nw2.Begin(sim.GoAlloc{}, 10, 0.1, 0, 1, ins, nil); err != nil {
			t.Fatal(err)
		}
		nw2.End()
		if E.QuietInput() {
			t.Fatalf("%s writes input, yet the group stopped reading it", extra.Kind())
		}
	}
}

// A caller that steps the network itself may write input between steps:
// the write must count even where the group had stopped reading input.
func TestSteppedRunReadsInput(t *testing.T) {
	run := func(write bool) (*neuron.LIF, bool) {
		nw, ins, _ := cobaNet(t, 400, 0.2, synapse.Auto)
		E := nw.Nodes()[0].(*neuron.LIF)
		if err := nw.Begin(sim.GoAlloc{}, 20, 0.1, 0, 1, ins, nil); err != nil {
			t.Fatal(err)
		}
		quiet := E.QuietInput()
		for i := 0; i < 20; i++ {
			if write && i == 10 {
				for k := range E.Input() {
					E.Input()[k] = 5
				}
			}
			if err := nw.StepRange(i, 0, len(nw.Nodes())); err != nil {
				t.Fatal(err)
			}
			nw.Advance(i + 1)
		}
		nw.End()
		return E, quiet
	}
	a, quiet := run(true)
	b, _ := run(false)
	if !quiet || a.QuietInput() {
		t.Fatalf("quiet input %v at Begin, %v after stepping (want true, false)", quiet, a.QuietInput())
	}
	moved := 0
	for i := range a.V() {
		if a.V()[i] != b.V()[i] {
			moved++
		}
	}
	if moved < len(a.V())/2 {
		t.Fatalf("input written between steps moved V of %d of %d neurons", moved, len(a.V()))
	}
}
