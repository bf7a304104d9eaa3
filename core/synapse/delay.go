// Delays: per-projection and per-synapse delays in steps, and the delay
// lines Prepare makes for a run.

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
	s.ringW = W
	if s.common {
		s.ringW = 1
	}
	if wasCommon && !s.common && R == s.R && !ringChanged && len(s.ring) == R {
		// Per-synapse weights or delays arrived: spread the increments
		// in flight to every post neuron.
		full, err := newDelayLine(s.M.Name, R, s.ringW)
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
		ring, err := newDelayLine(s.M.Name, R, s.ringW)
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

// The delay lines of chemical synapses (PerSyn outputs, PerPre gate
// history, PerPost increments) and of gap junction spikelets are rings of
// R rows of W values: the value computed at step h for element k with a
// delay of d steps goes to row (h+d)%R, and row h%R holds what is due at
// step h.

// newDelayLine makes a ring of R rows of W values, or says why it cannot.
func newDelayLine(owner string, R, W int) ([]float64, error) {
	if err := sim.CheckElems(owner+" delay line", R, W); err != nil {
		return nil, err
	}
	return sim.MakeF64(owner+" delay line", R*W)
}

// delayed puts o, element k's value at step h, d steps ahead in ring
// (R rows of W) and returns element k's value due at step h.
func delayed(ring []float64, h, d, R, W, k int, o float64) float64 {
	ring[((h+d)%R)*W+k] = o
	return ring[(h%R)*W+k]
}
