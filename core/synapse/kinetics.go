package synapse

// Kinetics is the ODE of a synapse's gating state, evaluated over elements
// [lo, hi) of structure-of-arrays state y. tt is the transmitter
// concentration of each element (zero for models without a pulse).
type Kinetics interface {
	Vars() []string
	// Deriv writes dy/dt into d.
	Deriv(d, y [][]float64, tt []float64, lo, hi int)
	// Coef writes, for each variable, the coefficient of that variable in
	// its own derivative (exponential Euler, reference §2.5).
	Coef(a, y [][]float64, tt []float64, lo, hi int)
}

// LinearKinetics has dy/dt = A·y with constant A.
type LinearKinetics interface {
	Kinetics
	Matrix() [][]float64
}

// Pulse kinetics: ds/dt = α·T(1 − s) − β·s (AMPA, GABA_A Markov).
type markov struct{ alpha, beta float64 }

func (k markov) Vars() []string { return []string{"s"} }
func (k markov) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	s, ds := y[0], d[0]
	for i := lo; i < hi; i++ {
		ds[i] = k.alpha*tt[i]*(1-s[i]) - k.beta*s[i]
	}
}
func (k markov) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -(k.alpha*tt[i] + k.beta)
	}
}

// Exponential decay: ds/dt = −s/τ.
type expo struct{ tau float64 }

func (k expo) Vars() []string { return []string{"s"} }
func (k expo) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		d[0][i] = -y[0][i] / k.tau
	}
}
func (k expo) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -1 / k.tau
	}
}
func (k expo) Matrix() [][]float64 { return [][]float64{{-1 / k.tau}} }

// Dual exponential in s/x form: ds/dt = x, dx/dt = (−(τ1+τ2)x − s)/(τ1τ2).
// Alpha is the case τ1 = τ2 = τ: dx/dt = (−2τx − s)/τ².
type dualExp struct{ t1, t2 float64 }

func (k dualExp) Vars() []string { return []string{"s", "x"} }
func (k dualExp) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	p := k.t1 * k.t2
	for i := lo; i < hi; i++ {
		d[0][i] = y[1][i]
		d[1][i] = (-(k.t1+k.t2)*y[1][i] - y[0][i]) / p
	}
}
func (k dualExp) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = 0
		a[1][i] = -(k.t1 + k.t2) / (k.t1 * k.t2)
	}
}
func (k dualExp) Matrix() [][]float64 {
	p := k.t1 * k.t2
	return [][]float64{{0, 1}, {-1 / p, -(k.t1 + k.t2) / p}}
}

// NMDA: ds/dt = −s/τ_decay + a·x(1 − s), dx/dt = −x/τ_rise.
type nmda struct{ tau, a, tauRise float64 }

func (k nmda) Vars() []string { return []string{"s", "x"} }
func (k nmda) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		s, x := y[0][i], y[1][i]
		d[0][i] = -s/k.tau + k.a*x*(1-s)
		d[1][i] = -x / k.tauRise
	}
}

// EulerStep is the Euler step in one pass, with Deriv's arithmetic.
func (k nmda) EulerStep(y [][]float64, dt float64, lo, hi int) {
	S, X := y[0][lo:hi], y[1][lo:hi]
	X = X[:len(S)]
	for i, s := range S {
		x := X[i]
		ds := -s/k.tau + k.a*x*(1-s)
		dx := -x / k.tauRise
		S[i] = s + dt*ds
		X[i] = x + dt*dx
	}
}

func (k nmda) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -1/k.tau - k.a*y[1][i]
		a[1][i] = -1 / k.tauRise
	}
}

// GABA_B (GABAb1): dR/dt = k3·T(1 − R) − k4·R, dG/dt = k1·R − k2·G.
type gabab1 struct{ k1, k2, k3, k4 float64 }

func (k gabab1) Vars() []string { return []string{"R", "G"} }
func (k gabab1) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		r, g := y[0][i], y[1][i]
		d[0][i] = k.k3*tt[i]*(1-r) - k.k4*r
		d[1][i] = k.k1*r - k.k2*g
	}
}
func (k gabab1) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -(k.k3*tt[i] + k.k4)
		a[1][i] = -k.k2
	}
}

// GABA_B with desensitisation (GABAb2): dR/dt = k1·T(1−R−D) − k2·R + k3·D,
// dD/dt = k4·R − k3·D, dG/dt = k5·R − k6·G.
type gabab2 struct{ k1, k2, k3, k4, k5, k6 float64 }

func (k gabab2) Vars() []string { return []string{"R", "D", "G"} }
func (k gabab2) Deriv(d, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		r, dd, g := y[0][i], y[1][i], y[2][i]
		d[0][i] = k.k1*tt[i]*(1-r-dd) - k.k2*r + k.k3*dd
		d[1][i] = k.k4*r - k.k3*dd
		d[2][i] = k.k5*r - k.k6*g
	}
}
func (k gabab2) Coef(a, y [][]float64, tt []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		a[0][i] = -(k.k1*tt[i] + k.k2)
		a[1][i] = -k.k3
		a[2][i] = -k.k6
	}
}

func hill4(kd float64, gi int) func(y [][]float64, i int) float64 {
	return func(y [][]float64, i int) float64 {
		g := y[gi][i]
		g4 := g * g * g * g
		return g4 / (g4 + kd)
	}
}
