package neuron

import (
	"math"
	"strings"

	"github.com/brainsyn/brainsyn/core/sim"
)

// LIFParams are BrainModels 0.3 LIF defaults (reference §3.1). The code
// default t_refractory = 1 ms is used (its docstring said 5).
type LIFParams struct {
	VRest, VReset, VTh, R, Tau, TRef float64
	// Method is "euler" (default) or "exponential_euler".
	Method string
	// Refractory is the rule that ends the refractory period (see
	// RefractoryRules); "" is "time".
	Refractory string
}

// RefractoryRules names the rules that end a LIF's refractory period.
// After a spike on step s the neuron is held (V not integrated) on steps
// s+k, k = 1, 2, ..., while
//
//	"time"  (default, BrainPy 1.0): t − t_last ≤ t_ref, compared in
//	        floating point, so whether the step at exactly t_ref is held
//	        depends on rounding (at dt 0.1 ms it mostly is);
//	"brian2": k < n, with n = t_ref/dt in whole steps (rounded down after
//	        adding 0.001, as Brian2's timestep()): the neuron integrates
//	        again on step s+n, and the shortest interspike interval is n
//	        steps (t_ref); Brian2's
//	        timestep(t − lastspike, dt) >= timestep(refractory, dt);
//	"nest": k ≤ n: held for n whole steps, integrating again on step
//	        s+n+1, so the shortest interval is n+1 steps; NEST's
//	        refractory counter (iaf_cond_exp and others).
//
// The two step rules count steps in integers, independent of rounding.
var RefractoryRules = []string{"time", "brian2", "nest"}

// refractoryBound is the bound b of the test t − t_last ≤ b that holds a
// neuron. For the step rules t − t_last is k·dt up to rounding, far less
// than dt/2, so b = (n ∓ 1/2)·dt counts k in integers.
func (p LIFParams) refractoryBound(dt float64) float64 {
	n := math.Floor(p.TRef/dt + 1e-3)
	switch p.Refractory {
	case "brian2":
		return (n - 0.5) * dt
	case "nest":
		return (n + 0.5) * dt
	}
	return p.TRef
}

// DefaultLIF returns the BrainModels defaults.
func DefaultLIF() LIFParams {
	return LIFParams{VRest: 0, VReset: -5, VTh: 20, R: 1, Tau: 10, TRef: 1, Method: "euler"}
}

// Check validates the parameters against the registry's bounds
// (builtin.go), the method and the refractory rule.
func (p LIFParams) Check() error {
	if _, err := lifDef.params(values(p.fields()), nil); err != nil {
		return err
	}
	if p.Method == "" { // the update takes anything but "euler" as exponential
		return sim.Errorf("LIF: no method; valid: %s", strings.Join(lifDef.Methods, ", "))
	}
	if _, err := lifDef.method(p.Method); err != nil {
		return err
	}
	_, err := lifDef.options(map[string]string{"refractory_rule": p.Refractory})
	return err
}

// LIF is the leaky integrate-and-fire group:
//
//	τ dV/dt = −(V − V_rest) + R·I,  spike when V ≥ V_th, then V = V_reset
//	and V is held for t_refractory after the spike (t − t_last ≤ t_ref,
//	or a count of steps: LIFParams.Refractory).
type LIF struct {
	base
	P     LIFParams
	tRef  float64 // the bound of t − t_last that holds a neuron (refractoryBound)
	tLast []float64
	decay float64 // e^{−dt/τ} for the exponential methods
	chans []*sim.Channel
	dtTau float64 // dt/τ of the folded update
	// A constant current added in the folded update instead of by a
	// separate pass over input (see TakeConstantInput).
	bias   float64
	biasOn bool
	// quiet: nothing but this group's own update touches input during the
	// run (see SetQuietInput); inZero: input is known to be all zeros, as
	// the previous update left it, so the update need not read or clear it.
	quiet, inZero bool
	// spikes of the current step, per block of the pool, then joined
	blocks [][]int32
	spiked []int32
	// The step's time and dt, and updateBlock as a func made once: a
	// closure made in every Update would be an allocation per step.
	t, dt float64
	block func(lo, hi int)
}

// Spiked lists the neurons that spiked in the last update.
func (g *LIF) Spiked() []int32 { return g.spiked }

// scalarOnly turns the vector loop off (tests compare the two).
var scalarOnly = false

// AddChannel folds a projection's per-neuron conductance into the update.
func (g *LIF) AddChannel(c *sim.Channel) { g.chans = append(g.chans, c) }

// ClearChannels removes every folded projection (and a taken constant
// input).
func (g *LIF) ClearChannels() { g.chans, g.biasOn, g.bias = nil, false, 0 }

// SetQuietInput tells the group whether anything besides its own update
// writes input during the coming run. When nothing does, input stays zero
// after the first step, and the update stops reading and clearing it:
// two of the five arrays a large group streams through memory each step.
// The first step still reads it (a value set before the run counts).
func (g *LIF) SetQuietInput(q bool) { g.quiet, g.inZero = q, false }

// QuietInput reports what SetQuietInput was last told.
func (g *LIF) QuietInput() bool { return g.quiet }

// TakeConstantInput adds x to input inside the folded two-channel update,
// where input is read anyway, and reports whether it did; the network then
// skips its own pass. input + x is computed as the input op would.
func (g *LIF) TakeConstantInput(x float64) bool {
	if !g.twoChannels() {
		return false
	}
	g.bias, g.biasOn = x, true
	return true
}

func (g *LIF) twoChannels() bool {
	return len(g.chans) == 2 && g.chans[0].Conductance && g.chans[1].Conductance && g.P.Method == "euler"
}

// NewLIF makes a LIF group of the given shape.
func NewLIF(a sim.Alloc, shape []int, p LIFParams) (*LIF, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	g := &LIF{base: b, P: p}
	g.refr = a.U8(g.n)
	g.tLast = a.F64(g.n)
	fill(g.v, p.VRest)
	fill(g.tLast, -1e7)
	g.addBool("refractory", g.refr)
	g.add("t_last_spike", g.tLast)
	return g, nil
}

func (g *LIF) Kind() string { return "LIF" }

func (g *LIF) Prepare(c *sim.Clock) error {
	g.decay = math.Exp(-c.Dt / g.P.Tau)
	// dt/τ as one factor: a multiply instead of a divide per neuron (the
	// result differs from BrainPy's dt·(f/τ) only by rounding).
	g.dtTau = c.Dt / g.P.Tau
	g.tRef = g.P.refractoryBound(c.Dt)
	return nil
}

// Update follows the BrainModels numba loop per neuron.
func (g *LIF) Update(c *sim.Clock) {
	// Spike times are on the continued axis (Clock.Abs): the refractory
	// period carries across runs, whose times restart at 0 (reference §7.11).
	// Prepare has set the run's dt/τ and refractory bound.
	nb := g.n/sim.BlockSize + 1
	if len(g.blocks) != nb {
		g.blocks = make([][]int32, nb)
	}
	g.t, g.dt = c.Abs, c.Dt
	if g.block == nil {
		g.block = g.updateBlock
	}
	c.Pool.For(g.n, g.block)
	// Every path of update clears input.
	g.inZero = g.quiet
	g.spiked = g.spiked[:0]
	for b := range g.blocks {
		g.spiked = append(g.spiked, g.blocks[b]...)
		g.blocks[b] = g.blocks[b][:0]
	}
}

// Steady reports whether the update no longer changes how it reads
// input: after the first step of a run, or from the start when anything
// else may write input (see SetQuietInput).
func (g *LIF) Steady() bool { return g.inZero == g.quiet }

// UpdateShare is Update for neurons [lo, hi) only, safe beside calls for
// other ranges; Prepare has set the run's constants.
func (g *LIF) UpdateShare(t, dt float64, lo, hi int, spk []int32) []int32 {
	return g.update(t, dt, lo, hi, spk)
}

// JoinSpikes sets Spiked to the parts, in order.
func (g *LIF) JoinSpikes(parts sim.Parts) {
	g.spiked = g.spiked[:0]
	for _, p := range parts {
		g.spiked = append(g.spiked, p.Spikes...)
	}
}

// updateBlock is the loop body of Update: the block's neurons at the
// step's time.
func (g *LIF) updateBlock(lo, hi int) {
	b := lo / sim.BlockSize
	g.blocks[b] = g.update(g.t, g.dt, lo, hi, g.blocks[b][:0])
}

// update advances neurons [lo, hi) and appends the ones that spiked.
func (g *LIF) update(t, dt float64, lo, hi int, spk []int32) []int32 {
	if g.twoChannels() {
		return g.update2(t, dt, lo, hi, spk)
	}
	if len(g.chans) > 0 {
		g.fold(lo, hi)
	}
	p := g.P
	v, in, sp, rf, tl := g.v[lo:hi], g.input[lo:hi], g.spike[lo:hi], g.refr[lo:hi], g.tLast[lo:hi]
	exp := p.Method != "euler"
	for i := range v {
		refr := t-tl[i] <= g.tRef
		s := false
		if !refr {
			var nv float64
			if exp {
				// Exact for constant input: V∞ + (V − V∞)e^{−dt/τ}.
				vinf := p.VRest + p.R*in[i]
				nv = vinf + (v[i]-vinf)*g.decay
			} else {
				nv = v[i] + dt*((-v[i]+p.VRest+p.R*in[i])/p.Tau)
			}
			if nv >= p.VTh {
				s = true
				nv = p.VReset
				tl[i] = t
				spk = append(spk, int32(lo+i))
			}
			v[i] = nv
		}
		sp[i] = b2u(s)
		rf[i] = b2u(refr || s)
		in[i] = 0
	}
	return spk
}

// update2 is update with two conductance channels folded in one pass
// (the COBA case); it computes the same numbers as fold followed by the
// plain loop.
func (g *LIF) update2(t, dt float64, lo, hi int, spk []int32) []int32 {
	p := g.P
	a, b := g.chans[0], g.chans[1]
	v, in, sp, rf, tl := g.v[lo:hi], g.input[lo:hi], g.spike[lo:hi], g.refr[lo:hi], g.tLast[lo:hi]
	sa, sb := a.S[lo:hi], b.S[lo:hi]
	n := len(v)
	in, sp, rf, tl, sa, sb = in[:n], sp[:n], rf[:n], tl[:n], sa[:n], sb[:n]
	ea, eb, da, db := a.E, b.E, a.Decay, b.Decay
	k, vr, R, vth, tref := g.dtTau, p.VRest, p.R, p.VTh, g.tRef
	start := 0
	if !scalarOnly {
		spk, start = g.update2vec(t, v[:n], in, tl, sa, sb, sp, rf, lo, spk)
	}
	zero := g.inZero
	for i := start; i < n; i++ {
		vi, x, y := v[i], sa[i], sb[i]
		sa[i], sb[i] = x*da, y*db
		var ini float64
		if !zero {
			ini, in[i] = in[i], 0
		}
		if t-tl[i] <= tref {
			sp[i], rf[i] = 0, 1
			continue
		}
		if g.biasOn {
			ini += g.bias
		}
		cur := ini - x*(vi-ea) - y*(vi-eb)
		nv := vi + k*(-vi+vr+R*cur)
		var s uint8
		if nv >= vth {
			s = 1
			nv = p.VReset
			tl[i] = t
			spk = append(spk, int32(lo+i))
		}
		v[i] = nv
		sp[i], rf[i] = s, s
	}
	return spk
}

// fold adds the channels' currents to input and decays them, over
// [lo, hi). Two conductance channels (excitation and inhibition) are the
// common case and get their own loop.
func (g *LIF) fold(lo, hi int) {
	v, in := g.v[lo:hi], g.input[lo:hi]
	if len(g.chans) == 2 && g.chans[0].Conductance && g.chans[1].Conductance {
		a, b := g.chans[0], g.chans[1]
		sa, sb := a.S[lo:hi], b.S[lo:hi]
		sa, sb = sa[:len(v)], sb[:len(v)]
		for i := range v {
			x, y := sa[i], sb[i]
			in[i] = in[i] - x*(v[i]-a.E) - y*(v[i]-b.E)
			sa[i] = x * a.Decay
			sb[i] = y * b.Decay
		}
		return
	}
	for _, c := range g.chans {
		s := c.S[lo:hi]
		s = s[:len(v)]
		if c.Conductance {
			for i := range v {
				x := s[i]
				in[i] -= x * (v[i] - c.E)
				s[i] = x * c.Decay
			}
		} else {
			for i := range v {
				x := s[i]
				in[i] += x
				s[i] = x * c.Decay
			}
		}
	}
}
