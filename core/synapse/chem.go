package synapse

import (
	"math"

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

	// per run
	dt      float64
	invDt   float64
	D, R    int
	it      *integrator
	prop    [][]float64 // propagator for linear kinetics
	ring    []float64   // PerSyn: outputs; PerPre: gate history; PerPost: increments
	ringW   int         // row width of ring
	uniW    bool        // all weights equal (fast all-to-all sums)
	scratch []float64
	preIDs  []int32

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
	}
	s.buildVars()
	return s, nil
}

func (s *Chem) Kind() string { return s.M.Name }

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
	s.delays = make([]float32, len(d))
	for k, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return sim.Errorf("%s: delay[%d] = %v must be a finite number >= 0 [ms]", s.M.Name, k, v)
		}
		s.delays[k] = float32(v)
	}
	return nil
}

// delaySteps converts synapse k's delay with the dt of the run.
func (s *Chem) delaySteps(k int) int {
	if s.delays == nil {
		return s.D
	}
	q := float64(s.delays[k]) * s.invDt
	return int(math.Ceil(q - 1e-6*math.Max(1, q)))
}

func (s *Chem) Prepare(c *sim.Clock) error {
	dt := c.Dt
	ringChanged := dt != s.dt
	s.dt, s.invDt = dt, 1/dt
	s.D = sim.DelaySteps(s.delayMs, dt)
	maxD := s.D
	if s.delays != nil {
		maxD = 0
		for k := range s.delays {
			if d := s.delaySteps(k); d > maxD {
				maxD = d
			}
		}
	}
	if maxD > 1<<20 {
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
	R := maxD + 1
	switch s.layout {
	case PerSyn:
		s.ringW = s.NSyn()
	case PerPre:
		s.ringW = s.pre.Size()
	case PerPost:
		s.ringW = s.post.Size()
		if maxD == 0 {
			R = 0
		}
	}
	if err := sim.CheckElems(s.M.Name+" delay line", R, s.ringW); err != nil {
		return err
	}
	if R != s.R || ringChanged || s.ring == nil {
		// A new dt or delay starts with empty delay lines.
		s.R = R
		s.ring = make([]float64, R*s.ringW)
		s.head = 0
	}
	if s.layout == PerPre && s.all2all {
		s.scratch = make([]float64, 1)
	}
	return nil
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
// step; spk(i) is the spike flag of element i.
func (s *Chem) kinetics(y [][]float64, t float64, spk func(i int) uint8, lo, hi int, P [][]float64) {
	m := s.M
	sv := m.SpikeVar
	if m.Kin == nil { // voltage jump: s = spike
		for i := lo; i < hi; i++ {
			y[0][i] = float64(spk(i))
		}
		return
	}
	if m.Pulse {
		for i := lo; i < hi; i++ {
			if spk(i) != 0 {
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
			y[sv][i] += float64(spk(i))
		}
	}
	if P != nil {
		applyProp(P, y, lo, hi)
	} else {
		s.it.step(y, s.tt, lo, hi)
	}
	if sv >= 0 && !m.SpikeFirst {
		for i := lo; i < hi; i++ {
			y[sv][i] += float64(spk(i))
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

// deliver applies output value o of synapse k to its post neuron.
func (s *Chem) deliver(k int, o float64, v, in []float64, refr []uint8) {
	q := s.postIdx[k]
	switch s.M.Out.Kind {
	case "conductance":
		if s.M.Out.Mg {
			in[q] -= o * (v[q] - s.M.Out.E) / s.M.Out.mgBlock(v[q])
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
	spike := s.pre.Spike()
	v, in, refr := s.post.V(), s.post.Input(), s.post.Refractory()
	h := s.head
	switch s.layout {
	case PerSyn:
		P := s.prop
		if s.M.Method != "exact" {
			P = nil
		}
		// Element k is synapse k; its pre neuron is found by walking rows.
		pre := s.preOfSyn()
		c.Pool.For(s.n, func(lo, hi int) {
			s.kinetics(s.y, c.T, func(i int) uint8 { return spike[pre[i]] }, lo, hi, P)
		})
		R := s.R
		for k := 0; k < s.n; k++ {
			o := s.weight(k) * s.gateOf(k)
			if R > 1 {
				s.ring[((h+s.delaySteps(k))%R)*s.ringW+k] = o
				o = s.ring[(h%R)*s.ringW+k]
			}
			s.deliver(k, o, v, in, refr)
		}
	case PerPre:
		P := s.prop
		if s.M.Method != "exact" {
			P = nil
		}
		c.Pool.For(s.n, func(lo, hi int) {
			s.kinetics(s.y, c.T, func(i int) uint8 { return spike[i] }, lo, hi, P)
		})
		R := s.R
		hist := s.ring
		if R > 1 {
			row := hist[(h%R)*s.ringW : (h%R+1)*s.ringW]
			for p := range row {
				row[p] = s.gateOf(p)
			}
		} else {
			for p := 0; p < s.n; p++ {
				hist[p] = s.gateOf(p)
			}
		}
		if s.all2all && s.delays == nil && s.uniW && s.M.Out.Kind != "voltage" {
			s.sumAll(hist[((h-s.D%R+R)%R)*s.ringW:][:s.ringW], v, in)
			break
		}
		for p := 0; p < s.pre.Size(); p++ {
			for k := int(s.indptr[p]); k < int(s.indptr[p+1]); k++ {
				d := s.delaySteps(k)
				sp := hist[((h-d%R+R)%R)*s.ringW+p]
				if sp == 0 {
					continue
				}
				s.deliver(k, s.weight(k)*sp, v, in, refr)
			}
		}
	case PerPost:
		s.updatePost(c, spike, v, in)
	}
	s.head++
}

// sumAll is the all-to-all output with one weight: every post neuron sees
// g = w·Σ_p s_p.
func (s *Chem) sumAll(hist []float64, v, in []float64) {
	sum := 0.0
	for _, x := range hist {
		sum += x
	}
	g := s.M.Weight
	if s.w != nil {
		g = s.w[0]
	}
	g *= sum
	if g == 0 {
		return
	}
	o := &s.M.Out
	for q := range v {
		switch o.Kind {
		case "conductance":
			if o.Mg {
				in[q] -= g * (v[q] - o.E) / o.mgBlock(v[q])
			} else {
				in[q] -= g * (v[q] - o.E)
			}
		case "current":
			in[q] += g
		}
	}
}

func (s *Chem) updatePost(c *sim.Clock, spike []uint8, v, in []float64) {
	m := s.M
	sv := m.SpikeVar
	h := s.head
	Y := s.y
	add := func() {
		if s.R == 0 {
			for p, sp := range spike {
				if sp == 0 {
					continue
				}
				for k := s.indptr[p]; k < s.indptr[p+1]; k++ {
					Y[sv][s.postIdx[k]] += s.weight(int(k))
				}
			}
			return
		}
		R, W := s.R, s.ringW
		for p, sp := range spike {
			if sp == 0 {
				continue
			}
			for k := int(s.indptr[p]); k < int(s.indptr[p+1]); k++ {
				d := s.delaySteps(k)
				s.ring[((h+d)%R)*W+int(s.postIdx[k])] += s.weight(k)
			}
		}
		row := s.ring[(h%R)*W : (h%R+1)*W]
		ys := Y[sv]
		for q, x := range row {
			if x != 0 {
				ys[q] += x
				row[q] = 0
			}
		}
	}
	if m.SpikeFirst {
		add()
	}
	c.Pool.For(s.n, func(lo, hi int) { applyProp(s.prop, Y, lo, hi) })
	if !m.SpikeFirst {
		add()
	}
	// The presynaptic trace keeps the per-synapse view s exact.
	tr := s.trace
	if m.SpikeFirst {
		for p, sp := range spike {
			tr[sv][p] += float64(sp)
		}
	}
	applyProp(s.prop, tr, 0, len(spike))
	if !m.SpikeFirst {
		for p, sp := range spike {
			tr[sv][p] += float64(sp)
		}
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

// preOfSyn returns the pre neuron of every synapse (built once).
func (s *Chem) preOfSyn() []int32 {
	if v, ok := s.cachePre(); ok {
		return v
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

func (s *Chem) cachePre() ([]int32, bool) { return s.preIDs, s.preIDs != nil }

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
