package tests_go

import (
	"os"
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// Small test networks must still split their loops across threads, so the
// comparisons of thread counts exercise the parallel path.
func TestMain(m *testing.M) {
	sim.MinParallel = sim.BlockSize
	sim.AlwaysSplit = true
	os.Exit(m.Run())
}
