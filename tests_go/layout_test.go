package tests_go

// Layout equivalence (issues 3 and the performance issue): the compact
// layouts ('pre', 'post', 'auto') must give what the straightforward
// per-synapse layout ('synapse') gives, for every chemical model, with
// per-synapse weights and with scalar and per-synapse delays.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

type layoutRun struct {
	v, s    []float64
	spikes  int
	layout  synapse.Layout
	nsyn    int
	preSpks int
}

type delayKind int

const (
	noDelay delayKind = iota
	scalarDelay
	perSynDelay
)

func (d delayKind) String() string { return [...]string{"none", "scalar", "per-synapse"}[d] }

// runLayout runs PoissonInput(20) → FixedProb(0.3) → LIF(15) for 100 ms
// with a constant drive of 15 into the post group (subthreshold alone).
// netOpts are the network variants: the step order, a second projection
// from the same pre group onto the same post group (state and Mg-block
// sharing), and whether the network may fuse outputs into the post update.
type netOpts struct {
	postFirst bool // order pre, post, syn(s): the output acts one step later and may be fused
	twin      bool // a second projection, same model, delays and pre group, half the weights
	noFuse    bool // the straightforward computation: nothing shared or fused
}

func runLayout(t *testing.T, model, method string, layout synapse.Layout, dk delayKind, threads int, opts ...netOpts) layoutRun {
	var o netOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	t.Helper()
	const npre, npost, dt, nsteps = 20, 15, 0.1, 1000
	a := sim.GoAlloc{}
	pre, post := poissonToLIF(t, a, npre, npost, 40, 7, 1)
	cn, err := conn.Build(&conn.Spec{Kind: "FixedProb", Prob: 0.3, Seed: 11, PreShape: []int{npre}, PostShape: []int{npost}})
	if err != nil {
		t.Fatal(err)
	}
	var params map[string]float64
	if model == "GABAb2" {
		// G stays below ~1e-2, so with kd = 100 s = G⁴/(G⁴+kd) is ~1e-10
		// and invisible in V; a small kd makes the gate matter.
		params = map[string]float64{"kd": 1e-10}
	}
	m, err := synapse.NewModel(model, params, "", method)
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, pre, post, cn, layout)
	if err != nil {
		t.Fatal(err)
	}
	// Per-synapse weights and delays from a fixed stream, the same for every layout.
	r := rand.New(rand.NewPCG(3, 5))
	w := make([]float64, syn.NSyn())
	for k := range w {
		w[k] = m.Weight * (0.5 + r.Float64())
	}
	if model == "GABAb1" {
		// s = G⁴/(G⁴+kd) stays near 1e-7 after a few spikes: scale g_max up
		// so that the post V visibly depends on it.
		for k := range w {
			w[k] *= 1e5
		}
	}
	if model == "Voltage_jump" {
		for k := range w {
			w[k] = 0.5 + r.Float64() // mV per spike
		}
	}
	if err := syn.SetWeights(a, w); err != nil {
		t.Fatal(err)
	}
	var delays []float64
	if dk == perSynDelay {
		delays = make([]float64, syn.NSyn())
		for k := range delays {
			delays[k] = math.Round(r.Float64()*30) / 10 // 0 .. 3 ms, on the grid and off it below
		}
		delays[0] = 0.25 // between steps: ceil gives 3
	}
	setDelay := func(syn *synapse.Chem) {
		switch dk {
		case scalarDelay:
			if err := syn.SetDelay(1.3); err != nil {
				t.Fatal(err)
			}
		case perSynDelay:
			if err := syn.SetDelays(delays); err != nil {
				t.Fatal(err)
			}
		}
	}
	setDelay(syn)
	nodes := []sim.Node{pre, syn, post}
	names := []string{"pre", "syn", "post"}
	if o.twin {
		m2, _ := synapse.NewModel(model, params, "", method)
		syn2, err := synapse.NewChem(a, m2, pre, post, cn, layout)
		if err != nil {
			t.Fatal(err)
		}
		w2 := make([]float64, len(w))
		for k := range w {
			w2[k] = w[k] / 2
		}
		if err := syn2.SetWeights(a, w2); err != nil {
			t.Fatal(err)
		}
		setDelay(syn2)
		nodes = append(nodes, syn2)
		names = append(names, "syn2")
	}
	if o.postFirst {
		nodes[1], nodes[2] = nodes[2], nodes[1]
		names[1], names[2] = names[2], names[1]
	}
	nw, _ := net.New(nodes, names)
	nw.NoFuse = o.noFuse
	ip, is := 2, 1 // node index of post and syn
	if o.postFirst {
		ip, is = 1, 2
	}
	mv := &net.Monitor{Node: ip, Var: "V"}
	ms := &net.Monitor{Node: is, Var: "s"}
	msp := &net.Monitor{Node: ip, Var: "spike"}
	mpre := &net.Monitor{Node: 0, Var: "spike"}
	in := &net.Input{Node: ip, Var: "input", Op: '+', Width: 1, Data: []float64{15}}
	if err := nw.Begin(a, nsteps, dt, 0, threads, []*net.Input{in}, []*net.Monitor{mv, ms, msp, mpre}); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(nsteps); err != nil {
		t.Fatal(err)
	}
	nw.End()
	nw.Close()
	res := layoutRun{v: mv.F64, s: ms.F64, layout: syn.Layout(), nsyn: syn.NSyn()}
	for _, x := range msp.U8 {
		res.spikes += int(x)
	}
	for _, x := range mpre.U8 {
		res.preSpks += int(x)
	}
	return res
}

func closeAll(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	// Relative to each value plus absolute relative to the trace's scale, so
	// that tiny gates (GABA_B s ~ 1e-7) are compared as strictly as large ones.
	scale := 0.0
	for _, x := range want {
		scale = math.Max(scale, math.Abs(x))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*(math.Abs(want[i])+scale) {
			t.Fatalf("%s[%d] = %.17g, reference %.17g", what, i, got[i], want[i])
		}
	}
}

// allowedLayouts lists the layouts a model allows, 'synapse' first.
func allowedLayouts(model string) []synapse.Layout {
	d, _ := synapse.Lookup(model)
	var l []synapse.Layout
	for _, name := range d.Layouts {
		x, err := synapse.ParseLayout(name)
		if err != nil {
			panic(err)
		}
		l = append(l, x)
	}
	return l
}

func TestLayoutEquivalence(t *testing.T) {
	type mc struct{ model, method string }
	var cases []mc
	for _, name := range synapse.ModelNames() {
		cases = append(cases, mc{name, ""})
	}
	cases = append(cases, mc{"NMDA", "rk4"}, mc{"GABAb1", "rk4"}, mc{"Alpha", "exact"}, mc{"Two_exponentials", "rk4"})
	for _, c := range cases {
		for _, dk := range []delayKind{noDelay, scalarDelay, perSynDelay} {
			t.Run(fmt.Sprintf("%s/%s/delay=%v", c.model, c.method, dk), func(t *testing.T) {
				ref := runLayout(t, c.model, c.method, synapse.PerSyn, dk, 1)
				if ref.preSpks < 40 || ref.nsyn < 40 {
					t.Fatalf("degenerate network: %d pre spikes, %d synapses", ref.preSpks, ref.nsyn)
				}
				// Without synapses post V would follow Euler's V_n = 15·(1 − 0.99^(n+1))
				// (drive 15, τ = 10, dt = 0.1); the synapses must move it visibly.
				dev := 0.0
				for i := 0; i < len(ref.v); i += 15 {
					dev = math.Max(dev, math.Abs(ref.v[i]-15*(1-math.Pow(0.99, float64(i/15+1)))))
				}
				if dev < 0.05 {
					t.Fatalf("post V hardly departs from the synapse-free trace (%.3g): the test would not see the synapses", dev)
				}
				t.Logf("%d synapses, %d pre spikes, %d post spikes, max V deviation %.3g", ref.nsyn, ref.preSpks, ref.spikes, dev)
				layouts := append(allowedLayouts(c.model)[1:], synapse.Auto)
				for _, l := range layouts {
					got := runLayout(t, c.model, c.method, l, dk, 1)
					closeAll(t, fmt.Sprintf("%v V", got.layout), got.v, ref.v, 1e-12)
					closeAll(t, fmt.Sprintf("%v s", got.layout), got.s, ref.s, 1e-12)
					if got.spikes != ref.spikes {
						t.Errorf("%v: %d post spikes, reference %d", got.layout, got.spikes, ref.spikes)
					}
				}
				// Two worker threads give the same numbers.
				got := runLayout(t, c.model, c.method, synapse.Auto, dk, 2)
				closeAll(t, "2 threads V", got.v, ref.v, 1e-12)
			})
		}
	}
}

// The network's shortcuts (outputs folded into the post update when the
// projection comes after its post group, shared presynaptic state and Mg
// block between projections from one pre group) against the straightforward
// per-synapse computation with nothing shared or fused, in both step orders.
func TestLayoutEquivalenceFusedAndShared(t *testing.T) {
	for _, model := range synapse.ModelNames() {
		for _, dk := range []delayKind{noDelay, scalarDelay, perSynDelay} {
			for _, postFirst := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/delay=%v/postFirst=%v", model, dk, postFirst), func(t *testing.T) {
					ref := runLayout(t, model, "", synapse.PerSyn, dk, 1, netOpts{postFirst: postFirst, twin: true, noFuse: true})
					layouts := append(allowedLayouts(model), synapse.Auto)
					for _, l := range layouts {
						for _, threads := range []int{1, 2} {
							got := runLayout(t, model, "", l, dk, threads, netOpts{postFirst: postFirst, twin: true})
							closeAll(t, fmt.Sprintf("%v/%d threads V", got.layout, threads), got.v, ref.v, 1e-12)
							closeAll(t, fmt.Sprintf("%v/%d threads s", got.layout, threads), got.s, ref.s, 1e-12)
						}
					}
				})
			}
		}
	}
}
