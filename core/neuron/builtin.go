package neuron

import (
	"maps"
	"slices"
	"strings"

	"github.com/brainsyn/brainsyn/core/sim"
)

// LIF and HH as registered models: their parameters, defaults, bounds,
// units, docs and variables are defined here, once, while their groups
// keep their own types (lif.go with the vector kernels, hh.go). This file
// sorts before models_*.go, so its init registers them first (Go runs a
// package's init functions in file-name order): LIF and HH lead the model
// lists.

// lifDef and hhDef are the registered definitions (set by init).
var lifDef, hhDef *Def

const lifDoc = `Leaky integrate-and-fire neurons (BrainModels ` + "``LIF``" + `).

.. math:: \tau \frac{dV}{dt} = -(V - V_{rest}) + R\,I

A neuron spikes when V ≥ V_th; V is then set to V_reset and held for
t_refractory after the spike (while t − t_last_spike ≤ t_refractory;
` + "``refractory_rule``" + ` selects a count of steps instead). Integrated with
forward Euler (` + "``method='euler'``" + `, BrainPy's default) or exactly for the
step's input (` + "``'exponential_euler'``" + `, also called ` + "``'exact'``" + `).
The code default t_refractory = 1 ms is used (BrainModels' docstring said 5).
Run times restart at 0 with each ` + "``run``" + ` while the state persists;
t_last_spike is kept on the network's continued time axis (the run time in
a first run), so that refractoriness carries correctly across runs.`

const refractoryRuleDoc = `What ends the refractory period. With a spike on step s and
n = round(t_refractory/dt), the neuron is held (V not integrated) on the
steps after s while: ` + "``'time'``" + ` (BrainPy 1.0): t − t_last_spike ≤
t_refractory in floating point, so whether the step at exactly t_refractory
is held depends on rounding (at dt = 0.1 ms it mostly is: 2 ms gives a
shortest interspike interval of 21 steps for most spikes and 20 for some);
` + "``'brian2'``" + `: fewer than n steps have passed, so the neuron integrates again
on step s + n and the shortest interval is n steps, t_refractory exactly
(Brian2's ` + "``timestep(t - lastspike, dt) >= timestep(refractory, dt)``" + `);
` + "``'nest'``" + `: at most n steps have passed, V is held for n whole steps and the
shortest interval is n + 1 steps (NEST's refractory step counter, e.g.
` + "``iaf_cond_exp``" + `). The two step rules count in integers, free of rounding.`

const hhDoc = `Hodgkin–Huxley neurons (BrainModels ` + "``HH``" + `), exponential Euler per variable.

.. math::

   C \frac{dV}{dt} &= -g_{Na} m^3 h (V - E_{Na}) - g_K n^4 (V - E_K) - g_L (V - E_L) + I

   \frac{dx}{dt} &= \alpha_x(V)(1 - x) - \beta_x(V)\,x, \quad x \in \{m, h, n\}

with α_m = 0.1(V+40)/(1 − e^{−(V+40)/10}), β_m = 4e^{−(V+65)/18},
α_h = 0.07e^{−(V+65)/20}, β_h = 1/(1 + e^{−(V+35)/10}),
α_n = 0.01(V+55)/(1 − e^{−(V+55)/10}), β_n = 0.125e^{−(V+65)/80}
(V in mV, rates in 1/ms). Each variable takes one exponential-Euler step
with the others at their old values. A spike is an upward crossing of
V_th in the step; nothing is reset.`

func init() {
	Register(Def{
		Name: "LIF",
		Doc:  lifDoc,
		Params: []Param{tRef(1), vRest(0), vReset(-5), vTh(20),
			pm("R", 1, "", Any, "Membrane resistance (the input enters as R·input, in mV)."), tauM(10)},
		Vars:       []VarDef{vVar},
		Init:       func(p map[string]float64) []float64 { return []float64{p["V_rest"]} },
		Rule:       ResetRule,
		Refractory: true,
		Method:     "euler",
		Methods:    []string{"euler", "exponential_euler", "exact"},
		Options: []Option{{Name: "refractory_rule", Default: "time", Values: RefractoryRules,
			Doc: refractoryRuleDoc}},
		New: func(a sim.Alloc, shape []int, p map[string]float64, method string, o map[string]string) (sim.Group, error) {
			q := DefaultLIF()
			q.set(p)
			q.Method, q.Refractory = method, o["refractory_rule"]
			return asGroup(NewLIF(a, shape, q))
		},
	})
	Register(Def{
		Name: "HH",
		Doc:  hhDoc,
		Params: []Param{
			pm("ENa", 50, "mV", Any, "Sodium reversal potential."),
			pm("gNa", 120, "mS/cm²", NonNeg, "Maximal sodium conductance."),
			pm("EK", -77, "mV", Any, "Potassium reversal potential."),
			pm("gK", 36, "mS/cm²", NonNeg, "Maximal potassium conductance."),
			pm("EL", -54.387, "mV", Any, "Leak reversal potential."),
			pm("gL", 0.03, "mS/cm²", NonNeg, "Leak conductance."),
			pm("V_th", 20, "mV", Any, "Spike threshold (an upward crossing)."),
			pm("C", 1, "µF/cm²", Positive, "Membrane capacitance."),
		},
		Vars: []VarDef{{"V", "mV", "Membrane potential."}, {"m", "", "Sodium activation."},
			{"h", "", "Sodium inactivation."}, {"n", "", "Potassium activation."}},
		Init:    func(map[string]float64) []float64 { return []float64{-65, 0.5, 0.6, 0.32} },
		Rule:    CrossingRule,
		Method:  "exponential_euler",
		Methods: []string{"exponential_euler"},
		New: func(a sim.Alloc, shape []int, p map[string]float64, _ string, _ map[string]string) (sim.Group, error) {
			var q HHParams
			q.set(p)
			return asGroup(NewHH(a, shape, q))
		},
	})
	lifDef, _ = Lookup("LIF")
	hhDef, _ = Lookup("HH")
}

// fields name the parameters of LIFParams and HHParams as the registry does.
func (p *LIFParams) fields() map[string]*float64 {
	return map[string]*float64{"V_rest": &p.VRest, "V_reset": &p.VReset, "V_th": &p.VTh, "R": &p.R,
		"tau": &p.Tau, "t_refractory": &p.TRef}
}

func (p *HHParams) fields() map[string]*float64 {
	return map[string]*float64{"ENa": &p.ENa, "gNa": &p.GNa, "EK": &p.EK, "gK": &p.GK, "EL": &p.EL,
		"gL": &p.GL, "V_th": &p.VTh, "C": &p.C}
}

func (p *LIFParams) set(m map[string]float64) { setFields(p.fields(), m) }
func (p *HHParams) set(m map[string]float64)  { setFields(p.fields(), m) }

func setFields(f map[string]*float64, m map[string]float64) {
	for k, v := range m {
		*f[k] = v
	}
}

func values(f map[string]*float64) map[string]float64 {
	m := make(map[string]float64, len(f))
	for k, x := range f {
		m[k] = *x
	}
	return m
}

// SetParams changes parameters from the next run on (Prepare and Update
// read P); nothing changes unless all are valid.
func (g *LIF) SetParams(change map[string]float64) error {
	p, err := lifDef.params(values(g.P.fields()), change)
	if err == nil {
		g.P.set(p)
	}
	return err
}

// SetParams changes parameters from the next step on; nothing changes
// unless all are valid.
func (g *HH) SetParams(change map[string]float64) error {
	p, err := hhDef.params(values(g.P.fields()), change)
	if err == nil {
		g.P.set(p)
	}
	return err
}

// New makes a group of any registered model: params override the defaults,
// method "" is the model's default, opts are the model's Options (absent
// ones take their defaults).
func New(a sim.Alloc, name string, shape []int, params map[string]float64, method string,
	opts map[string]string) (sim.Group, error) {
	d, ok := registry.Lookup(name)
	if !ok {
		return nil, unknownModel(name)
	}
	o, err := d.options(opts)
	if err != nil {
		return nil, err
	}
	if d.New == nil {
		return asGroup(NewModel(a, name, shape, params, method))
	}
	p, err := d.params(defaults(d), params)
	if err != nil {
		return nil, err
	}
	if method, err = d.method(method); err != nil {
		return nil, err
	}
	return d.New(a, shape, p, method, o)
}

// asGroup keeps a failed constructor's nil pointer out of the interface.
func asGroup[G sim.Group](g G, err error) (sim.Group, error) {
	if err != nil {
		return nil, err
	}
	return g, nil
}

func unknownModel(name string) error {
	return sim.ErrorClassf("KeyError", "unknown neuron model %q; valid: %s, SpikeTimeInput, PoissonInput, External",
		name, strings.Join(registry.Names(), ", "))
}

// method returns the model's default for "", else checks m.
func (d *Def) method(m string) (string, error) {
	if m == "" {
		return d.Method, nil
	}
	if !slices.Contains(d.Methods, m) {
		return "", sim.Errorf("%s: unknown method %q; valid: %s", d.Name, m, strings.Join(d.Methods, ", "))
	}
	return m, nil
}

// options fills in the defaults under opts and checks each against the
// model's Options.
func (d *Def) options(opts map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, o := range d.Options {
		out[o.Name] = o.Default
	}
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		i := slices.IndexFunc(d.Options, func(o Option) bool { return o.Name == k })
		if i < 0 {
			return nil, sim.ErrorClassf("TypeError", "%s has no option %s", d.Name, k)
		}
		v := opts[k]
		if v == "" {
			continue
		}
		if !slices.Contains(d.Options[i].Values, v) {
			return nil, sim.Errorf("%s: unknown %s %q; valid: %s", d.Name, k, v, strings.Join(d.Options[i].Values, ", "))
		}
		out[k] = v
	}
	return out, nil
}
