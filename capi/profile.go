package capi

import (
	"os"
	"runtime/pprof"
	"sync"

	"github.com/brainsyn/brainsyn/core/sim"
)

var prof struct {
	sync.Mutex
	f *os.File
}

// Profile starts (path != "") or stops (path == "") a CPU profile of the
// engine, written in pprof format; for performance work.
func Profile(path string) (err error) {
	defer guard(&err)
	prof.Lock()
	defer prof.Unlock()
	if path == "" {
		if prof.f != nil {
			pprof.StopCPUProfile()
			err = prof.f.Close()
			prof.f = nil
		}
		return err
	}
	if prof.f != nil {
		return sim.ErrorClassf("RuntimeError", "a profile is already being written")
	}
	f, err := os.Create(path)
	if err != nil {
		return sim.Errorf("profile: %v", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return sim.Errorf("profile: %v", err)
	}
	prof.f = f
	return nil
}
