package capi

import (
	"encoding/json"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// The functions here are the Go-level API: pyapi wraps them for gopy and
// the bs_* exports call them from C. Each recovers its own panics.

var threads atomic.Int64

func init() { threads.Store(1) }

// SetThreads sets the worker count for runs that start from now on, at
// most the processors this process may use: workers beyond them spin for
// a processor another holds, and a run slows many times over.
func SetThreads(n int) (err error) {
	defer guard(&err)
	if n < 1 || n > 1024 {
		return sim.Errorf("the number of threads must be between 1 and 1024, got %d", n)
	}
	n = min(n, runtime.NumCPU())
	if n > runtime.GOMAXPROCS(0) {
		runtime.GOMAXPROCS(n)
	}
	threads.Store(int64(n))
	return nil
}

// Threads is the worker count for new runs.
func Threads() int { return int(threads.Load()) }

func decode(js string, v any, what string) error {
	d := json.NewDecoder(strings.NewReader(js))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return sim.Errorf("%s: bad specification: %v", what, err)
	}
	return nil
}

type neuronSpec struct {
	Shape  []int              `json:"shape"`
	Params map[string]float64 `json:"params"`
	Method string             `json:"method"`
	// RefractoryRule is LIF's rule that ends the refractory period
	// (neuron.RefractoryRules).
	RefractoryRule string    `json:"refractory_rule"`
	Times          []float64 `json:"times"`
	Indices        []int32   `json:"indices"`
	Freqs          []float64 `json:"freqs"`
	Seed           uint64    `json:"seed"`
	Sources        int       `json:"sources"`
}

// SetParams changes parameters of a registered neuron model's group (JSON
// {name: value}), used from the next run on. Nothing changes unless all are valid.
func SetParams(h int64, params string) (err error) {
	defer guard(&err)
	o, err := lockIdle(h)
	if err != nil {
		return err
	}
	defer o.mu.Unlock()
	var p map[string]float64
	if err := decode(params, &p, o.name); err != nil {
		return err
	}
	// LIF, HH and Group: the registered models (core/neuron/builtin.go).
	if n, ok := o.node.(interface {
		SetParams(map[string]float64) error
	}); ok {
		return n.SetParams(p)
	}
	return sim.ErrorClassf("TypeError", "%s has no parameters to set", o.name)
}

// NewNeuron makes a neuron group: model is a registered neuron model
// (LIF, HH, ExpIF, ...), SpikeTimeInput, PoissonInput or External; spec is
// JSON (neuronSpec).
func NewNeuron(model, spec string) (h int64, err error) {
	defer guard(&err)
	var s neuronSpec
	if err := decode(spec, &s, model); err != nil {
		return 0, err
	}
	// The registered models' options (LIF's refractory_rule) are checked
	// by neuron.New; the input generators have none.
	var opts map[string]string
	if s.RefractoryRule != "" {
		if _, ok := neuron.Lookup(model); !ok {
			return 0, sim.ErrorClassf("TypeError", "%s has no refractory_rule (LIF has)", model)
		}
		opts = map[string]string{"refractory_rule": s.RefractoryRule}
	}
	a := &cAlloc{}
	done := false
	defer func() { // also on a panic (an allocation refused by the size limit)
		if !done {
			a.releaseAll()
		}
	}()
	var node sim.Node
	switch model {
	case "SpikeTimeInput":
		node, err = neuron.NewSpikeTimeInput(a, s.Shape, s.Times, s.Indices)
	case "PoissonInput":
		if s.Sources == 0 {
			s.Sources = 1
		}
		node, err = neuron.NewPoissonInput(a, s.Shape, s.Freqs, s.Seed, s.Sources)
	case "External":
		node, err = neuron.NewExternal(a, s.Shape)
	case "RateGroup":
		node, err = neuron.NewRateGroup(a, s.Shape)
	default:
		// The registered models (core/neuron/registry.go); an unknown name
		// is a KeyError listing them all.
		node, err = neuron.New(a, model, s.Shape, s.Params, s.Method, opts)
	}
	if err != nil {
		return 0, err
	}
	done = true
	return register(&object{node: node, alloc: a, name: model}), nil
}

// NewConn builds a connector from a JSON conn.Spec.
func NewConn(spec string) (h int64, err error) {
	defer guard(&err)
	s, err := conn.Parse([]byte(spec))
	if err != nil {
		return 0, err
	}
	c, err := conn.Build(s)
	if err != nil {
		return 0, err
	}
	return register(&object{conn: c, name: "conn"}), nil
}

func connFromIJ(npre, npost int, pre, post []int32) (h int64, err error) {
	defer guard(&err)
	c, err := conn.FromIJ(npre, npost, pre, post)
	if err != nil {
		return 0, err
	}
	return register(&object{conn: c, name: "conn"}), nil
}

// ConnSize returns (number of synapses) of a connector.
func ConnSize(h int64) (n int, err error) {
	defer guard(&err)
	o, err := lookup(h)
	if err != nil {
		return 0, err
	}
	if o.conn == nil {
		return 0, sim.ErrorClassf("TypeError", "handle %d is not a connector", h)
	}
	return o.conn.NSyn(), nil
}

type synSpec struct {
	Params         map[string]float64 `json:"params"`
	Output         string             `json:"output"`
	Method         string             `json:"method"`
	Layout         string             `json:"layout"`
	Delay          float64            `json:"delay"`
	KSpikelet      float64            `json:"k_spikelet"`
	Weight         float64            `json:"weight"`
	PostRefractory bool               `json:"post_refractory"`
	Track          *bool              `json:"track"`
	Declared       json.RawMessage    `json:"declared"`
}

func groupOf(h int64) (sim.Group, error) {
	o, err := lookupNode(h)
	if err != nil {
		return nil, err
	}
	g, ok := o.node.(sim.Group)
	if !ok {
		return nil, sim.ErrorClassf("TypeError", "handle %d (%s) is not a neuron group", h, o.name)
	}
	return g, nil
}

// Models describes the registered synapse models as JSON: parameters
// with defaults, units and bounds, state variables, documentation,
// default method and output (synapse.RegistryJSON).
func Models() string { return synapse.RegistryJSON() }

// NeuronModels describes the registered neuron models as JSON: parameters
// (default, unit, bound), state variables with initial values, spike
// rule, refractoriness and default method.
func NeuronModels() string { return neuron.RegistryJSON() }

// NewSynapse makes a chemical synapse or gap junction (model
// "Gap_junction") from pre to post over connector c.
func NewSynapse(model string, pre, post, c int64, spec string) (h int64, err error) {
	defer guard(&err)
	var s synSpec
	if err := decode(spec, &s, model); err != nil {
		return 0, err
	}
	gpre, err := groupOf(pre)
	if err != nil {
		return 0, err
	}
	gpost, err := groupOf(post)
	if err != nil {
		return 0, err
	}
	co, err := lookup(c)
	if err != nil {
		return 0, err
	}
	if co.conn == nil {
		return 0, sim.ErrorClassf("TypeError", "handle %d is not a connector", c)
	}
	// The groups are held from here on: freed on another thread meanwhile,
	// their memory would be released under the new synapse.
	deps, err := hold(pre, post)
	if err != nil {
		return 0, err
	}
	a := &cAlloc{}
	done := false
	defer func() {
		if !done {
			a.releaseAll()
			unrefAll(deps)
		}
	}()
	var node sim.Node
	if model == "Gap_junction" {
		g, e := synapse.NewGap(a, gpre, gpost, co.conn, s.Weight, s.KSpikelet, s.PostRefractory)
		if e == nil {
			e = g.SetDelay(s.Delay)
		}
		node, err = g, e
	} else if synapse.IsRate(model) {
		r, e := synapse.NewRateSyn(a, model, s.Params, gpre, gpost, co.conn)
		if e == nil {
			e = r.SetDelay(s.Delay)
		}
		node, err = r, e
	} else {
		var m *synapse.Model
		var e error
		if model == "Declared" {
			m, e = synapse.NewDeclaredModel(s.Declared)
		} else {
			m, e = synapse.NewModel(model, s.Params, s.Output, s.Method)
		}
		if e != nil {
			return 0, e
		}
		layout, e := synapse.ParseLayout(orDefault(s.Layout, "auto"))
		if e != nil {
			return 0, e
		}
		ch, e := synapse.NewChem(a, m, gpre, gpost, co.conn, layout)
		if e == nil {
			e = ch.SetDelay(s.Delay)
		}
		if e == nil && s.Track != nil {
			ch.Track = *s.Track
		}
		node, err = ch, e
	}
	if err != nil {
		return 0, err
	}
	done = true
	return register(&object{node: node, alloc: a, name: model, deps: deps}), nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// setArray sets per-synapse weights ("w") or delays ("delay") of a synapse.
func setArray(h int64, name string, x []float64) (err error) {
	defer guard(&err)
	o, err := lockIdle(h)
	if err != nil {
		return err
	}
	defer o.mu.Unlock()
	switch n := o.node.(type) {
	case *synapse.Chem:
		switch name {
		case "w":
			return n.SetWeights(o.alloc, x)
		case "delay":
			return n.SetDelays(x)
		}
	case *synapse.Gap:
		if name == "w" && len(x) == n.NSyn() {
			copy(n.Vars()["w"].F64, x)
			return nil
		}
	case *synapse.RateSyn:
		if name == "w" && (len(x) == n.NSyn() || len(x) == 1) {
			for k := range n.Vars()["w"].F64 {
				n.Vars()["w"].F64[k] = x[k%len(x)]
			}
			return nil
		}
	}
	return sim.ErrorClassf("KeyError", "%s has no per-synapse array %q (or its length %d is wrong)", o.name, name, len(x))
}

// Free drops the caller's reference to a handle.
func Free(h int64) (err error) {
	defer guard(&err)
	return unref(h)
}

// Live returns the number of live handles and of live C stores.
func Live() (objects, nstores int) {
	n, _ := liveStores()
	return liveObjects(), n
}

// LiveBytes is the C memory held by live stores.
func LiveBytes() int64 {
	_, b := liveStores()
	return b
}

type varInfo struct {
	Name     string `json:"name"`
	Len      int    `json:"len"`
	Shape    []int  `json:"shape"`
	Bool     bool   `json:"bool"`
	ReadOnly bool   `json:"readonly"`
	Lazy     bool   `json:"lazy"`
}

// Vars lists a node's variables as JSON, lazily made ones included.
func Vars(h int64) (js string, err error) {
	defer guard(&err)
	o, err := lockNode(h)
	if err != nil {
		return "", err
	}
	defer o.mu.Unlock()
	var out []varInfo
	seen := map[string]bool{}
	for name, v := range o.node.Vars() {
		seen[name] = true
		out = append(out, varInfo{Name: name, Len: v.Len(), Shape: v.Shape, Bool: v.IsBool(), ReadOnly: v.ReadOnly})
	}
	if l, ok := o.node.(sim.Lazy); ok {
		for _, name := range l.Optional() {
			if !seen[name] {
				out = append(out, varInfo{Name: name, Lazy: true})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	b, _ := json.Marshal(out)
	return string(b), nil
}

// Info returns JSON facts about a node: kind, size, synapse count, layout.
func Info(h int64) (js string, err error) {
	defer guard(&err)
	o, err := lookup(h)
	if err != nil {
		return "", err
	}
	if !o.lock() {
		return "", closedErr(h)
	}
	defer o.mu.Unlock()
	m := map[string]any{"kind": o.name}
	switch n := o.node.(type) {
	case sim.Group:
		m["size"] = n.Size()
		m["shape"] = n.Shape()
	case *synapse.Chem:
		m["nsyn"] = n.NSyn()
		m["layout"] = n.Layout().String()
		m["method"] = n.M.Method
		m["output"] = n.M.Out.Kind
		m["fused"] = n.Fused()
		m["shared"] = n.Shared()
		m["tracked"] = n.Track
	case *synapse.Gap:
		m["nsyn"] = n.NSyn()
	case *synapse.RateSyn:
		m["nsyn"] = n.NSyn()
		m["layout"] = "synapse"
		m["method"] = "euler"
		m["output"] = "rate"
	}
	if o.conn != nil {
		m["nsyn"] = o.conn.NSyn()
		m["npre"] = o.conn.NPre
		m["npost"] = o.conn.NPost
	}
	b, _ := json.Marshal(m)
	return string(b), nil
}

// nodeVar finds a variable of locked o, making a lazy one if needed.
func nodeVar(o *object, name string) (sim.Var, error) {
	if v, ok := o.node.Vars()[name]; ok {
		return v, nil
	}
	if l, ok := o.node.(sim.Lazy); ok {
		if o.busy.Load() {
			return sim.Var{}, inUseErr(o)
		}
		ok, err := l.Ensure(o.alloc, name)
		if err != nil {
			return sim.Var{}, err
		}
		if ok {
			return o.node.Vars()[name], nil
		}
	}
	var names []string
	for n := range o.node.Vars() {
		names = append(names, n)
	}
	sort.Strings(names)
	return sim.Var{}, sim.ErrorClassf("KeyError", "%s has no variable %q; valid: %s", o.name, name, strings.Join(names, ", "))
}

// NewNetwork makes a network of the given nodes (JSON list of handles) with
// names for messages (JSON list of strings).
func NewNetwork(handlesJSON, namesJSON string) (h int64, err error) {
	defer guard(&err)
	var hs []int64
	var names []string
	if err := decode(handlesJSON, &hs, "network"); err != nil {
		return 0, err
	}
	if err := decode(namesJSON, &names, "network"); err != nil {
		return 0, err
	}
	nodes := make([]sim.Node, len(hs))
	seen := map[int64]bool{}
	for i, x := range hs {
		o, err := lookupNode(x)
		if err != nil {
			return 0, err
		}
		if seen[x] {
			return 0, sim.Errorf("object %d appears twice in the network", x)
		}
		seen[x] = true
		nodes[i] = o.node
	}
	nw, err := net.New(nodes, names)
	if err != nil {
		return 0, err
	}
	if _, err := hold(hs...); err != nil { // one was freed by another thread since the lookup
		nw.Close()
		return 0, err
	}
	n := &network{nw: nw, handles: hs}
	n.fuse.Store(true)
	return register(&object{net: n, name: "Network"}), nil
}

type monSpec struct {
	Node   int     `json:"node"`
	Var    string  `json:"var"`
	Idx    []int32 `json:"idx"`
	Every  int     `json:"every"`
	Events bool    `json:"events"`
}

// Begin prepares a run of nsteps steps. Inputs were queued with
// bs_net_input; monitors is a JSON list of monSpec.
func Begin(h int64, nsteps int, dt, start float64, checkNaN bool, monitors string) (err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return err
	}
	// Inputs queued for this run are taken first, so a Begin that fails
	// (the network runs in another thread) cannot leave them to the next run.
	n.inMu.Lock()
	inputs := n.inputs
	n.inputs = nil
	n.inMu.Unlock()
	if !n.call.TryLock() {
		return busyErr()
	}
	defer n.call.Unlock()
	var ms []monSpec
	if err := decode(monitors, &ms, "monitors"); err != nil {
		return err
	}
	if err := n.nw.Acquire(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			n.releaseNodes()
			n.nw.Release()
		}
	}()
	unlock, err := n.holdNodes()
	if err != nil {
		return err
	}
	// The nodes stay locked while the run is prepared (it sets up their
	// delay lines, fusion and shared state, which Info and SaveState read).
	defer unlock()
	if n.monMem != nil {
		n.monMem.releaseAll()
	}
	n.monMem = &cAlloc{}
	n.mons = n.mons[:0]
	for _, s := range ms {
		n.mons = append(n.mons, &net.Monitor{Node: s.Node, Var: s.Var, Idx: s.Idx, Every: s.Every, Events: s.Events})
	}
	n.nw.CheckNaN = checkNaN
	n.nw.NoFuse = !n.fuse.Load()
	if err := n.nw.Begin(n.monMem, nsteps, dt, start, Threads(), inputs, n.mons); err != nil {
		return classify(err)
	}
	n.open, n.nsteps = true, nsteps
	return nil
}

// runCall locks network h for one call on the run in progress.
func runCall(h int64) (*network, error) {
	n, err := lookupNet(h)
	if err != nil {
		return nil, err
	}
	if !n.call.TryLock() {
		return nil, busyErr()
	}
	if !n.open {
		n.call.Unlock()
		return nil, sim.ErrorClassf("RuntimeError", "no run in progress (call Begin first)")
	}
	return n, nil
}

// SetFusion allows or forbids folding projection outputs into post
// groups (forbidden while Python models share the step loop).
func SetFusion(h int64, on bool) (err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return err
	}
	n.fuse.Store(on) // Begin reads it: a run in progress keeps its way
	return nil
}

// Run advances the run to step upTo and returns the next step.
func Run(h int64, upTo int) (pos int, err error) { return RunFor(h, upTo, 0) }

// RunFor is Run that returns after the first step ending more than
// budgetUs microseconds after the call (<= 0: no limit), so that the
// caller sees Ctrl-C in time however long a step takes.
func RunFor(h int64, upTo int, budgetUs int64) (pos int, err error) {
	defer guard(&err)
	n, err := runCall(h)
	if err != nil {
		return 0, err
	}
	defer n.call.Unlock()
	err = n.nw.RunFor(upTo, time.Duration(budgetUs)*time.Microsecond)
	return n.nw.Pos(), err
}

// StepRange runs step i for objects [from, to) (networks with Python models).
func StepRange(h int64, i, from, to int) (err error) {
	defer guard(&err)
	n, err := runCall(h)
	if err != nil {
		return err
	}
	defer n.call.Unlock()
	return n.nw.StepRange(i, from, to)
}

// Advance sets the next step after caller-driven steps.
func Advance(h int64, pos int) (err error) {
	defer guard(&err)
	n, err := runCall(h)
	if err != nil {
		return err
	}
	defer n.call.Unlock()
	if pos < 0 || pos > n.nsteps {
		return sim.ErrorClassf("IndexError", "step %d is outside the run of %d steps", pos, n.nsteps)
	}
	n.nw.Advance(pos)
	return nil
}

// Stop asks a running chunk to return early.
func Stop(h int64) (err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return err
	}
	n.nw.Stop()
	return nil
}

// End finishes a run and frees the objects for other networks.
func End(h int64) (err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return err
	}
	if !n.call.TryLock() {
		return busyErr()
	}
	defer n.call.Unlock()
	if !n.open { // End without a run: nothing to release (and no other run's hold)
		return nil
	}
	n.open = false
	n.nw.End()
	n.releaseNodes()
	n.nw.Release()
	return nil
}

// Steps is the number of steps the network has run over all runs.
func Steps(h int64) (s int64, err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return 0, err
	}
	if !n.call.TryLock() {
		return 0, busyErr()
	}
	defer n.call.Unlock()
	return int64(n.nw.Steps()), nil
}

// Threading says how the last run used its threads, as JSON: how many,
// whether it had decided its way, whether it split its loops, whether it
// updated runs of separate projections at the same time, and in how many
// steps it did.
func Threading(h int64) (js string, err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return "", err
	}
	if !n.call.TryLock() {
		return "", busyErr()
	}
	defer n.call.Unlock()
	d, split, joint := n.nw.Splitting()
	owner, ownerApplies := n.nw.Owner()
	b, err := json.Marshal(map[string]any{"threads": n.nw.Threads(), "decided": d, "split": split,
		"together": joint, "joined_steps": n.nw.Joined(), "owner": owner, "owner_applies": ownerApplies})
	return string(b), err
}

// idleNet locks network h for a change that must not happen during a
// run; the caller unlocks n.call.
func idleNet(h int64, what string) (*network, error) {
	n, err := lookupNet(h)
	if err != nil {
		return nil, err
	}
	if !n.call.TryLock() {
		return nil, busyErr()
	}
	if n.open {
		n.call.Unlock()
		return nil, sim.ErrorClassf("RuntimeError", "cannot set %s during a run", what)
	}
	return n, nil
}

// SetSteps restores the step counter (checkpoints).
func SetSteps(h int64, s int64) (err error) {
	defer guard(&err)
	if s < 0 {
		return sim.Errorf("step counter must be >= 0, got %d", s)
	}
	n, err := idleNet(h, "the step counter")
	if err != nil {
		return err
	}
	defer n.call.Unlock()
	n.nw.SetSteps(uint64(s))
	return nil
}

// TimeState returns the clock that runs carry on (net.Time) as JSON, or
// "null" before the network's first run.
func TimeState(h int64) (js string, err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return "", err
	}
	t, ran := n.nw.Time()
	if !ran {
		return "null", nil
	}
	b, err := json.Marshal(t)
	return string(b), err
}

// SetTimeState continues the network's time from what TimeState returned
// (for another network of the same objects).
func SetTimeState(h int64, js string) (err error) {
	defer guard(&err)
	var t net.Time
	if err := decode(js, &t, "time state"); err != nil {
		return err
	}
	n, err := idleNet(h, "the time")
	if err != nil {
		return err
	}
	defer n.call.Unlock()
	return n.nw.SetTime(t)
}

// MemoryAvailable is the memory in bytes the engine may still take
// (sim.Available: machine, cgroup and address-space limits).
func MemoryAvailable() int64 { return sim.Available() }

// DropInputs forgets the inputs queued for the next run (left by a run
// that failed before Begin took them).
func DropInputs(h int64) (err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return err
	}
	n.inMu.Lock()
	n.inputs = nil
	n.inMu.Unlock()
	return nil
}

func addInput(h int64, node int, v string, op byte, iter bool, width int, data []float64) (err error) {
	defer guard(&err)
	n, err := lookupNet(h)
	if err != nil {
		return err
	}
	if width < 1 {
		return sim.Errorf("bad input array: length %d, width %d", len(data), width)
	}
	n.inMu.Lock()
	n.inputs = append(n.inputs, &net.Input{Node: node, Var: v, Op: op, Iter: iter, Width: width, Data: data})
	n.inMu.Unlock()
	return nil
}

func monitorAt(n *network, k int) (*net.Monitor, error) {
	if k < 0 || k >= len(n.mons) {
		return nil, sim.ErrorClassf("IndexError", "monitor %d does not exist (the run has %d)", k, len(n.mons))
	}
	return n.mons[k], nil
}

// SetMinParallel sets the smallest loop split across threads (tests lower
// it so that small networks exercise the parallel path) and returns the
// previous value.
func SetMinParallel(n int) (prev int, err error) {
	defer guard(&err)
	if n < 1 {
		return sim.MinParallel, sim.Errorf("the smallest parallel loop must be >= 1, got %d", n)
	}
	prev, sim.MinParallel = sim.MinParallel, n
	return prev, nil
}

// SetAlwaysSplit makes networks split every loop of MinParallel elements
// or more, even where timing their first steps shows that one thread is
// faster (tests set it), and returns the previous setting.
func SetAlwaysSplit(on bool) (prev bool) {
	prev, sim.AlwaysSplit = sim.AlwaysSplit, on
	return prev
}

// SetAlwaysTogether makes networks that always split also update runs of
// separate projections at the same time (tests set it), and returns the
// previous setting.
func SetAlwaysTogether(on bool) (prev bool) {
	prev, sim.AlwaysTogether = sim.AlwaysTogether, on
	return prev
}

// SetAlwaysOwner makes networks that always split run in the owner way
// where it applies (tests set it), and returns the previous setting.
func SetAlwaysOwner(on bool) (prev bool) {
	prev, sim.AlwaysOwner = sim.AlwaysOwner, on
	return prev
}
