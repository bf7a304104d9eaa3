package neuron

import "math"

// Oscillator models of BrainModels 0.3 (FitzHugh–Nagumo, Hindmarsh–Rose,
// Morris–Lecar): a spike is an upward crossing of the threshold; nothing
// is reset. Forward Euler by default, as BrainPy 1.0's odeint.

func crossing(vth float64) func(old, y *State) bool {
	return func(old, y *State) bool { return old[0] < vth && y[0] >= vth }
}

// rm is reST inline math (Go raw strings cannot hold backquotes).
func rm(s string) string { return ":math:`" + s + "`" }

func init() {
	Register(Def{
		Name: "FHN",
		Doc: `FitzHugh–Nagumo neurons (BrainModels ` + "``FHN``" + `), dimensionless.

.. math::

   \frac{dV}{dt} &= V - V^3/3 - w + I

   \tau \frac{dw}{dt} &= V + a - b w

A spike is an upward crossing of Vth by V in a step (no reset). Initial
V = w = 0.`,
		Params: []Param{pm("a", 0.7, "", Any, "Offset of the recovery nullcline."),
			pm("b", 0.8, "", Any, "Slope of the recovery nullcline."),
			pm("tau", 12.5, "", Positive, "Time scale of w."),
			pm("Vth", 1.9, "", Any, "Spike threshold.")},
		Vars: []VarDef{{"V", "", "Membrane potential."}, {"w", "", "Recovery variable."}},
		Init: func(p map[string]float64) []float64 { return []float64{0, 0} },
		Rule: CrossingRule,
		Make: func(p map[string]float64) Dyn {
			a, b, tau := p["a"], p["b"], p["tau"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					dy[0] = y[0] - y[0]*y[0]*y[0]/3 - y[1] + in
					dy[1] = (y[0] + a - b*y[1]) / tau
				},
				Fire: crossing(p["Vth"]),
			}
		},
	})
	Register(Def{
		Name: "HindmarshRose",
		Doc: `Hindmarsh–Rose neurons (BrainModels ` + "``HindmarshRose``" + `), dimensionless.

.. math::

   \frac{dV}{dt} &= y - a V^3 + b V^2 - z + I

   \frac{dy}{dt} &= c - d V^2 - y

   \frac{dz}{dt} &= r (s (V - x_r) - z)

A spike is an upward crossing of Vth by V in a step (no reset). Initial
V = −1.6, y = −10, z = 0.`,
		Params: []Param{pm("a", 1, "", Any, "Cubic coefficient."),
			pm("b", 3, "", Any, "Quadratic coefficient (bursting or spiking)."),
			pm("c", 1, "", Any, "Constant of y."), pm("d", 5, "", Any, "Quadratic coefficient of y."),
			pm("s", 4, "", Any, "Adaptation strength."), pm("x_r", -1.6, "", Any, "Resting value of V in z."),
			pm("r", 0.001, "", Any, "Rate of the slow variable z."),
			pm("Vth", 1.9, "", Any, "Spike threshold.")},
		Vars: []VarDef{{"V", "", "Membrane potential."}, {"y", "", "Fast recovery variable."},
			{"z", "", "Slow adaptation variable."}},
		Init: func(p map[string]float64) []float64 { return []float64{-1.6, -10, 0} },
		Rule: CrossingRule,
		Make: func(p map[string]float64) Dyn {
			a, b, c, d, s, xr, r := p["a"], p["b"], p["c"], p["d"], p["s"], p["x_r"], p["r"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					v := y[0]
					dy[0] = y[1] - a*v*v*v + b*v*v - y[2] + in
					dy[1] = c - d*v*v - y[1]
					dy[2] = r * (s*(v-xr) - y[2])
				},
				Fire: crossing(p["Vth"]),
			}
		},
	})
	Register(Def{
		Name: "MorrisLecar",
		Doc: `Morris–Lecar neurons (BrainModels ` + "``MorrisLecar``" + `).

.. math::

   C \frac{dV}{dt} &= -g_{Ca} M_\infty (V - V_{Ca}) - g_K W (V - V_K) - g_{leak} (V - V_{leak}) + I

   \frac{dW}{dt} &= \frac{W_\infty - W}{\tau_W}

with ` + rm(`M_\infty = (1 + \tanh((V - V_1)/V_2))/2`) + `,
` + rm(`W_\infty = (1 + \tanh((V - V_3)/V_4))/2`) + ` and
` + rm(`\tau_W = 1/(\phi \cosh((V - V_3)/(2 V_4)))`) + `. A spike is an upward
crossing of V_th by V in a step (no reset). Initial V = −20 mV, W = 0.02.`,
		Params: []Param{pm("V_Ca", 130, "mV", Any, "Calcium reversal potential."),
			pm("g_Ca", 4.4, "mS/cm²", NonNeg, "Calcium conductance."),
			pm("V_K", -84, "mV", Any, "Potassium reversal potential."),
			pm("g_K", 8, "mS/cm²", NonNeg, "Potassium conductance."),
			pm("V_leak", -60, "mV", Any, "Leak reversal potential."),
			pm("g_leak", 2, "mS/cm²", NonNeg, "Leak conductance."),
			pm("C", 20, "µF/cm²", Positive, "Membrane capacitance."),
			pm("V1", -1.2, "mV", Any, "Half-activation voltage of M."),
			pm("V2", 18, "mV", Positive, "Slope of M's activation."),
			pm("V3", 2, "mV", Any, "Half-activation voltage of W."),
			pm("V4", 30, "mV", Positive, "Slope of W's activation."),
			pm("phi", 0.04, "1/ms", Positive, "Rate scale of W."),
			vTh(10)},
		Vars: []VarDef{vVar, {"W", "", "Potassium activation."}},
		Init: func(p map[string]float64) []float64 { return []float64{-20, 0.02} },
		Rule: CrossingRule,
		Make: func(p map[string]float64) Dyn {
			vca, gca, vk, gk, vl, gl, c := p["V_Ca"], p["g_Ca"], p["V_K"], p["g_K"], p["V_leak"], p["g_leak"], p["C"]
			v1, v2, v3, v4, phi := p["V1"], p["V2"], p["V3"], p["V4"], p["phi"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					v := y[0]
					mInf := 0.5 * (1 + math.Tanh((v-v1)/v2))
					wInf := 0.5 * (1 + math.Tanh((v-v3)/v4))
					tauW := 1 / (phi * math.Cosh((v-v3)/(2*v4)))
					dy[0] = (-gca*mInf*(v-vca) - gk*y[1]*(v-vk) - gl*(v-vl) + in) / c
					dy[1] = (wInf - y[1]) / tauW
				},
				Fire: crossing(p["V_th"]),
			}
		},
	})
}
