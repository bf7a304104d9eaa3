package tests_go

// Conformance: every registered synapse model (synapse.Defs) has one row
// here, and every row passes the same checks on a small network
// SpikeTimeInput(4) → model → External(3), All2All. The External group has
// no update: its V stays where it is put (the synapses see a constant V)
// and its input adds up what the synapses deliver, so the monitored input
// and V are the synapse's output itself.
//
//	reference  closed form or reference trace (or the test that has it)
//	silent     no spikes: the state stays at rest, nothing is delivered
//	delay      delay d shifts the output by exactly ceil(d/dt) steps
//	weight     doubling g_max / w doubles the output exactly
//	layout     the allowed layouts give the same output (1e-12)
//	threads    1 and 3 threads give the same bits
//	checkpoint SaveState → LoadState → continue gives the same bits

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// confRow is one model's row of the table.
type confRow struct {
	params map[string]float64 // beyond the defaults, to make the output visible
	// kernel is s after one spike at elapsed time u (method 'exact' when
	// the kinetics are linear); nil when the reference is elsewhere.
	kernel func(u float64) float64
	// ref runs the reference check kept elsewhere in this package.
	ref func(t *testing.T)
	// refElsewhere names the reference outside Go when neither is set.
	refElsewhere string
	// scaled is the monitored variable that is linear in the weight.
	scaled string
	// rate: a rate model (rate_test.go), checked by conformRate; ref is
	// its reference test.
	rate bool
}

func expKernelT(tau float64) func(float64) float64 {
	return func(u float64) float64 { return math.Exp(-u / tau) }
}

var conformance = map[string]confRow{
	"AMPA":   {ref: TestTutorialAMPA, scaled: "input"},
	"AMPA1":  {kernel: expKernelT(2), scaled: "input"},
	"NMDA":   {ref: TestTutorialNMDA, scaled: "input"},
	"GABAa1": {kernel: expKernelT(6), scaled: "input"},
	"GABAa2": {refElsewhere: "tests_py/test_brian2_reference.py (Brian2 trace)", scaled: "input"},
	// G stays ~1e-3 after a few spikes: a small kd makes s = G⁴/(G⁴+kd) visible.
	"GABAb1":      {params: map[string]float64{"kd": 1e-12}, refElsewhere: "tests_py/test_brian2_reference.py (Brian2 trace)", scaled: "input"},
	"GABAb2":      {params: map[string]float64{"kd": 1e-12}, refElsewhere: "tests_py/test_brian2_reference.py (Brian2 trace)", scaled: "input"},
	"Exponential": {kernel: expKernelT(8), scaled: "input"},
	"Two_exponentials": {kernel: func(u float64) float64 { return 1 * 3 / (1 - 3.0) * (math.Exp(-u/1) - math.Exp(-u/3)) },
		scaled: "input"},
	"Alpha": {kernel: func(u float64) float64 { return u * math.Exp(-u/2) }, scaled: "input"},
	// s is the spike of the step.
	"Voltage_jump": {kernel: func(u float64) float64 { return b2f(u < 1e-9) }, scaled: "V"},
	"Gap_junction": {ref: gapReference, scaled: "V"},
	// u, x and s against the spike-to-spike recursion (plasticity_test.go).
	"STP": {ref: TestSTPClosedForm, scaled: "input"},
	// No post spikes here: w stays 1 and s is a sum of exponentials; the
	// weight rule has its own tests (plasticity_test.go).
	"STDP": {kernel: expKernelT(10), scaled: "input"},
	// Rate models: the Euler step written out, Oja's eigenvector, BCM's
	// threshold (rate_test.go); Brian2 traces in tests_py/test_plasticity.py.
	"Oja": {rate: true, ref: func(t *testing.T) { TestRateEulerStep(t); TestOjaPrincipalEigenvector(t) }},
	"BCM": {rate: true, ref: func(t *testing.T) { TestRateEulerStep(t); TestBCMThreshold(t) }},
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Four pre neurons, spikes on distinct steps (one arrival per step, so
// delay lines and direct delivery add in the same order), some late
// enough to be in flight at the checkpoint (step 200).
var (
	confTimes   = []float64{1.0, 2.3, 4.7, 9.1, 13.4, 19.9, 19.0, 25.2, 33.3}
	confIndices = []int32{0, 1, 2, 3, 0, 1, 2, 3, 1}
)

const (
	confNPre, confNPost = 4, 3
	confSteps           = 400
	confDt              = 0.1
)

type confOpts struct {
	layout  synapse.Layout
	delay   float64
	scale   float64 // weight factor
	silent  bool
	threads int
	method  string
}

type confNet struct {
	nw   *net.Network
	syn  sim.Node
	post *neuron.External
}

// buildConf makes the row's network.
func buildConf(t *testing.T, d *synapse.Def, row confRow, o confOpts) confNet {
	t.Helper()
	a := sim.GoAlloc{}
	times, idx := confTimes, confIndices
	if o.silent {
		times, idx = nil, nil
	}
	pre, err := neuron.NewSpikeTimeInput(a, []int{confNPre}, times, idx)
	if err != nil {
		t.Fatal(err)
	}
	post, err := neuron.NewExternal(a, []int{confNPost})
	if err != nil {
		t.Fatal(err)
	}
	// A constant V away from every E, so conductance outputs are nonzero;
	// 0 for synapses that write V, so their V is their output.
	v0 := -65.0
	if row.scaled == "V" {
		v0 = 0
	}
	for i, v := range post.Vars()["V"].F64 {
		post.Vars()["V"].F64[i] = v + v0
	}
	cn, err := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{confNPre}, PostShape: []int{confNPost}})
	if err != nil {
		t.Fatal(err)
	}
	scale := o.scale
	if scale == 0 {
		scale = 1
	}
	var syn sim.Node
	if d.Make == nil { // Gap_junction
		p := defaultsOf(d)
		g, err := synapse.NewGap(a, pre, post, cn, p["weight"]*scale, p["k_spikelet"], false)
		if err != nil {
			t.Fatal(err)
		}
		if err := g.SetDelay(o.delay); err != nil {
			t.Fatal(err)
		}
		syn = g
	} else {
		m, err := synapse.NewModel(d.Name, row.params, "", o.method)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := synapse.NewChem(a, m, pre, post, cn, o.layout)
		if err != nil {
			t.Fatal(err)
		}
		if err := ch.SetWeights(a, []float64{m.Weight * scale}); err != nil {
			t.Fatal(err)
		}
		if err := ch.SetDelay(o.delay); err != nil {
			t.Fatal(err)
		}
		syn = ch
	}
	nw, err := net.New([]sim.Node{pre, syn, post}, []string{"pre", "syn", "post"})
	if err != nil {
		t.Fatal(err)
	}
	return confNet{nw, syn, post}
}

func defaultsOf(d *synapse.Def) map[string]float64 {
	p := map[string]float64{}
	for _, q := range d.Params {
		p[q.Name] = q.Default
	}
	return p
}

// confTrace is what a run records: post input and V, and s of the
// chemical synapses (nil for the gap junction), per step.
type confTrace struct{ input, v, s []float64 }

// runConf runs n steps and records.
func (c confNet) run(t *testing.T, n, threads int) confTrace {
	t.Helper()
	mons := []*net.Monitor{{Node: 2, Var: "input"}, {Node: 2, Var: "V"}}
	if _, ok := c.syn.(*synapse.Chem); ok {
		mons = append(mons, &net.Monitor{Node: 1, Var: "s"})
	}
	if threads == 0 {
		threads = 1
	}
	if err := c.nw.Begin(sim.GoAlloc{}, n, confDt, 0, threads, nil, mons); err != nil {
		t.Fatal(err)
	}
	if err := c.nw.Run(n); err != nil {
		t.Fatal(err)
	}
	c.nw.End()
	tr := confTrace{input: mons[0].F64, v: mons[1].F64}
	if len(mons) > 2 {
		tr.s = mons[2].F64
	}
	return tr
}

func layoutsOf(d *synapse.Def) []synapse.Layout {
	if d.Make == nil {
		return []synapse.Layout{synapse.Auto}
	}
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

func sameBits(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s[%d] = %.17g, want %.17g (bit for bit)", what, i, got[i], want[i])
		}
	}
}

// Every registered model has a row.
func TestConformanceTableCoversRegistry(t *testing.T) {
	var names []string
	for _, d := range synapse.Defs() {
		names = append(names, d.Name)
	}
	checkRowsCoverModels(t, "synapse", "tests_go/conformance_test.go", names, conformance)
}

// checkRowsCoverModels fails for a registered model without a row in
// rows, and for a row that names no registered model.
func checkRowsCoverModels[R any](t *testing.T, kind, file string, registered []string, rows map[string]R) {
	t.Helper()
	known := map[string]bool{}
	for _, name := range registered {
		known[name] = true
		if _, ok := rows[name]; !ok {
			t.Errorf("%s model %q has no row in the conformance table (%s)", kind, name, file)
		}
	}
	for name := range rows {
		if !known[name] {
			t.Errorf("conformance row %q names no registered %s model", name, kind)
		}
	}
}

func TestConformance(t *testing.T) {
	for _, d := range synapse.Defs() {
		row, ok := conformance[d.Name]
		if !ok {
			continue // TestConformanceTableCoversRegistry fails
		}
		t.Run(d.Name, func(t *testing.T) {
			if row.rate {
				t.Run("synapse", func(t *testing.T) { conformRate(t, d) })
				t.Run("reference", row.ref)
				return
			}
			for _, layout := range layoutsOf(d) {
				t.Run(layout.String(), func(t *testing.T) { conformRow(t, d, row, layout) })
			}
			t.Run("reference", func(t *testing.T) { conformReference(t, d, row) })
		})
	}
}

func conformRow(t *testing.T, d *synapse.Def, row confRow, layout synapse.Layout) {
	base := buildConf(t, d, row, confOpts{layout: layout}).run(t, confSteps, 1)
	if slices.Max(base.input) == 0 && slices.Min(base.input) == 0 && slices.Max(base.v) == slices.Min(base.v) {
		t.Fatal("the synapse delivers nothing: the checks below would not see it")
	}

	t.Run("silent", func(t *testing.T) {
		c := buildConf(t, d, row, confOpts{layout: layout, silent: true})
		tr := c.run(t, confSteps, 1)
		v0 := c.post.Vars()["V"].F64[0]
		for i := range tr.input {
			if tr.input[i] != 0 || tr.v[i] != v0 {
				t.Fatalf("step %d: input %g, V %g without spikes; want 0 and %g", i/confNPost, tr.input[i], tr.v[i], v0)
			}
		}
		if ch, ok := c.syn.(*synapse.Chem); ok {
			for _, name := range d.Vars {
				if _, err := ch.Ensure(sim.GoAlloc{}, name); err != nil {
					t.Fatal(err)
				}
				ch.SyncMirrors()
				rest := d.Rest[slices.Index(d.Vars, name)]
				for k, x := range ch.Vars()[name].F64 {
					if x != rest {
						t.Fatalf("%s[%d] = %g without spikes, want the rest value %g", name, k, x, rest)
					}
				}
			}
		}
	})

	t.Run("delay", func(t *testing.T) {
		const delay = 0.73 // ceil(7.3) = 8 steps at dt 0.1
		D := int(math.Ceil(delay / confDt))
		tr := buildConf(t, d, row, confOpts{layout: layout, delay: delay}).run(t, confSteps, 1)
		W := confNPost
		for i := 0; i < D*W; i++ {
			if tr.input[i] != base.input[0] || tr.v[i] != base.v[i%W] {
				t.Fatalf("step %d: the output arrives before the delay of %d steps", i/W, D)
			}
		}
		sameBits(t, "delayed input", tr.input[D*W:], base.input[:len(base.input)-D*W])
		sameBits(t, "delayed V", tr.v[D*W:], base.v[:len(base.v)-D*W])
	})

	t.Run("weight", func(t *testing.T) {
		tr := buildConf(t, d, row, confOpts{layout: layout, scale: 2}).run(t, confSteps, 1)
		got, want := tr.input, base.input
		if row.scaled == "V" {
			got, want = tr.v, base.v
		}
		for i := range want {
			if got[i] != 2*want[i] {
				t.Fatalf("%s[%d] = %.17g with twice the weight, want 2 × %.17g", row.scaled, i, got[i], want[i])
			}
		}
	})

	t.Run("layout", func(t *testing.T) {
		if d.Make == nil {
			t.Skip("one layout")
		}
		ref := buildConf(t, d, row, confOpts{layout: synapse.PerSyn, delay: 0.73}).run(t, confSteps, 1)
		tr := buildConf(t, d, row, confOpts{layout: layout, delay: 0.73}).run(t, confSteps, 1)
		closeAll(t, "input", tr.input, ref.input, 1e-12)
		closeAll(t, "V", tr.v, ref.v, 1e-12)
		closeAll(t, "s", tr.s, ref.s, 1e-12)
	})

	t.Run("threads", func(t *testing.T) {
		one := buildConf(t, d, row, confOpts{layout: layout, delay: 0.73}).run(t, confSteps, 1)
		three := buildConf(t, d, row, confOpts{layout: layout, delay: 0.73}).run(t, confSteps, 3)
		sameBits(t, "input", three.input, one.input)
		sameBits(t, "V", three.v, one.v)
		sameBits(t, "s", three.s, one.s)
	})

	t.Run("checkpoint", func(t *testing.T) {
		const half = confSteps / 2
		o := confOpts{layout: layout, delay: 0.73}
		ref := buildConf(t, d, row, o)
		ref.run(t, half, 1)
		want := ref.run(t, half, 1)

		b := buildConf(t, d, row, o)
		b.run(t, half, 1)
		var blobs [][]byte
		for _, n := range b.nw.Nodes() {
			var buf bytes.Buffer
			if err := n.(sim.Stateful).SaveState(&buf); err != nil {
				t.Fatal(err)
			}
			blobs = append(blobs, buf.Bytes())
		}
		c := buildConf(t, d, row, o)
		for i, n := range c.nw.Nodes() {
			if err := sim.LoadState(n.(sim.Stateful), blobs[i]); err != nil {
				t.Fatal(err)
			}
		}
		c.nw.SetSteps(b.nw.Steps())
		got := c.run(t, half, 1)
		sameBits(t, "input", got.input, want.input)
		sameBits(t, "V", got.v, want.v)
		sameBits(t, "s", got.s, want.s)
	})
}

// conformReference checks the closed form of s (method 'exact' for linear
// kinetics) or runs the row's reference test.
func conformReference(t *testing.T, d *synapse.Def, row confRow) {
	switch {
	case row.ref != nil:
		row.ref(t)
	case row.kernel != nil:
		method := ""
		if d.Linear {
			method = "exact"
		}
		tr := buildConf(t, d, row, confOpts{layout: synapse.PerSyn, method: method}).run(t, confSteps, 1)
		nsyn := confNPre * confNPost
		for i := 0; i < confSteps; i++ {
			for p := 0; p < confNPre; p++ {
				want := 0.0
				for j, ts := range confTimes {
					ti := float64(i) * confDt
					if int(confIndices[j]) == p && ti >= ts-1e-9 {
						// The spike acts at the step of its time.
						want += row.kernel(float64(i-int(math.Round(ts/confDt))) * confDt)
					}
				}
				got := tr.s[i*nsyn+p*confNPost]
				if math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
					t.Fatalf("s of pre %d at step %d = %.17g, closed form %.17g", p, i, got, want)
				}
			}
		}
	case row.refElsewhere != "":
		t.Skipf("reference trace in %s", row.refElsewhere)
	default:
		t.Fatal("the row names no reference")
	}
}

// gapReference: with pre V = 0 and post V starting at 0, the post V is
// the sum of the spikelets w·k_spikelet of the spikes so far, and the
// coupling input adds w·(0 − V) every step.
func gapReference(t *testing.T) {
	d, _ := synapse.Lookup("Gap_junction")
	p := defaultsOf(d)
	tr := buildConf(t, d, confRow{scaled: "V"}, confOpts{}).run(t, confSteps, 1)
	w, k := p["weight"], p["k_spikelet"]
	v := make([]float64, confNPost)
	in := make([]float64, confNPost)
	for i := 0; i < confSteps; i++ {
		for q := range v {
			// One junction per pre neuron, in pre order: coupling first, then its spikelet.
			for p := 0; p < confNPre; p++ {
				in[q] += w * (0 - v[q])
				for j, ts := range confTimes {
					if int(math.Round(ts/confDt)) == i && int(confIndices[j]) == p {
						v[q] += w * k
					}
				}
			}
			if got := tr.v[i*confNPost+q]; math.Abs(got-v[q]) > 1e-12 {
				t.Fatalf("post V[%d] at step %d = %.17g, want %.17g", q, i, got, v[q])
			}
			if got := tr.input[i*confNPost+q]; math.Abs(got-in[q]) > 1e-12*(1+math.Abs(in[q])) {
				t.Fatalf("post input[%d] at step %d = %.17g, want %.17g", q, i, got, in[q])
			}
		}
	}
}
