// Package net runs a network: an ordered list of nodes stepped together,
// with inputs and monitors.
//
// One step i at time t = start + i·dt runs, for each node in order:
// its inputs (target.key op= value), its Update, then its monitors, which
// record the value after the update (reference §1.2). A run is prepared
// once (Begin), advanced in chunks (Run), and closed (End), so a caller can
// stop between chunks and report progress.
package net
