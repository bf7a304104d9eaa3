// Package neuron holds neuron groups: LIF and HH (BrainModels 0.3), spike
// generators (SpikeTimeInput, PoissonInput) and External, whose update is
// written in Python.
//
// Every group has V [mV], input [mV, as R·I], spike and (where it applies)
// refractory. A group zeroes input at the end of its own update, as
// BrainModels does, so currents added after it act on the next step.
package neuron
