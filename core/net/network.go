package net

import (
	"sync/atomic"
	"time"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Network is an ordered list of nodes with the state of the current run.
type Network struct {
	nodes  []sim.Node
	names  []string
	inputs [][]*Input
	mons   [][]*Monitor
	clock  sim.Clock
	pool   *sim.Pool
	tuned  bool // this run has chosen its way (see tune)
	way    way
	joint  bool // runs of separate nodes are updated at the same time
	timing struct {
		// time of each way over the time on one thread, per round so far
		ratios [nWays][]float64
		spent  time.Duration
		window int // steps per timed window
		// no loop is long enough to split: only the owner way is timed
		noSplit bool
		step    time.Duration // of one thread, in the last window
	}

	nsteps int  // steps of the current run
	pos    int  // next step to compute
	open   bool // between Begin and End
	// stepped: the caller steps nodes itself (StepRange) in this run and
	// may write any group's input between steps.
	stepped bool
	busy    atomic.Bool
	stop    atomic.Bool
	// deadline: Run returns after the first step that ends past it (zero:
	// none), so a caller gets control back in bounded time however slow
	// a step is.
	deadline time.Time

	ran bool // a run has ended before (or the step counter was restored)

	// CheckNaN stops a run at the first NaN in a float variable.
	CheckNaN bool
	// NoFuse keeps every projection's output separate (set when nodes
	// outside the network, such as Python models, may touch V).
	NoFuse bool
	nanErr error
	// together[k] > k+1: nodes [k, together[k]) can be updated at the same
	// time (sim.Separate); order lists them largest first.
	together []int
	order    [][]int
	work     []int      // of the run that starts at k
	joined   int        // runs updated together in this run
	owner    *ownerPlan // nil where the owner way does not apply
}

// New makes a network; names are used in error messages.
func New(nodes []sim.Node, names []string) (*Network, error) {
	if len(names) != len(nodes) {
		return nil, sim.Errorf("network: %d names for %d objects", len(names), len(nodes))
	}
	return &Network{nodes: nodes, names: names,
		inputs: make([][]*Input, len(nodes)), mons: make([][]*Monitor, len(nodes))}, nil
}

// Nodes lists the nodes in step order.
func (nw *Network) Nodes() []sim.Node { return nw.nodes }

// Steps is the number of steps run before the current run.
func (nw *Network) Steps() uint64 { return nw.clock.Base }

// SetSteps sets the step counter (restoring a checkpoint). The continued
// time axis (Clock.Abs) resumes at step n from 0, as after runs of one dt
// that started at 0.
func (nw *Network) SetSteps(n uint64) {
	nw.clock.Base = n
	nw.clock.AbsOrigin, nw.clock.AbsSteps = 0, n
	nw.ran = true
}

// Time is the part of the clock that runs carry on: the step counter
// (PoissonInput draws are keyed by it) and the continued time axis that
// spike times in state refer to. A network built anew from objects that
// ran elsewhere takes it over, so their time goes on instead of restarting.
type Time struct {
	Steps     uint64  `json:"steps"`
	AbsOrigin float64 `json:"abs_origin"`
	AbsSteps  uint64  `json:"abs_steps"`
	Dt        float64 `json:"dt"`
}

// Time returns the clock runs carry on, and false before any run.
func (nw *Network) Time() (Time, bool) {
	c := &nw.clock
	return Time{Steps: c.Base, AbsOrigin: c.AbsOrigin, AbsSteps: c.AbsSteps, Dt: c.Dt}, nw.ran
}

// SetTime continues from t (see Time); the next run goes on from it.
func (nw *Network) SetTime(t Time) error {
	if err := sim.CheckFinite("time origin", t.AbsOrigin); err != nil {
		return err
	}
	if t.Dt != 0 {
		if err := sim.CheckPositive("dt", t.Dt); err != nil {
			return err
		}
	}
	c := &nw.clock
	c.Base, c.AbsOrigin, c.AbsSteps, c.Dt = t.Steps, t.AbsOrigin, t.AbsSteps, t.Dt
	nw.ran = true
	return nil
}

// Acquire marks the network busy; it fails if a call is already running.
func (nw *Network) Acquire() error {
	if !nw.busy.CompareAndSwap(false, true) {
		return sim.ErrorClassf("RuntimeError", "the network is already running (a second call was made while it runs)")
	}
	return nil
}

// Release ends what Acquire began.
func (nw *Network) Release() { nw.busy.Store(false) }

// Stop asks a running chunk to return after the step in progress.
func (nw *Network) Stop() { nw.stop.Store(true) }

// Close releases the worker pool.
func (nw *Network) Close() {
	nw.pool.Close()
	nw.pool = nil
}
