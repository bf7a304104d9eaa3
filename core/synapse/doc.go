// Package synapse holds the synapse models of the "Synaptic Models" chapter
// (BrainPy handbook §2.1) with BrainModels 0.3 defaults, and the engine that
// runs them.
//
// A chemical synapse is a Kinetics (the ODE of its gating state), a spike
// rule (add 1 to a state, or start a transmitter pulse T for T_duration),
// an output and a delay. Outputs follow BrainModels:
//
//	conductance: post.input −= g_max·s·(V_post − E)   (NMDA also ÷ B(V_post))
//	current:     post.input += w·s
//	voltage:     post.V     += w·s                      (voltage jump)
//
// The delayed quantity is the output (g_max·s or w·s), never the gating
// state: a value computed at step k is used at step k + DelaySteps(d, dt).
//
// Layouts. The straightforward layout keeps one state per synapse (PerSyn)
// and is the reference. When kinetics depend only on presynaptic spikes and
// shared parameters, one state per presynaptic neuron gives the same numbers
// (PerPre). Linear kinetics can be summed per postsynaptic neuron (PerPost),
// delivering each spike once per synapse. Per-synapse views of compact state
// are gathers.
package synapse
