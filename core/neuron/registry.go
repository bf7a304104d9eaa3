package neuron

import (
	"fmt"
	"slices"

	"github.com/brainsyn/brainsyn/core/param"
	"github.com/brainsyn/brainsyn/core/sim"
)

// The neuron model registry: each point model of BrainModels 0.3 is one
// Def here (builtin.go: LIF and HH, with groups of their own; models_if.go,
// models_osc.go: the others, run by Group). From it come the engine's
// group (New), the Python class in brainsyn.neurons with its docstring,
// and the model lists of the tests.

// MaxVars is the most state variables (V first) a registered model has.
const MaxVars = 4

// State is one neuron's state variables, in the order of Def.Vars.
type State = [MaxVars]float64

// Bound and Param are the shared parameter table (core/param).
type (
	Bound = param.Bound
	Param = param.Param
)

const (
	Any      = param.Any
	Positive = param.Positive // > 0 (time constants, capacitances, slope factors)
	NonNeg   = param.NonNeg   // >= 0 (refractory periods, conductances)
)

// VarDef is one state variable with its unit and meaning.
type VarDef struct {
	Name, Unit, Doc string
}

// Spike rules.
const (
	// ResetRule: integrate-and-fire. A neuron outside its refractory period
	// (when the model has one) integrates; Fire on the new state makes a
	// spike, after which Reset sets the state and the spike time is kept.
	ResetRule = "reset"
	// CrossingRule: a spike is an upward crossing of the threshold by V in
	// the step; nothing is reset.
	CrossingRule = "crossing"
)

// Option is a setting given as a string when a group is made and fixed
// after (LIF's refractory_rule).
type Option struct {
	Name, Default string
	Values        []string
	Doc           string
}

// Dyn is a model's dynamics for one parameter set.
type Dyn struct {
	// Deriv writes dy/dt at state y with input in (the group's input).
	Deriv func(y, dy *State, in float64)
	// Fire reports a spike from the state before (old) and after (y) the
	// step's integration.
	Fire func(old, y *State) bool
	// Reset changes the state after a spike (ResetRule only).
	Reset func(y *State)
}

// Def is the one definition of a neuron model.
type Def struct {
	Name string
	// Doc is the docstring's text before the generated parameter list:
	// a summary line, the equations (reST) and the spike rule.
	Doc    string
	Params []Param
	// Vars are the state variables, V first (input, spike and, with
	// Refractory, refractory and t_last_spike come on top).
	Vars []VarDef
	// Init gives the initial value of each of Vars.
	Init func(p map[string]float64) []float64
	// Make gives the dynamics that Group integrates; nil when New is set.
	Make func(p map[string]float64) Dyn
	// New, when set, builds a group of the model's own type from a full,
	// checked parameter set, a method of Methods and checked options
	// (LIF's vector kernels, HH's exponential Euler per variable).
	New func(a sim.Alloc, shape []int, p map[string]float64, method string, opts map[string]string) (sim.Group, error)
	// Methods lists the integrators the model allows (default: Methods()).
	Methods []string
	Options []Option
	// Check, when set, checks relations between parameters (after bounds).
	Check func(p map[string]float64) error
	Rule  string
	// Refractory: the model has t_refractory, refractory and t_last_spike;
	// a neuron is held (not integrated) while t − t_last_spike ≤ t_refractory.
	Refractory bool
	Method     string // default integrator
}

// registry holds the definitions in registration order.
var registry param.Registry[Def]

// Methods lists the integrators of the models that Group runs.
func Methods() []string { return []string{"euler", "rk2", "rk4"} }

// Register adds a model definition; it panics on a malformed one.
func Register(d Def) {
	if len(d.Vars) == 0 || len(d.Vars) > MaxVars || d.Vars[0].Name != "V" {
		panic(fmt.Sprintf("neuron.Register: %s must have 1 to %d variables, V first", d.Name, MaxVars))
	}
	if d.Rule != ResetRule && d.Rule != CrossingRule {
		panic(fmt.Sprintf("neuron.Register: %s has no spike rule", d.Name))
	}
	if d.Refractory && d.Rule != ResetRule {
		panic(fmt.Sprintf("neuron.Register: %s: refractoriness needs the reset rule", d.Name))
	}
	if err := param.CheckTable(d.Name, d.Params); err != nil {
		panic("neuron.Register: " + err.Error())
	}
	if d.Refractory && param.Index(d.Params, "t_refractory") < 0 {
		panic(fmt.Sprintf("neuron.Register: %s is refractory without t_refractory", d.Name))
	}
	if (d.Make == nil) == (d.New == nil) {
		panic(fmt.Sprintf("neuron.Register: %s needs one of Make and New", d.Name))
	}
	if d.Method == "" {
		d.Method = "euler"
	}
	if d.Methods == nil {
		d.Methods = Methods()
	}
	if !slices.Contains(d.Methods, d.Method) {
		panic(fmt.Sprintf("neuron.Register: %s: default method %q is not in its Methods", d.Name, d.Method))
	}
	if n := len(d.Init(defaults(&d))); n != len(d.Vars) {
		panic(fmt.Sprintf("neuron.Register: %s: %d initial values for %d variables", d.Name, n, len(d.Vars)))
	}
	registry.Add("neuron.Register", d.Name, &d)
}

// Defs lists the registered models in registration order.
func Defs() []*Def { return registry.Defs() }

// Lookup returns a registered model's definition.
func Lookup(name string) (*Def, bool) { return registry.Lookup(name) }

// Defaults returns a model's default parameters.
func (d *Def) Defaults() map[string]float64 { return defaults(d) }

func defaults(d *Def) map[string]float64 { return param.Defaults(d.Params) }

// Names lists the registered models in registration order.
func Names() []string { return registry.Names() }

// params fills in defaults under the changes and checks them; names are
// checked in the table's order, so the error named does not depend on the
// map's order.
func (d *Def) params(cur, change map[string]float64) (map[string]float64, error) {
	p := make(map[string]float64, len(cur))
	for k, v := range cur {
		p[k] = v
	}
	names := make([]string, 0, len(change))
	for k := range change {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if param.Index(d.Params, k) < 0 {
			return nil, param.Unexpected(d.Name, k, d.Params)
		}
		p[k] = change[k]
	}
	for _, q := range d.Params {
		if err := param.Check(d.Name, q, p[q.Name]); err != nil {
			return nil, err
		}
	}
	if d.Check != nil {
		if err := d.Check(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

type jsonVar struct {
	Name string  `json:"name"`
	Unit string  `json:"unit"`
	Doc  string  `json:"doc"`
	Init float64 `json:"init"`
}

type jsonOption struct {
	Name    string   `json:"name"`
	Default string   `json:"default"`
	Values  []string `json:"values"`
	Doc     string   `json:"doc"`
}

type jsonDef struct {
	param.ModelJSON
	Options    []jsonOption `json:"options"`
	Vars       []jsonVar    `json:"vars"`
	Rule       string       `json:"rule"`
	Refractory bool         `json:"refractory"`
	Methods    []string     `json:"methods"`
}

// RegistryJSON describes every registered model, in registration order.
func RegistryJSON() string {
	out := []jsonDef{}
	for _, d := range Defs() {
		j := jsonDef{ModelJSON: param.ModelJSON{Name: d.Name, Doc: d.Doc, Params: param.TableJSON(d.Params),
			Method: d.Method}, Rule: d.Rule, Refractory: d.Refractory, Methods: d.Methods, Options: []jsonOption{}}
		for _, o := range d.Options {
			j.Options = append(j.Options, jsonOption{o.Name, o.Default, o.Values, o.Doc})
		}
		init := d.Init(defaults(d))
		for i, v := range d.Vars {
			j.Vars = append(j.Vars, jsonVar{v.Name, v.Unit, v.Doc, init[i]})
		}
		out = append(out, j)
	}
	return param.MarshalList(out)
}
