package synapse

import (
	"io"
	"math"

	"github.com/brainsyn/brainsyn/core/sim"
)

// SaveState writes everything a later step reads: the kinetic state of the
// layout's elements, transmitter-pulse spike times, gates, presynaptic
// traces (layout 'post'), weights, and the delay line with its head and
// the dt it was sized for, so spikes in flight are delivered after a
// restore exactly as without one.
func (s *Chem) SaveState(w io.Writer) error {
	sw := &sim.StateWriter{W: w}
	// A projection that reads the state of another with the same
	// presynaptic group and kinetics (shared in net.Network) has no
	// up-to-date state of its own: write its owner's, as SetOwner(nil) would
	// take it over.
	src := s
	if s.owner != nil {
		src = s.owner
	}
	sw.Tag(s.M.Name)
	sw.Tag(s.layout.String())
	sw.Int(len(src.y))
	for _, y := range src.y {
		sw.F64s(y)
	}
	optional := func(x []float64) {
		if x == nil {
			sw.Int(0)
			return
		}
		sw.Int(1)
		sw.F64s(x)
	}
	optional(src.tLast)
	optional(src.gate)
	optional(s.w)
	sw.F64(s.M.Weight)
	sw.Int(len(s.trace))
	for _, t := range s.trace {
		sw.F64s(t)
	}
	sw.F64(src.dt)
	sw.Int(src.ring.R)
	sw.Int(src.ring.W)
	sw.Int(src.ring.pos())
	sw.F64s(src.ring.buf)
	sw.Int(b2i(s.Track))
	sw.Int(b2i(s.traceOK))
	return sw.Err
}

// chemState is a saved state of a Chem, checked; arrays are views of the
// saved bytes until apply copies them in.
type chemState struct {
	y, trace       []sim.F64View
	tLast, gate, w sim.F64View
	hasW           bool
	weight, dt     float64
	R, ringW, head int
	ring           sim.F64View
	track, traceOK bool
}

// ReadState reads what SaveState wrote from a synapse of the same model,
// layout and size, and checks the delay line against the one this
// synapse's delays make at the saved dt. The next Prepare keeps the
// restored delay line when the run's dt and delays are those it was saved
// with.
func (s *Chem) ReadState(b []byte) (func(), error) {
	sr := sim.NewStateReader(b, s.M.Name)
	st := s.readState(sr)
	if err := sr.End(); err != nil {
		return nil, err
	}
	return func() { s.applyState(st) }, nil
}

func (s *Chem) readState(sr *sim.StateReader) *chemState {
	st := &chemState{}
	sr.Tag(s.M.Name)
	sr.Tag(s.layout.String())
	sr.Len("state variables", len(s.y))
	for j, y := range s.y {
		st.y = append(st.y, sr.F64s(s.varNames()[j], len(y)))
	}
	st.tLast = readOptional(sr, "spike times (t_last)", s.tLast)
	st.gate = readOptional(sr, "gates", s.gate)
	// Weights: a per-synapse array is made on apply if the saved synapse
	// had one.
	if st.hasW = sr.Flag("weights flag"); st.hasW {
		st.w = sr.F64s("w", s.NSyn())
	}
	st.weight = sr.F64()
	sr.Len("traces", len(s.trace))
	for _, t := range s.trace {
		st.trace = append(st.trace, sr.F64s("trace", len(t)))
	}
	s.readRing(sr, st)
	st.track, st.traceOK = sr.Flag("track flag"), sr.Flag("trace flag")
	return st
}

// readOptional reads an array the synapse has when dst is not nil.
func readOptional(sr *sim.StateReader, what string, dst []float64) sim.F64View {
	has := sr.Flag(what + " flag")
	switch {
	case sr.Err != nil:
	case has && dst == nil:
		sr.Fail("saved state has %s but this synapse has none", what)
	case !has && dst != nil:
		sr.Fail("saved state has no %s but this synapse has one", what)
	case has:
		return sr.F64s(what, len(dst))
	}
	return nil
}

// readRing reads the delay line: none (R = 0: before the first run, or
// layout 'post' without delay), or the one Prepare makes for this
// synapse's delays at the saved dt, with its head on a row.
func (s *Chem) readRing(sr *sim.StateReader, st *chemState) {
	st.dt = sr.F64()
	st.R, st.ringW, st.head = sr.Int(), sr.Int(), sr.Int()
	if sr.Err != nil {
		return
	}
	if st.dt != 0 && !(st.dt > 0 && st.dt < math.Inf(1)) {
		sr.Fail("saved dt = %v is not a time step [ms] > 0", st.dt)
		return
	}
	W, common := s.ringWidth()
	if st.ringW != W && !(common && st.ringW == 1) && !(st.R == 0 && st.ringW == 0) {
		sr.Fail("saved delay line is %d wide, this synapse's is %d (different network structure?)", st.ringW, W)
		return
	}
	if st.R == 0 {
		if st.head != 0 {
			sr.Fail("saved delay-line head %d is outside 0..0 (no delay line)", st.head)
		}
		st.ring = sr.F64s("delay line", 0)
		return
	}
	if st.dt == 0 {
		sr.Fail("saved delay line of %d rows has no dt", st.R)
		return
	}
	_, R, maxD := s.ringRows(st.dt)
	switch {
	case maxD > MaxDelaySteps:
		sr.Fail("saved dt = %v ms makes a delay of %d steps, more than the engine allows (%d)", st.dt, maxD, MaxDelaySteps)
	case st.R != R:
		sr.Fail("saved delay line has %d rows, this synapse's delays at dt = %v ms make %d (different delays?)", st.R, st.dt, R)
	case st.head < 0 || st.head >= R:
		sr.Fail("saved delay-line head %d is outside 0..%d", st.head, R-1)
	}
	if sr.Err != nil {
		return
	}
	if err := sim.CheckElems(s.M.Name+" delay line", R, st.ringW); err != nil {
		sr.Err = err
		return
	}
	st.ring = sr.F64s("delay line", R*st.ringW)
}

// applyState copies a checked state in; variables are written in place
// (numpy views stay valid).
func (s *Chem) applyState(st *chemState) {
	for j, y := range s.y {
		st.y[j].CopyTo(y)
	}
	st.tLast.CopyTo(s.tLast)
	st.gate.CopyTo(s.gate)
	if st.hasW {
		if s.w == nil {
			s.Ensure(s.alloc, "w") // cannot fail for "w"
		}
		st.w.CopyTo(s.w)
	} else {
		for k := range s.w {
			s.w[k] = st.weight // the saved synapse used one weight for all
		}
	}
	s.M.Weight = st.weight
	for j, t := range s.trace {
		st.trace[j].CopyTo(t)
	}
	s.Track, s.traceOK = st.track, st.traceOK
	s.dt = st.dt
	if st.dt > 0 {
		s.invDt = 1 / st.dt
	}
	s.ring.restore(st.R, st.ringW, st.head, st.ring.New())
	// A one-number-per-step line is spread by the next Prepare if
	// per-synapse weights arrived since.
	_, canCommon := s.ringWidth()
	s.common = canCommon && st.R > 0 && st.ringW == 1
	s.SyncMirrors()
}

// SaveState writes the weights and the spikelet delay line.
func (g *Gap) SaveState(w io.Writer) error {
	sw := &sim.StateWriter{W: w}
	sw.Tag(g.Kind())
	sw.F64s(g.w)
	sw.Int(g.D)
	sw.Int(g.ring.pos())
	sw.F64s(g.ring.buf)
	return sw.Err
}

// ReadState reads what SaveState wrote from junctions of the same size:
// a delay of at most MaxDelaySteps, the head on a row of its line, and the
// line itself or none (before the first run).
func (g *Gap) ReadState(b []byte) (func(), error) {
	sr := sim.NewStateReader(b, g.Kind())
	sr.Tag(g.Kind())
	w := sr.F64s("w", len(g.w))
	D, head := sr.Int(), sr.Int()
	switch {
	case sr.Err != nil:
	case D < 0 || D > MaxDelaySteps:
		sr.Fail("saved delay of %d steps is outside 0..%d", D, MaxDelaySteps)
	case head < 0 || head > D:
		sr.Fail("saved delay-line head %d is outside 0..%d", head, D)
	default:
		if err := sim.CheckElems("Gap_junction delay line", D+1, len(g.w)); err != nil {
			sr.Err = err
		}
	}
	var ring sim.F64View
	if sr.Err == nil {
		ring = sr.F64s("delay line", 0, (D+1)*len(g.w))
	}
	if err := sr.End(); err != nil {
		return nil, err
	}
	return func() {
		w.CopyTo(g.w)
		g.D = D
		g.ring.restore(D+1, len(g.w), head, ring.New())
	}, nil
}

var (
	_ sim.Stateful = (*Chem)(nil)
	_ sim.Stateful = (*Gap)(nil)
)

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
