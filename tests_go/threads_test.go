package tests_go

import (
	"math"
	"math/rand"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// runSplit drives a 2600-neuron LIF group (three blocks) from bundles of
// Poisson sources (counts above 1) through two per-post projections with
// per-synapse weights, one without delay and one with per-synapse delays,
// and returns V of every neuron at every step and the spike count.
func runSplit(t *testing.T, threads int) ([]float64, int) {
	t.Helper()
	return runSplitWay(t, threads, false)
}

// runSplitWay is runSplit with the two projections updated at the same
// time (joint), which it checks.
func runSplitWay(t *testing.T, threads int, joint bool) ([]float64, int) {
	t.Helper()
	defer func(prev bool) { sim.AlwaysTogether = prev }(sim.AlwaysTogether)
	sim.AlwaysTogether = joint
	const npre, npost, nsteps = 1500, 2600, 400
	a := sim.GoAlloc{}
	pre, post := poissonToLIF(t, a, npre, npost, 30, 3, 20)
	r := rand.New(rand.NewSource(4))
	nodes := []sim.Node{pre, post}
	for k, tau := range []float64{5, 10} {
		c, err := conn.Build(&conn.Spec{Kind: "FixedProb", Prob: 0.01, Seed: uint64(k + 1), PreShape: []int{npre}, PostShape: []int{npost}})
		if err != nil {
			t.Fatal(err)
		}
		m, err := synapse.NewModel("Exponential", map[string]float64{"tau": tau, "E": []float64{0, -80}[k]}, "conductance", "")
		if err != nil {
			t.Fatal(err)
		}
		s, err := synapse.NewChem(a, m, pre, post, c, synapse.PerPost)
		if err != nil {
			t.Fatal(err)
		}
		w := make([]float64, s.NSyn())
		d := make([]float64, s.NSyn())
		for i := range w {
			w[i] = 0.01 + 0.02*r.Float64()
			d[i] = math.Round(r.Float64()*20) / 10
		}
		if err := s.SetWeights(a, w); err != nil {
			t.Fatal(err)
		}
		if k == 1 {
			if err := s.SetDelays(d); err != nil {
				t.Fatal(err)
			}
		}
		nodes = append(nodes, s)
	}
	nw, _ := net.New(nodes, []string{"pre", "post", "exc", "inh"})
	mv := &net.Monitor{Node: 1, Var: "V"}
	in := &net.Input{Node: 1, Var: "input", Op: '+', Width: 1, Data: []float64{12}}
	if err := nw.Begin(a, nsteps, 0.1, 0, threads, []*net.Input{in}, []*net.Monitor{mv}); err != nil {
		t.Fatal(err)
	}
	if err := nw.Run(nsteps); err != nil {
		t.Fatal(err)
	}
	if joint && threads > 1 && nw.Joined() != nsteps {
		t.Fatalf("%d threads: projections updated together in %d of %d steps", threads, nw.Joined(), nsteps)
	}
	nw.End()
	nw.Close()
	spikes := 0
	for _, s := range post.Spike() {
		spikes += int(s)
	}
	return mv.F64, spikes
}

// Each worker delivers only the spikes that land in its share of the post
// group; every neuron must still get the same bits as on one thread.
func TestPostDeliverySplitAcrossThreadsIsExact(t *testing.T) {
	ref, _ := runSplit(t, 1)
	moved := false
	for _, x := range ref {
		if x != ref[0] {
			moved = true
			break
		}
	}
	if !moved {
		t.Fatal("the drive does not move V; the comparison would be empty")
	}
	for _, threads := range []int{2, 3} {
		got, _ := runSplit(t, threads)
		for i := range ref {
			if math.Float64bits(got[i]) != math.Float64bits(ref[i]) {
				t.Fatalf("%d threads: V[%d] = %.17g, one thread %.17g", threads, i, got[i], ref[i])
			}
		}
	}
	// The same two projections (per-synapse weights, one with per-synapse
	// delays) updated at the same time, one per thread.
	got, _ := runSplitWay(t, 2, true)
	for i := range ref {
		if math.Float64bits(got[i]) != math.Float64bits(ref[i]) {
			t.Fatalf("projections together: V[%d] = %.17g, one thread %.17g", i, got[i], ref[i])
		}
	}
}

// A network times its first steps with and without splitting and keeps
// the faster way; whichever it keeps, two threads give one thread's bits,
// also when the run arrives in chunks too short to time at first.
func TestTunedRunMatchesOneThread(t *testing.T) {
	defer func(prev bool) { sim.AlwaysSplit = prev }(sim.AlwaysSplit)
	sim.AlwaysSplit = false
	run := func(threads int) []float64 {
		nw, ins, _ := cobaNet(t, 3000, 0.02, synapse.Auto)
		mv := &net.Monitor{Node: 0, Var: "V", Idx: []int32{0, 1000, 2399}}
		if err := nw.Begin(sim.GoAlloc{}, 1500, 0.1, 0, threads, ins, []*net.Monitor{mv}); err != nil {
			t.Fatal(err)
		}
		for _, upTo := range []int{40, 300, 1500} {
			if err := nw.Run(upTo); err != nil {
				t.Fatal(err)
			}
		}
		nw.End()
		nw.Close()
		return mv.F64
	}
	ref, got := run(1), run(2)
	for i := range ref {
		if math.Float64bits(got[i]) != math.Float64bits(ref[i]) {
			t.Fatalf("V[%d]: %.17g with two threads, %.17g with one", i, got[i], ref[i])
		}
	}
}

// A network with no loop long enough to split decides at once to keep one
// thread; one with such loops times several rounds first.
func TestTuningSkipsNetworksWithNothingToSplit(t *testing.T) {
	defer func(prev bool, mp int) { sim.AlwaysSplit, sim.MinParallel = prev, mp }(sim.AlwaysSplit, sim.MinParallel)
	sim.AlwaysSplit = false
	for _, c := range []struct {
		minParallel int
		decided     bool
	}{{1 << 30, true}, {sim.BlockSize, false}} {
		sim.MinParallel = c.minParallel
		nw, ins, _ := cobaNet(t, 3000, 0.02, synapse.Auto)
		if err := nw.Begin(sim.GoAlloc{}, 200, 0.1, 0, 2, ins, nil); err != nil {
			t.Fatal(err)
		}
		if err := nw.Run(64); err != nil {
			t.Fatal(err)
		}
		decided, split, _ := nw.Splitting()
		if decided != c.decided || decided && split {
			t.Errorf("MinParallel %d: after 64 steps decided %v, split %v; want decided %v (and then not split)",
				c.minParallel, decided, split, c.decided)
		}
		nw.End()
		nw.Close()
	}
}

// Updating the four COBA projections at the same time, one per thread,
// gives one thread's bits: each adds into its own channel, in spike and
// row order, as on one thread.
func TestProjectionsTogetherMatchOneThread(t *testing.T) {
	defer func(prev bool) { sim.AlwaysTogether = prev }(sim.AlwaysTogether)
	run := func(threads int, joint bool) ([]float64, int) {
		sim.AlwaysTogether = joint
		nw, ins, spk := cobaNet(t, 3000, 0.02, synapse.Auto)
		mv := &net.Monitor{Node: 0, Var: "V"}
		if err := nw.Begin(sim.GoAlloc{}, 600, 0.1, 0, threads, ins, []*net.Monitor{mv, spk}); err != nil {
			t.Fatal(err)
		}
		if err := nw.Run(600); err != nil {
			t.Fatal(err)
		}
		if joint && threads > 1 && nw.Joined() != 600 {
			t.Fatalf("%d threads: projections updated together in %d of 600 steps", threads, nw.Joined())
		}
		nw.End()
		nw.Close()
		return mv.F64, len(spk.EvIdx)
	}
	ref, nref := run(1, false)
	if nref == 0 {
		t.Fatal("no spikes: the comparison would miss delivery")
	}
	for _, threads := range []int{2, 3, 4} {
		got, n := run(threads, true)
		if n != nref {
			t.Fatalf("%d threads: %d spikes, one thread %d", threads, n, nref)
		}
		for i := range ref {
			if math.Float64bits(got[i]) != math.Float64bits(ref[i]) {
				t.Fatalf("%d threads: V[%d] = %.17g, one thread %.17g", threads, i, got[i], ref[i])
			}
		}
	}
}
