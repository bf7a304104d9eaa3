package tests_go

// Neuron conformance: every registered neuron model (neuron.Defs) has one
// row here, and every row passes the same checks:
//
//	rest       without input no spike after the start's transient, and the
//	           state settles (V changes by less than settle over the last 10 ms)
//	driven     a constant input `drive` makes it spike repeatedly
//	threads    Poisson → AMPA1 → model → Exponential → External, 2500
//	           neurons (several blocks): 1 and 2 threads give the same bits
//	checkpoint SaveState → LoadState → continue gives the same bits
//	params     a bad value of each bounded parameter is refused, naming it
//
// The references of the equations (closed-form fixed points, first spike
// times from a fine RK4 integration) are in tests_py/test_neuron_models.py.

import (
	"bytes"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

type neuRow struct {
	drive  float64 // constant input that makes the model spike
	settle float64 // largest |ΔV| over the last 10 ms of the rest run
	// weight of the AMPA1 conductance into the group in the threads net
	gmax float64
}

var neuConformance = map[string]neuRow{
	"LIF":           {drive: 50, settle: 1e-6, gmax: 0.1},
	"HH":            {drive: 10, settle: 1e-3, gmax: 0.1},
	"ExpIF":         {drive: 2, settle: 1e-6, gmax: 0.5},
	"AdExIF":        {drive: 10, settle: 1e-6, gmax: 2},
	"QuaIF":         {drive: 10, settle: 1e-6, gmax: 2},
	"AdQuaIF":       {drive: 30, settle: 1e-6, gmax: 5},
	"Izhikevich":    {drive: 10, settle: 1e-3, gmax: 2},
	"GIF":           {drive: 1.5, settle: 1e-6, gmax: 0.2},
	"FHN":           {drive: 1, settle: 1e-3, gmax: 0.05},
	"HindmarshRose": {drive: 3, settle: 1e-2, gmax: 0.1},
	"MorrisLecar":   {drive: 100, settle: 1e-3, gmax: 1},
}

func TestNeuronConformanceTableCoversRegistry(t *testing.T) {
	var names []string
	for _, d := range neuron.Defs() {
		names = append(names, d.Name)
	}
	checkRowsCoverModels(t, "neuron", "tests_go/neuron_conformance_test.go", names, neuConformance)
}

// soloRun runs one neuron of model with a constant input for n steps of
// 0.1 ms and returns V and spike per step.
func soloRun(t *testing.T, model string, drive float64, n int) (v, spk []float64) {
	t.Helper()
	g, err := neuron.New(sim.GoAlloc{}, model, []int{1}, nil, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := net.New([]sim.Node{g}, []string{"g"})
	if err != nil {
		t.Fatal(err)
	}
	mv, ms := &net.Monitor{Node: 0, Var: "V"}, &net.Monitor{Node: 0, Var: "spike"}
	var ins []*net.Input
	if drive != 0 {
		ins = []*net.Input{{Node: 0, Var: "input", Op: '+', Width: 1, Data: []float64{drive}}}
	}
	if err := nw.Begin(sim.GoAlloc{}, n, 0.1, 0, 1, ins, []*net.Monitor{mv, ms}); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(n); err != nil {
		t.Fatal(err)
	}
	nw.End()
	return monVals(mv), monVals(ms)
}

// monVals is a monitor's record as floats (flags as 0/1).
func monVals(m *net.Monitor) []float64 {
	x := m.F64
	if x == nil {
		for _, b := range m.U8 {
			x = append(x, float64(b))
		}
	}
	return x
}

func countSpikes(s []float64) int {
	n := 0
	for _, x := range s {
		if x != 0 {
			n++
		}
	}
	return n
}

type neuNet struct {
	nw  *net.Network
	grp sim.Group
}

const neuN = 2500 // three blocks of the pool

func buildNeuNet(t *testing.T, d *neuron.Def, row neuRow) neuNet {
	t.Helper()
	a := sim.GoAlloc{}
	freqs := make([]float64, neuN)
	for i := range freqs {
		freqs[i] = 50 + float64(i%7)*30
	}
	pre, err := neuron.NewPoissonInput(a, []int{neuN}, freqs, 11, 1)
	if err != nil {
		t.Fatal(err)
	}
	g, err := neuron.New(a, d.Name, []int{neuN}, nil, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	ext, err := neuron.NewExternal(a, []int{3})
	if err != nil {
		t.Fatal(err)
	}
	one, _ := conn.Build(&conn.Spec{Kind: "One2One", PreShape: []int{neuN}, PostShape: []int{neuN}})
	all, _ := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{neuN}, PostShape: []int{3}})
	m1, _ := synapse.NewModel("AMPA1", map[string]float64{"g_max": row.gmax}, "", "")
	s1, err := synapse.NewChem(a, m1, pre, g, one, synapse.PerSyn)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := synapse.NewModel("Exponential", nil, "current", "")
	s2, err := synapse.NewChem(a, m2, g, ext, all, synapse.Auto)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := net.New([]sim.Node{pre, s1, g, s2, ext}, []string{"pre", "ampa", "g", "exp", "ext"})
	if err != nil {
		t.Fatal(err)
	}
	return neuNet{nw, g}
}

// run records every variable of the group and the External input.
func (c neuNet) run(t *testing.T, n, threads int) [][]float64 {
	t.Helper()
	var mons []*net.Monitor
	names := slices.Sorted(maps.Keys(c.grp.Vars()))
	for _, name := range names {
		mons = append(mons, &net.Monitor{Node: 2, Var: name})
	}
	mons = append(mons, &net.Monitor{Node: 4, Var: "input"})
	in := &net.Input{Node: 2, Var: "input", Op: '+', Width: 1, Data: []float64{neuConformance[c.grp.Kind()].drive}}
	if err := c.nw.Begin(sim.GoAlloc{}, n, 0.1, 0, threads, []*net.Input{in}, mons); err != nil {
		t.Fatal(err)
	}
	if err := c.nw.Run(n); err != nil {
		t.Fatal(err)
	}
	c.nw.End()
	var out [][]float64
	for _, m := range mons {
		out = append(out, monVals(m))
	}
	return out
}

func TestNeuronConformance(t *testing.T) {
	for _, d := range neuron.Defs() {
		row, ok := neuConformance[d.Name]
		if !ok {
			continue // TestNeuronConformanceTableCoversRegistry fails
		}
		t.Run(d.Name, func(t *testing.T) { conformNeuron(t, d, row) })
	}
}

func conformNeuron(t *testing.T, d *neuron.Def, row neuRow) {
	t.Run("rest", func(t *testing.T) {
		v, s := soloRun(t, d.Name, 0, 4000)
		if n := countSpikes(s[2000:]); n != 0 {
			t.Errorf("%d spikes without input after 200 ms", n)
		}
		if dv := math.Abs(v[len(v)-1] - v[len(v)-101]); !(dv < row.settle) {
			t.Errorf("V moved by %g over the last 10 ms without input (V = %g)", dv, v[len(v)-1])
		}
	})
	t.Run("driven", func(t *testing.T) {
		_, s := soloRun(t, d.Name, row.drive, 4000)
		if n := countSpikes(s); n < 3 {
			t.Errorf("%d spikes in 400 ms with input %g, want >= 3", n, row.drive)
		}
	})
	t.Run("threads", func(t *testing.T) {
		one := buildNeuNet(t, d, row).run(t, 80, 1)
		three := buildNeuNet(t, d, row).run(t, 80, 2)
		spikes := 0.0
		for i := range one {
			sameBits(t, "monitor", three[i], one[i])
		}
		for _, x := range one[len(one)-1] {
			spikes += math.Abs(x)
		}
		if spikes == 0 {
			t.Errorf("the group sent nothing to the External group")
		}
	})
	t.Run("checkpoint", func(t *testing.T) {
		ref := buildNeuNet(t, d, row)
		ref.run(t, 100, 1)
		want := ref.run(t, 100, 1)
		b := buildNeuNet(t, d, row)
		b.run(t, 100, 1)
		var blobs [][]byte
		for _, n := range b.nw.Nodes() {
			var buf bytes.Buffer
			if err := n.(sim.Stateful).SaveState(&buf); err != nil {
				t.Fatal(err)
			}
			blobs = append(blobs, buf.Bytes())
		}
		c := buildNeuNet(t, d, row)
		for i, n := range c.nw.Nodes() {
			if err := sim.LoadState(n.(sim.Stateful), blobs[i]); err != nil {
				t.Fatal(err)
			}
		}
		c.nw.SetSteps(b.nw.Steps())
		got := c.run(t, 100, 1)
		for i := range want {
			sameBits(t, "monitor", got[i], want[i])
		}
	})
	t.Run("params", func(t *testing.T) {
		for _, p := range d.Params {
			bad := map[neuron.Bound]float64{neuron.Positive: 0, neuron.NonNeg: -1}
			for _, v := range []float64{math.NaN(), bad[p.Bound]} {
				if p.Bound == neuron.Any && !math.IsNaN(v) {
					continue
				}
				_, err := neuron.New(sim.GoAlloc{}, d.Name, []int{2}, map[string]float64{p.Name: v}, "", nil)
				if err == nil || !strings.Contains(err.Error(), p.Name) {
					t.Errorf("%s = %v: got %v, want an error naming %s", p.Name, v, err, p.Name)
				}
			}
		}
		if _, err := neuron.New(sim.GoAlloc{}, d.Name, []int{2}, map[string]float64{"nope": 1}, "", nil); err == nil {
			t.Errorf("an unknown parameter was accepted")
		}
		if _, err := neuron.New(sim.GoAlloc{}, d.Name, []int{2}, nil, "nope", nil); err == nil ||
			!strings.Contains(err.Error(), "unknown method") {
			t.Errorf("method 'nope': got %v, want an unknown method error", err)
		}
		if _, err := neuron.New(sim.GoAlloc{}, d.Name, []int{2}, nil, "", map[string]string{"nope": "x"}); err == nil {
			t.Errorf("an unknown option was accepted")
		}
		for _, o := range d.Options {
			_, err := neuron.New(sim.GoAlloc{}, d.Name, []int{2}, nil, "", map[string]string{o.Name: "nope"})
			if err == nil || !strings.Contains(err.Error(), o.Name) {
				t.Errorf("%s = 'nope': got %v, want an error naming %s", o.Name, err, o.Name)
			}
		}
	})
}
