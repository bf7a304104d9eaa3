package expr

import (
	"math"
	"testing"
)

// The tutorial's AMPA derivative α·TT·(1 − s) − β·s as a graph.
func TestAMPADerivative(t *testing.T) {
	nodes := []Node{
		{Op: "var", Index: 0}, {Op: "TT"}, {Op: "const", Value: 0.98}, {Op: "const", Value: 0.18},
		{Op: "const", Value: 1}, {Op: "mul", Args: []int{2, 1}}, {Op: "sub", Args: []int{4, 0}},
		{Op: "mul", Args: []int{5, 6}}, {Op: "mul", Args: []int{3, 0}}, {Op: "sub", Args: []int{7, 8}},
	}
	p, err := New(nodes, []int{9}, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := 600 // more than one block
	s, tt, out := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range s {
		s[i] = float64(i) / float64(n)
		if i%3 == 0 {
			tt[i] = 0.5
		}
	}
	p.Eval([][]float64{out}, [][]float64{s}, tt, 0, 0, n)
	for i := range s {
		want := 0.98*tt[i]*(1-s[i]) - 0.18*s[i]
		if math.Abs(out[i]-want) > 1e-15 {
			t.Fatalf("element %d: %v, want %v", i, out[i], want)
		}
	}
}

func TestBadGraphs(t *testing.T) {
	for name, nodes := range map[string][]Node{
		"unknown op":   {{Op: "frobnicate"}},
		"forward arg":  {{Op: "add", Args: []int{0, 1}}},
		"bad var":      {{Op: "var", Index: 3}},
		"wrong arity":  {{Op: "const"}, {Op: "neg", Args: []int{0, 0}}},
		"nan constant": {{Op: "const", Value: math.NaN()}},
	} {
		if _, err := New(nodes, []int{0}, 1); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Parse([]byte("{"), 1); err == nil {
		t.Error("bad JSON: no error")
	}
}
