package tests_go

// Plasticity: STP against its spike-to-spike closed form, STDP against the
// pair rule, and STDP's weights across threads and checkpoints.

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

// plastNet runs pre → model → post (one2one when n > 1) for n steps and
// records the synapse's variables; post is a SpikeTimeInput with the given
// spikes (nil: an External group that never spikes).
func plastNet(t *testing.T, model string, params map[string]float64, layout synapse.Layout,
	preT []float64, preI []int32, postT []float64, postI []int32, npre int, steps int, vars []string) map[string][]float64 {
	t.Helper()
	a := sim.GoAlloc{}
	pre, err := neuron.NewSpikeTimeInput(a, []int{npre}, preT, preI)
	if err != nil {
		t.Fatal(err)
	}
	var post sim.Group
	if postT != nil {
		post, err = neuron.NewSpikeTimeInput(a, []int{npre}, postT, postI)
	} else {
		post, err = neuron.NewExternal(a, []int{npre})
	}
	if err != nil {
		t.Fatal(err)
	}
	cn, err := conn.Build(&conn.Spec{Kind: "One2One", PreShape: []int{npre}, PostShape: []int{npre}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel(model, params, "", "")
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, pre, post, cn, layout)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := net.New([]sim.Node{pre, post, syn}, []string{"pre", "post", "syn"})
	if err != nil {
		t.Fatal(err)
	}
	var mons []*net.Monitor
	for _, v := range vars {
		if _, err := syn.Ensure(a, v); err != nil {
			t.Fatal(err)
		}
		mons = append(mons, &net.Monitor{Node: 2, Var: v})
	}
	if err := nw.Begin(a, steps, confDt, 0, 1, nil, mons); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(steps); err != nil {
		t.Fatal(err)
	}
	nw.End()
	out := map[string][]float64{}
	for i, v := range vars {
		out[v] = mons[i].F64
	}
	return out
}

// TestSTPClosedForm: between spikes u, x and s relax in closed form from
// their values after the last spike, u·e^{−Δ/τ_f}, 1 − (1 − x)·e^{−Δ/τ_d},
// s·e^{−Δ/τ}; a spike jumps u⁺ = u⁻ + U(1 − u⁻), x⁺ = x⁻ − u⁺x⁻,
// s⁺ = s⁻ + u⁺x⁻. A regular 50 Hz train, then a pause and a late spike,
// with depression and facilitation both visible (τ_f = 300, τ_d = 100).
func TestSTPClosedForm(t *testing.T) {
	p := map[string]float64{"U": 0.2, "tau_f": 300, "tau_d": 100, "tau": 8}
	var times []float64
	for k := 0; k < 10; k++ {
		times = append(times, 5+20*float64(k))
	}
	times = append(times, 400)
	idx := make([]int32, len(times))
	const steps = 5000
	for _, layout := range []synapse.Layout{synapse.PerSyn, synapse.PerPre} {
		got := plastNet(t, "STP", p, layout, times, idx, nil, nil, 1, steps, []string{"u", "x", "s"})
		u0, x0, s0 := 0.0, 1.0, 0.0
		last := 0 // step of the last spike (values u0, x0, s0 after it)
		next := 0
		ratio := 0.0
		for i := 0; i < steps; i++ {
			d := float64(i-last) * confDt
			u := u0 * math.Exp(-d/p["tau_f"])
			x := 1 - (1-x0)*math.Exp(-d/p["tau_d"])
			s := s0 * math.Exp(-d/p["tau"])
			if next < len(times) && i == int(math.Round(times[next]/confDt)) {
				u += p["U"] * (1 - u)
				r := u * x
				x -= r
				s += r
				if next == 1 {
					ratio = r
				}
				u0, x0, s0, last = u, x, s, i
				next++
			}
			for name, want := range map[string]float64{"u": u, "x": x, "s": s} {
				if g := got[name][i]; math.Abs(g-want) > 1e-12*(1+math.Abs(want)) {
					t.Fatalf("%v: %s at step %d = %.17g, closed form %.17g", layout, name, i, g, want)
				}
			}
		}
		if ratio <= p["U"] { // the second release u⁺x⁻ exceeds the first (U): facilitation
			t.Fatalf("second release %g does not exceed the first %g", ratio, p["U"])
		}
	}
}

// TestSTDPPairs: one pre and one post spike Δt apart change w by
// +ΔA_s·e^{−Δt/τ_s} (pre first) or −ΔA_t·e^{−Δt/τ_t} (post first), and the
// bounds clip it. Pair j is synapse j; pre and post spike at the steps
// given (the pair's first spike at 10 ms).
func TestSTDPPairs(t *testing.T) {
	p := map[string]float64{"tau_s": 16.8, "tau_t": 33.7, "delta_A_s": 0.01, "delta_A_t": 0.0105, "w": 0.5}
	dts := []float64{-40, -10.3, -2, -0.1, 0.1, 2, 10.3, 40}
	var preT, postT []float64
	var preI, postI []int32
	for j, d := range dts {
		t0 := 10.0
		tp, tq := t0, t0+d
		if d < 0 {
			tp, tq = t0-d, t0
		}
		preT, preI = append(preT, tp), append(preI, int32(j))
		postT, postI = append(postT, tq), append(postI, int32(j))
	}
	const steps = 1000
	check := func(p map[string]float64, want func(d float64) float64) {
		got := plastNet(t, "STDP", p, synapse.PerSyn, preT, preI, postT, postI, len(dts), steps, []string{"w", "A_s", "A_t"})
		n := len(dts)
		for j, d := range dts {
			w := got["w"][(steps-1)*n+j]
			if math.Abs(w-want(d)) > 1e-12 {
				t.Errorf("Δt = %g ms: w = %.17g, want %.17g", d, w, want(d))
			}
		}
	}
	check(p, func(d float64) float64 {
		if d > 0 {
			return 0.5 + 0.01*math.Exp(-d/16.8)
		}
		return 0.5 - 0.0105*math.Exp(d/33.7)
	})
	// Bounds: w_max 0.505 caps the potentiation, w_min 0.495 the depression.
	q := map[string]float64{"w_max": 0.505, "w_min": 0.495}
	for k, v := range p {
		q[k] = v
	}
	check(q, func(d float64) float64 {
		if d > 0 {
			return math.Min(0.505, 0.5+0.01*math.Exp(-d/16.8))
		}
		return math.Max(0.495, 0.5-0.0105*math.Exp(d/33.7))
	})
}

// stdpNet is Poisson(30) → FixedProb(0.5) → LIF(10) with STDP, a drive
// that makes the post neurons fire, and per-synapse initial weights.
func stdpNet(t *testing.T) (*net.Network, *synapse.Chem) {
	a := sim.GoAlloc{}
	pre, post := poissonToLIF(t, a, 30, 10, 40, 3, 1)
	cn, err := conn.Build(&conn.Spec{Kind: "FixedProb", Prob: 0.5, Seed: 5, PreShape: []int{30}, PostShape: []int{10}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel("STDP", map[string]float64{"delta_A_s": 0.05, "delta_A_t": 0.06, "w_max": 2}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, pre, post, cn, synapse.Auto)
	if err != nil {
		t.Fatal(err)
	}
	w := make([]float64, syn.NSyn())
	for k := range w {
		w[k] = 0.5 + float64(k%7)/10
	}
	if err := syn.SetWeights(a, w); err != nil {
		t.Fatal(err)
	}
	if err := syn.SetDelay(0.5); err != nil {
		t.Fatal(err)
	}
	nw, err := net.New([]sim.Node{pre, syn, post}, []string{"pre", "syn", "post"})
	if err != nil {
		t.Fatal(err)
	}
	return nw, syn
}

func runSTDP(t *testing.T, nw *net.Network, steps, threads int) (w, at, v []float64) {
	mw := &net.Monitor{Node: 1, Var: "w"}
	ma := &net.Monitor{Node: 1, Var: "A_t"}
	mv := &net.Monitor{Node: 2, Var: "V"}
	in := &net.Input{Node: 2, Var: "input", Op: '+', Width: 1, Data: []float64{25}}
	if err := nw.Begin(sim.GoAlloc{}, steps, confDt, 0, threads, []*net.Input{in}, []*net.Monitor{mw, ma, mv}); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(steps); err != nil {
		t.Fatal(err)
	}
	nw.End()
	return mw.F64, ma.F64, mv.F64
}

// TestSTDPThreadsAndCheckpoint: the weights move (both ways), 1 and 3
// threads give the same bits, and a checkpoint in the middle continues
// bit for bit.
func TestSTDPThreadsAndCheckpoint(t *testing.T) {
	const steps = 2000
	nw1, syn := stdpNet(t)
	w1, a1, v1 := runSTDP(t, nw1, steps, 1)
	nsyn := syn.NSyn()
	up, down := 0, 0
	for k := 0; k < nsyn; k++ {
		d := w1[(steps-1)*nsyn+k] - (0.5 + float64(k%7)/10)
		if d > 1e-9 {
			up++
		}
		if d < -1e-9 {
			down++
		}
	}
	if up == 0 || down == 0 {
		t.Fatalf("weights: %d potentiated, %d depressed of %d; want both", up, down, nsyn)
	}
	nw3, _ := stdpNet(t)
	w3, a3, v3 := runSTDP(t, nw3, steps, 3)
	sameBits(t, "w (3 threads)", w3, w1)
	sameBits(t, "A_t (3 threads)", a3, a1)
	sameBits(t, "V (3 threads)", v3, v1)

	ref, _ := stdpNet(t)
	runSTDP(t, ref, steps/2, 1)
	want, _, _ := runSTDP(t, ref, steps/2, 1)
	b, _ := stdpNet(t)
	runSTDP(t, b, steps/2, 1)
	c, _ := stdpNet(t)
	for i, n := range b.Nodes() {
		var buf bytes.Buffer
		if err := n.(sim.Stateful).SaveState(&buf); err != nil {
			t.Fatal(err)
		}
		if err := sim.LoadState(c.Nodes()[i].(sim.Stateful), buf.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	c.SetSteps(b.Steps())
	got, _, _ := runSTDP(t, c, steps/2, 1)
	sameBits(t, "w after a checkpoint", got, want)
}

// STDP keeps state per synapse: other layouts and outputs are refused.
func TestSTDPRefusesOtherLayouts(t *testing.T) {
	a := sim.GoAlloc{}
	pre, post := poissonToLIF(t, a, 3, 3, 10, 1, 1)
	cn, _ := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{3}, PostShape: []int{3}})
	m, _ := synapse.NewModel("STDP", nil, "", "")
	for _, l := range []synapse.Layout{synapse.PerPre, synapse.PerPost} {
		if _, err := synapse.NewChem(a, m, pre, post, cn, l); err == nil {
			t.Errorf("STDP accepted layout %v", l)
		}
	}
	if _, err := synapse.NewModel("STDP", nil, "conductance", ""); err == nil {
		t.Error("STDP accepted a conductance output")
	}
	if _, err := synapse.NewModel("STDP", map[string]float64{"w_min": 1, "w_max": 0}, "", ""); err == nil {
		t.Error("STDP accepted w_min > w_max")
	}
	if _, err := synapse.NewModel("STP", map[string]float64{"U": 1.5}, "", ""); err == nil {
		t.Error("STP accepted U = 1.5")
	}
}

// STDP's primary names (A_pre, A_post, tau_pre, tau_post) and BrainModels'
// aliases build the same model; an alias with its primary is refused,
// naming both.
func TestSTDPParamAliases(t *testing.T) {
	primary, err := synapse.NewModel("STDP", map[string]float64{"A_pre": 0.1, "A_post": 0.2, "tau_pre": 7, "tau_post": 9}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	alias, err := synapse.NewModel("STDP", map[string]float64{"delta_A_s": 0.1, "delta_A_t": 0.2, "tau_s": 7, "tau_t": 9}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if *primary.Plastic != *alias.Plastic || primary.Plastic.DAs != 0.1 || primary.Plastic.DAt != 0.2 {
		t.Errorf("rules differ: primary %+v, alias %+v", *primary.Plastic, *alias.Plastic)
	}
	if primary.Kin != alias.Kin {
		t.Errorf("kinetics differ: primary %+v, alias %+v", primary.Kin, alias.Kin)
	}
	_, err = synapse.NewModel("STDP", map[string]float64{"A_pre": 0.1, "delta_A_s": 0.1}, "", "")
	if err == nil || !strings.Contains(err.Error(), `"A_pre"`) || !strings.Contains(err.Error(), `"delta_A_s"`) {
		t.Errorf("A_pre with delta_A_s: got %v, want an error naming both", err)
	}
}
