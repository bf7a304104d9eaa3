package tests_go

// Rate-based learning rules (Oja, BCM): a single Euler step against the
// update written out, Oja's fixed point (the unit principal eigenvector of
// the input correlation), BCM's threshold (the mean post rate), and the
// conformance checks that apply to rate projections (silent, weight of
// the first step, delay refused, threads, checkpoint).

import (
	"bytes"
	"math"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

type rateNet struct {
	nw        *net.Network
	pre, post *neuron.RateGroup
	syn       *synapse.RateSyn
}

// buildRate makes RateGroup(npre) → model (All2All) → RateGroup(npost)
// with the pre rates x.
func buildRate(t *testing.T, model string, params map[string]float64, x []float64, npost int) rateNet {
	t.Helper()
	a := sim.GoAlloc{}
	pre, err := neuron.NewRateGroup(a, []int{len(x)})
	if err != nil {
		t.Fatal(err)
	}
	copy(pre.Rate(), x)
	post, err := neuron.NewRateGroup(a, []int{npost})
	if err != nil {
		t.Fatal(err)
	}
	cn, err := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{len(x)}, PostShape: []int{npost}})
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewRateSyn(a, model, params, pre, post, cn)
	if err != nil {
		t.Fatal(err)
	}
	nw, err := net.New([]sim.Node{pre, syn, post}, []string{"pre", "syn", "post"})
	if err != nil {
		t.Fatal(err)
	}
	return rateNet{nw, pre, post, syn}
}

// run runs n steps of dt and returns w, post r (and r_th for BCM) per step.
func (r rateNet) run(t *testing.T, n, threads int, dt float64) map[string][]float64 {
	t.Helper()
	mons := []*net.Monitor{{Node: 1, Var: "w"}, {Node: 2, Var: "r"}}
	if _, ok := r.syn.Vars()["r_th"]; ok {
		mons = append(mons, &net.Monitor{Node: 1, Var: "r_th"})
	}
	if err := r.nw.Begin(sim.GoAlloc{}, n, dt, 0, threads, nil, mons); err != nil {
		t.Fatal(err)
	}
	if err := r.nw.Run(n); err != nil {
		t.Fatal(err)
	}
	r.nw.End()
	out := map[string][]float64{}
	for _, m := range mons {
		out[m.Var] = m.F64
	}
	return out
}

var rateX = []float64{1, 2, 2}

// One step from w0: y = Σ w0·x, then the rule's Euler step.
func TestRateEulerStep(t *testing.T) {
	const dt = 0.1
	for _, tc := range []struct {
		model string
		p     map[string]float64
		dw    func(w, x, y, th float64) float64
	}{
		{"Oja", map[string]float64{"gamma": 0.01, "w": 0.2}, func(w, x, y, _ float64) float64 { return 0.01 * (y*x - y*y*w) }},
		// θ after one step is y itself: the first step leaves w unchanged
		// unless θ differs, so a second check runs two steps below.
		{"BCM", map[string]float64{"lr": 0.01, "w": 0.2}, func(w, x, y, th float64) float64 { return 0.01 * y * (y - th) * x }},
	} {
		r := buildRate(t, tc.model, tc.p, rateX, 1)
		got := r.run(t, 1, 1, dt)
		y := 0.2 * (1 + 2 + 2)
		if got["r"][0] != y {
			t.Fatalf("%s: post r = %.17g, want Σ w·x = %.17g", tc.model, got["r"][0], y)
		}
		for i, x := range rateX {
			want := 0.2 + dt*tc.dw(0.2, x, y, y)
			if math.Abs(got["w"][i]-want) > 1e-15 {
				t.Errorf("%s: w[%d] = %.17g after one step, want %.17g", tc.model, i, got["w"][i], want)
			}
		}
	}
	// BCM, second step with new rates: θ = (y0 + y1)/2.
	r := buildRate(t, "BCM", map[string]float64{"lr": 0.01, "w": 0.2}, rateX, 1)
	r.run(t, 1, 1, dt)
	w1 := append([]float64(nil), r.syn.Vars()["w"].F64...)
	x2 := []float64{3, 0, 1}
	copy(r.pre.Rate(), x2)
	got := r.run(t, 1, 1, dt)
	y0, y1 := 0.2*5, w1[0]*3+w1[2]*1
	th := (y0 + y1) / 2
	if math.Abs(got["r_th"][0]-th) > 1e-15 || math.Abs(got["r"][0]-y1) > 1e-15 {
		t.Fatalf("BCM step 2: r_th %.17g, r %.17g; want %.17g, %.17g", got["r_th"][0], got["r"][0], th, y1)
	}
	for i, x := range x2 {
		want := w1[i] + dt*0.01*y1*(y1-th)*x
		if math.Abs(got["w"][i]-want) > 1e-15 {
			t.Errorf("BCM step 2: w[%d] = %.17g, want %.17g", i, got["w"][i], want)
		}
	}
}

// Oja with a constant input x: w → x/|x| (the unit eigenvector of xxᵀ).
// With two patterns in alternate steps: w → the unit principal
// eigenvector of C = (x₁x₁ᵀ + x₂x₂ᵀ)/2, up to O(γ·dt).
func TestOjaPrincipalEigenvector(t *testing.T) {
	r := buildRate(t, "Oja", nil, rateX, 1)
	r.run(t, 40000, 1, 0.1)
	for i, x := range rateX {
		if got, want := r.syn.Vars()["w"].F64[i], x/3; math.Abs(got-want) > 1e-9 {
			t.Errorf("constant input: w[%d] = %.12g, want x/|x| = %.12g", i, got, want)
		}
	}
	// Two patterns: C = [[5, 2], [2, 2]]/2 ... with x₁ = (2, 1), x₂ = (1, 1):
	// C = ((4,2),(2,1) + (1,1),(1,1))/2 = ((2.5, 1.5), (1.5, 1)).
	x1, x2 := []float64{2, 1}, []float64{1, 1}
	r = buildRate(t, "Oja", map[string]float64{"gamma": 0.002}, x1, 1)
	for step := 0; step < 60000; step++ {
		x := x1
		if step%2 == 1 {
			x = x2
		}
		copy(r.pre.Rate(), x)
		r.run(t, 1, 1, 0.1)
	}
	a, b, c := 2.5, 1.5, 1.0
	lam := (a+c)/2 + math.Sqrt((a-c)*(a-c)/4+b*b)
	v := []float64{b, lam - a}
	nv := math.Hypot(v[0], v[1])
	for i := range v {
		if got, want := r.syn.Vars()["w"].F64[i], v[i]/nv; math.Abs(got-want) > 2e-3 {
			t.Errorf("two patterns: w[%d] = %.6g, want the principal eigenvector's %.6g", i, got, want)
		}
	}
}

// BCM's threshold is the mean of the post rate over every step so far,
// across runs, and the weights stay in [w_min, w_max].
func TestBCMThreshold(t *testing.T) {
	r := buildRate(t, "BCM", map[string]float64{"lr": 0.05, "w_max": 1.5}, []float64{1, 0.5}, 2)
	var ys, ths []float64
	for chunk := 0; chunk < 3; chunk++ {
		copy(r.pre.Rate(), []float64{1 + float64(chunk), 0.5})
		got := r.run(t, 300, 1, 0.1)
		ys, ths = append(ys, got["r"]...), append(ths, got["r_th"]...)
		for _, w := range got["w"] {
			if w < 0 || w > 1.5 {
				t.Fatalf("w = %g outside [0, 1.5]", w)
			}
		}
	}
	for j := 0; j < 2; j++ {
		sum := 0.0
		for n := 0; n < len(ys)/2; n++ {
			sum += ys[2*n+j]
			if want := sum / float64(n+1); math.Abs(ths[2*n+j]-want) > 1e-12*math.Abs(want) {
				t.Fatalf("post %d step %d: r_th = %.17g, want the mean %.17g", j, n, ths[2*n+j], want)
			}
		}
	}
}

func TestRateRefusals(t *testing.T) {
	a := sim.GoAlloc{}
	lif, _ := neuron.NewLIF(a, []int{2}, neuron.DefaultLIF())
	rg, _ := neuron.NewRateGroup(a, []int{2})
	cn, _ := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{2}, PostShape: []int{2}})
	for _, name := range []string{"Oja", "BCM"} {
		if _, err := synapse.NewRateSyn(a, name, nil, lif, rg, cn); err == nil {
			t.Errorf("%s accepted a LIF pre group", name)
		}
		if _, err := synapse.NewRateSyn(a, name, map[string]float64{"w_min": 2, "w_max": 1}, rg, rg, cn); err == nil {
			t.Errorf("%s accepted w_min > w_max", name)
		}
		if _, err := synapse.NewRateSyn(a, name, map[string]float64{"nope": 1}, rg, rg, cn); err == nil {
			t.Errorf("%s accepted an unknown parameter", name)
		}
		s, err := synapse.NewRateSyn(a, name, nil, rg, rg, cn)
		if err != nil {
			t.Fatal(err)
		}
		if s.SetDelay(1) == nil {
			t.Errorf("%s accepted a delay", name)
		}
	}
}

// conformRate is the conformance row of a rate model.
func conformRate(t *testing.T, d *synapse.Def) {
	x := []float64{0.5, 1, 1.5, 2}
	p := map[string]float64{"w_max": 10}
	base := buildRate(t, d.Name, p, x, confNPost).run(t, confSteps, 1, confDt)
	t.Run("silent", func(t *testing.T) {
		got := buildRate(t, d.Name, p, make([]float64, len(x)), confNPost).run(t, confSteps, 1, confDt)
		w0 := defaultsOf(d)["w"]
		for i, w := range got["w"] {
			if w != w0 {
				t.Fatalf("w[%d] = %g without input, want %g", i, w, w0)
			}
		}
		for _, v := range append(got["r"], got["r_th"]...) {
			if v != 0 {
				t.Fatalf("post r / r_th = %g without input, want 0", v)
			}
		}
	})
	t.Run("weight", func(t *testing.T) {
		// The rule is not linear in w; the output of the first step is.
		q := map[string]float64{"w_max": 10, "w": 2 * defaultsOf(d)["w"]}
		got := buildRate(t, d.Name, q, x, confNPost).run(t, 1, 1, confDt)
		for j := 0; j < confNPost; j++ {
			if got["r"][j] != 2*base["r"][j] {
				t.Fatalf("post r[%d] = %g with twice w, want 2 × %g", j, got["r"][j], base["r"][j])
			}
		}
	})
	t.Run("delay", func(t *testing.T) {
		if buildRate(t, d.Name, p, x, confNPost).syn.SetDelay(0.73) == nil {
			t.Fatal("a delay was accepted")
		}
	})
	t.Run("threads", func(t *testing.T) {
		three := buildRate(t, d.Name, p, x, confNPost).run(t, confSteps, 3, confDt)
		for k := range base {
			sameBits(t, k, three[k], base[k])
		}
	})
	t.Run("checkpoint", func(t *testing.T) {
		const half = confSteps / 2
		b := buildRate(t, d.Name, p, x, confNPost)
		b.run(t, half, 1, confDt)
		var blobs [][]byte
		for _, n := range b.nw.Nodes() {
			var buf bytes.Buffer
			if err := n.(sim.Stateful).SaveState(&buf); err != nil {
				t.Fatal(err)
			}
			blobs = append(blobs, buf.Bytes())
		}
		c := buildRate(t, d.Name, p, make([]float64, len(x)), confNPost)
		for i, n := range c.nw.Nodes() {
			if err := sim.LoadState(n.(sim.Stateful), blobs[i]); err != nil {
				t.Fatal(err)
			}
		}
		got := c.run(t, half, 1, confDt)
		for k, v := range got {
			sameBits(t, k, v, base[k][len(base[k])/2:])
		}
	})
}
