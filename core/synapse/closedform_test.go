package synapse_test

// Closed-form checks of the linear synapse models (issue 3): Exponential,
// Alpha and Two_exponentials driven by known presynaptic spike times.
//
// Timing, derived from the step order (reference §1.2, §4.1): the pre group
// runs before the synapse, so a spike emitted at step k is seen by the
// synapse in step k. For these models the increment comes after the
// integration step (Model.SpikeFirst = false), so the state recorded at
// step k is the state just after the jump: Exponential s = 1; s/x forms
// s = 0, x = 1. Every later step applies one step of the flow. Hence the
// value recorded at step i ≥ k equals the closed form at t_i − t_k, with
// t_s = t_k = k·dt the time of the spike step itself.

import (
	"fmt"
	"math"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// kernel is the response to one spike at elapsed time u >= 0.
type kernel func(u float64) float64

func expKernel(tau float64) kernel { return func(u float64) float64 { return math.Exp(-u / tau) } }

func alphaKernel(tau float64) kernel { return func(u float64) float64 { return u * math.Exp(-u/tau) } }

func dualKernel(t1, t2 float64) kernel {
	return func(u float64) float64 { return t1 * t2 / (t1 - t2) * (math.Exp(-u/t1) - math.Exp(-u/t2)) }
}

type cfCase struct {
	model  string
	params map[string]float64
	k      kernel
}

func cfCases() []cfCase {
	return []cfCase{
		{"Exponential", map[string]float64{"tau": 8}, expKernel(8)},
		{"Alpha", map[string]float64{"tau": 3}, alphaKernel(3)},
		{"Two_exponentials", map[string]float64{"tau1": 2, "tau2": 3}, dualKernel(2, 3)},
		{"Two_exponentials", map[string]float64{"tau1": 1, "tau2": 3}, dualKernel(1, 3)},
	}
}

// Spike times lie on every grid used (dt 0.1, 0.05, 0.025), so the spike
// step time equals the given time; two spikes check superposition.
var cfSpikes = []float64{2.0, 7.5}

const cfDuration = 30.0

// runCF runs SpikeTimeInput(1) → model → LIF(2), All2All, and returns the
// monitored s of synapse 0 per step.
func runCF(t *testing.T, c cfCase, method string, layout synapse.Layout, dt float64) []float64 {
	t.Helper()
	a := sim.GoAlloc{}
	pre, err := neuron.NewSpikeTimeInput(a, []int{1}, cfSpikes, make([]int32, len(cfSpikes)))
	if err != nil {
		t.Fatal(err)
	}
	post, _ := neuron.NewLIF(a, []int{2}, neuron.DefaultLIF())
	cn, err := conn.Build(&conn.Spec{Kind: "All2All", PreShape: []int{1}, PostShape: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel(c.model, c.params, "", method)
	if err != nil {
		t.Fatal(err)
	}
	syn, err := synapse.NewChem(a, m, pre, post, cn, layout)
	if err != nil {
		t.Fatal(err)
	}
	nw, _ := net.New([]sim.Node{pre, syn, post}, []string{"pre", "syn", "post"})
	n := int(math.Round(cfDuration / dt))
	mon := &net.Monitor{Node: 1, Var: "s"}
	if err := nw.Begin(a, n, dt, 0, 1, nil, []*net.Monitor{mon}); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(n); err != nil {
		t.Fatal(err)
	}
	nw.End()
	s := make([]float64, n)
	for i := range s {
		s[i] = mon.F64[i*mon.Cols]
	}
	return s
}

// analytic is the superposition of kernels at the step times.
func analytic(k kernel, dt float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		ti := float64(i) * dt
		for _, ts := range cfSpikes {
			if ti >= ts-1e-9 {
				out[i] += k(ti - ts)
			}
		}
	}
	return out
}

// maxErr is the largest |s − analytic| over the times of the coarsest grid
// (every stride-th step), so errors at different dt compare the same times.
func maxErr(s, want []float64, stride int) float64 {
	e := 0.0
	for i := 0; i < len(s); i += stride {
		e = math.Max(e, math.Abs(s[i]-want[i]))
	}
	return e
}

func layoutsFor(model string) []synapse.Layout {
	return []synapse.Layout{synapse.PerSyn, synapse.PerPre, synapse.PerPost}
}

// With method 'exact' (matrix exponential) the monitored s is the closed
// form up to rounding, in every layout and at two dt.
func TestClosedFormExact(t *testing.T) {
	for _, c := range cfCases() {
		for _, layout := range layoutsFor(c.model) {
			for _, dt := range []float64{0.1, 0.05} {
				name := fmt.Sprintf("%s%v/%v/dt=%v", c.model, c.params, layout, dt)
				t.Run(name, func(t *testing.T) {
					s := runCF(t, c, "exact", layout, dt)
					want := analytic(c.k, dt, len(s))
					if e := maxErr(s, want, 1); e > 1e-9 {
						t.Errorf("max |s - closed form| = %.3g, want <= 1e-9", e)
					}
					// The jump is at the spike step, not one step later.
					k := int(math.Round(cfSpikes[0] / dt))
					if s[k-1] != 0 {
						t.Errorf("s[%d] = %g before the first spike, want 0", k-1, s[k-1])
					}
				})
			}
		}
	}
}

// Exponential's default method, exponential Euler, is exact for ds/dt = −s/τ.
func TestClosedFormExponentialEuler(t *testing.T) {
	c := cfCases()[0]
	for _, layout := range layoutsFor(c.model) {
		s := runCF(t, c, "", layout, 0.1)
		if e := maxErr(s, analytic(c.k, 0.1, len(s)), 1); e > 1e-12 {
			t.Errorf("%v: max error %.3g, want <= 1e-12", layout, e)
		}
	}
}

// Halving dt divides the global error by 2^p for a method of order p:
// 2 for euler, 16 for rk4.
func TestClosedFormErrorOrder(t *testing.T) {
	for _, m := range []struct {
		method   string
		ratio    float64
		lo, hi   float64
		minError float64 // the coarse error must be well above rounding
	}{
		{"euler", 2, 1.85, 2.15, 1e-5},
		{"rk4", 16, 14.5, 17.5, 1e-10},
	} {
		for _, c := range cfCases() {
			for _, layout := range []synapse.Layout{synapse.PerSyn, synapse.PerPost} {
				name := fmt.Sprintf("%s/%s%v/%v", m.method, c.model, c.params, layout)
				t.Run(name, func(t *testing.T) {
					var errs []float64
					for j, dt := range []float64{0.1, 0.05} {
						s := runCF(t, c, m.method, layout, dt)
						errs = append(errs, maxErr(s, analytic(c.k, dt, len(s)), 1<<j))
					}
					if errs[0] < m.minError {
						t.Fatalf("coarse error %.3g is too small to measure an order", errs[0])
					}
					r := errs[0] / errs[1]
					t.Logf("ratio %.4f", r)
					if r < m.lo || r > m.hi {
						t.Errorf("error ratio %.3f (errors %.3g, %.3g), want about %v", r, errs[0], errs[1], m.ratio)
					}
				})
			}
		}
	}
}
