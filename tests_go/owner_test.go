package tests_go

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// ownerNet is COBA-like with every kind of delivery the owner way pulls:
// uniform and per-synapse weights, two projections added into one
// channel, and a one-to-one projection. E has 1900 neurons and I 1100, so
// that the threads' ranges cut E, I or both.
func ownerNet(t *testing.T) (*net.Network, []*net.Input, []*net.Monitor, []*neuron.LIF) {
	t.Helper()
	a := sim.GoAlloc{}
	par := neuron.LIFParams{VRest: -60, VReset: -60, VTh: -50, R: 1, Tau: 20, TRef: 5, Method: "euler"}
	E, _ := neuron.NewLIF(a, []int{1900}, par)
	I, _ := neuron.NewLIF(a, []int{1100}, par)
	r := rand.New(rand.NewSource(7))
	for _, g := range []*neuron.LIF{E, I} {
		for i := range g.V() {
			g.V()[i] = -55 + 5*r.NormFloat64()
		}
	}
	nodes := []sim.Node{E, I}
	names := []string{"E", "I"}
	for k, pr := range []struct {
		pre, post  sim.Group
		kind       string
		g, e, tau  float64
		perSynapse bool
	}{
		{E, E, "FixedProb", 0.5, 0, 5, true},
		{E, I, "FixedProb", 0.6, 0, 5, false},
		{I, E, "FixedProb", 6.7, -80, 10, false},
		{I, I, "One2One", 3, -80, 10, false},
		{I, E, "FixedProb", 0.3, 0, 5, false}, // into E's excitatory channel
	} {
		c, err := conn.Build(&conn.Spec{Kind: pr.kind, Prob: 0.02, Seed: uint64(k + 1), PreShape: []int{pr.pre.Size()}, PostShape: []int{pr.post.Size()}})
		if err != nil {
			t.Fatal(err)
		}
		m, err := synapse.NewModel("Exponential", map[string]float64{"g_max": pr.g, "E": pr.e, "tau": pr.tau}, "conductance", "")
		if err != nil {
			t.Fatal(err)
		}
		s, err := synapse.NewChem(a, m, pr.pre, pr.post, c, synapse.PerPost)
		if err != nil {
			t.Fatal(err)
		}
		if pr.perSynapse {
			w := make([]float64, s.NSyn())
			for i := range w {
				w[i] = 0.3 + 0.4*r.Float64()
			}
			if err := s.SetWeights(a, w); err != nil {
				t.Fatal(err)
			}
		}
		nodes = append(nodes, s)
		names = append(names, "syn")
	}
	nw, _ := net.New(nodes, names)
	ins := []*net.Input{{Node: 0, Var: "input", Op: '+', Width: 1, Data: []float64{20}}, {Node: 1, Var: "input", Op: '+', Width: 1, Data: []float64{20}}}
	mons := []*net.Monitor{{Node: 0, Var: "spike", Events: true}, {Node: 1, Var: "spike", Events: true}}
	return nw, ins, mons, []*neuron.LIF{E, I}
}

type ownerResult struct {
	v      []float64
	events [][2][]int32
}

// runOwner runs ownerNet for 700 steps in calls of uneven length.
func runOwner(t *testing.T, threads int, always bool) ownerResult {
	t.Helper()
	defer func(prev bool) { sim.AlwaysOwner = prev }(sim.AlwaysOwner)
	sim.AlwaysOwner = always
	nw, ins, mons, groups := ownerNet(t)
	if err := nw.Begin(sim.GoAlloc{}, 700, 0.1, 0, threads, ins, mons); err != nil {
		t.Fatal(err)
	}
	for _, upTo := range []int{1, 2, 100, 333} {
		if err := nw.Run(upTo); err != nil {
			t.Fatal(err)
		}
	}
	// Calls cut short by a deadline end between chunks of steps.
	for calls := 0; nw.Pos() < 500; calls++ {
		if calls > 500 {
			t.Fatal("calls with a deadline make no progress")
		}
		if err := nw.RunFor(500, time.Nanosecond); err != nil {
			t.Fatal(err)
		}
	}
	if err := nw.Run(700); err != nil {
		t.Fatal(err)
	}
	on, applies := nw.Owner()
	if always && threads > 1 && !on {
		t.Fatalf("%d threads: the owner way did not run (applies: %v)", threads, applies)
	}
	nw.End()
	nw.Close()
	var res ownerResult
	for _, g := range groups {
		res.v = append(res.v, g.V()...)
	}
	for _, m := range mons {
		res.events = append(res.events, [2][]int32{m.EvStep, m.EvIdx})
	}
	return res
}

// Each thread delivering into and updating only its own neurons, with one
// barrier a step, gives one thread's bits: the same spikes at the same
// steps and the same V, for thread counts that cut the groups anywhere.
func TestOwnerWayMatchesOneThread(t *testing.T) {
	ref := runOwner(t, 1, false)
	if len(ref.events[0][0]) == 0 || len(ref.events[1][0]) == 0 {
		t.Fatal("a group did not spike: the comparison would miss its delivery")
	}
	for _, threads := range []int{2, 3, 4} {
		got := runOwner(t, threads, true)
		for g := range ref.events {
			for j := range ref.events[g] {
				a, b := ref.events[g][j], got.events[g][j]
				if len(a) != len(b) {
					t.Fatalf("%d threads: group %d has %d events, one thread %d", threads, g, len(b), len(a))
				}
				for i := range a {
					if a[i] != b[i] {
						t.Fatalf("%d threads: group %d event %d differs", threads, g, i)
					}
				}
			}
		}
		for i := range ref.v {
			if math.Float64bits(got.v[i]) != math.Float64bits(ref.v[i]) {
				t.Fatalf("%d threads: V[%d] = %.17g, one thread %.17g", threads, i, got.v[i], ref.v[i])
			}
		}
	}
}

// A tuned run times the owner way against one thread, switching between
// them window by window; whichever it keeps, the bits are one thread's.
func TestTunedOwnerRunMatchesOneThread(t *testing.T) {
	defer func(prev bool) { sim.AlwaysSplit = prev }(sim.AlwaysSplit)
	ref := runOwner(t, 1, false)
	sim.AlwaysSplit = false
	got := runOwner(t, 2, false)
	for i := range ref.v {
		if math.Float64bits(got.v[i]) != math.Float64bits(ref.v[i]) {
			t.Fatalf("V[%d] = %.17g tuned on two threads, %.17g on one", i, got.v[i], ref.v[i])
		}
	}
	for g := range ref.events {
		if len(got.events[g][1]) != len(ref.events[g][1]) {
			t.Fatalf("group %d: %d events tuned on two threads, %d on one", g, len(got.events[g][1]), len(ref.events[g][1]))
		}
	}
}

// The owner way applies only where every step is groups and then pulled
// projections: a monitor of V, a check for NaN after each node, or a
// projection with a delay keeps it off.
func TestOwnerWayAppliesOnlyWhereItCan(t *testing.T) {
	defer func(prev bool) { sim.AlwaysOwner = prev }(sim.AlwaysOwner)
	sim.AlwaysOwner = true
	check := func(name string, change func(nw *net.Network, mons []*net.Monitor) []*net.Monitor, want bool) {
		nw, ins, mons, _ := ownerNet(t)
		mons = change(nw, mons)
		if err := nw.Begin(sim.GoAlloc{}, 10, 0.1, 0, 2, ins, mons); err != nil {
			t.Fatal(err)
		}
		if err := nw.Run(10); err != nil {
			t.Fatal(err)
		}
		if _, applies := nw.Owner(); applies != want {
			t.Errorf("%s: owner way applies %v, want %v", name, applies, want)
		}
		nw.End()
		nw.Close()
	}
	same := func(nw *net.Network, mons []*net.Monitor) []*net.Monitor { return mons }
	check("as built", same, true)
	check("V monitored", func(nw *net.Network, mons []*net.Monitor) []*net.Monitor {
		return append(mons, &net.Monitor{Node: 0, Var: "V"})
	}, false)
	check("NaN checked", func(nw *net.Network, mons []*net.Monitor) []*net.Monitor {
		nw.CheckNaN = true
		return mons
	}, false)
	check("a delay", func(nw *net.Network, mons []*net.Monitor) []*net.Monitor {
		if err := nw.Nodes()[2].(*synapse.Chem).SetDelay(0.2); err != nil {
			t.Fatal(err)
		}
		return mons
	}, false)
}
