// Chem, a chemical synapse projection: construction, variables, weights
// and what it tells the network planner. The step path lives in
// chem_update.go (Update), kinetics.go and chem_integrate.go (the gating
// state), delay.go (delay lines), chem_output.go (delivery to post) and
// chem_post.go / scatter.go (layout 'post').

package synapse

import (
	"strings"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/sim"
)

// Chem is a chemical synapse projection from pre to post.
type Chem struct {
	M         *Model
	pre, post sim.Group
	indptr    []int32 // rows by pre
	postIdx   []int32 // post of each synapse
	all2all   bool
	layout    Layout
	// every row's targets ascend, so a thread's share of a row is found
	// by search instead of a filter over the row (PerPost delivery)
	rowsSorted bool
	// row p is the one synapse p → p (One2One): a spike is one addition
	oneToOne bool

	w       []float64 // per-synapse weights; nil means M.Weight for all
	delayMs float64
	delays  []float32 // per-synapse delays [ms]; nil means delayMs

	// run-time state, sized at construction (n elements of the layout)
	n     int
	y     [][]float64
	tLast []float64
	tt    []float64
	gate  []float64 // s of each element when Gate is set (PerSyn, PerPre)
	trace [][]float64

	// Track keeps the presynaptic trace of a PerPost projection, so that
	// per-synapse views of s stay exact; traceOK says it was kept since the
	// start. Fused projections leave decay and output to the post group.
	Track   bool
	traceOK bool
	fused   bool
	channel *sim.Channel

	// per run
	dt     float64
	invDt  float64
	D      int // uniform delay [steps]
	it     *integrator
	prop   [][]float64 // propagator for linear kinetics
	ring   ring        // PerSyn: outputs; PerPre: gate history; PerPost: increments
	uniW   bool        // all weights equal (fast all-to-all sums)
	common bool        // PerPost all-to-all with one weight and delay: ring holds one increment per step
	preIDs []int32
	spiked []int32
	// What the scatter of a step reads, and the scatter as a func made
	// once: a closure made each step would be an allocation per step.
	step struct {
		ys      []float64
		counts  []uint8
		scatter func(lo, hi int)
	}
	// Where each row's part for each post range begins and ends (Pull),
	// for the range bounds of the last PrepareCuts.
	cut struct {
		bounds []int
		pos    []int32
	}
	synSpk []uint8   // PerSyn: spike flag of each synapse's pre neuron
	acc    []float64 // per post neuron accumulator of gatherPre
	into   []float64 // fused: the merged channel state spikes are added to
	mg     *MgCache

	// PerPre projections with the same presynaptic group, kinetics and
	// delay share one state: the owner computes it, the others read it.
	owner  *Chem
	lastH  int     // ring row the owner wrote in its last update
	sumH   int     // ring index of the row whose sum is in rowSum (-1: none)
	rowSum float64 // Σ_p of that row, for all-to-all outputs

	vars    map[string]sim.Var
	mirrors map[string][]float64
	alloc   sim.Alloc
}

// NewChem builds a projection. post ids must be grouped by pre (conn order).
func NewChem(a sim.Alloc, m *Model, pre, post sim.Group, c *conn.Conn, layout Layout) (*Chem, error) {
	if c.NPre != pre.Size() || c.NPost != post.Size() {
		return nil, sim.Errorf("%s: connectivity is %d→%d but pre has %d and post has %d neurons", m.Name, c.NPre, c.NPost, pre.Size(), post.Size())
	}
	if m.Plastic != nil && layout != Auto && layout != PerSyn {
		return nil, sim.Errorf("%s: layout must be 'synapse' or 'auto', got '%v': its weights change per synapse", m.Name, layout)
	}
	if layout == Auto {
		switch {
		case m.Plastic != nil:
			layout = PerSyn
		case m.Kin != nil && m.Linear():
			layout = PerPost
		default:
			layout = PerPre
		}
	}
	if layout == PerPost && (m.Kin == nil || !m.Linear()) {
		return nil, sim.Errorf("%s: layout 'post' needs linear kinetics without a transmitter pulse", m.Name)
	}
	s := &Chem{M: m, pre: pre, post: post, indptr: c.Indptr, postIdx: c.Post, all2all: c.All2All,
		layout: layout, alloc: a, mirrors: map[string][]float64{}}
	if layout == PerPost {
		s.rowsSorted = ascendingRows(c.Indptr, c.Post)
		s.oneToOne = oneToOne(c.Indptr, c.Post)
	}
	// Rows are read at random, one per spike; in a large projection
	// each would otherwise cost a TLB miss as well as a cache miss.
	sim.AdviseHugePages(c.Post)
	switch layout {
	case PerSyn:
		s.n = c.NSyn()
	case PerPre:
		s.n = pre.Size()
	case PerPost:
		s.n = post.Size()
	}
	nv := len(m.Init)
	s.y = make([][]float64, nv)
	for j := range s.y {
		s.y[j] = a.F64(s.n)
		if m.Init[j] != 0 {
			for i := range s.y[j] {
				s.y[j][i] = m.Init[j]
			}
		}
	}
	if m.Pulse {
		s.tLast = a.F64(s.n)
		for i := range s.tLast {
			s.tLast[i] = -1e7
		}
		s.tt = make([]float64, s.n)
	} else {
		s.tt = make([]float64, s.n)
	}
	if m.Gate != nil && layout != PerPost {
		s.gate = a.F64(s.n)
	}
	if layout == PerPost {
		s.trace = make([][]float64, nv)
		for j := range s.trace {
			s.trace[j] = make([]float64, pre.Size())
		}
		// Small projections keep exact per-synapse views by default.
		s.Track, s.traceOK = c.NSyn() <= TrackLimit, true
	}
	s.buildVars()
	if m.Plastic != nil {
		s.Ensure(a, "w") // the rule changes weights per synapse
	}
	return s, nil
}

func (s *Chem) Kind() string { return s.M.Name }

// TrackLimit is the largest PerPost projection that keeps its presynaptic
// trace (and so syn.s) unless asked otherwise.
const TrackLimit = 10000

// Layout is the layout in use.
func (s *Chem) Layout() Layout { return s.layout }

// NSyn is the number of synapses.
func (s *Chem) NSyn() int { return len(s.postIdx) }

func (s *Chem) varNames() []string {
	if s.M.Kin == nil {
		return []string{"s"}
	}
	return s.M.Kin.Vars()
}

func (s *Chem) buildVars() {
	s.vars = map[string]sim.Var{}
	shape := []int{s.NSyn()}
	if s.layout == PerSyn {
		for j, name := range s.varNames() {
			s.vars[name] = sim.Var{F64: s.y[j], Shape: shape}
		}
		if s.gate != nil {
			s.vars["s"] = sim.Var{F64: s.gate, Shape: shape}
		}
	}
	if s.w != nil {
		s.vars["w"] = sim.Var{F64: s.w, Shape: shape}
	}
	for name, m := range s.mirrors {
		s.vars[name] = sim.Var{F64: m, Shape: shape, ReadOnly: true}
	}
}

func (s *Chem) Vars() map[string]sim.Var { return s.vars }

// Optional lists the lazily made variables.
func (s *Chem) Optional() []string {
	names := []string{"w"}
	if s.layout != PerSyn {
		names = append(names, s.varNames()...)
		if s.M.Gate != nil {
			names = append(names, "s")
		}
	}
	return names
}

// Ensure makes per-synapse weights or a mirror of compact state.
func (s *Chem) Ensure(a sim.Alloc, name string) (bool, error) {
	if _, ok := s.vars[name]; ok {
		return true, nil
	}
	if name == "w" {
		s.w = a.F64(s.NSyn())
		for k := range s.w {
			s.w[k] = s.M.Weight
		}
		s.buildVars()
		return true, nil
	}
	if s.layout == PerSyn || !s.gathered(name) {
		return false, nil
	}
	if err := s.NeedTrace(); err != nil {
		return false, err
	}
	m := a.F64(s.NSyn())
	s.mirrors[name] = m
	s.Gather(name, m, nil)
	s.buildVars()
	return true, nil
}

// SetWeights sets per-synapse weights (len NSyn) or, with one value, the
// uniform weight.
func (s *Chem) SetWeights(a sim.Alloc, w []float64) error {
	if len(w) == 1 {
		s.M.Weight = w[0]
		if s.w != nil {
			for k := range s.w {
				s.w[k] = w[0]
			}
		}
		return nil
	}
	if len(w) != s.NSyn() {
		return sim.Errorf("%s: weights have %d values for %d synapses", s.M.Name, len(w), s.NSyn())
	}
	if s.w == nil {
		s.Ensure(a, "w")
	}
	copy(s.w, w)
	return nil
}

// NeedTrace turns the presynaptic trace on, or explains why per-synapse
// values are not available.
func (s *Chem) NeedTrace() error {
	if s.layout != PerPost {
		return nil
	}
	if !s.traceOK {
		return sim.Errorf("%s: per-synapse %s is not available: this projection sums its state per "+
			"postsynaptic neuron (layout 'post') and did not keep per-synapse values in earlier runs; "+
			"monitor 's' or read syn.s before the first run, or pass track=True (or layout='pre')",
			s.M.Name, strings.Join(s.varNames(), "/"))
	}
	s.Track = true
	return nil
}
