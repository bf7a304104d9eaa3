package synapse

import (
	"math"
	"strings"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/sim"
	"gonum.org/v1/gonum/mat"
)

// Layout is where the gating state lives.
type Layout int

const (
	Auto    Layout = iota
	PerSyn         // one state per synapse: the reference
	PerPre         // one state per presynaptic neuron
	PerPost        // linear kinetics summed per postsynaptic neuron
)

var layoutNames = map[string]Layout{"auto": Auto, "synapse": PerSyn, "pre": PerPre, "post": PerPost}

// ParseLayout maps "auto", "synapse", "pre", "post" to a Layout.
func ParseLayout(s string) (Layout, error) {
	l, ok := layoutNames[s]
	if !ok {
		return 0, sim.Errorf("layout must be 'auto', 'synapse', 'pre' or 'post', got %q", s)
	}
	return l, nil
}

func (l Layout) String() string {
	for k, v := range layoutNames {
		if v == l {
			return k
		}
	}
	return "?"
}

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
	head  int // step counter for rings, kept across runs

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
	D, R   int
	it     *integrator
	prop   [][]float64 // propagator for linear kinetics
	ring   []float64   // PerSyn: outputs; PerPre: gate history; PerPost: increments
	ringW  int         // row width of ring
	uniW   bool        // all weights equal (fast all-to-all sums)
	common bool        // PerPost all-to-all with one weight and delay: ring holds one increment per step
	preIDs []int32
	spiked []int32
	synSpk []uint8   // PerSyn: spike flag of each synapse's pre neuron
	acc    []float64 // per post neuron accumulator of gatherPre
	into   []float64 // fused: the merged channel state spikes are added to
	mg     *MgCache

	// PerPre projections with the same presynaptic group, kinetics and
	// delay share one state: the owner computes it, the others read it.
	owner  *Chem
	lastH  int     // ring row the owner wrote in its last update
	sumH   int     // row whose sum is in rowSum (-1: none)
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
	if layout == Auto {
		switch {
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

// SetDelay sets a uniform delay [ms].
func (s *Chem) SetDelay(d float64) error {
	if err := sim.CheckNonNeg("delay", d); err != nil {
		return sim.Errorf("%s: %v", s.M.Name, err)
	}
	s.delayMs, s.delays = d, nil
	return nil
}

// SetDelays sets one delay [ms] per synapse.
func (s *Chem) SetDelays(d []float64) error {
	if len(d) != s.NSyn() {
		return sim.Errorf("%s: delay has %d values for %d synapses", s.M.Name, len(d), s.NSyn())
	}
	// Checked in full before anything changes: a refused call leaves the
	// delays as they were.
	delays := make([]float32, len(d))
	for k, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return sim.Errorf("%s: delay[%d] = %v must be a finite number >= 0 [ms]", s.M.Name, k, v)
		}
		delays[k] = float32(v)
	}
	sim.AdviseHugePages(delays) // read row by row like the targets
	s.delays = delays
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

// Channel offers the projection's per-post state to the post group: one
// state decaying by a constant factor, spikes added after the decay, and a
// plain conductance or current output.
func (s *Chem) Channel() (*sim.Channel, sim.Group) {
	m := s.M
	if s.layout != PerPost || len(m.Init) != 1 || m.SpikeFirst || m.Out.Mg || s.prop == nil ||
		(m.Out.Kind != "conductance" && m.Out.Kind != "current") {
		return nil, nil
	}
	if s.channel == nil {
		s.channel = &sim.Channel{}
	}
	*s.channel = sim.Channel{S: s.y[0], Decay: s.prop[0][0], E: m.Out.E, Conductance: m.Out.Kind == "conductance"}
	return s.channel, s.post
}

// SetFused records whether the post group folds this projection.
func (s *Chem) SetFused(f bool) { s.fused = f }

// AddInto makes the projection add its spikes into x (another
// projection's channel state), or into its own state when x is nil.
func (s *Chem) AddInto(x []float64) { s.into = x }

// Target is the array the update adds into when it does nothing else: a
// fused per-post projection (sim.Separate).
func (s *Chem) Target() ([]float64, bool) {
	if s.layout != PerPost || !s.fused {
		return nil, false
	}
	if s.into != nil {
		return s.into, true
	}
	return s.y[s.M.SpikeVar], true
}

// Work is the number of synapses.
func (s *Chem) Work() int { return len(s.postIdx) }

// Fused reports whether the post group folds this projection.
func (s *Chem) Fused() bool { return s.fused }

// Shared reports whether another projection computes this one's state.
func (s *Chem) Shared() bool { return s.owner != nil }

// WritesV lists the post group for voltage outputs.
func (s *Chem) WritesV() []sim.Group {
	if s.M.Out.Kind == "voltage" {
		return []sim.Group{s.post}
	}
	return nil
}

// WritesInput lists the post group unless its update folds this
// projection or the output goes elsewhere (V, or nowhere).
func (s *Chem) WritesInput() []sim.Group {
	if s.fused || s.M.Out.Kind == "voltage" || s.M.Out.Kind == "none" {
		return nil
	}
	return []sim.Group{s.post}
}

// delaySteps converts synapse k's delay with the dt of the run.
func (s *Chem) delaySteps(k int) int {
	if s.delays == nil {
		return s.D
	}
	return delayStepsF32(s.delays[k], s.invDt)
}

// delayStepsF32 is sim.DelaySteps for a delay stored as float32: the
// tolerance is 1e-7 relative, just above float32 rounding (2⁻²⁴), so that
// 1.1 (stored as 1.1000000238) at dt 0.1 still gives 11 while 1e5 ms at
// dt 0.1 keeps all of its 10⁶ steps. Huge or infinite delays saturate at
// 2³⁰ steps (Prepare rejects them) instead of overflowing.
func delayStepsF32(d float32, invDt float64) int {
	q := float64(d) * invDt
	if !(q < 1<<30) {
		return 1 << 30
	}
	n := math.Ceil(q - 1e-7*math.Max(1, q))
	if n < 0 {
		n = 0
	}
	return int(n)
}

func (s *Chem) Prepare(c *sim.Clock) error {
	dt := c.Dt
	ringChanged := dt != s.dt
	s.dt, s.invDt = dt, 1/dt
	D, R, maxD := s.ringRows(dt)
	s.D = D
	if maxD > MaxDelaySteps {
		return sim.Errorf("%s: a delay of %d steps is too long", s.M.Name, maxD)
	}
	if s.M.Kin != nil {
		if s.M.Method == "exact" || s.layout == PerPost {
			s.prop = propagator(s.M, dt)
		}
		if s.M.Method != "exact" {
			s.it = newIntegrator(s.M.Kin, s.M.Method, dt, s.n)
		}
	}
	s.uniW = true
	for k := range s.w {
		if s.w[k] != s.w[0] {
			s.uniW = false
			break
		}
	}
	if s.layout == PerSyn {
		// The update reads the pre of each synapse: made here, before the
		// run, not in its first step while another thread may ask for it.
		s.preOfSyn()
	}
	// PerPost all-to-all with one weight and one delay: every post neuron
	// gets the same increment, so the delay line holds one number per step.
	W, canCommon := s.ringWidth()
	wasCommon := s.common
	s.common = canCommon && s.w == nil
	s.ringW = W
	if s.common {
		s.ringW = 1
	}
	if wasCommon && !s.common && R == s.R && !ringChanged && len(s.ring) == R {
		// Per-synapse weights or delays arrived: spread the increments
		// in flight to every post neuron.
		full, err := sim.MakeF64(s.M.Name+" delay line", R*s.ringW)
		if err != nil {
			return err
		}
		for j := range full {
			full[j] = s.ring[j/s.ringW]
		}
		s.ring = full
	}
	if err := sim.CheckElems(s.M.Name+" delay line", R, s.ringW); err != nil {
		return err
	}
	if R != s.R || ringChanged || s.ring == nil || len(s.ring) != R*s.ringW {
		// A new dt or delay starts with empty delay lines.
		ring, err := sim.MakeF64(s.M.Name+" delay line", R*s.ringW)
		if err != nil {
			return err
		}
		s.R, s.ring, s.head = R, ring, 0
	}
	return nil
}

// MaxDelaySteps is the longest delay line the engine makes, in steps;
// longer ones are surely a mistake in units.
const MaxDelaySteps = 1 << 20

// ringRows is the uniform delay D in steps at dt, the rows R of the delay
// line that Prepare makes (0: none, layout 'post' without delay) and the
// longest delay maxD it holds (Prepare refuses more than MaxDelaySteps).
func (s *Chem) ringRows(dt float64) (D, R, maxD int) {
	D = sim.DelaySteps(s.delayMs, dt)
	maxD = D
	if s.delays != nil {
		maxD = 0
		invDt := 1 / dt
		for _, d := range s.delays {
			maxD = max(maxD, delayStepsF32(d, invDt))
		}
	}
	R = maxD + 1
	if s.layout == PerPost && maxD == 0 {
		R = 0
	}
	return D, R, maxD
}

// ringWidth is the row width of the delay line; common says whether a row
// may be one number instead (PerPost all-to-all with one delay, when it
// also has one weight: per-synapse weights made after a run leave the line
// so until the next Prepare spreads it).
func (s *Chem) ringWidth() (w int, common bool) {
	switch s.layout {
	case PerSyn:
		return s.NSyn(), false
	case PerPre:
		return s.pre.Size(), false
	}
	return s.post.Size(), s.all2all && s.delays == nil
}

// propagator returns the one-step map of linear kinetics: expm(A·dt) for
// 'exact', otherwise the chosen integrator applied to the unit vectors.
func propagator(m *Model, dt float64) [][]float64 {
	lk := m.Kin.(LinearKinetics)
	A := lk.Matrix()
	nv := len(A)
	P := make([][]float64, nv)
	if m.Method == "exact" {
		a := mat.NewDense(nv, nv, nil)
		for i := range A {
			for j := range A[i] {
				a.Set(i, j, A[i][j]*dt)
			}
		}
		var e mat.Dense
		e.Exp(a)
		for i := range P {
			P[i] = make([]float64, nv)
			for j := range P[i] {
				P[i][j] = e.At(i, j)
			}
		}
		return P
	}
	it := newIntegrator(m.Kin, m.Method, dt, nv)
	y := make([][]float64, nv)
	for j := range y {
		y[j] = make([]float64, nv)
		y[j][j] = 1 // column j is the unit vector e_j
	}
	it.step(y, make([]float64, nv), 0, nv)
	for i := range P {
		P[i] = make([]float64, nv)
		for j := range P[i] {
			P[i][j] = y[i][j]
		}
	}
	return P
}

// applyProp sets y ← P·y over [lo, hi).
func applyProp(P [][]float64, y [][]float64, lo, hi int) {
	switch len(P) {
	case 1:
		p, s := P[0][0], y[0]
		for i := lo; i < hi; i++ {
			s[i] *= p
		}
	case 2:
		a, b, c, d := P[0][0], P[0][1], P[1][0], P[1][1]
		s, x := y[0], y[1]
		for i := lo; i < hi; i++ {
			si, xi := s[i], x[i]
			s[i] = a*si + b*xi
			x[i] = c*si + d*xi
		}
	default:
		tmp := make([]float64, len(P))
		for i := lo; i < hi; i++ {
			for r := range P {
				acc := 0.0
				for c := range P[r] {
					acc += P[r][c] * y[c][i]
				}
				tmp[r] = acc
			}
			for r := range P {
				y[r][i] = tmp[r]
			}
		}
	}
}

// kinetics advances elements [lo, hi) of state y (with pulse state) by one
// step; spk[i] is the spike flag of element i. t is the clock's Abs time:
// the step time in a first run, continued across later runs so that a
// transmitter pulse is neither replayed nor prolonged when run times
// restart at 0 (reference §7.11).
func (s *Chem) kinetics(y [][]float64, t float64, spk []uint8, lo, hi int, P [][]float64) {
	m := s.M
	sv := m.SpikeVar
	if m.Kin == nil { // voltage jump: s = spike
		for i := lo; i < hi; i++ {
			y[0][i] = float64(spk[i])
		}
		return
	}
	if m.Pulse {
		for i := lo; i < hi; i++ {
			if spk[i] != 0 {
				s.tLast[i] = t
			}
			if t-s.tLast[i] < m.TDur {
				s.tt[i] = m.T
			} else {
				s.tt[i] = 0
			}
		}
	}
	if sv >= 0 && m.SpikeFirst {
		for i := lo; i < hi; i++ {
			y[sv][i] += float64(spk[i])
		}
	}
	if P != nil {
		applyProp(P, y, lo, hi)
	} else {
		s.it.step(y, s.tt, lo, hi)
	}
	if sv >= 0 && !m.SpikeFirst {
		for i := lo; i < hi; i++ {
			y[sv][i] += float64(spk[i])
		}
	}
	if s.gate != nil {
		for i := lo; i < hi; i++ {
			s.gate[i] = m.Gate(y, i)
		}
	}
}

// gateOf is s of element i.
func (s *Chem) gateOf(i int) float64 {
	if s.gate != nil {
		return s.gate[i]
	}
	return s.y[0][i]
}

func (s *Chem) weight(k int) float64 {
	if s.w != nil {
		return s.w[k]
	}
	return s.M.Weight
}

// deliver applies output value o of synapse k to its post neuron; inv is
// 1/B(V) of the post neurons for NMDA outputs.
func (s *Chem) deliver(k int, o float64, v, in []float64, refr []uint8, inv []float64) {
	q := s.postIdx[k]
	switch s.M.Out.Kind {
	case "none":
	case "conductance":
		if s.M.Out.Mg {
			in[q] -= o * (v[q] - s.M.Out.E) * inv[q]
		} else {
			in[q] -= o * (v[q] - s.M.Out.E)
		}
	case "current":
		in[q] += o
	case "voltage":
		if s.M.Out.PostRefractory && refr != nil {
			o *= 1 - float64(refr[q])
		}
		v[q] += o
	}
}

func (s *Chem) Update(c *sim.Clock) {
	// A bundle of sources may fire several times in a step: the count is
	// the increment.
	spike := s.pre.Spike()
	if ct, ok := s.pre.(sim.Counter); ok {
		spike = ct.Counts()
	}
	v, in, refr := s.post.V(), s.post.Input(), s.post.Refractory()
	h := s.head
	var inv []float64
	if s.M.Out.Mg && s.layout != PerPost {
		inv = s.mgInv(c, v)
	}
	switch s.layout {
	case PerSyn:
		P := s.prop
		if s.M.Method != "exact" {
			P = nil
		}
		// Element k is synapse k; its pre neuron is found by walking rows.
		pre := s.preOfSyn()
		if len(s.synSpk) != s.n {
			s.synSpk = make([]uint8, s.n)
		}
		for k, p := range pre {
			s.synSpk[k] = spike[p]
		}
		c.Pool.For(s.n, func(lo, hi int) { s.kinetics(s.y, c.Abs, s.synSpk, lo, hi, P) })
		R := s.R
		if s.M.Out.Kind == "none" {
			break
		}
		for k := 0; k < s.n; k++ {
			o := s.weight(k) * s.gateOf(k)
			if R > 1 {
				s.ring[((h+s.delaySteps(k))%R)*s.ringW+k] = o
				o = s.ring[(h%R)*s.ringW+k]
			}
			s.deliver(k, o, v, in, refr, inv)
		}
	case PerPre:
		src := s
		if s.owner != nil {
			src, h = s.owner, s.owner.lastH
		} else {
			P := s.prop
			if s.M.Method != "exact" {
				P = nil
			}
			c.Pool.For(s.n, func(lo, hi int) { s.kinetics(s.y, c.Abs, spike, lo, hi, P) })
			row := s.ring[(h%s.R)*s.ringW : (h%s.R+1)*s.ringW]
			for p := range row {
				row[p] = s.gateOf(p)
			}
			s.lastH, s.sumH = h, -1
		}
		R, W, hist := src.R, src.ringW, src.ring
		if s.M.Out.Kind == "none" {
			break
		}
		if s.all2all && s.delays == nil && s.uniW && s.M.Out.Kind != "voltage" {
			r := (h - s.D%R + R) % R
			if src.sumH != r {
				sum := 0.0
				for _, x := range hist[r*W : (r+1)*W] {
					sum += x
				}
				src.sumH, src.rowSum = r, sum
			}
			s.sumAll(src.rowSum, v, in, inv)
			break
		}
		if s.delays == nil && s.M.Out.Kind != "voltage" {
			s.gatherPre(hist[((h-s.D%R+R)%R)*W:][:W], v, in, inv)
			break
		}
		for p := 0; p < s.pre.Size(); p++ {
			for k := int(s.indptr[p]); k < int(s.indptr[p+1]); k++ {
				d := s.delaySteps(k)
				sp := hist[((h-d%R+R)%R)*W+p]
				if sp == 0 {
					continue
				}
				s.deliver(k, s.weight(k)*sp, v, in, refr, inv)
			}
		}
	case PerPost:
		s.updatePost(c, spike, v, in)
	}
	s.head++
}

// gatherPre is the sparse output of PerPre state with one delay: the
// conductance of each post neuron is accumulated over its synapses, then
// applied once, so the per-synapse work is one load and one add.
func (s *Chem) gatherPre(row []float64, v, in []float64, inv []float64) {
	if len(s.acc) != len(v) {
		s.acc = make([]float64, len(v))
	}
	G := s.acc
	for q := range G {
		G[q] = 0
	}
	for p, sp := range row {
		if sp == 0 {
			continue
		}
		lo, hi := s.indptr[p], s.indptr[p+1]
		if s.w == nil {
			for _, q := range s.postIdx[lo:hi] {
				G[q] += sp
			}
		} else {
			w := s.w[lo:hi]
			for j, q := range s.postIdx[lo:hi] {
				G[q] += w[j] * sp
			}
		}
	}
	g := 1.0
	if s.w == nil {
		g = s.M.Weight
	}
	o := &s.M.Out
	switch {
	case o.Kind == "current":
		for q, x := range G {
			in[q] += g * x
		}
	case o.Mg:
		for q, x := range G {
			if x != 0 {
				in[q] -= g * x * (v[q] - o.E) * inv[q]
			}
		}
	case o.Kind == "conductance":
		for q, x := range G {
			if x != 0 {
				in[q] -= g * x * (v[q] - o.E)
			}
		}
	}
}

// sumAll is the all-to-all output with one weight: every post neuron sees
// g = w·Σ_p s_p (sum is Σ_p s_p).
func (s *Chem) sumAll(sum float64, v, in []float64, inv []float64) {
	g := s.M.Weight
	if s.w != nil {
		g = s.w[0]
	}
	g *= sum
	if g == 0 {
		return
	}
	o := &s.M.Out
	in = in[:len(v)]
	switch {
	case o.Kind == "current":
		for q := range in {
			in[q] += g
		}
	case o.Mg:
		inv = inv[:len(v)]
		for q := range v {
			in[q] -= g * (v[q] - o.E) * inv[q]
		}
	default:
		for q := range v {
			in[q] -= g * (v[q] - o.E)
		}
	}
}

// MgCache holds 1/B(V) of the NMDA block for one post group, shared by the
// projections that see the same V in a step, so e^{−αV} is computed once
// per neuron and step however many NMDA projections a neuron receives.
type MgCache struct {
	step int64
	inv  []float64
}

// Reset marks the cache empty (a new run may have changed V).
func (m *MgCache) Reset() { m.step = -1 }

// SetMgCache shares c with other projections (nil: a private cache).
func (s *Chem) SetMgCache(c *MgCache) { s.mg = c }

// MgKey identifies projections that may share a cache (same post group
// and block parameters).
func (s *Chem) MgKey() (sim.Group, [3]float64, bool) {
	o := s.M.Out
	return s.post, [3]float64{o.CcMg, o.AMg, o.BMg}, o.Mg && s.layout != PerPost
}

func (s *Chem) mgInv(c *sim.Clock, v []float64) []float64 {
	if s.mg == nil {
		s.mg = &MgCache{step: -1}
	}
	now := int64(c.Base) + int64(c.I)
	m := s.mg
	if m.step == now && len(m.inv) == len(v) {
		return m.inv
	}
	if len(m.inv) != len(v) {
		m.inv = make([]float64, len(v))
	}
	o := &s.M.Out
	k := o.CcMg / o.BMg
	mgBlock(m.inv, v, o.AMg, k)
	m.step = now
	return m.inv
}

func (s *Chem) updatePost(c *sim.Clock, spike []uint8, v, in []float64) {
	m := s.M
	sv := m.SpikeVar
	h := s.head
	Y := s.y
	s.spiked = sim.SpikedOf(s.pre, s.spiked)
	spiked := s.spiked
	var counts []uint8
	if ct, ok := s.pre.(sim.Counter); ok {
		counts = ct.Counts()
	}
	ys := Y[sv]
	if s.fused && s.into != nil {
		ys = s.into
	}
	// Each worker adds the increments that land in its share of the post
	// group, the share whose conductances it reads in the group's update;
	// every target still gets its increments in spike and row order.
	add := func() {
		if s.common {
			s.addCommon(c, ys, spiked, counts, h)
			return
		}
		if s.R == 0 {
			c.Pool.Shares(len(ys), func(lo, hi int) { s.scatter(ys, spiked, counts, lo, hi) })
			return
		}
		R, W := s.R, s.ringW
		c.Pool.Shares(W, func(lo, hi int) {
			s.prefetchShare(spiked, lo, hi, W)
			all := lo == 0 && hi == W
			for _, p := range spiked {
				a, b := s.share(p, lo, hi, all)
				for k := a; k < b; k++ {
					q := int(s.postIdx[k])
					if q < lo || q >= hi {
						continue
					}
					w := s.weight(k)
					if counts != nil {
						w *= float64(counts[p])
					}
					s.ring[((h+s.delaySteps(k))%R)*W+q] += w
				}
			}
			row := s.ring[(h%R)*W+lo : (h%R)*W+hi]
			for j, x := range row {
				if x != 0 {
					ys[lo+j] += x
					row[j] = 0
				}
			}
		})
	}
	if s.Track {
		s.stepTrace(spiked, counts)
	} else {
		s.traceOK = false
	}
	if s.fused {
		// The post group has read and decayed Y in its own update.
		add()
		return
	}
	if m.SpikeFirst {
		add()
	}
	c.Pool.For(s.n, func(lo, hi int) { applyProp(s.prop, Y, lo, hi) })
	if !m.SpikeFirst {
		add()
	}
	o := &m.Out
	g := Y[0]
	switch o.Kind {
	case "conductance":
		for q := range g {
			if g[q] != 0 {
				in[q] -= g[q] * (v[q] - o.E)
			}
		}
	case "current":
		for q := range g {
			in[q] += g[q]
		}
	}
}

// addCommon is the all-to-all delivery with one weight and one delay: the
// spikes of a step make one increment, the same for every post neuron,
// which waits in the one-number-per-step delay line.
func (s *Chem) addCommon(c *sim.Clock, ys []float64, spiked []int32, counts []uint8, h int) {
	n := float64(len(spiked))
	if counts != nil {
		n = 0
		for _, p := range spiked {
			n += float64(counts[p])
		}
	}
	x := s.M.Weight * n
	if s.R > 0 {
		s.ring[(h+s.D)%s.R] += x
		x, s.ring[h%s.R] = s.ring[h%s.R], 0
	}
	if x == 0 {
		return
	}
	c.Pool.For(len(ys), func(lo, hi int) {
		for q := range ys[lo:hi] {
			ys[lo+q] += x
		}
	})
}

// aheadMin is the number of targets from which a row's targets are
// prefetched (fewer stay in L2).
const aheadMin = 1 << 16

// scatter adds the weights of the rows of spiked into ys, for targets in
// [lo, hi) only.
func (s *Chem) scatter(ys []float64, spiked []int32, counts []uint8, lo, hi int) {
	all := lo == 0 && hi == len(ys)
	// Ascending rows are cut to the share; others are filtered element by
	// element.
	filter := !all && !s.rowsSorted
	// In a large network each row and most targets are cache misses:
	// ask for the rows at once, and for a row's targets one row ahead.
	s.prefetchShare(spiked, lo, hi, len(ys))
	ahead := len(ys) >= aheadMin
	var na, nb int
	if len(spiked) > 0 {
		na, nb = s.share(spiked[0], lo, hi, all)
	}
	for i, p := range spiked {
		a, b := na, nb
		if i+1 < len(spiked) {
			na, nb = s.share(spiked[i+1], lo, hi, all)
			if ahead {
				prefetchTargets(ys, s.postIdx[na:nb], lo, hi)
			}
		}
		post := s.postIdx[a:b]
		var w []float64
		if s.w != nil {
			w = s.w[a:b]
			w = w[:len(post)]
		}
		c := 1.0
		if counts != nil {
			c = float64(counts[p])
		}
		switch {
		case w == nil && !filter:
			x := s.M.Weight * c
			for _, q := range post {
				ys[q] += x
			}
		case w == nil:
			x := s.M.Weight * c
			for _, q := range post {
				if int(q) >= lo && int(q) < hi {
					ys[q] += x
				}
			}
		case counts == nil && !filter:
			for j, q := range post {
				ys[q] += w[j]
			}
		case counts == nil:
			for j, q := range post {
				if int(q) >= lo && int(q) < hi {
					ys[q] += w[j]
				}
			}
		default:
			for j, q := range post {
				if int(q) >= lo && int(q) < hi {
					ys[q] += w[j] * c
				}
			}
		}
	}
}

// share is the part of row p to visit for targets in [lo, hi): the whole
// row when all is set or the rows are not in ascending order, else the
// synapses whose targets lie in [lo, hi). The search starts where the
// share would begin if the row's targets were spread evenly, so that each
// of many threads reads little of every row besides its own part.
func (s *Chem) share(p int32, lo, hi int, all bool) (int, int) {
	a, b := int(s.indptr[p]), int(s.indptr[p+1])
	if all || !s.rowsSorted || a == b {
		return a, b
	}
	r := s.postIdx[a:b]
	i := lowerBound(r, lo, len(r)*lo/s.post.Size())
	j := i
	for j < len(r) && int(r[j]) < hi {
		j++
	}
	return a + i, a + j
}

// lowerBound is the first index of ascending r whose value is ≥ x,
// searched from guess g outwards in doubling steps, then by bisection.
func lowerBound(r []int32, x, g int) int {
	g = min(max(g, 0), len(r))
	var lo, hi int // the answer is in [lo, hi]
	if g < len(r) && int(r[g]) < x {
		lo = g + 1
		d := 1
		for ; g+d < len(r) && int(r[g+d]) < x; d *= 2 {
			lo = g + d + 1
		}
		hi = min(g+d, len(r))
	} else {
		hi = g
		d := 1
		for ; g-d >= 0 && int(r[g-d]) >= x; d *= 2 {
			hi = g - d
		}
		lo = max(g-d+1, 0)
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(r[m]) < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// prefetchShare asks for the rows of spiked, or for their parts that
// hold targets in [lo, hi) of n when rows ascend.
func (s *Chem) prefetchShare(spiked []int32, lo, hi, n int) {
	if !s.rowsSorted {
		lo, hi = 0, n
	}
	prefetchRows(s.indptr, s.postIdx, s.w, spiked, lo, hi, n)
}

// ascendingRows reports whether every row lists its targets in
// non-decreasing order (the connectors build them so).
func ascendingRows(indptr, post []int32) bool {
	for p := 0; p+1 < len(indptr); p++ {
		r := post[indptr[p]:indptr[p+1]]
		for k := 1; k < len(r); k++ {
			if r[k] < r[k-1] {
				return false
			}
		}
	}
	return true
}

// stepTrace advances the presynaptic trace (unit increments, no delay):
// the per-synapse s of BrainPy is the trace of the synapse's pre neuron.
func (s *Chem) stepTrace(spiked []int32, counts []uint8) {
	m, tr, sv := s.M, s.trace, s.M.SpikeVar
	add := func() {
		for _, p := range spiked {
			if counts != nil {
				tr[sv][p] += float64(counts[p])
			} else {
				tr[sv][p]++
			}
		}
	}
	if m.SpikeFirst {
		add()
	}
	applyProp(s.prop, tr, 0, len(tr[0]))
	if !m.SpikeFirst {
		add()
	}
}

// preOfSyn returns the pre neuron of every synapse (built once).
func (s *Chem) preOfSyn() []int32 {
	if s.preIDs != nil {
		return s.preIDs
	}
	pre := make([]int32, s.NSyn())
	for p := 0; p+1 < len(s.indptr); p++ {
		for k := s.indptr[p]; k < s.indptr[p+1]; k++ {
			pre[k] = int32(p)
		}
	}
	s.preIDs = pre
	return pre
}

// PreIDs and PostIDs are the synapse list in synapse order.
func (s *Chem) PreIDs() []int32  { return s.preOfSyn() }
func (s *Chem) PostIDs() []int32 { return s.postIdx }

func (s *Chem) gathered(name string) bool {
	if name == "s" {
		return true
	}
	for _, n := range s.varNames() {
		if n == name {
			return true
		}
	}
	return false
}

// Gather writes the per-synapse value of a state variable.
func (s *Chem) Gather(name string, dst []float64, idx []int32) bool {
	if s.layout == PerSyn || !s.gathered(name) {
		return false
	}
	pre := s.preOfSyn()
	var src func(p int32) float64
	var y [][]float64 = s.y
	if s.layout == PerPost {
		y = s.trace
	}
	if s.owner != nil {
		y = s.owner.y
	}
	j := -1
	for i, n := range s.varNames() {
		if n == name {
			j = i
		}
	}
	switch {
	case j >= 0:
		col := y[j]
		src = func(p int32) float64 { return col[p] }
	case s.M.Gate != nil:
		src = func(p int32) float64 { return s.M.Gate(y, int(p)) }
		if s.owner != nil && s.owner.gate != nil {
			g := s.owner.gate
			src = func(p int32) float64 { return g[p] }
		}
	default:
		col := y[0]
		src = func(p int32) float64 { return col[p] }
	}
	if idx == nil {
		for k := range dst {
			dst[k] = src(pre[k])
		}
	} else {
		for i, k := range idx {
			dst[i] = src(pre[k])
		}
	}
	return true
}

// SyncMirrors refreshes the read-only per-synapse views.
func (s *Chem) SyncMirrors() {
	for name, m := range s.mirrors {
		s.Gather(name, m, nil)
	}
}

// shareKey identifies PerPre projections that compute the same state.
type shareKey struct {
	pre          sim.Group
	kin          Kinetics
	method       string
	pulse, first bool
	t, tdur      float64
	sv           int
	d            int
	gate         bool
	name         string
}

// ShareKey returns the key under which the projection's state can be
// shared, and whether it can be shared at all.
func (s *Chem) ShareKey() (any, bool) {
	m := s.M
	if s.layout != PerPre || s.delays != nil || m.Gate != nil {
		return nil, false
	}
	return shareKey{s.pre, m.Kin, m.Method, m.Pulse, m.SpikeFirst, m.T, m.TDur, m.SpikeVar, s.D, m.Gate != nil, m.Name}, true
}

// SetOwner makes o compute this projection's state (nil: compute it
// itself). A projection that stops reading an owner takes over its state.
func (s *Chem) SetOwner(o *Chem) {
	if o == s {
		o = nil
	}
	if s.owner != nil && o == nil {
		src := s.owner
		for j := range s.y {
			copy(s.y[j], src.y[j])
		}
		copy(s.tLast, src.tLast)
		if len(s.ring) == len(src.ring) {
			copy(s.ring, src.ring)
		}
		s.head = src.head
	}
	s.owner = o
	s.sumH = -1
}
