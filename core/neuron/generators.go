package neuron

import (
	"math"
	"slices"
	"sort"

	"github.com/brainsyn/brainsyn/core/rng"
	"github.com/brainsyn/brainsyn/core/sim"
)

// SpikeTimeInput emits spikes at given times: neuron indices[k] spikes at
// the first step whose time is ≥ times[k] (within 1e-6·dt, so 8.4 ms at
// dt 0.1 is step 84). Times and indices are sorted together (BrainPy 1.0
// sorted only the indices, reference §7.9). Times are relative to the start
// of each run.
type SpikeTimeInput struct {
	base
	times   []float64
	indices []int32
	steps   []int // step of each event for the current dt
	next    int
}

// NewSpikeTimeInput makes the generator; len(times) must equal len(indices).
func NewSpikeTimeInput(a sim.Alloc, shape []int, times []float64, indices []int32) (*SpikeTimeInput, error) {
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	if len(times) != len(indices) {
		return nil, sim.Errorf("SpikeTimeInput: times has %d entries but indices has %d", len(times), len(indices))
	}
	for k, t := range times {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, sim.Errorf("SpikeTimeInput: times[%d] is %v", k, t)
		}
		if indices[k] < 0 || int(indices[k]) >= b.n {
			return nil, sim.ErrorClassf("IndexError", "SpikeTimeInput: indices[%d] = %d is out of range for size %d", k, indices[k], b.n)
		}
	}
	g := &SpikeTimeInput{base: b, times: append([]float64(nil), times...), indices: append([]int32(nil), indices...)}
	order := make([]int, len(times))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return g.times[order[x]] < g.times[order[y]] })
	ts, ix := make([]float64, len(order)), make([]int32, len(order))
	for k, o := range order {
		ts[k], ix[k] = g.times[o], g.indices[o]
	}
	g.times, g.indices = ts, ix
	return g, nil
}

func (g *SpikeTimeInput) Kind() string { return "SpikeTimeInput" }

func (g *SpikeTimeInput) Prepare(c *sim.Clock) error {
	g.steps = make([]int, len(g.times))
	for k, t := range g.times {
		g.steps[k] = int(math.Ceil((t-c.Start)/c.Dt - 1e-6))
	}
	g.next = 0
	for g.next < len(g.steps) && g.steps[g.next] < 0 {
		g.next++
	}
	return nil
}

func (g *SpikeTimeInput) Update(c *sim.Clock) {
	for i := range g.spike {
		g.spike[i] = 0
	}
	for g.next < len(g.steps) && g.steps[g.next] <= c.I {
		if g.steps[g.next] == c.I {
			g.spike[g.indices[g.next]] = 1
		}
		g.next++
	}
	fill(g.input, 0)
}

// PoissonInput fires each neuron independently with probability
// rate·dt/1000 per step (rate in Hz). With Sources = N > 1 each neuron
// stands for N independent sources of that rate: the number of spikes in a
// step is Binomial(N, rate·dt/1000), available through Counts (Brian2's
// PoissonInput), and spike is set when it is > 0. Draws are keyed by
// (seed, neuron, network step counted over all runs), so they do not depend
// on threads or chunking, and a restored checkpoint continues the stream.
type PoissonInput struct {
	base
	freqs   []float64
	seed    uint64
	Sources int
	counts  []uint8
	spiked  []int32
	// P(no spike) per neuron for the rate it had last step (freqs may change)
	lastP, pmf0 []float64
	keys        []uint64  // random stream key of each neuron
	stepSeed    uint64    // seed of the per-step streams (commonRate)
	cdf         []float64 // P(X ≤ k) for the common rate cdfP, k ≤ 255
	cdfP        float64
	draws       []uint64 // this step's draw of each neuron (commonRate)
	// The rate every neuron has, if they share one (same), found when a
	// run starts and each step only while something may write freqs
	// during the run (watch: an input, or models stepped from Python).
	rate        float64
	same, watch bool
	// quiet: nothing but this update writes input during the run, so once
	// cleared (inZero) it stays zero.
	quiet, inZero bool
}

// NewPoissonInput makes the generator; freqs has one entry or one per neuron.
func NewPoissonInput(a sim.Alloc, shape []int, freqs []float64, seed uint64, sources int) (*PoissonInput, error) {
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	if len(freqs) != 1 && len(freqs) != b.n {
		return nil, sim.Errorf("PoissonInput: freqs has %d entries; give one rate or one per neuron (%d)", len(freqs), b.n)
	}
	if sources < 1 || sources > 1<<20 {
		return nil, sim.Errorf("PoissonInput: sources must be between 1 and 2^20, got %d", sources)
	}
	g := &PoissonInput{base: b, freqs: a.F64(b.n), seed: seed, Sources: sources, counts: make([]uint8, b.n), watch: true}
	for i := range g.freqs {
		f := freqs[0]
		if len(freqs) > 1 {
			f = freqs[i]
		}
		if math.IsNaN(f) || f < 0 || math.IsInf(f, 0) {
			return nil, sim.Errorf("PoissonInput: freqs[%d] = %v must be a finite rate >= 0 [Hz]", i, f)
		}
		g.freqs[i] = f
	}
	g.add("freqs", g.freqs)
	return g, nil
}

func (g *PoissonInput) Kind() string { return "PoissonInput" }

// Prepare finds whether the neurons share one rate (freqs may have been
// set since the last run).
func (g *PoissonInput) Prepare(c *sim.Clock) error {
	g.rate, g.same = sameRate(g.freqs)
	return nil
}

// SetFixedRates tells the generator whether freqs stays as it is for the
// coming run (nothing writes it while the run lasts).
func (g *PoissonInput) SetFixedRates(fixed bool) { g.watch = !fixed }

// SetQuietInput tells the generator whether anything besides its own
// update writes input during the coming run.
func (g *PoissonInput) SetQuietInput(q bool) { g.quiet, g.inZero = q, false }

// Spiked lists the neurons that fired in the last update.
func (g *PoissonInput) Spiked() []int32 { return g.spiked }

// Counts is the number of spikes of each neuron in the last update (at
// most 255).
func (g *PoissonInput) Counts() []uint8 { return g.counts }

func (g *PoissonInput) Update(c *sim.Clock) {
	step := c.Base + uint64(c.I)
	g.spiked = g.spiked[:0]
	if g.watch {
		g.rate, g.same = sameRate(g.freqs)
	}
	if g.same {
		g.commonRate(step, g.rate*c.Dt/1000)
	} else {
		g.perNeuron(step, c.Dt)
	}
	if !g.inZero {
		fill(g.input, 0)
	}
	g.inZero = g.quiet
}

// sameRate reports whether every neuron has the rate f.
func sameRate(freqs []float64) (f float64, ok bool) {
	if len(freqs) == 0 {
		return 0, false
	}
	f = freqs[0]
	for _, x := range freqs[1:] {
		if x != f {
			return 0, false
		}
	}
	return f, true
}

// commonRate draws one step for a group with a common spike probability p
// per source. A neuron fires with probability 1 − q0, q0 = (1−p)^Sources,
// and then has a count of Bin(Sources, p) conditioned on being > 0. When
// firing is common, one uniform per neuron decides both: below q0 it is
// silent, above it inverts the conditional distribution. When firing is
// rare, the gap to the next firing neuron is drawn instead (geometric),
// one draw per firing neuron. Draws are keyed by (seed, step), so they do
// not depend on threads or chunking, and a restored checkpoint continues
// the stream.
func (g *PoissonInput) commonRate(step uint64, p float64) {
	clear(g.counts)
	clear(g.spike)
	if !(p > 0) {
		return
	}
	p = math.Min(p, 1)
	n := float64(g.Sources)
	lq := n * math.Log1p(-p) // log q0, < 0
	if g.stepSeed == 0 {
		g.stepSeed = rng.Uint64(g.seed, skipStream, 0) | 1
	}
	key := rng.Key(g.stepSeed, step)
	q0 := math.Exp(lq)
	if g.Sources > 1 && p != g.cdfP {
		g.cdfP, g.cdf = p, binomialCDF(g.cdf[:0], n, p, q0)
	}
	if q0 < 15.0/16 {
		// u ≥ q0 for u = m·2⁻⁵³ is m ≥ ⌈q0·2⁵³⌉: integers until one fires.
		// The flags are set without a branch (a neuron fires at random, so
		// a branch would be mispredicted often), then the few that fired
		// get their counts from the draws kept.
		thr := uint64(math.Ceil(q0 * 0x1p53))
		if len(g.draws) != len(g.spike) {
			g.draws = make([]uint64, len(g.spike))
		}
		ms, sp := g.draws, g.spike
		ms = ms[:len(sp)]
		// Each index is written to the list, which grows past it only if
		// the neuron fired.
		list := slices.Grow(g.spiked[:0], len(sp))[:len(sp)]
		nf := 0
		for i := range sp {
			m := rng.FromKey(key, uint64(i)) >> 11
			ms[i] = m
			// m, thr < 2⁵³: m − thr wraps to a set top bit exactly when m < thr.
			f := uint8((m-thr)>>63) ^ 1
			sp[i] = f
			list[nf] = int32(i)
			nf += int(f)
		}
		g.spiked = list[:nf]
		if g.Sources == 1 {
			for _, i := range g.spiked {
				g.counts[i] = 1
			}
			return
		}
		// invertCDF from k = 1: a neuron that fired has u ≥ q0 = cdf[0].
		cdf, top := g.cdf, uint8(math.Min(n, 255))
		for _, i := range g.spiked {
			u := float64(ms[i]) * 0x1p-53
			k := 1
			for k < len(cdf) && cdf[k] <= u {
				k++
			}
			if k == len(cdf) {
				g.counts[i] = top
			} else {
				g.counts[i] = uint8(k)
			}
		}
		return
	}
	// Firing is rare: the gap to the next neuron that fires is drawn.
	fire := func(i int, u float64) {
		k := 1
		if g.Sources > 1 {
			k = invertCDF(g.cdf, u, n)
		}
		g.counts[i] = uint8(k)
		g.spike[i] = 1
		g.spiked = append(g.spiked, int32(i))
	}
	N := len(g.spike)
	for i, j := -1, uint64(0); ; j += 2 {
		u := 1 - rng.UniformKey(key, j) // in (0, 1]
		gap := math.Floor(math.Log(u) / lq)
		if !(gap < float64(N-1-i)) {
			return
		}
		i += int(gap) + 1
		// A uniform in [q0, 1) lands past P(X = 0).
		fire(i, q0+rng.UniformKey(key, j+1)*(1-q0))
	}
}

// skipStream separates the per-step streams of commonRate from the
// per-neuron streams of perNeuron.
const skipStream = 1 << 63

// perNeuron draws one step with one uniform per neuron (rates differ).
func (g *PoissonInput) perNeuron(step uint64, dt float64) {
	n := float64(g.Sources)
	if g.Sources > 1 && len(g.lastP) != len(g.spike) {
		g.lastP, g.pmf0 = make([]float64, len(g.spike)), make([]float64, len(g.spike))
		for i := range g.lastP {
			g.lastP[i] = -1
		}
	}
	if len(g.keys) != len(g.spike) {
		g.keys = make([]uint64, len(g.spike))
		for i := range g.keys {
			g.keys[i] = rng.Key(g.seed, uint64(i))
		}
	}
	for i := range g.spike {
		p := g.freqs[i] * dt / 1000
		u := rng.UniformKey(g.keys[i], step)
		k := 0
		if g.Sources == 1 {
			if u < p {
				k = 1
			}
		} else if p > 0 {
			p = math.Min(p, 1)
			if p != g.lastP[i] {
				g.lastP[i], g.pmf0[i] = p, math.Exp(n*math.Log1p(-p))
			}
			k = binomialInv(u, n, p, g.pmf0[i])
		}
		if k > 255 {
			k = 255
		}
		g.counts[i] = uint8(k)
		g.spike[i] = b2u(k > 0)
		if k > 0 {
			g.spiked = append(g.spiked, int32(i))
		}
	}
}

// binomialCDF appends P(X ≤ k) for X ~ Bin(n, p), k = 0, 1, ..., with the
// arithmetic of binomialInv, up to k = min(n, 255) or until the mass left
// underflows.
func binomialCDF(cdf []float64, n, p, pmf0 float64) []float64 {
	q := 1 - p
	pmf := pmf0
	cdf = append(cdf, pmf)
	for k := 0; float64(k) < n && k < 255 && pmf > 0; k++ {
		pmf *= (n - float64(k)) / float64(k+1) * p / q
		cdf = append(cdf, cdf[k]+pmf)
	}
	return cdf
}

// invertCDF is binomialInv through the table of binomialCDF, with counts
// above 255 given as 255: the smallest k with cdf[k] > u.
func invertCDF(cdf []float64, u, n float64) int {
	for k, c := range cdf {
		if c > u {
			return k
		}
	}
	return int(math.Min(n, 255))
}

// binomialInv returns the smallest k with P(X ≤ k) > u for X ~ Bin(n, p),
// walking the probability mass from 0 (the mean here is small).
func binomialInv(u, n, p, pmf0 float64) int {
	if p >= 1 {
		return int(n)
	}
	q := 1 - p
	pmf := pmf0
	cdf := pmf
	k := 0
	for cdf <= u && float64(k) < n {
		pmf *= (n - float64(k)) / float64(k+1) * p / q
		k++
		cdf += pmf
	}
	return k
}

// External is a group whose update is Python code; Go only holds its
// variables so native synapses can read and write them.
type External struct {
	base
}

// NewExternal makes the group with a refractory flag.
func NewExternal(a sim.Alloc, shape []int) (*External, error) {
	b, err := newBase(a, shape)
	if err != nil {
		return nil, err
	}
	g := &External{base: b}
	g.refr = a.U8(b.n)
	g.addBool("refractory", g.refr)
	return g, nil
}

func (g *External) Kind() string               { return "External" }
func (g *External) Prepare(c *sim.Clock) error { return nil }
func (g *External) Update(c *sim.Clock)        {}
