package synapse

import (
	"slices"
	"strings"

	"github.com/brainsyn/brainsyn/core/param"
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

// Bound and Param are the shared parameter table (core/param); the names
// stay here for the model definitions (models.go).
type (
	Bound = param.Bound
	Param = param.Param
)

const (
	Any      = param.Any
	Positive = param.Positive
	NonNeg   = param.NonNeg
	Fraction = param.Fraction
)

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

// registry holds the definitions in registration order.
var registry param.Registry[Def]

// Register adds a model definition; it panics on a malformed one (a
// duplicate name, a duplicate parameter, a default outside its bound).
func Register(d Def) {
	if err := param.CheckTable(d.Name, d.Params); err != nil {
		panic("synapse.Register: " + err.Error())
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
	registry.Add("synapse.Register", d.Name, &d)
}

// Defs lists the registered models in registration order.
func Defs() []*Def { return registry.Defs() }

// Lookup returns a registered model's definition.
func Lookup(name string) (*Def, bool) { return registry.Lookup(name) }

func defaults(d *Def) map[string]float64 { return param.Defaults(d.Params) }

func checkBound(model string, p Param, v float64) error { return param.CheckBound(model, p, v) }

// ModelNames lists the chemical synapse models (those NewModel builds).
func ModelNames() []string {
	var n []string
	for _, d := range registry.Defs() {
		if d.Make != nil {
			n = append(n, d.Name)
		}
	}
	slices.Sort(n)
	return n
}

// ParamNames lists a model's parameters in table order.
func ParamNames(name string) []string {
	if d, ok := registry.Lookup(name); ok {
		return param.Names(d.Params)
	}
	return nil
}

// NewModel makes a model from parameters; missing ones take the defaults.
// output may be "" (the model's default), "conductance" or "current"; method
// may be "" (the model's default).
func NewModel(name string, params map[string]float64, output, method string) (*Model, error) {
	def, ok := registry.Lookup(name)
	if !ok || def.Make == nil {
		return nil, sim.ErrorClassf("KeyError", "unknown synapse model %q; valid: %s", name, strings.Join(ModelNames(), ", "))
	}
	params, err := resolveAliases(name, params)
	if err != nil {
		return nil, err
	}
	p := defaults(def)
	for k, v := range params {
		i := param.Index(def.Params, k)
		if i < 0 {
			return nil, param.Unexpected(name, k, def.Params)
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

// jsonDef is the registry as the Python layer reads it.
type jsonDef struct {
	param.ModelJSON
	Aliases []string  `json:"aliases"`
	Vars    []string  `json:"vars"`
	Output  string    `json:"output"`
	Linear  bool      `json:"linear"`
	Layouts []string  `json:"layouts"`
	Rest    []float64 `json:"rest"`
	Chem    bool      `json:"chemical"` // built by NewModel (else a synapse of its own kind)
	// ParamAliases are other names of parameters (alias → primary).
	ParamAliases map[string]string `json:"param_aliases"`
}

// RegistryJSON describes every registered model, in registration order.
func RegistryJSON() string {
	var out []jsonDef
	for _, d := range Defs() {
		j := jsonDef{ModelJSON: param.ModelJSON{Name: d.Name, Doc: d.Doc, Params: param.TableJSON(d.Params),
			Method: d.Method}, Aliases: d.Aliases, Vars: d.Vars, Output: d.Output, Linear: d.Linear,
			Layouts: d.Layouts, Rest: d.Rest, Chem: d.Make != nil, ParamAliases: ParamAliases(d.Name)}
		if j.ParamAliases == nil {
			j.ParamAliases = map[string]string{}
		}
		if j.Aliases == nil {
			j.Aliases = []string{}
		}
		out = append(out, j)
	}
	return param.MarshalList(out)
}
