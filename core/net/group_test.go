package net

import (
	"reflect"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// projection makes an exponential conductance projection of probability p.
func projection(t *testing.T, pre, post sim.Group, p, e, tau float64, seed uint64) *synapse.Chem {
	t.Helper()
	c, err := conn.Build(&conn.Spec{Kind: "FixedProb", Prob: p, Seed: seed,
		PreShape: []int{pre.Size()}, PostShape: []int{post.Size()}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := synapse.NewModel("Exponential", map[string]float64{"E": e, "tau": tau}, "conductance", "")
	if err != nil {
		t.Fatal(err)
	}
	s, err := synapse.NewChem(sim.GoAlloc{}, m, pre, post, c, synapse.Auto)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func lif(t *testing.T, n int) *neuron.LIF {
	t.Helper()
	g, err := neuron.NewLIF(sim.GoAlloc{}, []int{n}, neuron.DefaultLIF())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// runs lists the runs of nodes the network would update at the same time,
// each largest first.
func runs(t *testing.T, nodes []sim.Node, mons []*Monitor) [][]int {
	t.Helper()
	nw, err := New(nodes, make([]string, len(nodes)))
	if err != nil {
		t.Fatal(err)
	}
	if err := nw.Begin(sim.GoAlloc{}, 10, 0.1, 0, 1, nil, mons); err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	var got [][]int
	for k, e := range nw.together {
		if e > k+1 {
			got = append(got, nw.order[k])
		}
	}
	return got
}

func TestSeparateRuns(t *testing.T) {
	E, I := lif(t, 400), lif(t, 100)
	ee := projection(t, E, E, 0.1, 0, 5, 1)
	ei := projection(t, E, I, 0.1, 0, 5, 2)
	ie := projection(t, I, E, 0.1, -80, 10, 3)
	ii := projection(t, I, I, 0.1, -80, 10, 4)
	coba := []sim.Node{E, I, ee, ei, ie, ii}

	// The four projections of COBA add into four different channels.
	if got, want := runs(t, coba, nil), [][]int{{2, 3, 4, 5}}; !reflect.DeepEqual(got, want) {
		t.Errorf("COBA: runs %v, want %v", got, want)
	}
	// A monitor on one of them records between the updates: the run breaks
	// there.
	mon := &Monitor{Node: 3, Var: "s"}
	if got, want := runs(t, coba, []*Monitor{mon}), [][]int{{4, 5}}; !reflect.DeepEqual(got, want) {
		t.Errorf("monitor on node 3: runs %v, want %v", got, want)
	}
	// Two projections onto E with the same kinetics and reversal share one
	// channel, so they are not updated at the same time; the larger one is
	// started first.
	X := lif(t, 300)
	xe := projection(t, X, E, 0.3, 0, 5, 5)
	got := runs(t, []sim.Node{E, I, X, ee, xe, ie, ii}, nil)
	if want := [][]int{{4, 5, 6}}; !reflect.DeepEqual(got, want) {
		t.Errorf("shared channel: runs %v, want %v", got, want)
	}
	got = runs(t, []sim.Node{E, I, X, ee, ie, xe, ei}, nil)
	if want := [][]int{{3, 4}, {5, 6}}; !reflect.DeepEqual(got, want) {
		t.Errorf("shared channel apart: runs %v, want %v", got, want)
	}
	// Projections before their post group's update are not folded into it:
	// they write its input, and none of them is separate.
	if got := runs(t, []sim.Node{ee, ei, ie, ii, E, I}, nil); got != nil {
		t.Errorf("unfolded projections: runs %v, want none", got)
	}
}
