package neuron

import (
	"math"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// binomPMF is P(X = k) for X ~ Bin(n, p), from log-gamma.
func binomPMF(k, n int, p float64) float64 {
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	return math.Exp(lg(float64(n+1)) - lg(float64(k+1)) - lg(float64(n-k+1)) +
		float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
}

// poissonCounts runs a PoissonInput for steps steps and returns the
// histogram of counts (last bin: that count or more), the correlation of
// neighbouring neurons' counts in one step, and the correlation of one
// neuron's counts in consecutive steps.
func poissonCounts(t *testing.T, freqs []float64, n, sources, steps, bins int) (hist []float64, corrN, corrT float64) {
	t.Helper()
	g, err := NewPoissonInput(sim.GoAlloc{}, []int{n}, freqs, 11, sources)
	if err != nil {
		t.Fatal(err)
	}
	c := &sim.Clock{Dt: 0.1}
	hist = make([]float64, bins)
	prev := make([]float64, n)
	var sx, sxx, sn, st float64
	for s := 0; s < steps; s++ {
		c.At(s)
		g.Update(c)
		k := g.Counts()
		spiked := 0
		for i, x := range k {
			hist[min(int(x), bins-1)]++
			if x > 0 {
				spiked++
			}
			if (x > 0) != (g.Spike()[i] == 1) {
				t.Fatalf("step %d neuron %d: count %d, spike flag %d", s, i, x, g.Spike()[i])
			}
			f := float64(x)
			sx += f
			sxx += f * f
			if i > 0 {
				sn += f * float64(k[i-1])
			}
			st += f * prev[i]
			prev[i] = f
		}
		if spiked != len(g.Spiked()) {
			t.Fatalf("step %d: %d neurons with counts, %d listed", s, spiked, len(g.Spiked()))
		}
	}
	m := float64(n * steps)
	mean, vr := sx/m, sxx/m-(sx/m)*(sx/m)
	corrN = (sn/float64((n-1)*steps) - mean*mean) / vr
	corrT = (st/float64(n*(steps-1)) - mean*mean) / vr
	return hist, corrN, corrT
}

// chi2 compares a histogram with Bin(sources, p) (last bin: the tail).
func chi2(hist []float64, sources int, p float64) float64 {
	total := 0.0
	for _, h := range hist {
		total += h
	}
	x, tail := 0.0, 1.0
	for k := range hist {
		e := binomPMF(k, sources, p)
		if k == len(hist)-1 {
			e = tail
		}
		tail -= e
		e *= total
		x += (hist[k] - e) * (hist[k] - e) / e
	}
	return x
}

// Counts must follow Bin(sources, p) and be independent across neurons and
// steps, for a common rate (one draw per neuron when firing is common: the
// first and third cases; skipping to the next firing neuron when it is
// rare: the second and fourth) and for per-neuron rates.
func TestPoissonInputCounts(t *testing.T) {
	const n, steps = 1000, 2000
	for _, tc := range []struct {
		name    string
		sources int
		rate    float64
		bins    int
	}{
		{"Brian2 PoissonInput drive", 1000, 2.4, 4},
		{"single sources", 1, 300, 2},
		{"dense", 50, 200, 6},
		{"sparse bundles", 20, 10, 3},
	} {
		p := tc.rate * 0.1 / 1000
		same := []float64{tc.rate}
		mixed := make([]float64, n)
		for i := range mixed {
			mixed[i] = tc.rate
		}
		// A group whose last neuron differs takes the per-neuron path; that
		// one neuron shifts the histogram by far less than its noise.
		mixed[n-1] = tc.rate / 2
		for _, path := range []struct {
			name  string
			freqs []float64
			n     int
		}{{"common rate", same, n}, {"per-neuron rates", mixed, n}} {
			hist, cn, ct := poissonCounts(t, path.freqs, path.n, tc.sources, steps, tc.bins)
			// df = bins − 1; 30 is beyond p = 1e-5 for df ≤ 5.
			x := chi2(hist, tc.sources, p)
			t.Logf("%s, %s: χ² = %.1f", tc.name, path.name, x)
			if x > 30 {
				t.Errorf("%s, %s: χ² = %.1f against Bin(%d, %g), histogram %v", tc.name, path.name, x, tc.sources, p, hist)
			}
			lim := 5 / math.Sqrt(n*steps)
			if math.Abs(cn) > lim || math.Abs(ct) > lim {
				t.Errorf("%s, %s: correlation between neighbours %.2g, between steps %.2g (limit %.2g)", tc.name, path.name, cn, ct, lim)
			}
		}
	}
}

// A zero rate never fires, on either path.
func TestPoissonInputZeroRate(t *testing.T) {
	for _, freqs := range [][]float64{{0}, {0, 0, 0, 50}} {
		g, _ := NewPoissonInput(sim.GoAlloc{}, []int{4}, freqs, 3, 10)
		c := &sim.Clock{Dt: 0.1}
		for s := 0; s < 5000; s++ {
			c.At(s)
			g.Update(c)
			if g.Counts()[0] != 0 {
				t.Fatalf("rates %v: neuron 0 fired at step %d", freqs, s)
			}
		}
	}
}

// The table inversion gives binomialInv's count (capped at 255) for every
// uniform, including the edges of the table.
func TestInvertCDFMatchesBinomialInv(t *testing.T) {
	for _, c := range []struct{ n, p float64 }{{1000, 2.4e-4}, {20, 1e-3}, {50, 0.02}, {3, 0.5}, {300, 0.9}, {1000, 1}, {2, 1e-300}} {
		pmf0 := math.Exp(c.n * math.Log1p(-c.p))
		cdf := binomialCDF(nil, c.n, c.p, pmf0)
		us := []float64{0, pmf0, math.Nextafter(pmf0, 1), 0.5, 1 - 1e-16, math.Nextafter(1, 0)}
		for _, x := range cdf {
			us = append(us, x, math.Nextafter(x, 0), math.Nextafter(x, 1))
		}
		for i := 0; i < 10000; i++ {
			us = append(us, float64(i)/10000)
		}
		for _, u := range us {
			if u < 0 || u >= 1 {
				continue
			}
			want := min(binomialInv(u, c.n, c.p, pmf0), 255)
			if got := invertCDF(cdf, u, c.n); got != want {
				t.Fatalf("Bin(%v, %v), u = %v: table gives %d, binomialInv %d", c.n, c.p, u, got, want)
			}
		}
	}
}
