// Spike-timing-dependent plasticity: presynaptic and postsynaptic traces
// of each synapse and the weight they move on pre and post spikes.

package synapse

import "github.com/brainsyn/brainsyn/core/sim"

// STDPRule is the weight update of STDP (BrainModels' sign convention:
// a pre spike depresses by A_t, a post spike potentiates by A_s).
type STDPRule struct {
	DAs, DAt   float64 // trace increments per pre / post spike
	WMin, WMax float64
}

// stdpKin is the decay of s and of the two traces.
type stdpKin struct{ tau, tauS, tauT float64 }

func (k stdpKin) Vars() []string { return []string{"s", "A_s", "A_t"} }
func (k stdpKin) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		d[0][i] = -y[0][i] / k.tau
		d[1][i] = -y[1][i] / k.tauS
		d[2][i] = -y[2][i] / k.tauT
	}
}
func (k stdpKin) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -1 / k.tau
		a[1][i] = -1 / k.tauS
		a[2][i] = -1 / k.tauT
	}
}

func clip(w, lo, hi float64) float64 {
	if w > hi {
		return hi
	}
	if w < lo {
		return lo
	}
	return w
}

// stdpStep advances synapses [lo, hi): decay, then the pre spikes of the
// step (s += w, A_s += ΔA_s, w ← clip(w − A_t)), then a post spike
// (A_t += ΔA_t, w ← clip(w + A_s)). Each synapse reads only its own state
// and the spike flags, so any split of the range gives the same bits.
func (s *Chem) stdpStep(preSpk, postSpk []uint8, lo, hi int) {
	s.it.step(s.y, s.tt, lo, hi)
	r := s.M.Plastic
	S, As, At, W := s.y[0], s.y[1], s.y[2], s.w
	for k := lo; k < hi; k++ {
		w := W[k]
		for n := preSpk[k]; n > 0; n-- {
			S[k] += w
			As[k] += r.DAs
			w = clip(w-At[k], r.WMin, r.WMax)
		}
		if postSpk[s.postIdx[k]] != 0 {
			At[k] += r.DAt
			w = clip(w+As[k], r.WMin, r.WMax)
		}
		W[k] = w
	}
}

func registerSTDP() {
	Register(Def{
		Name: "STDP",
		Doc: `Spike-timing-dependent plasticity with pair traces (BrainModels ` + lit("STDP") + `, as in
Brian2's STDP example).

.. math::
   \frac{ds}{dt} = -\frac{s}{\tau}, \quad
   \frac{dA_s}{dt} = -\frac{A_s}{\tau_{pre}}, \quad
   \frac{dA_t}{dt} = -\frac{A_t}{\tau_{post}}

On a presynaptic spike: s += w, A_s += A_pre, w ← clip(w − A_t); on a
postsynaptic spike: A_t += A_post, w ← clip(w + A_s); clip to
[w_min, w_max] after each. A post spike Δt after a pre spike changes w by
+A_pre·e^{−Δt/τ_pre}, a pre spike Δt after a post spike by
−A_post·e^{−Δt/τ_post} (A_post > 0 depresses; Brian2's dApost is −A_post).
Current output I = s (s holds the weights of the spikes it received).
Variables s, A_s (presynaptic trace), A_t (postsynaptic trace) and the
weight w, all per synapse (layout 'synapse'). BrainModels' names are
aliases: tau_s = tau_pre, tau_t = tau_post, delta_A_s = A_pre,
delta_A_t = A_post (an alias with its primary name is an error).
See docs/plasticity.md.`,
		Params: []Param{
			tau("tau", 10, "Decay time constant of the synaptic current s."),
			tau("tau_pre", 10, "Time constant of the presynaptic trace A_s (alias tau_s)."),
			tau("tau_post", 10, "Time constant of the postsynaptic trace A_t (alias tau_t)."),
			{Name: "A_pre", Default: 0.5, Doc: "Increment of A_s per presynaptic spike: potentiation amplitude (alias delta_A_s)."},
			{Name: "A_post", Default: 0.5, Doc: "Increment of A_t per postsynaptic spike: depression amplitude, > 0 depresses (alias delta_A_t)."},
			{Name: "w_min", Default: 0, Doc: "Lower bound of the weight."},
			{Name: "w_max", Default: 20, Doc: "Upper bound of the weight."},
			{Name: "w", Default: 1, Doc: "Initial weight of every synapse (an array gives one per synapse)."}},
		Check: func(p map[string]float64) error {
			if p["w_min"] > p["w_max"] {
				return sim.Errorf("STDP: w_min must be <= w_max, got w_min = %v, w_max = %v", p["w_min"], p["w_max"])
			}
			return nil
		},
		Make: func(p map[string]float64) *Model {
			return &Model{Kin: stdpKin{p["tau"], p["tau_pre"], p["tau_post"]}, Init: []float64{0, 0, 0}, SpikeVar: -1,
				Plastic: &STDPRule{p["A_pre"], p["A_post"], p["w_min"], p["w_max"]},
				Method:  "exponential_euler", Out: curr(), Weight: p["w"]}
		},
	})
}
