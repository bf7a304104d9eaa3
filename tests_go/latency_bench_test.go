package tests_go

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// BenchmarkDependentLoad follows a random cycle through one cache line
// after another in arrays of 256 KiB to 64 MiB (allocated as state is, on
// huge pages): ns/op is the latency of a load from wherever an array of
// that size lives. It shows how much of the cache hierarchy a large
// network's state can use on the machine at hand, which sets how the
// time per step grows with the network (docs/dev/performance_log.md, Scaling).
func BenchmarkDependentLoad(b *testing.B) {
	for _, kib := range []int{256, 1024, 2048, 4096, 16384, 65536} {
		b.Run(fmt.Sprintf("KiB=%d", kib), func(b *testing.B) {
			const line = 8 // float64s per 64-byte line
			x := sim.GoAlloc{}.F64(kib << 10 / 8)
			n := len(x) / line
			perm := rand.New(rand.NewSource(1)).Perm(n)
			for i, p := range perm {
				x[p*line] = math.Float64frombits(uint64(perm[(i+1)%n] * line))
			}
			p := 0
			for range n { // one lap to bring in what fits
				p = int(math.Float64bits(x[p]))
			}
			b.ResetTimer()
			for range b.N {
				p = int(math.Float64bits(x[p]))
			}
			if p < 0 {
				b.Fatal(p)
			}
		})
	}
}
