// Package core is the pure-Go simulation engine of brainsyn.
//
// Conventions shared by every subpackage: time in ms, voltage in mV, currents
// in "R·I" units of mV (LIF resistance R = 1), conductances in the unit of the
// model's g_max. State is structure-of-arrays: one slice per variable, indexed
// by neuron or synapse. Slices come from a sim.Alloc so that the C layer can
// hand out memory that Python views without copying.
//
// core never imports C or unsafe; see capi for the boundary.
package core
