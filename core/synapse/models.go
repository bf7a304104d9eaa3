package synapse

import (
	"sort"
	"strings"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Kinetics is the ODE of a synapse's gating state, evaluated over elements
// [lo, hi) of structure-of-arrays state y. tt is the transmitter
// concentration of each element (zero for models without a pulse).
type Kinetics interface {
	Vars() []string
	// Deriv writes dy/dt into d.
	Deriv(d, y [][]float64, tt []float64, lo, hi int)
	// Coef writes, for each variable, the coefficient of that variable in
	// its own derivative (exponential Euler, reference §2.5).
	Coef(a, y [][]float64, tt []float64, lo, hi int)
}

// LinearKinetics has dy/dt = A·y with constant A.
type LinearKinetics interface {
	Kinetics
	Matrix() [][]float64
}

// Model is one synapse type with its parameters.
type Model struct {
	Name       string
	Kin        Kinetics // nil for the voltage jump
	Init       []float64
	SpikeVar   int  // state incremented by a spike; -1 for none
	SpikeFirst bool // increment before integrating (NMDA) or after (exponential)
	Pulse      bool // transmitter pulse T for T_duration after a spike
	T, TDur    float64
	Method     string
	// Gate gives s from the state (GABA_B: G⁴/(G⁴+kd)); nil means state 0.
	Gate   func(y [][]float64, i int) float64
	Out    Output
	Weight float64 // g_max (conductance) or w (current, voltage)
}

// Linear reports whether the kinetics can be summed per post neuron.
func (m *Model) Linear() bool {
	_, ok := m.Kin.(LinearKinetics)
	return ok && !m.Pulse
}

// Output says what the synapse delivers to its post neurons.
type Output struct {
	Kind           string // "conductance", "current", "voltage"
	E              float64
	Mg             bool // NMDA block: divide by 1 + cc_Mg/β·e^{−α·V}
	CcMg, AMg, BMg float64
	PostRefractory bool // voltage: no jump while post is refractory
}

type param struct {
	name string
	def  float64
}

// modelDef is the table row of one model: parameter names with BrainModels
// defaults and a constructor.
type modelDef struct {
	params []param
	make   func(p map[string]float64) *Model
}

// Pulse kinetics: ds/dt = α·T(1 − s) − β·s (AMPA, GABA_A Markov).
type markov struct{ alpha, beta float64 }

func (k markov) Vars() []string { return []string{"s"} }
func (k markov) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	s, ds := y[0], d[0]
	for i := lo; i < hi; i++ {
		ds[i] = k.alpha*tt[i]*(1-s[i]) - k.beta*s[i]
	}
}
func (k markov) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -(k.alpha*tt[i] + k.beta)
	}
}

// Exponential decay: ds/dt = −s/τ.
type expo struct{ tau float64 }

func (k expo) Vars() []string { return []string{"s"} }
func (k expo) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		d[0][i] = -y[0][i] / k.tau
	}
}
func (k expo) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -1 / k.tau
	}
}
func (k expo) Matrix() [][]float64 { return [][]float64{{-1 / k.tau}} }

// Dual exponential in s/x form: ds/dt = x, dx/dt = (−(τ1+τ2)x − s)/(τ1τ2).
// Alpha is the case τ1 = τ2 = τ: dx/dt = (−2τx − s)/τ².
type dualExp struct{ t1, t2 float64 }

func (k dualExp) Vars() []string { return []string{"s", "x"} }
func (k dualExp) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	p := k.t1 * k.t2
	for i := lo; i < hi; i++ {
		d[0][i] = y[1][i]
		d[1][i] = (-(k.t1+k.t2)*y[1][i] - y[0][i]) / p
	}
}
func (k dualExp) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = 0
		a[1][i] = -(k.t1 + k.t2) / (k.t1 * k.t2)
	}
}
func (k dualExp) Matrix() [][]float64 {
	p := k.t1 * k.t2
	return [][]float64{{0, 1}, {-1 / p, -(k.t1 + k.t2) / p}}
}

// NMDA: ds/dt = −s/τ_decay + a·x(1 − s), dx/dt = −x/τ_rise.
type nmda struct{ tau, a, tauRise float64 }

func (k nmda) Vars() []string { return []string{"s", "x"} }
func (k nmda) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		s, x := y[0][i], y[1][i]
		d[0][i] = -s/k.tau + k.a*x*(1-s)
		d[1][i] = -x / k.tauRise
	}
}

// EulerStep is the Euler step in one pass, with Deriv's arithmetic.
func (k nmda) EulerStep(y [][]float64, dt float64, lo, hi int) {
	S, X := y[0][lo:hi], y[1][lo:hi]
	X = X[:len(S)]
	for i, s := range S {
		x := X[i]
		ds := -s/k.tau + k.a*x*(1-s)
		dx := -x / k.tauRise
		S[i] = s + dt*ds
		X[i] = x + dt*dx
	}
}

func (k nmda) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -1/k.tau - k.a*y[1][i]
		a[1][i] = -1 / k.tauRise
	}
}

// GABA_B (GABAb1): dR/dt = k3·T(1 − R) − k4·R, dG/dt = k1·R − k2·G.
type gabab1 struct{ k1, k2, k3, k4 float64 }

func (k gabab1) Vars() []string { return []string{"R", "G"} }
func (k gabab1) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		r, g := y[0][i], y[1][i]
		d[0][i] = k.k3*tt[i]*(1-r) - k.k4*r
		d[1][i] = k.k1*r - k.k2*g
	}
}
func (k gabab1) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -(k.k3*tt[i] + k.k4)
		a[1][i] = -k.k2
	}
}

// GABA_B with desensitisation (GABAb2): dR/dt = k1·T(1−R−D) − k2·R + k3·D,
// dD/dt = k4·R − k3·D, dG/dt = k5·R − k6·G.
type gabab2 struct{ k1, k2, k3, k4, k5, k6 float64 }

func (k gabab2) Vars() []string { return []string{"R", "D", "G"} }
func (k gabab2) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		r, dd, g := y[0][i], y[1][i], y[2][i]
		d[0][i] = k.k1*tt[i]*(1-r-dd) - k.k2*r + k.k3*dd
		d[1][i] = k.k4*r - k.k3*dd
		d[2][i] = k.k5*r - k.k6*g
	}
}
func (k gabab2) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -(k.k1*tt[i] + k.k2)
		a[1][i] = -k.k3
		a[2][i] = -k.k6
	}
}

func hill4(kd float64, gi int) func(y [][]float64, i int) float64 {
	return func(y [][]float64, i int) float64 {
		g := y[gi][i]
		g4 := g * g * g * g
		return g4 / (g4 + kd)
	}
}

func cond(e float64) Output { return Output{Kind: "conductance", E: e} }
func curr() Output          { return Output{Kind: "current"} }

var models = map[string]modelDef{
	// AMPA2 in BrainModels; the tutorial's AMPA (§4.1) with a conductance output.
	"AMPA": {[]param{{"g_max", 0.42}, {"E", 0}, {"alpha", 0.98}, {"beta", 0.18}, {"T", 0.5}, {"T_duration", 0.5}},
		func(p map[string]float64) *Model {
			return &Model{Kin: markov{p["alpha"], p["beta"]}, Init: []float64{0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "exponential_euler", Out: cond(p["E"]), Weight: p["g_max"]}
		}},
	// AMPA1: exponential decay.
	"AMPA1": {[]param{{"g_max", 0.10}, {"E", 0}, {"tau", 2.0}},
		func(p map[string]float64) *Model {
			return &Model{Kin: expo{p["tau"]}, Init: []float64{0}, SpikeVar: 0, Method: "exponential_euler",
				Out: cond(p["E"]), Weight: p["g_max"]}
		}},
	"NMDA": {[]param{{"g_max", 0.15}, {"E", 0}, {"cc_Mg", 1.2}, {"alpha", 0.062}, {"beta", 3.57}, {"tau", 100}, {"a", 0.5}, {"tau_rise", 2}},
		func(p map[string]float64) *Model {
			o := cond(p["E"])
			o.Mg, o.CcMg, o.AMg, o.BMg = true, p["cc_Mg"], p["alpha"], p["beta"]
			return &Model{Kin: nmda{p["tau"], p["a"], p["tau_rise"]}, Init: []float64{0, 0}, SpikeVar: 1, SpikeFirst: true,
				Method: "euler", Out: o, Weight: p["g_max"]}
		}},
	// GABAa1: exponential decay.
	"GABAa1": {[]param{{"g_max", 0.4}, {"E", -80}, {"tau_decay", 6}},
		func(p map[string]float64) *Model {
			return &Model{Kin: expo{p["tau_decay"]}, Init: []float64{0}, SpikeVar: 0, Method: "exponential_euler",
				Out: cond(p["E"]), Weight: p["g_max"]}
		}},
	// GABAa2: Markov scheme with a transmitter pulse.
	"GABAa2": {[]param{{"g_max", 0.04}, {"E", -80}, {"alpha", 0.53}, {"beta", 0.18}, {"T", 1}, {"T_duration", 1}},
		func(p map[string]float64) *Model {
			return &Model{Kin: markov{p["alpha"], p["beta"]}, Init: []float64{0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "exponential_euler", Out: cond(p["E"]), Weight: p["g_max"]}
		}},
	"GABAb1": {[]param{{"g_max", 0.02}, {"E", -95}, {"k1", 0.18}, {"k2", 0.034}, {"k3", 0.09}, {"k4", 0.0012}, {"kd", 100}, {"T", 0.5}, {"T_duration", 0.3}},
		func(p map[string]float64) *Model {
			return &Model{Kin: gabab1{p["k1"], p["k2"], p["k3"], p["k4"]}, Init: []float64{0, 0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "euler", Gate: hill4(p["kd"], 1), Out: cond(p["E"]), Weight: p["g_max"]}
		}},
	"GABAb2": {[]param{{"g_max", 0.02}, {"E", -95}, {"k1", 0.66}, {"k2", 0.02}, {"k3", 0.0053}, {"k4", 0.017}, {"k5", 8.3e-5}, {"k6", 7.9e-3}, {"kd", 100}, {"T", 0.5}, {"T_duration", 0.5}},
		func(p map[string]float64) *Model {
			return &Model{Kin: gabab2{p["k1"], p["k2"], p["k3"], p["k4"], p["k5"], p["k6"]}, Init: []float64{0, 0, 0}, SpikeVar: -1, Pulse: true,
				T: p["T"], TDur: p["T_duration"], Method: "euler", Gate: hill4(p["kd"], 2), Out: cond(p["E"]), Weight: p["g_max"]}
		}},
	"Exponential": {[]param{{"tau", 8}, {"w", 0.1}, {"g_max", 0.1}, {"E", 0}},
		func(p map[string]float64) *Model {
			return &Model{Kin: expo{p["tau"]}, Init: []float64{0}, SpikeVar: 0, Method: "exponential_euler", Out: curr(), Weight: p["w"]}
		}},
	"Two_exponentials": {[]param{{"tau1", 1}, {"tau2", 3}, {"w", 0.2}, {"g_max", 0.2}, {"E", 0}},
		func(p map[string]float64) *Model {
			return &Model{Kin: dualExp{p["tau1"], p["tau2"]}, Init: []float64{0, 0}, SpikeVar: 1, Method: "euler", Out: curr(), Weight: p["w"]}
		}},
	"Alpha": {[]param{{"tau", 2}, {"w", 0.2}, {"g_max", 0.2}, {"E", 0}},
		func(p map[string]float64) *Model {
			return &Model{Kin: dualExp{p["tau"], p["tau"]}, Init: []float64{0, 0}, SpikeVar: 1, Method: "euler", Out: curr(), Weight: p["w"]}
		}},
	"Voltage_jump": {[]param{{"weight", 1}, {"post_refractory", 0}},
		func(p map[string]float64) *Model {
			return &Model{Init: []float64{0}, SpikeVar: 0, Method: "euler",
				Out: Output{Kind: "voltage", PostRefractory: p["post_refractory"] != 0}, Weight: p["weight"]}
		}},
}

// positive lists parameters that must be > 0.
var positive = map[string]bool{"tau": true, "tau1": true, "tau2": true, "tau_decay": true, "tau_rise": true,
	"kd": true, "beta": true}

// rates lists each model's rate constants and concentrations, which must
// be >= 0: a negative one drives the gating variables out of [0, 1]. (The
// NMDA alpha is the slope of the Mg²⁺ block, not a rate.)
var rates = map[string][]string{
	"AMPA":   {"alpha"},
	"GABAa2": {"alpha"},
	"NMDA":   {"cc_Mg", "a"},
	"GABAb1": {"k1", "k2", "k3", "k4"},
	"GABAb2": {"k1", "k2", "k3", "k4", "k5", "k6"},
}

// ModelNames lists the chemical synapse models.
func ModelNames() []string {
	var n []string
	for k := range models {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// ParamNames lists a model's parameters in table order.
func ParamNames(name string) []string {
	var n []string
	for _, p := range models[name].params {
		n = append(n, p.name)
	}
	return n
}

// NewModel makes a model from parameters; missing ones take the defaults.
// output may be "" (the model's default), "conductance" or "current"; method
// may be "" (the model's default).
func NewModel(name string, params map[string]float64, output, method string) (*Model, error) {
	def, ok := models[name]
	if !ok {
		return nil, sim.ErrorClassf("KeyError", "unknown synapse model %q; valid: %s", name, strings.Join(ModelNames(), ", "))
	}
	p := map[string]float64{}
	for _, q := range def.params {
		p[q.name] = q.def
	}
	for k, v := range params {
		if _, ok := p[k]; !ok {
			return nil, sim.ErrorClassf("TypeError", "%s got an unexpected parameter %q; valid: %s", name, k, strings.Join(ParamNames(name), ", "))
		}
		if err := sim.CheckFinite(name+" "+k, v); err != nil {
			return nil, err
		}
		if positive[k] && v <= 0 {
			return nil, sim.Errorf("%s: %s must be > 0, got %v", name, k, v)
		}
		p[k] = v
	}
	for _, k := range append([]string{"T_duration", "T"}, rates[name]...) {
		if v, ok := p[k]; ok && v < 0 {
			return nil, sim.Errorf("%s: %s must be >= 0, got %v", name, k, v)
		}
	}
	m := def.make(p)
	m.Name = name
	switch output {
	case "":
	case "conductance":
		if m.Out.Kind == "voltage" {
			return nil, sim.Errorf("%s has no conductance output", name)
		}
		if m.Out.Kind == "current" {
			m.Out = cond(p["E"])
			m.Weight = p["g_max"]
		}
	case "current":
		if m.Out.Kind == "voltage" {
			return nil, sim.Errorf("%s has no current output", name)
		}
		if m.Out.Kind == "conductance" {
			m.Out = curr()
		}
	default:
		return nil, sim.Errorf("%s: output must be 'conductance' or 'current', got %q", name, output)
	}
	if method != "" {
		if !validMethod(method) {
			return nil, sim.Errorf("%s: unknown method %q; valid: %s", name, method, strings.Join(Methods(), ", "))
		}
		if method == "exact" && !m.Linear() {
			return nil, sim.Errorf("%s: method 'exact' needs linear kinetics; its kinetics are not linear", name)
		}
		m.Method = method
	}
	return m, nil
}
