// Package pyapi is the control plane that gopy binds for Python: plain
// functions over integer handles with scalar and string arguments. Bulk
// data never passes here; it is shared through the C ABI (package capi).
// Errors come back as "Class: message" and the Python layer raises the
// matching exception.
package pyapi

import "github.com/brainsyn/brainsyn/capi"

// Version is the version of the engine's interface.
func Version() int { return 1 }

// NewNeuron makes a neuron group (LIF, HH, SpikeTimeInput, PoissonInput,
// External) from a JSON spec and returns its handle.
func NewNeuron(model, spec string) (int64, error) { return capi.NewNeuron(model, spec) }

// SetParams changes parameters of a LIF or HH group (JSON {name: value}).
func SetParams(h int64, params string) error { return capi.SetParams(h, params) }

// NewConn builds a connector from a JSON spec and returns its handle.
func NewConn(spec string) (int64, error) { return capi.NewConn(spec) }

// ConnSize returns the number of synapses of a connector.
func ConnSize(h int64) (int, error) { return capi.ConnSize(h) }

// Models describes the registered synapse models as JSON; the Python
// classes of brainsyn.synapses are built from it.
func Models() string { return capi.Models() }

// NeuronModels describes the registered neuron models as JSON; the Python
// classes of brainsyn.neurons are built from it.
func NeuronModels() string { return capi.NeuronModels() }

// NewSynapse makes a synapse of the given model from pre to post over a
// connector, from a JSON spec, and returns its handle.
func NewSynapse(model string, pre, post, conn int64, spec string) (int64, error) {
	return capi.NewSynapse(model, pre, post, conn, spec)
}

// Free drops Python's reference to a handle.
func Free(h int64) error { return capi.Free(h) }

// Vars lists an object's variables as JSON.
func Vars(h int64) (string, error) { return capi.Vars(h) }

// Info returns JSON facts about an object.
func Info(h int64) (string, error) { return capi.Info(h) }

// NewNetwork makes a network from JSON lists of handles and names.
func NewNetwork(handles, names string) (int64, error) { return capi.NewNetwork(handles, names) }

// Begin prepares a run of nsteps steps of dt [ms] from start [ms].
func Begin(net int64, nsteps int, dt, start float64, checkNaN bool, monitors string) error {
	return capi.Begin(net, nsteps, dt, start, checkNaN, monitors)
}

// SetFusion allows or forbids folding projection outputs into post groups.
func SetFusion(net int64, on bool) error { return capi.SetFusion(net, on) }

// Run advances the run to step upTo and returns the next step.
func Run(net int64, upTo int) (int, error) { return capi.Run(net, upTo) }

// RunFor is Run that returns after budgetUs microseconds (and one step at least).
func RunFor(net int64, upTo int, budgetUs int64) (int, error) {
	return capi.RunFor(net, upTo, budgetUs)
}

// StepRange runs step i for objects [from, to).
func StepRange(net int64, i, from, to int) error { return capi.StepRange(net, i, from, to) }

// Advance sets the next step after caller-driven steps.
func Advance(net int64, pos int) error { return capi.Advance(net, pos) }

// Stop asks a running chunk to return early.
func Stop(net int64) error { return capi.Stop(net) }

// End finishes a run.
func End(net int64) error { return capi.End(net) }

// Steps is the number of steps the network has run in all.
func Steps(net int64) (int64, error) { return capi.Steps(net) }

// SetSteps restores the step counter.
func SetSteps(net int64, s int64) error { return capi.SetSteps(net, s) }

// TimeState is the clock that runs carry on, as JSON ("null" before any run).
func TimeState(net int64) (string, error) { return capi.TimeState(net) }

// SetTimeState continues a network's time from what TimeState returned.
func SetTimeState(net int64, js string) error { return capi.SetTimeState(net, js) }

// MemoryAvailable is the memory in bytes the engine may still take.
func MemoryAvailable() int64 { return capi.MemoryAvailable() }

// DropInputs forgets the inputs queued for the next run.
func DropInputs(net int64) error { return capi.DropInputs(net) }

// SetThreads sets the number of worker threads for new runs.
func SetThreads(n int) error { return capi.SetThreads(n) }

// Threads is the number of worker threads for new runs.
func Threads() int { return capi.Threads() }

// Profile starts (path given) or stops (empty path) a CPU profile of the
// engine in pprof format.
func Profile(path string) error { return capi.Profile(path) }

// SetMinParallel sets the smallest loop split across threads and returns
// the previous value.
func SetMinParallel(n int) (int, error) { return capi.SetMinParallel(n) }

// SetAlwaysSplit makes networks split loops even where one thread is
// faster, and returns the previous setting.
func SetAlwaysSplit(on bool) bool { return capi.SetAlwaysSplit(on) }

// SetAlwaysTogether makes networks that always split also update runs of
// separate projections at the same time, and returns the previous setting.
func SetAlwaysTogether(on bool) bool { return capi.SetAlwaysTogether(on) }

// SetAlwaysOwner makes networks that always split run in the owner way
// where it applies (tests).
func SetAlwaysOwner(on bool) bool { return capi.SetAlwaysOwner(on) }

// Threading says how the last run of a network used its threads (JSON).
func Threading(net int64) (string, error) { return capi.Threading(net) }
