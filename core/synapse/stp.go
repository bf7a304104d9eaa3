// Short-term plasticity (Tsodyks–Markram): release probability u and
// available resources x of each presynaptic terminal, and the synaptic
// current s they make.

package synapse

// stp is the relaxation between spikes: ds/dt = −s/τ, du/dt = −u/τ_f,
// dx/dt = (1 − x)/τ_d. Exponential Euler is exact for it.
type stp struct{ tau, tauF, tauD float64 }

func (k stp) Vars() []string { return []string{"s", "u", "x"} }
func (k stp) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		d[0][i] = -y[0][i] / k.tau
		d[1][i] = -y[1][i] / k.tauF
		d[2][i] = (1 - y[2][i]) / k.tauD
	}
}
func (k stp) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -1 / k.tau
		a[1][i] = -1 / k.tauF
		a[2][i] = -1 / k.tauD
	}
}

// stpJump is the effect of one presynaptic spike on element i, after the
// step's relaxation: u⁺ = u⁻ + U(1 − u⁻), r = u⁺x⁻, x⁺ = x⁻ − r, s += r.
func stpJump(U float64) func(y [][]float64, i int) {
	return func(y [][]float64, i int) {
		s, u, x := y[0], y[1], y[2]
		u[i] += U * (1 - u[i])
		r := u[i] * x[i]
		x[i] -= r
		s[i] += r
	}
}

func registerSTP() {
	Register(Def{
		Name: "STP",
		Doc: `Short-term plasticity of Tsodyks and Markram (BrainModels ` + lit("STP") + `): facilitation
by the release probability u, depression by the available resources x, and
the synaptic current s they make.

.. math::
   \frac{du}{dt} = -\frac{u}{\tau_f}, \quad
   \frac{dx}{dt} = \frac{1 - x}{\tau_d}, \quad
   \frac{ds}{dt} = -\frac{s}{\tau}

On a presynaptic spike (after the step's relaxation; u⁻, x⁻ just before it):
u⁺ = u⁻ + U(1 − u⁻), then x⁺ = x⁻ − u⁺x⁻ and s += u⁺x⁻. Rest: u = 0, x = 1,
s = 0. Current output I = w·s (BrainModels 0.3's A); ` + lit("output='conductance'") + `
uses g_max and E. The state depends only on presynaptic spikes: layouts
'synapse' and 'pre'. Method exponential_euler (exact between spikes).
See docs/plasticity.md.`,
		Params: []Param{
			{Name: "U", Default: 0.15, Bound: Fraction, Doc: "Increment of u per spike (release probability of a rested synapse)."},
			tau("tau_f", 1500, "Facilitation time constant (decay of u)."),
			tau("tau_d", 200, "Depression time constant (recovery of x)."),
			tau("tau", 8, "Decay time constant of the synaptic current s."),
			wCur(1), gMax(1), revE(0)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: stp{p["tau"], p["tau_f"], p["tau_d"]}, Init: []float64{0, 0, 1}, SpikeVar: -1,
				Jump: stpJump(p["U"]), Method: "exponential_euler", Out: curr(), Weight: p["w"]}
		},
	})
}
