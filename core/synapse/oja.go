// Oja's rule: Hebbian learning with a decay that keeps the weight vector
// of each post neuron normalised.

package synapse

import "github.com/brainsyn/brainsyn/core/sim"

type ojaRule struct{ gamma, wMin, wMax float64 }

// step: w += dt·γ·(y·x − y²·w), then clipped.
func (r ojaRule) step(dt float64, w, x, y []float64, pre, post []int32) {
	for k := range w {
		xi, yj := x[pre[k]], y[post[k]]
		w[k] = clip(w[k]+dt*r.gamma*(yj*xi-yj*yj*w[k]), r.wMin, r.wMax)
	}
}

func (ojaRule) vars() map[string]sim.Var        { return nil }
func (ojaRule) save(sw *sim.StateWriter)        {}
func (ojaRule) read(sr *sim.StateReader) func() { return func() {} }

func registerOja() {
	registerRate(Def{
		Name: "Oja",
		Doc: `Oja's rule (BrainModels ` + lit("Oja") + `, BrainPy handbook §2.2): Hebbian learning whose
decay term keeps the weights onto each post neuron normalised.

.. math::
   y_j = \sum_i w_{ij} r_i, \qquad
   \frac{dw_{ij}}{dt} = \gamma \left( y_j r_i - y_j^2 w_{ij} \right)

` + rateDoc + ` With constant inputs the
weight vector of a post neuron converges to the unit principal eigenvector
of the input correlation matrix. See docs/plasticity.md.`,
		Params: []Param{
			{Name: "gamma", Default: 0.005, Unit: "1/ms", Bound: NonNeg, Doc: "Learning rate γ (per ms, for rates in units of r)."},
			{Name: "w_min", Default: 0, Doc: "Lower bound of the weight."},
			{Name: "w_max", Default: 1, Doc: "Upper bound of the weight."},
			{Name: "w", Default: 0.05, Doc: "Initial weight of every synapse (an array gives one per synapse)."}},
		Check: checkWBounds("Oja"),
		Vars:  []string{"w"}, Rest: []float64{0.05},
	}, func(_ sim.Alloc, p map[string]float64, _ int) rateRule {
		return ojaRule{p["gamma"], p["w_min"], p["w_max"]}
	})
}
