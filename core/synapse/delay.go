// Delays: per-projection and per-synapse delays in steps, and ring, the
// one delay line type of chemical synapses and gap junctions.

package synapse

import (
	"math"

	"github.com/brainsyn/brainsyn/core/sim"
)

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
	if s.common {
		W = 1
	}
	if wasCommon && !s.common && R == s.ring.R && !ringChanged && len(s.ring.buf) == R {
		// Per-synapse weights or delays arrived: spread the increments
		// in flight to every post neuron.
		if err := s.ring.widen(s.M.Name, W); err != nil {
			return err
		}
	}
	return s.ring.ensure(s.M.Name, R, W, ringChanged)
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

// ring is a delay line: the outputs of PerSyn chemical synapses, the gate
// history of PerPre ones, the increments of PerPost ones, or the spikelets
// of gap junctions. It has R rows of W values: the value computed at step h
// for element k with a delay of d steps goes to row (h+d)%R, and row h%R
// holds what is due at step h. head counts steps and is kept across runs,
// so spikes in flight arrive after a pause as without one.
type ring struct {
	buf  []float64
	R, W int
	head int
}

// at is the index of element k in the row due d steps after step h.
func (r *ring) at(h, d, k int) int { return ((h+d)%r.R)*r.W + k }

// ago is the index of element k in the row written d steps before step h:
// what a line of gate history holds for a delay of d.
func (r *ring) ago(h, d, k int) int { return ((h-d%r.R+r.R)%r.R)*r.W + k }

// row is the row due at step h.
func (r *ring) row(h int) []float64 {
	i := (h % r.R) * r.W
	return r.buf[i : i+r.W]
}

// delayed puts o, element k's value at step h, d steps ahead and returns
// element k's value due at step h.
func (r *ring) delayed(h, d, k int, o float64) float64 {
	r.buf[r.at(h, d, k)] = o
	return r.buf[r.at(h, 0, k)]
}

// pos is the row head points at: all a later step reads of the step
// counter, and what a checkpoint keeps of it (0 without a line).
func (r *ring) pos() int {
	if r.R <= 0 {
		return 0
	}
	return r.head % r.R
}

// ensure makes the line R rows of W, empty and with head 0 when it had
// another shape, had none, or reset is set (a new dt or delay starts with
// empty lines); otherwise it keeps what is in flight.
func (r *ring) ensure(owner string, R, W int, reset bool) error {
	r.W = W
	if err := sim.CheckElems(owner+" delay line", R, W); err != nil {
		return err
	}
	if !reset && r.buf != nil && R == r.R && len(r.buf) == R*W {
		return nil
	}
	buf, err := sim.MakeF64(owner+" delay line", R*W)
	if err != nil {
		return err
	}
	r.buf, r.R, r.head = buf, R, 0
	return nil
}

// widen spreads a line of one value per row to rows of W: each element
// gets the row's value.
func (r *ring) widen(owner string, W int) error {
	if err := sim.CheckElems(owner+" delay line", r.R, W); err != nil {
		return err
	}
	full, err := sim.MakeF64(owner+" delay line", r.R*W)
	if err != nil {
		return err
	}
	for j := range full {
		full[j] = r.buf[j/W]
	}
	r.buf, r.W = full, W
	return nil
}

// restore sets a line read from a checkpoint, head on row pos.
func (r *ring) restore(R, W, pos int, buf []float64) {
	r.R, r.W, r.head, r.buf = R, W, pos, buf
}
