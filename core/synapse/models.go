package synapse

// The synapse models of the chapter with BrainModels 0.3 defaults, one
// definition each. Units: time [ms], voltage [mV], rates [1/ms],
// concentrations [mM]; g_max and w are dimensionless (the LIF input is
// R·I, so g means R·g). See docs/adding_models.md.

// lit is a reST inline literal (Go raw strings cannot hold backquotes).
func lit(s string) string { return "``" + s + "``" }

// Parameters several models share.
func gMax(v float64) Param {
	return Param{Name: "g_max", Default: v, Doc: "Peak conductance of one synapse (the weight of the conductance output)."}
}
func revE(v float64) Param {
	return Param{Name: "E", Default: v, Unit: "mV", Doc: "Reversal potential."}
}
func wCur(v float64) Param {
	return Param{Name: "w", Default: v, Doc: "Weight of the current output w·s [mV]."}
}
func pulseT(v float64) Param {
	return Param{Name: "T", Default: v, Unit: "mM", Bound: NonNeg, Doc: "Transmitter concentration during the pulse."}
}
func pulseDur(v float64) Param {
	return Param{Name: "T_duration", Default: v, Unit: "ms", Bound: NonNeg, Doc: "Length of the transmitter pulse after a spike."}
}
func tau(name string, v float64, doc string) Param {
	return Param{Name: name, Default: v, Unit: "ms", Bound: Positive, Doc: doc}
}
func rate(name string, v float64, unit, doc string) Param {
	return Param{Name: name, Default: v, Unit: unit, Bound: NonNeg, Doc: doc}
}

func init() {
	// AMPA2 in BrainModels; the tutorial's AMPA (§4.1) with a conductance output.
	Register(Def{
		Name: "AMPA", Aliases: []string{"AMPA2"},
		Doc: `AMPA receptor, Markov kinetics with a transmitter pulse (BrainModels ` + lit("AMPA2") + `).

.. math:: \frac{ds}{dt} = \alpha [T] (1 - s) - \beta s

[T] = T while t − t_last_spike < T_duration after a presynaptic spike, else 0.
Default method exponential_euler; conductance output.`,
		Params: []Param{gMax(0.42), revE(0),
			rate("alpha", 0.98, "1/(mM·ms)", "Binding rate."),
			{Name: "beta", Default: 0.18, Unit: "1/ms", Bound: Positive, Doc: "Unbinding rate."},
			pulseT(0.5), pulseDur(0.5)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: markov{p["alpha"], p["beta"]}, Init: []float64{0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "exponential_euler", Out: cond(p["E"]), Weight: p["g_max"]}
		},
	})
	Register(Def{
		Name: "AMPA1",
		Doc: `AMPA receptor as an exponential decay (BrainModels ` + lit("AMPA1") + `): ds/dt = −s/τ,
s += 1 per presynaptic spike.`,
		Params: []Param{gMax(0.10), revE(0), tau("tau", 2.0, "Decay time constant.")},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: expo{p["tau"]}, Init: []float64{0}, SpikeVar: 0, Method: "exponential_euler",
				Out: cond(p["E"]), Weight: p["g_max"]}
		},
	})
	Register(Def{
		Name: "NMDA",
		Doc: `NMDA receptor with Mg²⁺ block (BrainModels ` + lit("NMDA") + `).

.. math::
   \frac{ds}{dt} = -\frac{s}{\tau_{decay}} + a x (1 - s), \quad
   \frac{dx}{dt} = -\frac{x}{\tau_{rise}}, \quad x \leftarrow x + 1 \text{ on a spike}

   I = g_{max} s (V - E) / (1 + e^{-\alpha V} c_{Mg} / \beta)

Default method euler (the tutorial's class uses rk4: pass ` + lit("method='rk4'") + `).`,
		Params: []Param{gMax(0.15), revE(0),
			rate("cc_Mg", 1.2, "mM", "Extracellular Mg²⁺ concentration."),
			{Name: "alpha", Default: 0.062, Unit: "1/mV", Doc: "Voltage slope of the Mg²⁺ block."},
			{Name: "beta", Default: 3.57, Unit: "mM", Bound: Positive, Doc: "Mg²⁺ concentration scale of the block."},
			tau("tau", 100, "Decay time constant (τ_decay)."),
			rate("a", 0.5, "1/ms", "Rate at which x opens s."),
			tau("tau_rise", 2, "Rise time constant of x.")},
		Make: func(p map[string]float64) *Model {
			o := cond(p["E"])
			o.Mg, o.CcMg, o.AMg, o.BMg = true, p["cc_Mg"], p["alpha"], p["beta"]
			return &Model{Kin: nmda{p["tau"], p["a"], p["tau_rise"]}, Init: []float64{0, 0}, SpikeVar: 1, SpikeFirst: true,
				Method: "euler", Out: o, Weight: p["g_max"]}
		},
	})
	Register(Def{
		Name: "GABAa1", Aliases: []string{"GABAa"},
		Doc: `GABA_A receptor as an exponential decay (BrainModels ` + lit("GABAa1") + `): ds/dt = −s/τ_decay,
s += 1 per presynaptic spike.`,
		Params: []Param{gMax(0.4), revE(-80), tau("tau_decay", 6, "Decay time constant.")},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: expo{p["tau_decay"]}, Init: []float64{0}, SpikeVar: 0, Method: "exponential_euler",
				Out: cond(p["E"]), Weight: p["g_max"]}
		},
	})
	Register(Def{
		Name: "GABAa2",
		Doc: `GABA_A receptor, Markov kinetics with a transmitter pulse (BrainModels ` + lit("GABAa2") + `):
ds/dt = α[T](1 − s) − βs.`,
		Params: []Param{gMax(0.04), revE(-80),
			rate("alpha", 0.53, "1/(mM·ms)", "Binding rate."),
			{Name: "beta", Default: 0.18, Unit: "1/ms", Bound: Positive, Doc: "Unbinding rate."},
			pulseT(1), pulseDur(1)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: markov{p["alpha"], p["beta"]}, Init: []float64{0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "exponential_euler", Out: cond(p["E"]), Weight: p["g_max"]}
		},
	})
	Register(Def{
		Name: "GABAb1", Aliases: []string{"GABAb"},
		Doc: `GABA_B receptor with a G-protein second messenger (BrainModels ` + lit("GABAb1") + `).

.. math::
   \frac{dR}{dt} = k_3 [T](1 - R) - k_4 R, \quad \frac{dG}{dt} = k_1 R - k_2 G, \quad
   s = \frac{G^4}{G^4 + K_d}

Default method euler (the tutorial's class uses rk4). Variables R, G and s.`,
		Params: []Param{gMax(0.02), revE(-95),
			rate("k1", 0.18, "1/ms", "G-protein production rate."),
			rate("k2", 0.034, "1/ms", "G-protein decay rate."),
			rate("k3", 0.09, "1/(mM·ms)", "Receptor binding rate."),
			rate("k4", 0.0012, "1/ms", "Receptor unbinding rate."),
			{Name: "kd", Default: 100, Bound: Positive, Doc: "Dissociation constant of G⁴ (same units as G⁴)."},
			pulseT(0.5), pulseDur(0.3)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: gabab1{p["k1"], p["k2"], p["k3"], p["k4"]}, Init: []float64{0, 0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "euler", Gate: hill4(p["kd"], 1), Out: cond(p["E"]), Weight: p["g_max"]}
		},
	})
	Register(Def{
		Name: "GABAb2",
		Doc: `GABA_B receptor with desensitisation (BrainModels ` + lit("GABAb2") + `): dR/dt =
k1[T](1−R−D) − k2R + k3D, dD/dt = k4R − k3D, dG/dt = k5R − k6G,
s = G⁴/(G⁴+kd). Default method euler.`,
		Params: []Param{gMax(0.02), revE(-95),
			rate("k1", 0.66, "1/(mM·ms)", "Receptor binding rate."),
			rate("k2", 0.02, "1/ms", "Receptor unbinding rate."),
			rate("k3", 0.0053, "1/ms", "Recovery rate from desensitisation."),
			rate("k4", 0.017, "1/ms", "Desensitisation rate."),
			rate("k5", 8.3e-5, "1/ms", "G-protein production rate."),
			rate("k6", 7.9e-3, "1/ms", "G-protein decay rate."),
			{Name: "kd", Default: 100, Bound: Positive, Doc: "Dissociation constant of G⁴ (same units as G⁴)."},
			pulseT(0.5), pulseDur(0.5)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: gabab2{p["k1"], p["k2"], p["k3"], p["k4"], p["k5"], p["k6"]}, Init: []float64{0, 0, 0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "euler", Gate: hill4(p["kd"], 2), Out: cond(p["E"]), Weight: p["g_max"]}
		},
	})
	Register(Def{
		Name: "Exponential",
		Doc: `Single exponential decay (BrainModels ` + lit("Exponential") + `): ds/dt = −s/τ, then
s += 1 per presynaptic spike. Current output I = w·s by default
(w 0.1 per synapse); ` + lit("output='conductance'") + ` uses g_max and E.
Methods exponential_euler (default) or exact.`,
		Params: []Param{tau("tau", 8, "Decay time constant."), wCur(0.1), gMax(0.1), revE(0)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: expo{p["tau"]}, Init: []float64{0}, SpikeVar: 0, Method: "exponential_euler", Out: curr(), Weight: p["w"]}
		},
	})
	Register(Def{
		Name: "Two_exponentials", Aliases: []string{"DualExponential"},
		Doc: `Difference of two exponentials in s/x form (BrainModels ` + lit("Two_exponentials") + `).

.. math:: \frac{ds}{dt} = x, \quad
          \frac{dx}{dt} = -\frac{\tau_1+\tau_2}{\tau_1\tau_2} x - \frac{s}{\tau_1\tau_2}, \quad
          x \leftarrow x + 1 \text{ on a spike (after the step)}

Its closed form for one spike at t_s is
τ1τ2/(τ1−τ2)·(e^{−(t−t_s)/τ1} − e^{−(t−t_s)/τ2}). Default method euler (the
tutorial's class uses rk4); 'exact' uses the matrix exponential. Current
output w·s (w 0.2).`,
		Params: []Param{tau("tau1", 1, "Decay time constant."), tau("tau2", 3, "Rise time constant."),
			wCur(0.2), gMax(0.2), revE(0)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: dualExp{p["tau1"], p["tau2"]}, Init: []float64{0, 0}, SpikeVar: 1, Method: "euler", Out: curr(), Weight: p["w"]}
		},
	})
	Register(Def{
		Name: "Alpha",
		Doc: `Alpha synapse (BrainModels ` + lit("Alpha") + `): ds/dt = x, dx/dt = −2x/τ − s/τ², x += 1
per spike; closed form (t−t_s)·e^{−(t−t_s)/τ}. tau 2 [ms] (the tutorial uses 3);
default method euler; current output w·s (w 0.2).`,
		Params: []Param{tau("tau", 2, "Time constant (rise and decay)."), wCur(0.2), gMax(0.2), revE(0)},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: dualExp{p["tau"], p["tau"]}, Init: []float64{0, 0}, SpikeVar: 1, Method: "euler", Out: curr(), Weight: p["w"]}
		},
	})
	Register(Def{
		Name: "Voltage_jump", Aliases: []string{"VoltageJump"},
		Doc: `Voltage jump (BrainModels ` + lit("Voltage_jump") + `): s = pre spike, and the
connected post neurons' V jumps by ` + lit("weight") + `·s (delayed), skipped while
refractory if ` + lit("post_refractory") + `. BrainPy 1.0 added the jump to every
post neuron (reference §7.1); here only connected neurons jump.`,
		Params: []Param{{Name: "weight", Default: 1, Unit: "mV", Doc: "Jump of the post V per presynaptic spike."},
			{Name: "post_refractory", Flag: true, Doc: "Skip the jump while the post neuron is refractory."}},
		Make: func(p map[string]float64) *Model {
			return &Model{Init: []float64{0}, SpikeVar: 0, Method: "euler",
				Out: Output{Kind: "voltage", PostRefractory: p["post_refractory"] != 0}, Weight: p["weight"]}
		},
	})
	// Plasticity (stp.go, stdp.go).
	registerSTP()
	registerSTDP()
	// Rate-based learning rules: their own node (RateSyn, rate.go).
	registerOja()
	registerBCM()
	// The electrical synapse: its own node (Gap), listed here for its
	// parameters, documentation and test rows.
	Register(Def{
		Name: "Gap_junction", Aliases: []string{"GapJunction", "Gap_junction_lif"},
		Doc: `Electrical synapse (tutorial §2.1.2).`,
		Params: []Param{{Name: "weight", Default: 1, Doc: "Junction conductance w (R·g_gap), one number or one per junction."},
			{Name: "k_spikelet", Default: 0.1, Doc: "Spikelet: post V jumps by w·k_spikelet [mV] on a pre spike."},
			{Name: "post_refractory", Flag: true, Doc: "Skip the spikelet while the post neuron is refractory."}},
		Vars: []string{"w"}, Output: "current+voltage",
	})
}
