package neuron

import (
	"math/rand"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// The vector loops (AVX2 and AVX-512 assembly on amd64) must give the
// scalar loop's bits, spikes and refractory flags included.
func TestVectorLIFMatchesScalar(t *testing.T) {
	if !haveAVX2 {
		t.Skip("this build or CPU has no vector loop")
	}
	for _, w := range []bool{false, true} {
		t.Run(map[bool]string{false: "AVX2", true: "AVX-512"}[w], func(t *testing.T) {
			if w && !haveAVX512 {
				t.Skip("this CPU has no AVX-512")
			}
			defer func(w0 bool) { wide = w0 }(wide)
			wide = w
			checkVectorLIF(t)
		})
	}
}

func checkVectorLIF(t *testing.T) {
	// pre is input set before the first step, on every fifth neuron: the
	// first update must count it, quiet or not.
	const pre = 3.0
	run := func(scalar, bias, quiet bool) (*LIF, []int32) {
		scalarOnly = scalar
		defer func() { scalarOnly = false }()
		par := LIFParams{VRest: -60, VReset: -60, VTh: -50, R: 1, Tau: 20, TRef: 5, Method: "euler"}
		// Not a multiple of 4: with AVX-512, 1000 neurons go eight at a
		// time, 4 four at a time and 3 through the scalar loop.
		g, _ := NewLIF(sim.GoAlloc{}, []int{1007}, par)
		r := rand.New(rand.NewSource(2))
		ge, gi := make([]float64, g.n), make([]float64, g.n)
		for i := range g.v {
			g.v[i] = -55 + 5*r.NormFloat64()
		}
		g.AddChannel(&sim.Channel{S: ge, Decay: 0.98, E: 0, Conductance: true})
		g.AddChannel(&sim.Channel{S: gi, Decay: 0.99, E: -80, Conductance: true})
		c := &sim.Clock{Dt: 0.1}
		g.Prepare(c)
		var all []int32
		if bias && !g.TakeConstantInput(20) {
			t.Fatal("the two-channel LIF refused a constant input")
		}
		g.SetQuietInput(quiet)
		for k := 0; k < g.n; k += 5 {
			g.input[k] = pre
		}
		for i := 0; i < 2000; i++ {
			c.At(i)
			if !bias {
				for k := range g.input {
					g.input[k] += 20
				}
			}
			for k := 0; k < 30; k++ {
				ge[r.Intn(g.n)] += 0.6
				gi[r.Intn(g.n)] += 0.3
			}
			g.Update(c)
			all = append(all, g.Spiked()...)
			all = append(all, -1)
		}
		return g, all
	}
	a, sa := run(false, false, false)
	b, sb := run(true, false, false)
	// Adding the constant inside the update gives the same bits as a pass
	// that writes it into input first (input is 0 + 20 either way), and so
	// does the update that no longer reads input after the first step.
	c, sc := run(false, true, false)
	q, sq := run(false, true, true)
	qs, sqs := run(true, true, true)
	for _, o := range []struct {
		g   *LIF
		spk []int32
	}{{c, sc}, {q, sq}, {qs, sqs}} {
		if len(o.spk) != len(sa) {
			t.Fatalf("constant or quiet input changes the number of spikes: %d, %d", len(o.spk), len(sa))
		}
		for i := range a.v {
			if o.g.v[i] != a.v[i] || o.g.tLast[i] != a.tLast[i] || o.g.spike[i] != a.spike[i] || o.g.input[i] != 0 {
				t.Fatalf("constant or quiet input: neuron %d differs: V %v/%v", i, o.g.v[i], a.v[i])
			}
		}
	}
	if len(sa) != len(sb) {
		t.Fatalf("%d spike entries with the vector loop, %d without", len(sa), len(sb))
	}
	for i := range sa {
		if sa[i] != sb[i] {
			t.Fatalf("spike list differs at %d", i)
		}
	}
	for i := range a.v {
		if a.v[i] != b.v[i] || a.tLast[i] != b.tLast[i] || a.refr[i] != b.refr[i] ||
			a.spike[i] != b.spike[i] || a.input[i] != b.input[i] {
			t.Fatalf("neuron %d differs: V %v/%v", i, a.v[i], b.v[i])
		}
	}
	if len(sa) < 2000+100 {
		t.Fatalf("too few spikes (%d) for the comparison to mean much", len(sa)-2000)
	}
}
