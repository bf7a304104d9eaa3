package synapse

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/brainsyn/brainsyn/core/sim"
)

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
	// Jump is the effect of one presynaptic spike on element i, applied
	// after the step's integration (STP); SpikeVar is -1 then.
	Jump func(y [][]float64, i int)
	// Plastic is a spike-timing-dependent weight rule (STDP): layout
	// 'synapse' only, the weight is added to s on a spike.
	Plastic *STDPRule
}

// Linear reports whether the kinetics can be summed per post neuron.
func (m *Model) Linear() bool {
	_, ok := m.Kin.(LinearKinetics)
	return ok && !m.Pulse && m.Jump == nil && m.Plastic == nil
}

// Output says what the synapse delivers to its post neurons.
type Output struct {
	Kind           string // "conductance", "current", "voltage"
	E              float64
	Mg             bool // NMDA block: divide by 1 + cc_Mg/β·e^{−α·V}
	CcMg, AMg, BMg float64
	PostRefractory bool // voltage: no jump while post is refractory
}

func cond(e float64) Output { return Output{Kind: "conductance", E: e} }
func curr() Output          { return Output{Kind: "current"} }

// Bound is the range a parameter must lie in.
type Bound int

const (
	Any      Bound = iota
	Positive       // > 0 (time constants, dissociation constants)
	NonNeg         // >= 0 (rate constants, concentrations, durations)
	Fraction       // in [0, 1] (probabilities)
)

func (b Bound) String() string { return [...]string{"", "> 0", ">= 0", "in [0, 1]"}[b] }

// Param is one parameter of a registered model.
type Param struct {
	Name    string
	Default float64
	Unit    string // "" for dimensionless
	Bound   Bound
	Flag    bool // a yes/no switch (0 or 1); Python shows it as a bool
	Doc     string
}

// Def is the one definition of a synapse model: everything else (the
// Python class, its docstring, the model lists of the tests) is derived
// from it.
type Def struct {
	Name    string
	Aliases []string // other Python names of the class (BrainModels names)
	// Doc is the docstring's text before the generated parameter list:
	// a summary line, then equations (reST) and notes.
	Doc    string
	Params []Param // in the order of the docstring
	// Make builds the model from a full parameter set (defaults filled
	// in, bounds checked). nil for a synapse the engine builds another
	// way (Gap_junction).
	Make func(p map[string]float64) *Model
	// Check, when set, checks relations between parameters (after bounds).
	Check func(p map[string]float64) error

	// Derived from Make(defaults) when Make is set, else given.
	Vars   []string // state variables, s first when it is a gate
	Method string   // default integrator ("" without one)
	Output string   // default output: "conductance", "current" or "voltage"
	Linear bool     // linear kinetics without a pulse: layout 'post' allowed
	// Layouts are the layouts the model allows ('synapse', 'pre', 'post').
	Layouts []string
	// Rest is the initial (rest) value of each of Vars.
	Rest []float64
}

var (
	registry = map[string]*Def{}
	order    []string // registration order
)

// Register adds a model definition; it panics on a malformed one (a
// duplicate name, a duplicate parameter, a default outside its bound).
func Register(d Def) {
	if d.Name == "" || registry[d.Name] != nil {
		panic(fmt.Sprintf("synapse.Register: empty or duplicate model name %q", d.Name))
	}
	seen := map[string]bool{}
	for _, p := range d.Params {
		if seen[p.Name] {
			panic(fmt.Sprintf("synapse.Register: %s lists %q twice", d.Name, p.Name))
		}
		seen[p.Name] = true
		if err := checkBound(d.Name, p, p.Default); err != nil {
			panic(fmt.Sprintf("synapse.Register: default: %v", err))
		}
	}
	if d.Make != nil {
		m := d.Make(defaults(&d))
		d.Vars = []string{"s"}
		if m.Kin != nil {
			d.Vars = slices.Clone(m.Kin.Vars())
			if m.Gate != nil {
				d.Vars = append([]string{"s"}, d.Vars...)
			}
		}
		d.Method, d.Output = m.Method, m.Out.Kind
		d.Linear = m.Kin != nil && m.Linear()
		d.Rest = slices.Clone(m.Init)
		if m.Gate != nil {
			d.Rest = append([]float64{0}, d.Rest...)
		}
		d.Layouts = []string{"synapse", "pre"}
		switch {
		case m.Plastic != nil:
			d.Layouts = []string{"synapse"}
		case d.Linear:
			d.Layouts = append(d.Layouts, "post")
		}
	}
	registry[d.Name] = &d
	order = append(order, d.Name)
}

// Defs lists the registered models in registration order.
func Defs() []*Def {
	out := make([]*Def, len(order))
	for i, n := range order {
		out[i] = registry[n]
	}
	return out
}

// Lookup returns a registered model's definition.
func Lookup(name string) (*Def, bool) {
	d, ok := registry[name]
	return d, ok
}

func defaults(d *Def) map[string]float64 {
	p := make(map[string]float64, len(d.Params))
	for _, q := range d.Params {
		p[q.Name] = q.Default
	}
	return p
}

func checkBound(model string, p Param, v float64) error {
	switch {
	case p.Bound == Positive && v <= 0:
		return sim.Errorf("%s: %s must be > 0, got %v", model, p.Name, v)
	case p.Bound == NonNeg && v < 0:
		return sim.Errorf("%s: %s must be >= 0, got %v", model, p.Name, v)
	case p.Bound == Fraction && !(v >= 0 && v <= 1):
		return sim.Errorf("%s: %s must be in [0, 1], got %v", model, p.Name, v)
	}
	return nil
}

// ModelNames lists the chemical synapse models (those NewModel builds).
func ModelNames() []string {
	var n []string
	for _, d := range registry {
		if d.Make != nil {
			n = append(n, d.Name)
		}
	}
	slices.Sort(n)
	return n
}

// ParamNames lists a model's parameters in table order.
func ParamNames(name string) []string {
	var n []string
	if d, ok := registry[name]; ok {
		for _, p := range d.Params {
			n = append(n, p.Name)
		}
	}
	return n
}

// NewModel makes a model from parameters; missing ones take the defaults.
// output may be "" (the model's default), "conductance" or "current"; method
// may be "" (the model's default).
func NewModel(name string, params map[string]float64, output, method string) (*Model, error) {
	def, ok := registry[name]
	if !ok || def.Make == nil {
		return nil, sim.ErrorClassf("KeyError", "unknown synapse model %q; valid: %s", name, strings.Join(ModelNames(), ", "))
	}
	params, err := resolveAliases(name, params)
	if err != nil {
		return nil, err
	}
	p := defaults(def)
	for k, v := range params {
		i := slices.IndexFunc(def.Params, func(q Param) bool { return q.Name == k })
		if i < 0 {
			return nil, sim.ErrorClassf("TypeError", "%s got an unexpected parameter %q; valid: %s", name, k, strings.Join(ParamNames(name), ", "))
		}
		if err := sim.CheckFinite(name+" "+k, v); err != nil {
			return nil, err
		}
		if q := def.Params[i]; q.Bound == Positive {
			if err := checkBound(name, q, v); err != nil {
				return nil, err
			}
		}
		p[k] = v
	}
	// Lower bounds after the loop, pulse parameters first, so that the
	// first error named does not depend on the map's order.
	for _, pass := range []func(q Param) bool{
		func(q Param) bool { return q.Name == "T_duration" },
		func(q Param) bool { return q.Name == "T" },
		func(q Param) bool { return q.Name != "T_duration" && q.Name != "T" },
	} {
		for _, q := range def.Params {
			if (q.Bound == NonNeg || q.Bound == Fraction) && pass(q) {
				if err := checkBound(name, q, p[q.Name]); err != nil {
					return nil, err
				}
			}
		}
	}
	if def.Check != nil {
		if err := def.Check(p); err != nil {
			return nil, err
		}
	}
	m := def.Make(p)
	m.Name = name
	switch output {
	case "":
	case "conductance":
		if m.Out.Kind == "voltage" || m.Plastic != nil {
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

// jsonParam and jsonDef are the registry as the Python layer reads it.
type jsonParam struct {
	Name    string  `json:"name"`
	Default float64 `json:"default"`
	Unit    string  `json:"unit"`
	Bound   string  `json:"bound"`
	Flag    bool    `json:"flag"`
	Doc     string  `json:"doc"`
}

type jsonDef struct {
	Name    string      `json:"name"`
	Aliases []string    `json:"aliases"`
	Doc     string      `json:"doc"`
	Params  []jsonParam `json:"params"`
	Vars    []string    `json:"vars"`
	Method  string      `json:"method"`
	Output  string      `json:"output"`
	Linear  bool        `json:"linear"`
	Layouts []string    `json:"layouts"`
	Rest    []float64   `json:"rest"`
	Chem    bool        `json:"chemical"` // built by NewModel (else a synapse of its own kind)
	// ParamAliases are other names of parameters (alias → primary).
	ParamAliases map[string]string `json:"param_aliases"`
}

// RegistryJSON describes every registered model, in registration order.
func RegistryJSON() string {
	var out []jsonDef
	for _, d := range Defs() {
		j := jsonDef{Name: d.Name, Aliases: d.Aliases, Doc: d.Doc, Vars: d.Vars, Method: d.Method,
			Output: d.Output, Linear: d.Linear, Layouts: d.Layouts, Rest: d.Rest, Chem: d.Make != nil,
			ParamAliases: ParamAliases(d.Name)}
		if j.ParamAliases == nil {
			j.ParamAliases = map[string]string{}
		}
		if j.Aliases == nil {
			j.Aliases = []string{}
		}
		for _, p := range d.Params {
			j.Params = append(j.Params, jsonParam{p.Name, p.Default, p.Unit, p.Bound.String(), p.Flag, p.Doc})
		}
		out = append(out, j)
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	return string(b)
}
