package synapse

import (
	"encoding/json"
	"strings"

	"github.com/brainsyn/brainsyn/core/expr"
	"github.com/brainsyn/brainsyn/core/sim"
)

// Declared is a synapse model written in Python and traced: its
// derivative (one expression per state variable) and the linear
// coefficient of each variable in its own derivative (for exponential
// Euler) are expression graphs; the spike rule, transmitter pulse and
// output are declared.
type Declared struct {
	Name       string          `json:"name"`
	Vars       []string        `json:"vars"`
	Init       []float64       `json:"init"`
	Deriv      json.RawMessage `json:"deriv"`
	Coef       json.RawMessage `json:"coef"`
	SpikeVar   int             `json:"spike_var"`
	SpikeFirst bool            `json:"spike_first"`
	Pulse      bool            `json:"pulse"`
	T          float64         `json:"T"`
	TDur       float64         `json:"T_duration"`
	Method     string          `json:"method"`
	Output     string          `json:"output"`
	E          float64         `json:"E"`
	Weight     float64         `json:"weight"`
}

// exprKin runs traced derivatives.
type exprKin struct {
	vars        []string
	deriv, coef *expr.Program
}

func (k *exprKin) Vars() []string { return k.vars }
func (k *exprKin) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	k.deriv.Eval(d, y, tt, 0, lo, hi)
}
func (k *exprKin) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	k.coef.Eval(a, y, tt, 0, lo, hi)
}

// NewDeclaredModel checks a declaration and makes the model.
func NewDeclaredModel(js []byte) (*Model, error) {
	var d Declared
	dec := json.NewDecoder(strings.NewReader(string(js)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, sim.Errorf("declared synapse: bad specification: %v", err)
	}
	name := d.Name
	if name == "" {
		name = "Declared"
	}
	nv := len(d.Vars)
	if nv == 0 || nv > 64 || len(d.Init) != nv {
		return nil, sim.Errorf("%s: needs 1 to 64 state variables with one initial value each (got %d names, %d values)", name, nv, len(d.Init))
	}
	for j, x := range d.Init {
		if err := sim.CheckFinite(name+" initial "+d.Vars[j], x); err != nil {
			return nil, err
		}
	}
	deriv, err := expr.Parse(d.Deriv, nv)
	if err != nil {
		return nil, sim.Errorf("%s derivative: %v", name, err)
	}
	coef, err := expr.Parse(d.Coef, nv)
	if err != nil {
		return nil, sim.Errorf("%s coefficients: %v", name, err)
	}
	if deriv.Outputs() != nv || coef.Outputs() != nv {
		return nil, sim.Errorf("%s: %d derivatives and %d coefficients for %d variables", name, deriv.Outputs(), coef.Outputs(), nv)
	}
	if d.SpikeVar < -1 || d.SpikeVar >= nv {
		return nil, sim.Errorf("%s: spike variable %d out of range", name, d.SpikeVar)
	}
	if d.Method == "" {
		d.Method = "euler"
	}
	if !validMethod(d.Method) || d.Method == "exact" {
		return nil, sim.Errorf("%s: unknown method %q for a declared model; valid: %s", name, d.Method, strings.Join(Methods()[:len(Methods())-1], ", "))
	}
	for _, c := range []struct {
		n string
		v float64
	}{{"T", d.T}, {"T_duration", d.TDur}, {"E", d.E}, {"weight", d.Weight}} {
		if err := sim.CheckFinite(name+" "+c.n, c.v); err != nil {
			return nil, err
		}
	}
	m := &Model{Name: name, Kin: &exprKin{vars: d.Vars, deriv: deriv, coef: coef}, Init: d.Init,
		SpikeVar: d.SpikeVar, SpikeFirst: d.SpikeFirst, Pulse: d.Pulse, T: d.T, TDur: d.TDur,
		Method: d.Method, Weight: d.Weight}
	switch d.Output {
	case "", "none":
		m.Out = Output{Kind: "none"}
	case "conductance":
		m.Out = cond(d.E)
	case "current":
		m.Out = curr()
	default:
		return nil, sim.Errorf("%s: output must be 'none', 'conductance' or 'current', got %q", name, d.Output)
	}
	return m, nil
}
