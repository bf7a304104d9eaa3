package expr

import (
	"math"
	"sync"
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

// chain is a graph of many nodes over two variables, TT and t: long
// enough that calls at the same time overlap in its registers.
func chain(t *testing.T) *Program {
	nodes := []Node{{Op: "var", Index: 0}, {Op: "var", Index: 1}, {Op: "TT"}, {Op: "t"}, {Op: "const", Value: 0.5}}
	for k := len(nodes); k < 200; k++ {
		ops := []string{"add", "mul", "sub", "max", "min"}
		nodes = append(nodes, Node{Op: ops[k%len(ops)], Args: []int{k - 1, k % 5}})
		if k%7 == 0 {
			nodes = append(nodes, Node{Op: "tanh", Args: []int{k}})
		}
	}
	p, err := New(nodes, []int{len(nodes) - 1, len(nodes) - 3}, 2)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// One program evaluated by several goroutines at once, each over its own
// elements (as a loop split across threads does), gives the serial bits:
// every call has registers of its own. Run with -race, nothing races.
func TestEvalFromGoroutinesAtOnce(t *testing.T) {
	p := chain(t)
	const n, workers = 16 * BlockSize, 8
	y := [][]float64{make([]float64, n), make([]float64, n)}
	tt := make([]float64, n)
	for i := 0; i < n; i++ {
		y[0][i], y[1][i], tt[i] = math.Sin(float64(i)), float64(i%17)/17, float64(i%3)
	}
	out := func() [][]float64 { return [][]float64{make([]float64, n), make([]float64, n)} }
	want := out()
	p.Eval(want, y, tt, 0.25, 0, n)
	for round := 0; round < 20; round++ {
		got := out()
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				lo, hi := w*n/workers, (w+1)*n/workers
				for b := lo; b < hi; b += 100 { // short calls, many of them
					p.Eval(got, y, tt, 0.25, b, min(b+100, hi))
				}
			}(w)
		}
		wg.Wait()
		for j := range want {
			for i := range want[j] {
				if math.Float64bits(got[j][i]) != math.Float64bits(want[j][i]) {
					t.Fatalf("round %d: output %d element %d is %v, serial %v", round, j, i, got[j][i], want[j][i])
				}
			}
		}
	}
}

// A small graph over short ranges: what taking registers costs per call
// (a compare-and-swap on one thread) shows most here.
func BenchmarkEvalShort(b *testing.B) {
	nodes := []Node{
		{Op: "var", Index: 0}, {Op: "TT"}, {Op: "const", Value: 0.98}, {Op: "const", Value: 0.18},
		{Op: "const", Value: 1}, {Op: "mul", Args: []int{2, 1}}, {Op: "sub", Args: []int{4, 0}},
		{Op: "mul", Args: []int{5, 6}}, {Op: "mul", Args: []int{3, 0}}, {Op: "sub", Args: []int{7, 8}},
	}
	p, _ := New(nodes, []int{9}, 1)
	const n = 32
	y, tt, dst := [][]float64{make([]float64, n)}, make([]float64, n), [][]float64{make([]float64, n)}
	for i := 0; i < b.N; i++ {
		p.Eval(dst, y, tt, 0, 0, n)
	}
}
