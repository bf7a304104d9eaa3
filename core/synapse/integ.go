package synapse

import "github.com/brainsyn/brainsyn/core/sim"

// tableau is an explicit Runge–Kutta scheme (BrainPy 1.0 general_rk_methods).
type tableau struct {
	a [][]float64
	b []float64
}

var tableaus = map[string]tableau{
	"euler":      {a: [][]float64{{}}, b: []float64{1}},
	"midpoint":   {a: [][]float64{{}, {0.5}}, b: []float64{0, 1}},
	"heun2":      {a: [][]float64{{}, {1}}, b: []float64{0.5, 0.5}},
	"ralston2":   {a: [][]float64{{}, {2.0 / 3}}, b: []float64{0.25, 0.75}},
	"rk2":        {a: [][]float64{{}, {2.0 / 3}}, b: []float64{0.25, 0.75}},
	"rk3":        {a: [][]float64{{}, {0.5}, {-1, 2}}, b: []float64{1.0 / 6, 2.0 / 3, 1.0 / 6}},
	"heun3":      {a: [][]float64{{}, {1.0 / 3}, {0, 2.0 / 3}}, b: []float64{0.25, 0, 0.75}},
	"ralston3":   {a: [][]float64{{}, {0.5}, {0, 0.75}}, b: []float64{2.0 / 9, 1.0 / 3, 4.0 / 9}},
	"ssprk3":     {a: [][]float64{{}, {1}, {0.25, 0.25}}, b: []float64{1.0 / 6, 1.0 / 6, 2.0 / 3}},
	"rk4":        {a: [][]float64{{}, {0.5}, {0, 0.5}, {0, 0, 1}}, b: []float64{1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}},
	"rk4_38rule": {a: [][]float64{{}, {1.0 / 3}, {-1.0 / 3, 1}, {1, -1, 1}}, b: []float64{0.125, 0.375, 0.375, 0.125}},
	"ralston4": {a: [][]float64{{}, {0.4}, {0.29697761, 0.15875964}, {0.21810040, -3.05096516, 3.83286476}},
		b: []float64{0.17476028, -0.55148066, 1.20553560, 0.17118478}},
}

// Methods lists the integrators a Kinetics can use.
func Methods() []string {
	return []string{"euler", "midpoint", "heun2", "ralston2", "rk2", "rk3", "heun3", "ralston3",
		"ssprk3", "rk4", "ralston4", "rk4_38rule", "exponential_euler", "exact"}
}

func validMethod(m string) bool {
	for _, x := range Methods() {
		if x == m {
			return true
		}
	}
	return false
}

// eulerStepper is a Kinetics with a one-pass Euler step that gives the
// same bits as Deriv followed by y += dt·d (the hot case of NMDA).
type eulerStepper interface {
	EulerStep(y [][]float64, dt float64, lo, hi int)
}

// integrator advances SoA state by one step over [lo, hi).
type integrator struct {
	kin    Kinetics
	method string
	tab    tableau
	dt     float64
	nv     int
	k      [][][]float64 // stage derivatives [stage][var][elem]
	tmp    [][]float64   // stage input
	coef   [][]float64
	f      [][]float64
}

func newIntegrator(kin Kinetics, method string, dt float64, n int) *integrator {
	nv := len(kin.Vars())
	it := &integrator{kin: kin, method: method, dt: dt, nv: nv}
	alloc := func() [][]float64 {
		x := make([][]float64, nv)
		for j := range x {
			x[j] = make([]float64, n)
		}
		return x
	}
	switch method {
	case "exponential_euler":
		it.coef, it.f = alloc(), alloc()
	default:
		it.tab = tableaus[method]
		it.k = make([][][]float64, len(it.tab.b))
		for s := range it.k {
			it.k[s] = alloc()
		}
		it.tmp = alloc()
	}
	return it
}

// step integrates y over [lo, hi) with tt held constant (BrainPy holds
// parameters constant over a step).
func (it *integrator) step(y [][]float64, tt []float64, lo, hi int) {
	dt := it.dt
	if it.method == "exponential_euler" {
		// Each variable separately, the others at their old values.
		it.kin.Deriv(it.f, y, tt, lo, hi)
		it.kin.Coef(it.coef, y, tt, lo, hi)
		for j := 0; j < it.nv; j++ {
			yj, fj, aj := y[j], it.f[j], it.coef[j]
			for i := lo; i < hi; i++ {
				yj[i] = sim.ExpEuler(yj[i], fj[i], aj[i], dt)
			}
		}
		return
	}
	if it.method == "euler" {
		if e, ok := it.kin.(eulerStepper); ok {
			e.EulerStep(y, dt, lo, hi)
			return
		}
		k := it.k[0]
		it.kin.Deriv(k, y, tt, lo, hi)
		for j := 0; j < it.nv; j++ {
			yj, kj := y[j][lo:hi], k[j][lo:hi]
			kj = kj[:len(yj)]
			for i := range yj {
				yj[i] += dt * kj[i]
			}
		}
		return
	}
	tab := it.tab
	for s := range tab.b {
		src := y
		if s > 0 {
			for j := 0; j < it.nv; j++ {
				t, yj := it.tmp[j], y[j]
				for i := lo; i < hi; i++ {
					acc := 0.0
					for r, a := range tab.a[s] {
						if a != 0 {
							acc += a * it.k[r][j][i]
						}
					}
					t[i] = yj[i] + dt*acc
				}
			}
			src = it.tmp
		}
		it.kin.Deriv(it.k[s], src, tt, lo, hi)
	}
	for j := 0; j < it.nv; j++ {
		yj := y[j]
		for i := lo; i < hi; i++ {
			acc := 0.0
			for s, b := range tab.b {
				if b != 0 {
					acc += b * it.k[s][j][i]
				}
			}
			yj[i] += dt * acc
		}
	}
}
