package neuron

import "math"

// The integrate-and-fire family and Izhikevich, with BrainModels 0.3's
// equations, defaults, spike rule and integrator (forward Euler, BrainPy
// 1.0's default). Differences from BrainModels are in docs/neurons.md.

func pm(name string, def float64, unit string, b Bound, doc string) Param {
	return Param{Name: name, Default: def, Unit: unit, Bound: b, Doc: doc}
}

func vRest(d float64) Param  { return pm("V_rest", d, "mV", Any, "Resting potential.") }
func vReset(d float64) Param { return pm("V_reset", d, "mV", Any, "Reset potential after a spike.") }
func vTh(d float64) Param    { return pm("V_th", d, "mV", Any, "Spike threshold.") }
func rIn(d float64) Param {
	return pm("R", d, "", Any, "Membrane resistance (the input enters as R·input).")
}
func tauM(d float64) Param { return pm("tau", d, "ms", Positive, "Membrane time constant.") }
func tRef(d float64) Param {
	return pm("t_refractory", d, "ms", NonNeg, "Refractory period: V is held while t − t_last_spike ≤ t_refractory.")
}

var (
	vVar = VarDef{"V", "mV", "Membrane potential."}
	wVar = VarDef{"w", "mV/R", "Adaptation current."}
)

// ifRule is the threshold of the integrate-and-fire models: V ≥ V_th
// after the step.
func ifFire(vth float64) func(old, y *State) bool {
	return func(old, y *State) bool { return y[0] >= vth }
}

const ifSpike = `

A neuron outside its refractory period integrates; if then V ≥ V_th it
spikes: `

const refrNote = ` The neuron is held (not integrated) while
t − t_last_spike ≤ t_refractory.`

func init() {
	Register(Def{
		Name: "ExpIF",
		Doc: `Exponential integrate-and-fire neurons (BrainModels ` + "``ExpIF``" + `).

.. math:: \tau \frac{dV}{dt} = -(V - V_{rest}) + \Delta_T e^{(V - V_T)/\Delta_T} + R\,I
` + ifSpike + `V ← V_reset.` + refrNote,
		Params: []Param{vRest(-65), vReset(-68), vTh(-30),
			pm("V_T", -59.9, "mV", Any, "Threshold of the exponential spike initiation."),
			pm("delta_T", 3.48, "mV", Positive, "Spike slope factor."),
			rIn(10), pm("C", 1, "", Positive, "Membrane capacitance (not used by the equations, as in BrainModels)."),
			tauM(10), tRef(1.7)},
		Vars:       []VarDef{vVar},
		Init:       func(p map[string]float64) []float64 { return []float64{p["V_rest"]} },
		Rule:       ResetRule,
		Refractory: true,
		Make: func(p map[string]float64) Dyn {
			vr, vt, dT, r, tau, reset := p["V_rest"], p["V_T"], p["delta_T"], p["R"], p["tau"], p["V_reset"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					dy[0] = (-(y[0] - vr) + dT*math.Exp((y[0]-vt)/dT) + r*in) / tau
				},
				Fire:  ifFire(p["V_th"]),
				Reset: func(y *State) { y[0] = reset },
			}
		},
	})
	Register(Def{
		Name: "AdExIF",
		Doc: `Adaptive exponential integrate-and-fire neurons (BrainModels ` + "``AdExIF``" + `).

.. math::

   \tau \frac{dV}{dt} &= -(V - V_{rest}) + \Delta_T e^{(V - V_T)/\Delta_T} - R\,w + R\,I

   \tau_w \frac{dw}{dt} &= a (V - V_{rest}) - w
` + ifSpike + `V ← V_reset, w ← w + b.` + refrNote,
		Params: []Param{vRest(-65), vReset(-68), vTh(-30),
			pm("V_T", -59.9, "mV", Any, "Threshold of the exponential spike initiation."),
			pm("delta_T", 3.48, "mV", Positive, "Spike slope factor."),
			pm("a", 1, "", Any, "Coupling of w to V − V_rest."),
			pm("b", 1, "mV/R", Any, "Increment of w per spike."),
			rIn(10), tauM(10), pm("tau_w", 30, "ms", Positive, "Time constant of the adaptation current."), tRef(0)},
		Vars:       []VarDef{vVar, wVar},
		Init:       func(p map[string]float64) []float64 { return []float64{p["V_rest"], 0} },
		Rule:       ResetRule,
		Refractory: true,
		Make: func(p map[string]float64) Dyn {
			vr, vt, dT, r, tau, tw, a, b, reset := p["V_rest"], p["V_T"], p["delta_T"], p["R"], p["tau"],
				p["tau_w"], p["a"], p["b"], p["V_reset"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					dy[0] = (-(y[0] - vr) + dT*math.Exp((y[0]-vt)/dT) - r*y[1] + r*in) / tau
					dy[1] = (a*(y[0]-vr) - y[1]) / tw
				},
				Fire:  ifFire(p["V_th"]),
				Reset: func(y *State) { y[0], y[1] = reset, y[1]+b },
			}
		},
	})
	Register(Def{
		Name: "QuaIF",
		Doc: `Quadratic integrate-and-fire neurons (BrainModels ` + "``QuaIF``" + `).

.. math:: \tau \frac{dV}{dt} = a_0 (V - V_{rest})(V - V_c) + R\,I
` + ifSpike + `V ← V_reset.` + refrNote,
		Params: []Param{vRest(-65), vReset(-68), vTh(-30),
			pm("V_c", -50, "mV", Any, "Critical voltage of spike initiation (above V_rest)."),
			pm("a_0", 0.07, "1/mV", Positive, "Curvature of the quadratic term."),
			rIn(1), tauM(10), tRef(0)},
		Vars:       []VarDef{vVar},
		Init:       func(p map[string]float64) []float64 { return []float64{p["V_rest"]} },
		Rule:       ResetRule,
		Refractory: true,
		Make: func(p map[string]float64) Dyn {
			vr, vc, a0, r, tau, reset := p["V_rest"], p["V_c"], p["a_0"], p["R"], p["tau"], p["V_reset"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) { dy[0] = (a0*(y[0]-vr)*(y[0]-vc) + r*in) / tau },
				Fire:  ifFire(p["V_th"]),
				Reset: func(y *State) { y[0] = reset },
			}
		},
	})
	Register(Def{
		Name: "AdQuaIF",
		Doc: `Adaptive quadratic integrate-and-fire neurons (BrainModels ` + "``AdQuaIF``" + `).

.. math::

   \tau \frac{dV}{dt} &= a_0 (V - V_{rest})(V - V_c) - R\,w + R\,I

   \tau_w \frac{dw}{dt} &= a (V - V_{rest}) - w
` + ifSpike + `V ← V_reset, w ← w + b.` + refrNote,
		Params: []Param{vRest(-65), vReset(-68), vTh(-30),
			pm("V_c", -50, "mV", Any, "Critical voltage of spike initiation (above V_rest)."),
			pm("a_0", 0.07, "1/mV", Positive, "Curvature of the quadratic term."),
			pm("a", 1, "", Any, "Coupling of w to V − V_rest."),
			pm("b", 0.1, "mV/R", Any, "Increment of w per spike."),
			rIn(1), tauM(10), pm("tau_w", 10, "ms", Positive, "Time constant of the adaptation current."), tRef(0)},
		Vars:       []VarDef{vVar, wVar},
		Init:       func(p map[string]float64) []float64 { return []float64{p["V_rest"], 0} },
		Rule:       ResetRule,
		Refractory: true,
		Make: func(p map[string]float64) Dyn {
			vr, vc, a0, r, tau, tw, a, b, reset := p["V_rest"], p["V_c"], p["a_0"], p["R"], p["tau"],
				p["tau_w"], p["a"], p["b"], p["V_reset"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					dy[0] = (a0*(y[0]-vr)*(y[0]-vc) - r*y[1] + r*in) / tau
					dy[1] = (a*(y[0]-vr) - y[1]) / tw
				},
				Fire:  ifFire(p["V_th"]),
				Reset: func(y *State) { y[0], y[1] = reset, y[1]+b },
			}
		},
	})
	Register(Def{
		Name: "Izhikevich",
		Doc: `Izhikevich neurons (BrainModels ` + "``Izhikevich``" + `).

.. math::

   \frac{dV}{dt} &= 0.04 V^2 + 5 V + 140 - u + I

   \frac{du}{dt} &= a (b V - u)

If V ≥ V_th after the step: V ← c, u ← u + d. Initial V = −65 mV, u = 1
(BrainModels' values).` + refrNote,
		Params: []Param{pm("a", 0.02, "1/ms", Any, "Time scale of the recovery variable u."),
			pm("b", 0.2, "", Any, "Sensitivity of u to V."),
			pm("c", -65, "mV", Any, "Reset value of V."),
			pm("d", 8, "mV/ms", Any, "Increment of u per spike."),
			tRef(0), vTh(30)},
		Vars:       []VarDef{vVar, {"u", "mV/ms", "Recovery variable."}},
		Init:       func(p map[string]float64) []float64 { return []float64{-65, 1} },
		Rule:       ResetRule,
		Refractory: true,
		Make: func(p map[string]float64) Dyn {
			a, b, c, d := p["a"], p["b"], p["c"], p["d"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					dy[0] = 0.04*y[0]*y[0] + 5*y[0] + 140 - y[1] + in
					dy[1] = a * (b*y[0] - y[1])
				},
				Fire:  ifFire(p["V_th"]),
				Reset: func(y *State) { y[0], y[1] = c, y[1]+d },
			}
		},
	})
	Register(Def{
		Name: "GIF",
		Doc: `Generalized integrate-and-fire neurons of Mihalaş and Niebur (BrainModels ` + "``GeneralizedIF``" + `).

.. math::

   \frac{dI_1}{dt} &= -k_1 I_1, \qquad \frac{dI_2}{dt} = -k_2 I_2

   \tau \frac{dV}{dt} &= -(V - V_{rest}) + R (I_1 + I_2 + I)

   \frac{dV_{th}}{dt} &= a (V - V_{rest}) - b (V_{th} - V_{th\infty})

A spike when the new V exceeds the threshold V_th of the step's start:
V ← V_reset, I₁ ← R₁I₁ + A₁, I₂ ← R₂I₂ + A₂, V_th ← max(V_th, V_th_reset).
No refractory period. Initial V = V_rest, V_th = V_th_inf.`,
		Params: []Param{vRest(-70), vReset(-70),
			pm("V_th_inf", -50, "mV", Any, "Target value of the threshold."),
			pm("V_th_reset", -60, "mV", Any, "Least threshold after a spike."),
			rIn(20), tauM(20),
			pm("a", 0, "1/ms", Any, "Dependence of the threshold on V − V_rest."),
			pm("b", 0.01, "1/ms", Any, "Rate of the threshold's return to V_th_inf."),
			pm("k1", 0.2, "1/ms", Any, "Decay rate of I1."), pm("k2", 0.02, "1/ms", Any, "Decay rate of I2."),
			pm("R1", 0, "", Any, "Fraction of I1 kept at a spike."), pm("R2", 1, "", Any, "Fraction of I2 kept at a spike."),
			pm("A1", 0, "mV/R", Any, "Increment of I1 per spike."), pm("A2", 0, "mV/R", Any, "Increment of I2 per spike.")},
		Vars: []VarDef{vVar, {"V_th", "mV", "Spike threshold."}, {"I1", "mV/R", "Internal current 1."},
			{"I2", "mV/R", "Internal current 2."}},
		Init: func(p map[string]float64) []float64 { return []float64{p["V_rest"], p["V_th_inf"], 0, 0} },
		Rule: ResetRule,
		Make: func(p map[string]float64) Dyn {
			vr, r, tau, a, b, vinf, k1, k2 := p["V_rest"], p["R"], p["tau"], p["a"], p["b"], p["V_th_inf"], p["k1"], p["k2"]
			reset, thReset, r1, r2, a1, a2 := p["V_reset"], p["V_th_reset"], p["R1"], p["R2"], p["A1"], p["A2"]
			return Dyn{
				Deriv: func(y, dy *State, in float64) {
					dy[0] = (-(y[0] - vr) + r*(y[2]+y[3]+in)) / tau
					dy[1] = a*(y[0]-vr) - b*(y[1]-vinf)
					dy[2] = -k1 * y[2]
					dy[3] = -k2 * y[3]
				},
				Fire: func(old, y *State) bool { return y[0] > old[1] },
				Reset: func(y *State) {
					y[0], y[2], y[3] = reset, r1*y[2]+a1, r2*y[3]+a2
					y[1] = math.Max(y[1], thReset)
				},
			}
		},
	})
}
