package tests_go

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// stateNet is Poisson → AMPA/NMDA/Exponential (with delays) → LIF, plus
// gap junctions among the LIF neurons, in the given layout.
func stateNet(t *testing.T, model string, layout synapse.Layout, perSynDelay bool, sources int) *net.Network {
	return stateNetOrder(t, model, layout, perSynDelay, sources, false)
}

// stateNetOrder with postFirst puts the LIF group first and leaves out the
// gap junctions, so that 'post' projections are folded into its update
// (net.Network fuses them).
func stateNetOrder(t *testing.T, model string, layout synapse.Layout, perSynDelay bool, sources int, postFirst bool) *net.Network {
	t.Helper()
	a := sim.GoAlloc{}
	src, err := neuron.NewPoissonInput(a, []int{8}, []float64{300}, 7, sources)
	if err != nil {
		t.Fatal(err)
	}
	p := neuron.DefaultLIF()
	p.TRef = 2
	e, _ := neuron.NewLIF(a, []int{5}, p)
	c, err := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{8}, PostShape: []int{5}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel(model, map[string]float64{"E": 60}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, src, e, c, layout)
	if err != nil {
		t.Fatal(err)
	}
	if perSynDelay {
		d := make([]float64, syn.NSyn())
		for k := range d {
			d[k] = 0.5 + 0.3*float64(k%7)
		}
		if err := syn.SetDelays(d); err != nil {
			t.Fatal(err)
		}
	} else if err := syn.SetDelay(1.7); err != nil {
		t.Fatal(err)
	}
	// A second projection from the same group with the same kinetics and
	// delay reads the first one's state (net.Network shares it).
	m2, _ := synapse.NewModel(model, map[string]float64{"E": 60}, "", "")
	syn2, err := synapse.NewChem(a, m2, src, e, c, layout)
	if err != nil {
		t.Fatal(err)
	}
	if err := syn2.SetDelay(1.7); err != nil {
		t.Fatal(err)
	}
	cg, _ := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{5}, PostShape: []int{5}})
	gap, _ := synapse.NewGap(a, e, e, cg, 0.05, 2, false)
	if err := gap.SetDelay(0.4); err != nil {
		t.Fatal(err)
	}
	if postFirst {
		nw, _ := net.New([]sim.Node{e, src, syn, syn2}, []string{"E", "src", "syn", "syn2"})
		return nw
	}
	nw, _ := net.New([]sim.Node{src, syn, syn2, gap, e}, []string{"src", "syn", "syn2", "gap", "E"})
	return nw
}

func runFor(t *testing.T, nw *net.Network, n int) []float64 {
	t.Helper()
	ei := 0
	for i, n := range nw.Nodes() {
		if _, ok := n.(*neuron.LIF); ok {
			ei = i
		}
	}
	mon := &net.Monitor{Node: ei, Var: "V"}
	in := &net.Input{Node: ei, Var: "input", Op: '+', Width: 1, Data: []float64{12}}
	if err := nw.Begin(sim.GoAlloc{}, n, 0.1, 0, 1, []*net.Input{in}, []*net.Monitor{mon}); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(n); err != nil {
		t.Fatal(err)
	}
	nw.End()
	return mon.F64
}

func saveAll(t *testing.T, nw *net.Network) [][]byte {
	t.Helper()
	var out [][]byte
	for _, n := range nw.Nodes() {
		var b bytes.Buffer
		if err := n.(sim.Stateful).SaveState(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.Bytes())
	}
	return out
}

// A network restored from a saved state continues bit for bit like the
// one that was not interrupted: in every layout, with uniform and
// per-synapse delays (spikes in flight), Poisson draws and refractoriness.
func TestRestoreContinuesBitIdentically(t *testing.T) {
	cases := []struct {
		model   string
		layout  synapse.Layout
		perSyn  bool
		sources int
		first   bool
	}{
		{"AMPA", synapse.PerSyn, false, 1, false}, {"AMPA", synapse.PerPre, true, 1, false}, {"NMDA", synapse.PerPre, false, 1, false},
		{"AMPA", synapse.PerPre, false, 1, false}, {"Exponential", synapse.PerPost, false, 1, false},
		{"Exponential", synapse.PerPost, true, 3, false}, {"Exponential", synapse.PerSyn, true, 1, false},
		{"Exponential", synapse.PerPre, false, 4, false}, {"Exponential", synapse.PerPost, false, 1, true},
		{"Exponential", synapse.PerPost, true, 2, true}, {"AMPA", synapse.PerPre, false, 1, true},
	}
	for _, tc := range cases {
		ref := stateNetOrder(t, tc.model, tc.layout, tc.perSyn, tc.sources, tc.first)
		runFor(t, ref, 500)
		want := runFor(t, ref, 500)

		b := stateNetOrder(t, tc.model, tc.layout, tc.perSyn, tc.sources, tc.first)
		runFor(t, b, 500)
		blobs := saveAll(t, b)
		c := stateNetOrder(t, tc.model, tc.layout, tc.perSyn, tc.sources, tc.first)
		for i, n := range c.Nodes() {
			if err := sim.LoadState(n.(sim.Stateful), blobs[i]); err != nil {
				t.Fatalf("%s/%v: %v", tc.model, tc.layout, err)
			}
		}
		c.SetSteps(b.Steps())
		got := runFor(t, c, 500)
		fresh := runFor(t, stateNetOrder(t, tc.model, tc.layout, tc.perSyn, tc.sources, tc.first), 500)
		same := true
		for i := range want {
			if math.Float64bits(want[i]) != math.Float64bits(got[i]) {
				t.Fatalf("%s/%v per-synapse delays %v: V differs at %d: %v vs %v", tc.model, tc.layout, tc.perSyn, i, got[i], want[i])
			}
			same = same && want[i] == fresh[i]
		}
		if same {
			t.Fatalf("%s/%v: a fresh network gives the same second half; the test cannot tell", tc.model, tc.layout)
		}
	}
}

func TestLoadStateRejectsOtherModelsAndSizes(t *testing.T) {
	a := sim.GoAlloc{}
	l3, _ := neuron.NewLIF(a, []int{3}, neuron.DefaultLIF())
	l4, _ := neuron.NewLIF(a, []int{4}, neuron.DefaultLIF())
	hh, _ := neuron.NewHH(a, []int{3}, neuron.DefaultHH())
	var b bytes.Buffer
	if err := l3.SaveState(&b); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		n    sim.Stateful
		data []byte
		want string
	}{
		{l4, b.Bytes(), "has 3 elements, this object has 4"},
		{hh, b.Bytes(), `saved state has "LIF" where "HH" was expected`},
		{l3, b.Bytes()[:b.Len()-5], "truncated or corrupt"},
	} {
		err := sim.LoadState(tc.n, tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error containing %q", err, tc.want)
		}
	}
}
