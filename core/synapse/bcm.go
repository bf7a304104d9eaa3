// The Bienenstock–Cooper–Munro rule: Hebbian learning whose sign is set
// by the post rate against a sliding threshold, the post rate's mean.

package synapse

import (
	"math"

	"github.com/brainsyn/brainsyn/core/sim"
)

type bcmRule struct {
	lr, wMin, wMax float64
	n              float64   // number of steps so far (a whole number)
	theta          []float64 // r_th: the mean post rate over those steps
}

// step: θ_j = mean of y_j over every step so far, this one included (as
// BrainModels' sum_post_r/(t/dt + 1)), kept as a running mean so that
// setting r_th sets the mean the next steps update; then
// w += dt·η·y·(y − θ)·x, clipped.
func (r *bcmRule) step(dt float64, w, x, y []float64, pre, post []int32) {
	r.n++
	for j, yj := range y {
		r.theta[j] += (yj - r.theta[j]) / r.n
	}
	for k := range w {
		xi, yj := x[pre[k]], y[post[k]]
		w[k] = clip(w[k]+dt*r.lr*yj*(yj-r.theta[post[k]])*xi, r.wMin, r.wMax)
	}
}

func (r *bcmRule) vars() map[string]sim.Var {
	return map[string]sim.Var{"r_th": {F64: r.theta, Shape: []int{len(r.theta)}}}
}

func (r *bcmRule) save(sw *sim.StateWriter) {
	sw.F64s(r.theta)
	sw.F64(r.n)
}

func (r *bcmRule) read(sr *sim.StateReader) func() {
	theta := sr.F64s("r_th", len(r.theta))
	n := sr.F64()
	if sr.Err == nil && !(n >= 0 && n == math.Trunc(n) && n < 1<<53) {
		sr.Fail("saved step count %v is not a whole number >= 0", n)
	}
	return func() {
		theta.CopyTo(r.theta)
		r.n = n
	}
}

func registerBCM() {
	registerRate(Def{
		Name: "BCM",
		Doc: `Bienenstock–Cooper–Munro rule (BrainModels ` + lit("BCM") + `, BrainPy handbook §2.2): the
weight grows when the post rate is above the threshold r_th and shrinks
below it; r_th is the mean post rate so far.

.. math::
   y_j = \sum_i w_{ij} r_i, \qquad
   \frac{dw_{ij}}{dt} = \eta \, y_j (y_j - \theta_j) \, r_i, \qquad
   \theta_j(t_n) = \frac{1}{n + 1} \sum_{m=0}^{n} y_j(t_m)

` + rateDoc + ` Variable r_th (θ, one per
post neuron) is the running mean of y over every step since the synapse
was built, across runs; setting it sets the mean that later steps update. See docs/plasticity.md.`,
		Params: []Param{
			{Name: "lr", Default: 0.005, Unit: "1/ms", Bound: NonNeg, Doc: "Learning rate η (per ms, for rates in units of r)."},
			{Name: "w_min", Default: 0, Doc: "Lower bound of the weight."},
			{Name: "w_max", Default: 2, Doc: "Upper bound of the weight."},
			{Name: "w", Default: 1, Doc: "Initial weight of every synapse (an array gives one per synapse)."}},
		Check: checkWBounds("BCM"),
		Vars:  []string{"w", "r_th"}, Rest: []float64{1, 0},
	}, func(a sim.Alloc, p map[string]float64, nPost int) rateRule {
		return &bcmRule{lr: p["lr"], wMin: p["w_min"], wMax: p["w_max"], theta: a.F64(nPost)}
	})
}
