package sim

import "math"

// ExpEuler is one exponential-Euler step of dy/dt = f with linear
// coefficient a (the coefficient of y in f): y + (e^{a·dt} − 1)/a · f.
// It is exact when f is linear in y, and falls back to Euler when a = 0.
func ExpEuler(y, f, a, dt float64) float64 {
	if a == 0 {
		return y + dt*f
	}
	return y + math.Expm1(a*dt)/a*f
}
