// Rate-based learning rules (Oja, BCM): a projection between two rate
// groups that sets the post rates to Σ w·r_pre and moves each weight by
// a function of its pre and post rates. The rules are in oja.go and bcm.go.

package synapse

import (
	"io"
	"strings"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/sim"
)

// Rater is a group with a rate per neuron (neuron.RateGroup).
type Rater interface {
	sim.Group
	Rate() []float64
}

// rateRule is the weight update of one rate model.
type rateRule interface {
	// step moves the weights w of the synapses (pre, post) over dt, given
	// the pre rates x and the post rates y of this step.
	step(dt float64, w, x, y []float64, pre, post []int32)
	// vars lists the rule's own state (beyond w) for Vars.
	vars() map[string]sim.Var
	save(sw *sim.StateWriter)
	// read checks a saved state and returns what copies it in.
	read(sr *sim.StateReader) func()
}

// rateMakers are the registered rate models: their rule from a full
// parameter set (defaults filled in, bounds checked) and the number of
// post neurons; state variables are made with a (shareable with Python).
var rateMakers = map[string]func(a sim.Alloc, p map[string]float64, nPost int) rateRule{}

// registerRate registers a rate model: the Def (Make nil, as the engine
// builds it with NewRateSyn) and its rule. Vars lists w first.
func registerRate(d Def, mk func(a sim.Alloc, p map[string]float64, nPost int) rateRule) {
	d.Output, d.Method, d.Layouts = "rate", "euler", []string{"synapse"}
	Register(d)
	rateMakers[d.Name] = mk
}

// IsRate reports whether name is a rate model (built by NewRateSyn).
func IsRate(name string) bool { _, ok := rateMakers[name]; return ok }

// RateSyn is a projection of a rate model.
type RateSyn struct {
	name      string
	pre, post Rater
	preIdx    []int32
	postIdx   []int32
	w         []float64
	rule      rateRule
	acc       []float64 // Σ w·r_pre per post neuron, before it is written
	dt        float64
	vars      map[string]sim.Var
}

// NewRateSyn builds a rate model's projection with parameters p (missing
// ones take the defaults); every weight starts at the parameter w.
func NewRateSyn(a sim.Alloc, name string, params map[string]float64, pre, post sim.Group, c *conn.Conn) (*RateSyn, error) {
	def, ok := registry.Lookup(name)
	mk := rateMakers[name]
	if !ok || mk == nil {
		return nil, sim.ErrorClassf("KeyError", "unknown rate synapse model %q", name)
	}
	p, err := rateParams(def, params)
	if err != nil {
		return nil, err
	}
	rpre, ok1 := pre.(Rater)
	rpost, ok2 := post.(Rater)
	if !ok1 || !ok2 {
		what, g := "pre", pre
		if ok1 {
			what, g = "post", post
		}
		return nil, sim.ErrorClassf("TypeError", "%s: %s must be a group of rate units (brainsyn.neurons.RateGroup), got %s",
			name, what, g.Kind())
	}
	if c.NPre != pre.Size() || c.NPost != post.Size() {
		return nil, sim.Errorf("%s: connectivity is %d→%d but pre has %d and post has %d neurons", name, c.NPre, c.NPost, pre.Size(), post.Size())
	}
	s := &RateSyn{name: name, pre: rpre, post: rpost, preIdx: c.PreIDs(), postIdx: c.Post,
		rule: mk(a, p, post.Size()), acc: make([]float64, post.Size())}
	s.w = a.F64(len(c.Post))
	for k := range s.w {
		s.w[k] = p["w"]
	}
	s.vars = map[string]sim.Var{"w": {F64: s.w, Shape: []int{len(s.w)}}}
	for k, v := range s.rule.vars() {
		s.vars[k] = v
	}
	return s, nil
}

// rateParams fills in defaults and checks names, finiteness, bounds (in
// table order) and relations.
func rateParams(def *Def, params map[string]float64) (map[string]float64, error) {
	params, err := resolveAliases(def.Name, params)
	if err != nil {
		return nil, err
	}
	p := defaults(def)
	for k, v := range params {
		if _, ok := p[k]; !ok {
			return nil, sim.ErrorClassf("TypeError", "%s got an unexpected parameter %q; valid: %s", def.Name, k,
				strings.Join(ParamNames(def.Name), ", "))
		}
		if err := sim.CheckFinite(def.Name+" "+k, v); err != nil {
			return nil, err
		}
		p[k] = v
	}
	for _, q := range def.Params {
		if err := checkBound(def.Name, q, p[q.Name]); err != nil {
			return nil, err
		}
	}
	if def.Check != nil {
		if err := def.Check(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkWBounds is the Check of the rate models: w_min <= w <= w_max.
func checkWBounds(name string) func(p map[string]float64) error {
	return func(p map[string]float64) error {
		if p["w_min"] > p["w_max"] {
			return sim.Errorf("%s: w_min must be <= w_max, got w_min = %v, w_max = %v", name, p["w_min"], p["w_max"])
		}
		return nil
	}
}

func (s *RateSyn) Kind() string             { return s.name }
func (s *RateSyn) Vars() map[string]sim.Var { return s.vars }
func (s *RateSyn) NSyn() int                { return len(s.w) }
func (s *RateSyn) PreIDs() []int32          { return s.preIdx }
func (s *RateSyn) PostIDs() []int32         { return s.postIdx }

// SetDelay refuses any delay but 0: rates are read in the step they are
// set (BrainModels: "no delay in firing rate models").
func (s *RateSyn) SetDelay(d float64) error {
	if d != 0 {
		return sim.Errorf("%s: a rate synapse has no delay (rates act in the step they are set); got delay = %v ms", s.name, d)
	}
	return nil
}

func (s *RateSyn) Prepare(c *sim.Clock) error { s.dt = c.Dt; return nil }

// Update sets y = Σ w·x per post neuron (every post neuron of the group,
// 0 where no synapse of this projection reaches it, as BrainModels'
// post.r = post_r), moves the weights with this step's x and y, then
// writes y. The sum is taken before the write, so pre and post may be
// the same group.
func (s *RateSyn) Update(c *sim.Clock) {
	x, y := s.pre.Rate(), s.post.Rate()
	clear(s.acc)
	for k, w := range s.w {
		s.acc[s.postIdx[k]] += w * x[s.preIdx[k]]
	}
	s.rule.step(s.dt, s.w, x, s.acc, s.preIdx, s.postIdx)
	copy(y, s.acc)
}

// WritesV lists the post group: its rate is its V slot.
func (s *RateSyn) WritesV() []sim.Group { return []sim.Group{s.post} }

// SaveState writes the weights and the rule's state.
func (s *RateSyn) SaveState(w io.Writer) error {
	sw := &sim.StateWriter{W: w}
	sw.Tag(s.name)
	sw.F64s(s.w)
	s.rule.save(sw)
	return sw.Err
}

// ReadState reads what SaveState wrote for a projection of the same model
// and sizes.
func (s *RateSyn) ReadState(b []byte) (func(), error) {
	sr := sim.NewStateReader(b, s.name)
	sr.Tag(s.name)
	w := sr.F64s("w", len(s.w))
	apply := s.rule.read(sr)
	if err := sr.End(); err != nil {
		return nil, err
	}
	return func() {
		w.CopyTo(s.w)
		apply()
	}, nil
}

var _ sim.Stateful = (*RateSyn)(nil)

// rateDoc is the docstring's note shared by the rate models.
var rateDoc = strings.Join([]string{
	"Pre and post are rate groups (" + lit("brainsyn.neurons.RateGroup") + ", variable r). Each step",
	"y_j = Σ_i w_ij·r_i is computed with the weights of the step, the weights are moved",
	"(forward Euler over dt, then clipped to [w_min, w_max]) with this y, and y is written",
	"into the post group's r. Delay 0 only. Variable w per synapse (synapse order).",
}, "\n")
