package tests_go

import (
	"slices"
	"testing"

	"github.com/brainsyn/brainsyn/core/conn"
	"github.com/brainsyn/brainsyn/core/net"
	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// A post group large enough that delivery prefetches rows and targets
// must still get, after one step from g = 0, the sum over the spiking
// rows of weight × count, added in spike and row order: on one thread, and
// on two that each take their share of every row (by binary search in
// ascending rows, element by element in rows in another order).
func TestLargePostDeliveryMatchesRowSums(t *testing.T) {
	const npre, npost = 300, 70000
	for _, tc := range []struct {
		threads  int
		reversed bool
	}{{1, false}, {2, false}, {2, true}} {
		threads := tc.threads
		a := sim.GoAlloc{}
		pre, post := poissonToLIF(t, a, npre, npost, 200, 7, 3)
		c, err := conn.Build(&conn.Spec{Kind: "FixedProb", Prob: 0.01, Seed: 9, PreShape: []int{npre}, PostShape: []int{npost}})
		if err != nil {
			t.Fatal(err)
		}
		if tc.reversed {
			for p := 0; p < npre; p++ {
				slices.Reverse(c.Post[c.Indptr[p]:c.Indptr[p+1]])
			}
		}
		m, err := synapse.NewModel("Exponential", map[string]float64{"g_max": 0.3}, "current", "")
		if err != nil {
			t.Fatal(err)
		}
		s, err := synapse.NewChem(a, m, pre, post, c, synapse.PerPost)
		if err != nil {
			t.Fatal(err)
		}
		// post after the projection: its state is not folded into post.
		nw, _ := net.New([]sim.Node{pre, s, post}, []string{"pre", "syn", "post"})
		// TestMain sets AlwaysSplit: two threads split the delivery.
		checked := 0
		for run := 0; run < 4; run++ {
			if err := nw.Begin(a, 1, 0.1, 0, threads, nil, nil); err != nil {
				t.Fatal(err)
			}
			ch, _ := s.Channel() // S is the per-post state g
			g := ch.S
			clear(g)
			if err := nw.Run(1); err != nil {
				t.Fatal(err)
			}
			nw.End()
			want := make([]float64, npost)
			counts := pre.Counts()
			for p := 0; p < npre; p++ {
				if pre.Spike()[p] == 0 {
					continue
				}
				x := m.Weight
				if len(counts) > 0 {
					x *= float64(counts[p])
				}
				for k := c.Indptr[p]; k < c.Indptr[p+1]; k++ {
					want[c.Post[k]] += x
				}
				checked++
			}
			for q := range want {
				if g[q] != want[q] {
					t.Fatalf("%d threads (reversed rows: %v), run %d: g[%d] = %v, want %v", threads, tc.reversed, run, q, g[q], want[q])
				}
			}
		}
		nw.Close()
		if checked < 20 {
			t.Fatalf("only %d spiking rows: the check means little", checked)
		}
	}
}
