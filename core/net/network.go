package net

import (
	"fmt"
	"math"
	"sort"
	"sync/atomic"
	"time"

	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
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
	work     []int // of the run that starts at k
	joined   int   // runs updated together in this run
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

// Begin prepares a run of nsteps steps of dt from start, with the inputs
// and monitors given. Monitor buffers come from a.
func (nw *Network) Begin(a sim.Alloc, nsteps int, dt, start float64, threads int, inputs []*Input, mons []*Monitor) error {
	if nsteps < 0 {
		return sim.Errorf("the number of steps must be >= 0, got %d", nsteps)
	}
	if err := sim.CheckPositive("dt", dt); err != nil {
		return err
	}
	if err := sim.CheckFinite("start time", start); err != nil {
		return err
	}
	for i := range nw.inputs {
		nw.inputs[i], nw.mons[i] = nil, nil
	}
	for _, in := range inputs {
		if err := nw.CheckInput(in, nsteps); err != nil {
			return err
		}
		nw.inputs[in.Node] = append(nw.inputs[in.Node], in)
	}
	c := &nw.clock
	switch {
	case !nw.ran:
		c.AbsOrigin, c.AbsSteps = start, 0
	case c.Dt != 0 && dt != c.Dt:
		// A new dt: the continued axis restarts its step count where the
		// previous runs ended.
		c.AbsOrigin += float64(c.AbsSteps) * c.Dt
		c.AbsSteps = 0
	}
	c.Dt, c.Start = dt, start
	for i, n := range nw.nodes {
		if err := n.Prepare(&nw.clock); err != nil {
			return fmt.Errorf("%s: %w", nw.names[i], err)
		}
	}
	nw.fuse(inputs)
	for _, m := range mons {
		if m.Node < 0 || m.Node >= len(nw.nodes) {
			return sim.ErrorClassf("IndexError", "monitor target %d is not in the network", m.Node)
		}
		if err := m.prepare(nw, a, nsteps); err != nil {
			return err
		}
		nw.mons[m.Node] = append(nw.mons[m.Node], m)
	}
	nw.group()
	if nw.pool == nil || nw.pool.Threads() != threads {
		nw.pool.Close()
		nw.pool = sim.NewPool(threads)
	}
	nw.clock.Pool = nw.pool
	nw.nsteps, nw.pos, nw.open = nsteps, 0, true
	nw.tuned, nw.way, nw.stepped, nw.joined = false, oneThread, false, 0
	for w := range nw.timing.ratios {
		nw.timing.ratios[w] = nw.timing.ratios[w][:0]
	}
	nw.timing.spent, nw.timing.window = 0, 0
	nw.stop.Store(false)
	nw.nanErr = nil
	return nil
}

// Pos is the next step of the current run.
func (nw *Network) Pos() int { return nw.pos }

// Run advances the current run up to step upTo (exclusive). It returns
// early, without error, if Stop was called.
func (nw *Network) Run(upTo int) error { return nw.RunFor(upTo, 0) }

// RunFor is Run that also returns, without error, after the first step
// that ends more than budget after the call (budget <= 0: no limit). A
// caller that must react in time (Ctrl-C, a progress bar) asks for a
// budget instead of guessing how many steps fit in it.
func (nw *Network) RunFor(upTo int, budget time.Duration) error {
	nw.deadline = time.Time{}
	if budget > 0 {
		nw.deadline = time.Now().Add(budget)
	}
	if !nw.open {
		return sim.ErrorClassf("RuntimeError", "no run in progress")
	}
	if upTo > nw.nsteps {
		upTo = nw.nsteps
	}
	if nw.pool.Threads() > 1 && !nw.tuned && !sim.AlwaysSplit {
		if err := nw.tune(upTo); err != nil {
			return err
		}
	}
	switch {
	case nw.pool.Threads() == 1:
		nw.way = oneThread
	case sim.AlwaysSplit && sim.AlwaysTogether:
		nw.way = together
	case sim.AlwaysSplit || !nw.tuned:
		// Steps left over while the ways are still being timed split.
		nw.way = splitLoops
	}
	nw.setWay(nw.way)
	return nw.steps(upTo)
}

// way is how a run uses its threads.
type way int

const (
	oneThread  way = iota // every loop on the caller
	splitLoops            // loops split across the threads
	together              // and runs of separate nodes updated at once
	nWays
)

func (nw *Network) setWay(w way) {
	nw.pool.SetSerial(w == oneThread)
	nw.joint = w == together
}

// canJoin reports whether some run of separate nodes would be updated at
// the same time by the together way.
func (nw *Network) canJoin() bool {
	for k := range nw.together {
		if nw.joinable(k) {
			return true
		}
	}
	return false
}

// joinable reports whether a run of separate nodes starts at k that pays
// to update at the same time: it has MinParallel synapses or more, and no
// fewer nodes than threads (with more threads, splitting each node's
// delivery keeps every thread busy).
func (nw *Network) joinable(k int) bool {
	e := nw.together[k]
	return e > k+1 && nw.pool.Threads() <= e-k && nw.work[k] >= sim.MinParallel
}

// steps runs steps up to upTo. Workers spin meanwhile, so each parallel
// loop starts without waking a sleeping thread.
func (nw *Network) steps(upTo int) error {
	if !nw.pool.IsHot() {
		nw.pool.Hot(true)
		defer nw.pool.Hot(false)
	}
	for from := nw.pos; nw.pos < upTo; nw.pos++ {
		if nw.stop.Load() || (nw.pos > from && nw.late()) {
			return nil
		}
		if err := nw.step(nw.pos, 0, len(nw.nodes)); err != nil {
			return err
		}
	}
	return nil
}

// late reports whether the deadline of this call has passed.
func (nw *Network) late() bool {
	return !nw.deadline.IsZero() && time.Now().After(nw.deadline)
}

// tune decides how this run uses its threads: it times windows of steps
// on one thread and split, and, where there are runs of separate nodes,
// split with those nodes updated at the same time, one per thread. The
// ways take turns (the machine's speed drifts), in an order that rotates
// from round to round, over calls if they are short. A split way is kept
// only if it is clearly faster in the median round. Small networks lose
// more to handing loops out than they gain; updating whole projections on
// one thread each spares the threads a search of every spiking row for
// their share but gives up the share's place in one core's cache, and
// which matters more depends on the sizes and the machine. The steps are
// real steps of the run, and every way gives the same bits.
func (nw *Network) tune(upTo int) error {
	const rounds = 15
	t := &nw.timing
	if t.window == 0 {
		t.window = 32
	}
	ways := []way{oneThread, splitLoops}
	if nw.canJoin() {
		ways = append(ways, together)
	}
	// The workers spin through all the windows, as they do through a run
	// that splits: waking them for each window would time the wake-up.
	nw.setWay(splitLoops)
	nw.pool.Hot(true)
	defer nw.pool.Hot(false)
	nw.pool.Sync()
	// Enough rounds: fifteen, or five when they already decide or are long.
	enough := func() bool {
		n := len(t.ratios[splitLoops])
		if n >= rounds {
			return true
		}
		if n < 5 {
			return false
		}
		all := true
		for _, w := range ways[1:] {
			all = all && decided(t.ratios[w])
		}
		return all || t.spent > 200*time.Millisecond
	}
	// The deadline is kept between rounds (a cut round would time nothing).
	deadline := nw.deadline
	nw.deadline = time.Time{}
	defer func() { nw.deadline = deadline }()
	for !enough() && nw.pos+len(ways)*t.window <= upTo {
		if r := len(t.ratios[splitLoops]); r > 0 && !deadline.IsZero() && time.Now().After(deadline) {
			return nil
		}
		// Which way goes first rotates: activity that changes during the
		// timing (the first steps of a run often differ) would otherwise
		// favour the way timed last in every round.
		r := len(t.ratios[splitLoops])
		var took [nWays]time.Duration
		for i := range ways {
			w := ways[(r+i)%len(ways)]
			nw.setWay(w)
			large := nw.pool.Large()
			t0 := time.Now()
			if err := nw.steps(nw.pos + t.window); err != nil || nw.stop.Load() {
				return err
			}
			took[w] = time.Since(t0)
			if w == splitLoops && nw.pool.Large() == large {
				// No loop is long enough to split: nothing to time.
				nw.tuned, nw.way = true, oneThread
				return nil
			}
			t.spent += took[w]
		}
		for _, w := range ways[1:] {
			t.ratios[w] = append(t.ratios[w], float64(took[w])/float64(took[oneThread]))
		}
		// Windows of about 10 ms: long enough to time, short enough that
		// a large network does not spend long on the slower ways.
		if took[oneThread] > 20*time.Millisecond && t.window > 2 {
			t.window /= 2
		}
	}
	if enough() {
		nw.tuned, nw.way = true, oneThread
		best := 0.95
		for _, w := range ways[1:] {
			if m := median(t.ratios[w]); m < best {
				nw.way, best = w, m
			}
		}
	}
	return nil
}

// Splitting reports whether this run has decided yet how to use its
// threads, whether it splits its loops, and whether it also updates runs
// of separate nodes at the same time.
func (nw *Network) Splitting() (decided, split, joint bool) {
	return nw.tuned, nw.way != oneThread, nw.way == together
}

// decided reports whether the rounds timed so far already decide: in the
// median one, splitting took under 0.8 or over 1.25 × the time.
func decided(ratios []float64) bool {
	m := median(ratios)
	return m < 0.8 || m > 1.25
}

func median(x []float64) float64 {
	r := append([]float64(nil), x...)
	sort.Float64s(r)
	return r[len(r)/2]
}

// StepRange runs step i for nodes [from, to) only; a caller that steps some
// nodes itself (Python models) uses it and then calls Advance. Such a
// caller may write inputs between calls, so from the first call on every
// group reads its input each step.
func (nw *Network) StepRange(i, from, to int) error {
	if from < 0 || to > len(nw.nodes) || from > to {
		return sim.ErrorClassf("IndexError", "node range [%d, %d) is outside the network's %d objects", from, to, len(nw.nodes))
	}
	if i < 0 || i >= nw.nsteps {
		return sim.ErrorClassf("IndexError", "step %d is outside the run of %d steps", i, nw.nsteps)
	}
	if !nw.stepped {
		nw.stepped = true
		nw.setQuiet(func(sim.Node) bool { return false })
	}
	return nw.step(i, from, to)
}

// step runs step i for nodes [from, to), within bounds StepRange checks.
func (nw *Network) step(i, from, to int) error {
	c := &nw.clock
	c.At(i)
	for k := from; k < to; k++ {
		if e := nw.together[k]; e <= to && nw.concurrent(k) {
			nw.updateTogether(k)
			k = e - 1
			continue
		}
		for _, in := range nw.inputs[k] {
			if !in.absorbed {
				in.apply(i)
			}
		}
		nw.nodes[k].Update(c)
		if nw.CheckNaN {
			if err := nw.checkNaN(k, i); err != nil {
				return err
			}
		}
		for _, m := range nw.mons[k] {
			if err := m.record(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// group finds the runs of consecutive nodes that can be updated at the
// same time: Separate nodes with different targets, none of them with an
// input or a monitor of its own (those are applied and recorded between
// the updates of the nodes one by one).
func (nw *Network) group() {
	nw.together = make([]int, len(nw.nodes))
	nw.order = make([][]int, len(nw.nodes))
	nw.work = make([]int, len(nw.nodes))
	free := func(k int) ([]float64, bool) {
		sep, ok := nw.nodes[k].(sim.Separate)
		if !ok || len(nw.inputs[k]) > 0 || len(nw.mons[k]) > 0 {
			return nil, false
		}
		x, ok := sep.Target()
		return x, ok && len(x) > 0
	}
	for k := 0; k < len(nw.nodes); {
		e := k
		seen := map[*float64]bool{}
		for e < len(nw.nodes) {
			x, ok := free(e)
			if !ok || seen[&x[0]] {
				break
			}
			seen[&x[0]] = true
			e++
		}
		if e-k < 2 {
			k++
			continue
		}
		nw.together[k] = e
		order := make([]int, 0, e-k)
		for j := k; j < e; j++ {
			order = append(order, j)
		}
		sort.SliceStable(order, func(a, b int) bool {
			return nw.nodes[order[a]].(sim.Separate).Work() > nw.nodes[order[b]].(sim.Separate).Work()
		})
		nw.order[k] = order
		for _, j := range order {
			nw.work[k] += nw.nodes[j].(sim.Separate).Work()
		}
		k = e
	}
}

// concurrent reports whether the run of separate nodes that starts at k
// is updated at the same time in this step: in the together way, with
// loops split, no check for NaN after each node, and a run that pays.
func (nw *Network) concurrent(k int) bool {
	return nw.joint && nw.pool.Parallel() && !nw.CheckNaN && nw.joinable(k)
}

// updateTogether updates the run of separate nodes that starts at k, each
// node on one thread with loops that are not split further.
func (nw *Network) updateTogether(k int) {
	c := nw.clock
	pool := c.Pool
	c.Pool = nil
	order := nw.order[k]
	pool.Each(len(order), func(i int) { nw.nodes[order[i]].Update(&c) })
	nw.joined++
}

// Threads is the number of threads of the current or last run (1 before
// the first).
func (nw *Network) Threads() int { return nw.pool.Threads() }

// Joined is the number of times in this run that a run of separate nodes
// was updated at the same time.
func (nw *Network) Joined() int { return nw.joined }

// Advance sets the next step after a caller-driven step.
func (nw *Network) Advance(i int) { nw.pos = i }

func (nw *Network) checkNaN(k, i int) error {
	for name, v := range nw.nodes[k].Vars() {
		for j, x := range v.F64 {
			if math.IsNaN(x) {
				return sim.ErrorClassf("FloatingPointError", "NaN in %s.%s[%d] at step %d (t = %g ms)", nw.names[k], name, j, i, nw.clock.T)
			}
		}
	}
	return nil
}

// End closes the run: mirrors are refreshed and the step counter advanced
// by the steps computed.
func (nw *Network) End() {
	if !nw.open {
		return
	}
	for _, n := range nw.nodes {
		if g, ok := n.(sim.Gatherer); ok {
			g.SyncMirrors()
		}
	}
	nw.clock.Base += uint64(nw.pos)
	nw.ran = true
	nw.clock.AbsSteps += uint64(nw.pos)
	nw.open = false
}

// Close releases the worker pool.
func (nw *Network) Close() {
	nw.pool.Close()
	nw.pool = nil
}

// fuse lets post groups fold the output of projections that come after
// them in the step order, when no other node and no input writes their V
// (see sim.Channel for why this gives the same numbers).
func (nw *Network) fuse(inputs []*Input) {
	pos := map[sim.Node]int{}
	for i, n := range nw.nodes {
		pos[n] = i
		if h, ok := n.(sim.ChannelHost); ok {
			h.ClearChannels()
		}
	}
	writesV := map[sim.Node]bool{}
	for _, n := range nw.nodes {
		if w, ok := n.(sim.VWriter); ok {
			for _, g := range w.WritesV() {
				writesV[g] = true
			}
		}
	}
	for _, in := range inputs {
		if in.Var == "V" {
			writesV[nw.nodes[in.Node]] = true
		}
	}
	nw.shareMg(pos, writesV)
	nw.shareState()
	type chanKey struct {
		g           sim.Node
		decay, e    float64
		conductance bool
	}
	merged := map[chanKey]*sim.Channel{}
	for i, n := range nw.nodes {
		f, ok := n.(sim.Fusable)
		if !ok {
			continue
		}
		f.SetFused(false)
		if nw.NoFuse {
			continue
		}
		f.AddInto(nil)
		ch, post := f.Channel()
		if ch == nil {
			continue
		}
		host, ok := post.(sim.ChannelHost)
		j, in := pos[post]
		if !ok || !in || j > i || writesV[post] {
			continue
		}
		f.SetFused(true)
		k := chanKey{post, ch.Decay, ch.E, ch.Conductance}
		if first, seen := merged[k]; seen {
			f.AddInto(first.S)
			continue
		}
		merged[k] = ch
		host.AddChannel(ch)
	}
	nw.absorbInputs()
	nw.quietInputs()
}

// quietInputs tells each group that can use it whether anything but its
// own update writes its input during the run: no input that the group did
// not absorb, and no node that adds to it. A node that is neither a group
// nor says what it writes might write anything.
func (nw *Network) quietInputs() {
	written := map[sim.Node]bool{}
	unknown := nw.NoFuse
	for k, n := range nw.nodes {
		for _, in := range nw.inputs[k] {
			if in.Var == "input" && !in.absorbed {
				written[n] = true
			}
		}
		switch w := n.(type) {
		case sim.InputWriter:
			for _, g := range w.WritesInput() {
				written[g] = true
			}
		case sim.Group:
		default:
			unknown = true
		}
	}
	nw.setQuiet(func(n sim.Node) bool { return !unknown && !written[n] })
}

// setQuiet tells each group that can stop reading its input whether it may.
func (nw *Network) setQuiet(quiet func(sim.Node) bool) {
	for _, n := range nw.nodes {
		if q, ok := n.(interface{ SetQuietInput(bool) }); ok {
			q.SetQuietInput(quiet(n))
		}
	}
}

// mgSharer is an NMDA-like projection whose voltage block can be computed
// once per post group and step.
type mgSharer interface {
	MgKey() (sim.Group, [3]float64, bool)
	SetMgCache(*synapse.MgCache)
}

// shareMg gives projections onto the same post group one block cache when
// they see the same V: all of them come before the group's update, or all
// after it, and nothing else writes the group's V.
func (nw *Network) shareMg(pos map[sim.Node]int, writesV map[sim.Node]bool) {
	type key struct {
		g     sim.Group
		p     [3]float64
		after bool
	}
	caches := map[key]*synapse.MgCache{}
	for i, n := range nw.nodes {
		m, ok := n.(mgSharer)
		if !ok {
			continue
		}
		g, p, use := m.MgKey()
		j, in := pos[g]
		if !use || nw.NoFuse || !in || writesV[g] {
			m.SetMgCache(nil)
			continue
		}
		k := key{g, p, i > j}
		if caches[k] == nil {
			caches[k] = &synapse.MgCache{}
		}
		c := caches[k]
		c.Reset()
		m.SetMgCache(c)
	}
}

// shareState lets PerPre projections with the same presynaptic group,
// kinetics and delay read the state of the first of them (each would
// compute the same numbers).
func (nw *Network) shareState() {
	owners := map[any]*synapse.Chem{}
	for _, n := range nw.nodes {
		c, ok := n.(*synapse.Chem)
		if !ok {
			continue
		}
		k, ok := c.ShareKey()
		if !ok || nw.NoFuse {
			c.SetOwner(nil)
			continue
		}
		if o, seen := owners[k]; seen {
			c.SetOwner(o)
		} else {
			owners[k] = c
			c.SetOwner(nil)
		}
	}
}

// absorbInputs lets a group add a constant current inside its own update
// when that is the only input to its input variable (one pass less per
// step, same numbers).
func (nw *Network) absorbInputs() {
	for k, ins := range nw.inputs {
		for _, in := range ins {
			in.absorbed = false
		}
		taker, ok := nw.nodes[k].(interface{ TakeConstantInput(float64) bool })
		if !ok || nw.NoFuse {
			continue
		}
		var only *Input
		n := 0
		for _, in := range ins {
			if in.Var == "input" {
				only = in
				n++
			}
		}
		if n == 1 && only.Op == '+' && !only.Iter && only.Width == 1 && taker.TakeConstantInput(only.Data[0]) {
			only.absorbed = true
		}
	}
}
