// Integration of the gating state: propagators of linear kinetics and the
// one-step advance with spikes and transmitter pulses.

package synapse

import "gonum.org/v1/gonum/mat"

// propagator returns the one-step map of linear kinetics: expm(A·dt) for
// 'exact', otherwise the chosen integrator applied to the unit vectors.
func propagator(m *Model, dt float64) [][]float64 {
	lk := m.Kin.(LinearKinetics)
	A := lk.Matrix()
	nv := len(A)
	P := make([][]float64, nv)
	if m.Method == "exact" {
		a := mat.NewDense(nv, nv, nil)
		for i := range A {
			for j := range A[i] {
				a.Set(i, j, A[i][j]*dt)
			}
		}
		var e mat.Dense
		e.Exp(a)
		for i := range P {
			P[i] = make([]float64, nv)
			for j := range P[i] {
				P[i][j] = e.At(i, j)
			}
		}
		return P
	}
	it := newIntegrator(m.Kin, m.Method, dt, nv)
	y := make([][]float64, nv)
	for j := range y {
		y[j] = make([]float64, nv)
		y[j][j] = 1 // column j is the unit vector e_j
	}
	it.step(y, make([]float64, nv), 0, nv)
	for i := range P {
		P[i] = make([]float64, nv)
		for j := range P[i] {
			P[i][j] = y[i][j]
		}
	}
	return P
}

// applyProp sets y ← P·y over [lo, hi).
func applyProp(P [][]float64, y [][]float64, lo, hi int) {
	switch len(P) {
	case 1:
		p, s := P[0][0], y[0]
		for i := lo; i < hi; i++ {
			s[i] *= p
		}
	case 2:
		a, b, c, d := P[0][0], P[0][1], P[1][0], P[1][1]
		s, x := y[0], y[1]
		for i := lo; i < hi; i++ {
			si, xi := s[i], x[i]
			s[i] = a*si + b*xi
			x[i] = c*si + d*xi
		}
	default:
		tmp := make([]float64, len(P))
		for i := lo; i < hi; i++ {
			for r := range P {
				acc := 0.0
				for c := range P[r] {
					acc += P[r][c] * y[c][i]
				}
				tmp[r] = acc
			}
			for r := range P {
				y[r][i] = tmp[r]
			}
		}
	}
}

// kinetics advances elements [lo, hi) of state y (with pulse state) by one
// step; spk[i] is the spike flag of element i. t is the clock's Abs time:
// the step time in a first run, continued across later runs so that a
// transmitter pulse is neither replayed nor prolonged when run times
// restart at 0 (reference §7.11).
func (s *Chem) kinetics(y [][]float64, t float64, spk []uint8, lo, hi int, P [][]float64) {
	m := s.M
	sv := m.SpikeVar
	if m.Kin == nil { // voltage jump: s = spike
		for i := lo; i < hi; i++ {
			y[0][i] = float64(spk[i])
		}
		return
	}
	if m.Pulse {
		for i := lo; i < hi; i++ {
			if spk[i] != 0 {
				s.tLast[i] = t
			}
			if t-s.tLast[i] < m.TDur {
				s.tt[i] = m.T
			} else {
				s.tt[i] = 0
			}
		}
	}
	if sv >= 0 && m.SpikeFirst {
		for i := lo; i < hi; i++ {
			y[sv][i] += float64(spk[i])
		}
	}
	if P != nil {
		applyProp(P, y, lo, hi)
	} else {
		s.it.step(y, s.tt, lo, hi)
	}
	if sv >= 0 && !m.SpikeFirst {
		for i := lo; i < hi; i++ {
			y[sv][i] += float64(spk[i])
		}
	}
	if m.Jump != nil {
		for i := lo; i < hi; i++ {
			for n := spk[i]; n > 0; n-- {
				m.Jump(y, i)
			}
		}
	}
	if s.gate != nil {
		for i := lo; i < hi; i++ {
			s.gate[i] = m.Gate(y, i)
		}
	}
}

// gateOf is s of element i.
func (s *Chem) gateOf(i int) float64 {
	if s.gate != nil {
		return s.gate[i]
	}
	return s.y[0][i]
}
