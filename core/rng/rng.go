// Package rng provides counter-based random numbers: each draw is a pure
// function of (seed, stream, counter), so results do not depend on how work
// is split across threads or in which order elements are visited.
package rng

import "math"

// mix is the SplitMix64 finaliser, a bijection with good avalanche.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Uint64 returns the random word for (seed, stream, counter).
func Uint64(seed, stream, counter uint64) uint64 {
	z := mix(seed + 0x9e3779b97f4a7c15)
	z = mix(z ^ (stream + 0x632be59bd9b4e019))
	return mix(z ^ (counter * 0xd1b54a32d192ed03))
}

// Key is the per-stream part of Uint64: Uint64(seed, stream, c) equals
// FromKey(Key(seed, stream), c), so loops over counters can hoist it.
func Key(seed, stream uint64) uint64 {
	return mix(mix(seed+0x9e3779b97f4a7c15) ^ (stream + 0x632be59bd9b4e019))
}

// FromKey returns the random word for counter c of a stream key.
func FromKey(key, c uint64) uint64 { return mix(key ^ (c * 0xd1b54a32d192ed03)) }

// UniformKey is Uniform from a stream key.
func UniformKey(key, c uint64) float64 { return float64(FromKey(key, c)>>11) * (1.0 / (1 << 53)) }

// Uniform returns a float64 in [0, 1).
func Uniform(seed, stream, counter uint64) float64 {
	return float64(Uint64(seed, stream, counter)>>11) * (1.0 / (1 << 53))
}

// Normal returns a standard normal draw (Box–Muller on two counters).
func Normal(seed, stream, counter uint64) float64 {
	u1 := Uniform(seed, stream, 2*counter)
	u2 := Uniform(seed, stream, 2*counter+1)
	if u1 < 1e-300 {
		u1 = 1e-300
	}
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Stream is a sequential generator over one (seed, stream) pair.
type Stream struct {
	Seed, ID, N uint64
}

// Float64 returns the next uniform draw in [0, 1).
func (s *Stream) Float64() float64 {
	u := Uniform(s.Seed, s.ID, s.N)
	s.N++
	return u
}

// Intn returns a uniform draw in [0, n).
func (s *Stream) Intn(n int) int {
	v := int(s.Float64() * float64(n))
	if v >= n {
		v = n - 1
	}
	return v
}
