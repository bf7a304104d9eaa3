// Package sim holds what every node of a network shares: the clock, the
// allocator for state arrays, named variables and the Node interface.
//
// One step of a network runs, for each node in the order given:
// inputs → Update (which also rotates the node's delay buffers) → monitors.
// Time of step i is t = start + i·dt, computed from i, never accumulated.
package sim
