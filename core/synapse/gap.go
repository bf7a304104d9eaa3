package synapse

import (
	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/sim"
)

// Gap is an electrical synapse (tutorial §2.1.2, BrainModels
// Gap_junction_lif). For each junction k from pre i to post j, in synapse
// order:
//
//	post.input[j] += w_k·(V_i − V_j)
//	post.V[j]     += w_k·k_spikelet·spike_i (delayed; × (1 − refractory_j)
//	                 when post_refractory)
//
// Both happen in one pass over the junctions, so a spikelet already applied
// to V_j is seen by the junctions that follow, as in BrainPy's loop.
type Gap struct {
	pre, post      sim.Group
	pre_, postIdx  []int32
	w              []float64
	KSpikelet      float64
	PostRefractory bool
	delayMs        float64
	D              int  // delay [steps]
	ring           ring // spikelets in flight
	vars           map[string]sim.Var
}

// NewGap builds gap junctions with weight w0 on every junction.
func NewGap(a sim.Alloc, pre, post sim.Group, c *conn.Conn, w0, kSpikelet float64, postRefr bool) (*Gap, error) {
	if c.NPre != pre.Size() || c.NPost != post.Size() {
		return nil, sim.Errorf("Gap_junction: connectivity is %d→%d but pre has %d and post has %d neurons", c.NPre, c.NPost, pre.Size(), post.Size())
	}
	if err := sim.CheckFinite("k_spikelet", kSpikelet); err != nil {
		return nil, err
	}
	if err := sim.CheckFinite("weight", w0); err != nil {
		return nil, err
	}
	g := &Gap{pre: pre, post: post, pre_: c.PreIDs(), postIdx: c.Post, KSpikelet: kSpikelet, PostRefractory: postRefr}
	g.w = a.F64(len(c.Post))
	for k := range g.w {
		g.w[k] = w0
	}
	g.vars = map[string]sim.Var{"w": {F64: g.w, Shape: []int{len(g.w)}}}
	return g, nil
}

func (g *Gap) Kind() string             { return "Gap_junction" }
func (g *Gap) Vars() map[string]sim.Var { return g.vars }
func (g *Gap) NSyn() int                { return len(g.w) }
func (g *Gap) PreIDs() []int32          { return g.pre_ }
func (g *Gap) PostIDs() []int32         { return g.postIdx }

// SetDelay sets the spikelet delay [ms].
func (g *Gap) SetDelay(d float64) error {
	if err := sim.CheckNonNeg("delay", d); err != nil {
		return sim.Errorf("Gap_junction: %v", err)
	}
	g.delayMs = d
	return nil
}

func (g *Gap) Prepare(c *sim.Clock) error {
	D := sim.DelaySteps(g.delayMs, c.Dt)
	if D > MaxDelaySteps {
		return sim.Errorf("Gap_junction: a delay of %d steps is too long", D)
	}
	if err := g.ring.ensure("Gap_junction", D+1, len(g.w), D != g.D); err != nil {
		return err
	}
	g.D = D
	return nil
}

func (g *Gap) Update(c *sim.Clock) {
	vpre, sp := g.pre.V(), g.pre.Spike()
	v, in, refr := g.post.V(), g.post.Input(), g.post.Refractory()
	n, rg := len(g.w), &g.ring
	h := rg.head
	for k := 0; k < n; k++ {
		i, j := g.pre_[k], g.postIdx[k]
		in[j] += g.w[k] * (vpre[i] - v[j])
		o := g.w[k] * g.KSpikelet * float64(sp[i])
		if g.D > 0 {
			o = rg.delayed(h, g.D, k, o)
		}
		if g.PostRefractory && refr != nil {
			o *= 1 - float64(refr[j])
		}
		v[j] += o
	}
	rg.head++
}

// WritesInput lists the post group (the coupling current).
func (g *Gap) WritesInput() []sim.Group { return []sim.Group{g.post} }

// WritesV lists the post group (spikelets jump its V).
func (g *Gap) WritesV() []sim.Group { return []sim.Group{g.post} }
