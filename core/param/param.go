// Package param holds what the neuron and synapse model registries share:
// a model's parameter table (name, default, unit, bound, doc), the checks
// of a value against its bound, the ordered registry of definitions and
// the JSON form of a parameter that the Python layer reads.
package param

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Bound is the range a parameter must lie in.
type Bound int

const (
	Any      Bound = iota
	Positive       // > 0 (time constants, capacitances, dissociation constants)
	NonNeg         // >= 0 (refractory periods, rates, conductances, durations)
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

// CheckBound checks v against p's bound (not its finiteness: callers word
// that error themselves).
func CheckBound(model string, p Param, v float64) error {
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

// Check checks that v is finite and within p's bound.
func Check(model string, p Param, v float64) error {
	if err := sim.CheckFinite(model+": "+p.Name, v); err != nil {
		return err
	}
	return CheckBound(model, p, v)
}

// CheckTable reports a table's first repeated name or default outside its
// bound (a malformed definition, which Register turns into a panic).
func CheckTable(model string, ps []Param) error {
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.Name] {
			return fmt.Errorf("%s lists %q twice", model, p.Name)
		}
		seen[p.Name] = true
		if err := CheckBound(model, p, p.Default); err != nil {
			return fmt.Errorf("default: %v", err)
		}
	}
	return nil
}

// Defaults returns the table's default values by name.
func Defaults(ps []Param) map[string]float64 {
	m := make(map[string]float64, len(ps))
	for _, q := range ps {
		m[q.Name] = q.Default
	}
	return m
}

// Names lists the table's names in order.
func Names(ps []Param) []string {
	var n []string
	for _, p := range ps {
		n = append(n, p.Name)
	}
	return n
}

// Index is the position of name in the table, or -1.
func Index(ps []Param, name string) int {
	return slices.IndexFunc(ps, func(q Param) bool { return q.Name == name })
}

// Unexpected is the TypeError for a name the table lacks.
func Unexpected(model, name string, ps []Param) error {
	return sim.ErrorClassf("TypeError", "%s got an unexpected parameter %q; valid: %s", model, name,
		strings.Join(Names(ps), ", "))
}

// JSON is a parameter as the Python layer reads it.
type JSON struct {
	Name    string  `json:"name"`
	Default float64 `json:"default"`
	Unit    string  `json:"unit"`
	Bound   string  `json:"bound"`
	Flag    bool    `json:"flag"`
	Doc     string  `json:"doc"`
}

// TableJSON is the table in its JSON form.
func TableJSON(ps []Param) []JSON {
	var out []JSON
	for _, p := range ps {
		out = append(out, JSON{p.Name, p.Default, p.Unit, p.Bound.String(), p.Flag, p.Doc})
	}
	return out
}

// ModelJSON is what every model's JSON form starts with; each registry
// embeds it in its own (whose fields join these in the JSON object).
type ModelJSON struct {
	Name   string `json:"name"`
	Doc    string `json:"doc"`
	Params []JSON `json:"params"`
	Method string `json:"method"` // the default integrator
}

// MarshalList is the JSON of a registry's list (a definition that does not
// marshal is a programming error).
func MarshalList[T any](list []T) string {
	b, err := json.Marshal(list)
	if err != nil {
		panic(err)
	}
	return string(b)
}
