package tests_go

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/neuron"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// cobaNet builds the COBA benchmark network (perf_anchors §1.2, I = 20 mV).
func cobaNet(tb testing.TB, n int, p float64, layout synapse.Layout) (*net.Network, []*net.Input, *net.Monitor) {
	a := sim.GoAlloc{}
	ne := n * 4 / 5
	par := neuron.LIFParams{VRest: -60, VReset: -60, VTh: -50, R: 1, Tau: 20, TRef: 5, Method: "euler"}
	E, _ := neuron.NewLIF(a, []int{ne}, par)
	I, _ := neuron.NewLIF(a, []int{n - ne}, par)
	r := rand.New(rand.NewSource(1))
	for _, g := range []*neuron.LIF{E, I} {
		for i := range g.V() {
			g.V()[i] = -55 + 5*r.NormFloat64()
		}
	}
	nodes := []sim.Node{E, I}
	names := []string{"E", "I"}
	k := uint64(0)
	for _, pr := range []struct {
		pre, post sim.Group
		g, e, tau float64
	}{{E, E, 0.6, 0, 5}, {E, I, 0.6, 0, 5}, {I, E, 6.7, -80, 10}, {I, I, 6.7, -80, 10}} {
		k++
		c, err := conn.Build(&conn.Spec{Kind: "FixedProb", Prob: p, Seed: k, PreShape: []int{pr.pre.Size()}, PostShape: []int{pr.post.Size()}})
		if err != nil {
			tb.Fatal(err)
		}
		m, err := synapse.NewModel("Exponential", map[string]float64{"g_max": pr.g, "E": pr.e, "tau": pr.tau}, "conductance", "")
		if err != nil {
			tb.Fatal(err)
		}
		s, err := synapse.NewChem(a, m, pr.pre, pr.post, c, layout)
		if err != nil {
			tb.Fatal(err)
		}
		nodes = append(nodes, s)
		names = append(names, "syn")
	}
	nw, _ := net.New(nodes, names)
	ins := []*net.Input{{Node: 0, Var: "input", Op: '+', Width: 1, Data: []float64{20}}, {Node: 1, Var: "input", Op: '+', Width: 1, Data: []float64{20}}}
	mon := &net.Monitor{Node: 0, Var: "spike", Events: true}
	return nw, ins, mon
}

// BenchmarkCOBA runs 1000 steps (0.1 s of biological time) per iteration.
func BenchmarkCOBA(b *testing.B) { benchCOBA(b, 1) }

// BenchmarkCOBA2Threads is BenchmarkCOBA on two workers.
func BenchmarkCOBA2Threads(b *testing.B) { benchCOBA(b, 2) }

func benchCOBA(b *testing.B, threads int) {
	nw, ins, mon := cobaNet(b, 4000, 0.02, synapse.Auto)
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		if err := nw.Begin(sim.GoAlloc{}, 1000, 0.1, 0, threads, ins, []*net.Monitor{mon}); err != nil {
			b.Fatal(err)
		}
		if err := nw.Run(1000); err != nil {
			b.Fatal(err)
		}
		nw.End()
	}
}

// BenchmarkCOBAScaling runs COBA at fixed in-degree (p = 80/N) on 1 to 16
// workers, 100 steps per iteration, after 300 steps for the rates to
// settle. Loops are always split here (TestMain), so the figures show
// what the split kernels gain from each thread, not what a tuned run picks.
func BenchmarkCOBAScaling(b *testing.B) {
	for _, n := range []int{4000, 40000, 400000} {
		nw, ins, mon := cobaNet(b, n, 80/float64(n), synapse.Auto)
		run := func(b *testing.B, steps, threads int) {
			if err := nw.Begin(sim.GoAlloc{}, steps, 0.1, 0, threads, ins, []*net.Monitor{mon}); err != nil {
				b.Fatal(err)
			}
			if err := nw.Run(steps); err != nil {
				b.Fatal(err)
			}
			nw.End()
		}
		run(b, 300, 1)
		for _, threads := range []int{1, 2, 4, 8, 16} {
			b.Run(fmt.Sprintf("n=%d/threads=%d", n, threads), func(b *testing.B) {
				for it := 0; it < b.N; it++ {
					run(b, 100, threads)
				}
			})
		}
		// A call from Python runs the steps on an operating-system thread
		// locked to its goroutine (a cgo callback), where a yield costs a
		// hand-off between threads.
		b.Run(fmt.Sprintf("n=%d/threads=2/locked", n), func(b *testing.B) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				for it := 0; it < b.N; it++ {
					run(b, 100, 2)
				}
			}()
			<-done
		})
		nw.Close()
	}
}

// BenchmarkCOBAOwner is BenchmarkCOBA on two threads in the owner way.
func BenchmarkCOBAOwner(b *testing.B) {
	defer func(prev bool) { sim.AlwaysOwner = prev }(sim.AlwaysOwner)
	sim.AlwaysOwner = true
	benchCOBA(b, 2)
}
