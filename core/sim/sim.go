package sim

import (
	"fmt"
	"math"
)

// Alloc provides state memory. Slices it returns stay valid until the owner
// releases them; their length never changes.
type Alloc interface {
	F64(n int) []float64
	U8(n int) []uint8
}

// GoAlloc allocates on the Go heap (tests and pure-Go use).
type GoAlloc struct{}

func (GoAlloc) F64(n int) []float64 { return hugeAligned[float64](n) }
func (GoAlloc) U8(n int) []uint8    { return hugeAligned[uint8](n) }

// Clock is the time of the step being computed.
type Clock struct {
	I     int     // step index within the current run
	T     float64 // Start + I·Dt
	Dt    float64 // [ms]
	Start float64 // [ms]
	Pool  *Pool   // worker pool for data-parallel loops
	Base  uint64  // steps run by the network before this run
	// Abs is the time on one axis continued across runs. Run times T
	// restart at each run (reference §1.5) while state persists, so spike
	// times kept in state (LIF t_last_spike, transmitter pulses) use Abs:
	// elapsed times then carry across runs (reference §7.11). Abs =
	// AbsOrigin + (AbsSteps + I)·Dt equals T in the first run and, while dt
	// is unchanged, the T that one long run would have had, bit for bit.
	Abs       float64
	AbsOrigin float64
	AbsSteps  uint64
}

// At sets the clock to step i.
func (c *Clock) At(i int) {
	c.I = i
	c.T = c.Start + float64(i)*c.Dt
	c.Abs = c.AbsOrigin + float64(c.AbsSteps+uint64(i))*c.Dt
}

// Var is one named state variable: exactly one of F64 or U8 is set.
type Var struct {
	F64   []float64
	U8    []uint8 // booleans as 0/1 (spike, refractory)
	Shape []int   // the group's shape; product equals the length
	// ReadOnly marks a mirror of compact state (a gather refreshed after
	// each run chunk); writing it has no effect on the simulation.
	ReadOnly bool
}

// Len is the number of elements.
func (v Var) Len() int {
	if v.F64 != nil {
		return len(v.F64)
	}
	return len(v.U8)
}

// IsBool reports whether the variable holds 0/1 flags.
func (v Var) IsBool() bool { return v.F64 == nil }

// Node is one object of a network (neuron group, synapse, input group).
type Node interface {
	// Kind names the model, e.g. "LIF" or "AMPA".
	Kind() string
	// Vars lists the node's named state variables.
	Vars() map[string]Var
	// Prepare is called once before each run with the dt in force, so that
	// delays and propagators follow the dt of the run, not of construction.
	Prepare(c *Clock) error
	// Update advances the node by one step at time c.T.
	Update(c *Clock)
}

// Lazy is a node with variables made on first use (per-synapse weights,
// per-synapse mirrors of compact state).
type Lazy interface {
	// Ensure makes name appear in Vars; it reports false for unknown names.
	Ensure(a Alloc, name string) (bool, error)
	// Optional lists the names Ensure accepts.
	Optional() []string
}

// Gatherer is a node whose per-element values are computed from compact
// state: monitors call Gather instead of copying a Var.
type Gatherer interface {
	// Gather writes variable name at elements idx (all when idx is nil) into
	// dst and reports whether name is gathered.
	Gather(name string, dst []float64, idx []int32) bool
	// SyncMirrors refreshes mirror variables; called after each run chunk.
	SyncMirrors()
}

// Group is a node with neurons that synapses can read and write.
type Group interface {
	Node
	Size() int
	Shape() []int
	V() []float64
	Input() []float64
	Spike() []uint8
	// Refractory returns nil for models without a refractory flag.
	Refractory() []uint8
}

// Error is a user-facing error with a class that the Python layer maps to
// an exception type.
type Error struct {
	Class string // "ValueError", "TypeError", "IndexError", "KeyError", "RuntimeError"
	Msg   string
}

func (e *Error) Error() string { return e.Class + ": " + e.Msg }

// Errorf makes a ValueError.
func Errorf(format string, a ...any) error {
	return &Error{Class: "ValueError", Msg: fmt.Sprintf(format, a...)}
}

// ErrorClassf makes an error of the given class.
func ErrorClassf(class, format string, a ...any) error {
	return &Error{Class: class, Msg: fmt.Sprintf(format, a...)}
}

// CheckFinite returns an error naming the parameter if x is NaN or infinite.
func CheckFinite(name string, x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Errorf("%s must be a finite number, got %v", name, x)
	}
	return nil
}

// CheckPositive returns an error unless x is finite and > 0.
func CheckPositive(name string, x float64) error {
	if err := CheckFinite(name, x); err != nil {
		return err
	}
	if x <= 0 {
		return Errorf("%s must be > 0, got %v", name, x)
	}
	return nil
}

// CheckNonNeg returns an error unless x is finite and >= 0.
func CheckNonNeg(name string, x float64) error {
	if err := CheckFinite(name, x); err != nil {
		return err
	}
	if x < 0 {
		return Errorf("%s must be >= 0, got %v", name, x)
	}
	return nil
}

// DelaySteps converts a delay [ms] to a whole number of steps: a value sent
// at step k arrives at step k + DelaySteps(d, dt). It is ceil(d/dt), with a
// relative tolerance so that 1.1/0.1 = 11.000000000000002 gives 11, not 12.
func DelaySteps(d, dt float64) int {
	q := d / dt
	return clampSteps(math.Ceil(q - 1e-9*math.Max(1, q)))
}

// Prod is the product of a shape.
func Prod(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// Channel is a synaptic conductance (or current) that a projection keeps
// per post neuron and that the post group folds into its own update, so
// one pass over the neurons reads it, applies it and decays it.
//
// At the post group's update the group adds −S·(V − E) (Conductance) or S
// to its input, using the V it has at the start of the update, and then
// sets S ← S·Decay. The projection's own update afterwards only adds the
// step's spikes. This equals the projection computing decay, spikes and
// output itself, because nothing reads or writes S or V in between (the
// network fuses only when that holds).
type Channel struct {
	S           []float64
	Decay       float64
	E           float64
	Conductance bool
}

// ChannelHost is a group that accepts channels.
type ChannelHost interface {
	Group
	AddChannel(*Channel)
	ClearChannels()
}

// Fusable is a projection that can hand its output to the post group.
type Fusable interface {
	// Channel returns the channel and post group, or nil if the
	// projection's kinetics or output do not allow fusing.
	Channel() (*Channel, Group)
	SetFused(bool)
	// AddInto makes the projection add its spikes into another
	// projection's channel state (nil: its own). Channels of the same post
	// group with the same decay and output are merged this way: the sum of
	// their states is one state, read and decayed once per step.
	AddInto(s []float64)
}

// Separate is a node whose update, as prepared for the current run, writes
// nothing but its own state and one array, Target, and reads no state that
// another Separate node writes (a projection that adds its spikes into a
// channel folded into the post group's update). Consecutive Separate nodes
// with different targets can be updated at the same time, each on one
// thread, with the same results as one after the other.
type Separate interface {
	// Target returns the array the update adds into, and false when the
	// node is not separate in this run.
	Target() ([]float64, bool)
	// Work is the node's relative cost: the largest are started first.
	Work() int
}

// VWriter is a node that writes the V of some groups directly.
type VWriter interface {
	WritesV() []Group
}

// InputWriter is a node that adds to the input of some groups.
type InputWriter interface {
	WritesInput() []Group
}

// Spiker is a group that lists, after its update, the neurons that spiked
// in the current step, in ascending order. Synapses and monitors use it to
// skip the silent majority.
type Spiker interface {
	Spiked() []int32
}

// SpikedOf returns the spiking neurons of g in this step.
func SpikedOf(g Group, buf []int32) []int32 {
	if s, ok := g.(Spiker); ok {
		return s.Spiked()
	}
	buf = buf[:0]
	for i, x := range g.Spike() {
		if x != 0 {
			buf = append(buf, int32(i))
		}
	}
	return buf
}

// Counter is a group whose neurons can fire more than once per step
// (bundles of Poisson sources); synapses weight each spike by its count.
type Counter interface {
	Counts() []uint8
}

// ShareGroup is a group whose update can run over disjoint ranges on
// separate threads at the same time, each range listing its own spikes in
// ascending order (the owner way of a network).
type ShareGroup interface {
	Group
	Spiker
	// Steady reports whether the next update reads only what every later
	// update of the run also reads (the first step of a run may differ:
	// it reads inputs set before the run).
	Steady() bool
	// UpdateShare advances neurons [lo, hi) to time t and appends those
	// that spiked to spk.
	UpdateShare(t, dt float64, lo, hi int, spk []int32) []int32
	// JoinSpikes sets the step's spike list to the parts, in order.
	JoinSpikes(parts Parts)
}

// Parts are the spikes of one group in one step, one part per thread in
// the order of the threads' ranges.
type Parts []Part

// Part is the spikes one thread found, in a cache line of its own: the
// threads write their parts at the same time.
type Part struct {
	Spikes []int32
	_      [64 - 24]byte
}

// Puller is a projection whose step only adds its pre group's spikes
// into its post group (a folded channel), so that each thread can deliver
// the spikes that land in its own range of post neurons (the owner way).
type Puller interface {
	Node
	Ends() (pre, post Group)
	// CanPull reports whether this run's step is only that addition.
	CanPull() bool
	// PrepareCuts readies Pull for post ranges [bounds[k], bounds[k+1]).
	PrepareCuts(bounds []int)
	// Pull adds the spikes in parts (the pre group's spikes of one step,
	// in order) that land in post range k.
	Pull(parts Parts, k int)
	// Follow does the rest of a step, on one thread, once the pre group
	// has joined the step's spikes.
	Follow()
	// Advance does the bookkeeping of steps updated by Pull.
	Advance(steps int)
}
