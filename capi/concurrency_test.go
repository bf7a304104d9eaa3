package capi

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// problem describes err if it is not a user-facing engine error with a
// class (checkErr for goroutines, which must not call t.Fatal).
func problem(err error) string {
	if err == nil {
		return ""
	}
	msg := errText(err)
	if strings.Contains(msg, "internal error") {
		return "a panic reached guard: " + msg
	}
	for _, c := range classes {
		if strings.HasPrefix(msg, c+": ") {
			return ""
		}
	}
	return "error without a class: " + msg
}

var succeeded atomic.Int64

// callsOnShared is what each goroutine of TestConcurrentCallsOnFreshObjects
// does, the k-th time, to the objects all of them share: first reads of
// variables made on first use, listings, changes, states, new synapses and
// networks over the shared groups, runs.
func callsOnShared(k int, pre, post, syn, conn, nw int64) []string {
	var errs []string
	check := func(what string, err error) {
		if err == nil {
			succeeded.Add(1)
		}
		if p := problem(err); p != "" {
			errs = append(errs, what+": "+p)
		}
	}
	view := func(h int64, name string, n int64) {
		r, err := varRef(h, name)
		check("var "+name, err)
		if err == nil {
			if r.n != n {
				errs = append(errs, fmt.Sprintf("var %s has %d elements, want %d", name, r.n, n))
			}
			check("release", storeRelease(r.sid))
		}
	}
	switch k % 9 {
	case 0:
		view(syn, "s", 400)
		view(syn, "x", 400)
	case 1:
		view(syn, "w", 400)
		_, err := Vars(syn)
		check("vars", err)
	case 2:
		check("set w", setArray(syn, "w", make([]float64, 400)))
		_, err := Info(syn)
		check("info", err)
	case 3:
		data, err := SaveState(syn)
		check("save", err)
		if err == nil {
			check("load", LoadState(syn, data))
		}
	case 4:
		check("params", SetParams(post, `{"tau": 12}`))
		view(post, "V", 20)
		r, err := connIDs(syn, k&1)
		check("ids", err)
		if err == nil {
			check("release", storeRelease(r.sid))
		}
	case 5:
		h, err := NewSynapse("AMPA", pre, post, conn, `{"layout":"pre"}`)
		check("new synapse", err)
		if err == nil {
			view(h, "s", 400)
			check("free", Free(h))
		}
	case 6:
		nw, err := NewNetwork(jsonInts(pre, syn, post), `["pre","syn","post"]`)
		check("network", err)
		if err == nil {
			if err := Begin(nw, 5, 0.1, 0, false, `[{"node":1,"var":"s","idx":[0,7]}]`); err == nil {
				_, err := Run(nw, 5)
				check("run", err)
				check("end", End(nw))
			} else {
				check("begin", err)
			}
			check("free", Free(nw))
		}
	case 7:
		check("delays", setArray(syn, "delay", make([]float64, 400)))
		_, err := Vars(post)
		check("vars", err)
	case 8: // a network all share: each call runs or is refused
		check("fusion", SetFusion(nw, k&2 == 0))
		check("begin", Begin(nw, 5, 0.1, 0, false, `[{"node":1,"var":"x"}]`))
		_, err := Run(nw, 5)
		check("run", err)
		_, err = Steps(nw)
		check("steps", err)
		_, err = Threading(nw)
		check("threading", err)
		if r, _, _, err := monitorRef(nw, 0); err == nil {
			check("release", storeRelease(r.sid))
		}
		check("end", End(nw))
	}
	return errs
}

// Many goroutines call the API on objects made fresh for each round, all
// starting at once: the first reads of variables made on first use, which
// write the synapse's list of variables, used to abort the process
// ("concurrent map writes"). Run with -race, nothing may race either; every
// call gives a result or an error with a class, and nothing is left behind.
func TestConcurrentCallsOnFreshObjects(t *testing.T) {
	done := baseline(t)
	succeeded.Store(0)
	const workers, rounds = 8, 150
	for round := 0; round < rounds; round++ {
		pre, _ := NewNeuron("LIF", `{"shape":[20]}`)
		post, _ := NewNeuron("LIF", `{"shape":[20]}`)
		conn, _ := NewConn(`{"kind":"All2All","pre_shape":[20],"post_shape":[20]}`)
		syn, err := NewSynapse("NMDA", pre, post, conn, `{"layout":"pre"}`)
		if err != nil {
			t.Fatal(err)
		}
		nw, _ := NewNetwork(jsonInts(pre, syn, post), `["pre","syn","post"]`)
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []string
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				<-start
				for i := 0; i < 9; i++ {
					e := callsOnShared(w+i+round, pre, post, syn, conn, nw)
					mu.Lock()
					errs = append(errs, e...)
					mu.Unlock()
				}
			}(w)
		}
		close(start)
		wg.Wait()
		for _, e := range errs {
			t.Error(e)
		}
		if t.Failed() {
			t.FailNow()
		}
		End(nw)
		free(t, nw, syn, conn, pre, post)
	}
	done()
	// Most calls did their work (the others were refused while a network
	// ran): the test is not passed by errors alone.
	if n := succeeded.Load(); n < workers*rounds*8 {
		t.Fatalf("only %d calls succeeded", n)
	}
}

// Calls on a synapse while another goroutine frees it: each gives a result
// or an error with a class (the handle is closed), none uses memory already
// released (which used to corrupt the C heap), and none leaks.
func TestCallsRacingFree(t *testing.T) {
	done := baseline(t)
	for round := 0; round < 200; round++ {
		pre, _ := NewNeuron("LIF", `{"shape":[20]}`)
		conn, _ := NewConn(`{"kind":"All2All","pre_shape":[20],"post_shape":[20]}`)
		syn, err := NewSynapse("NMDA", pre, pre, conn, `{"layout":"pre"}`)
		if err != nil {
			t.Fatal(err)
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([][]string, 4)
		for w := range errs {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				<-start
				if w == 0 {
					Free(syn)
					return
				}
				for i := 0; i < 4; i++ {
					errs[w] = append(errs[w], callsOnShared(w+i, pre, pre, syn, conn, 0)...)
				}
			}(w)
		}
		close(start)
		wg.Wait()
		for _, e := range errs {
			for _, s := range e {
				t.Error(s)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		free(t, conn, pre)
	}
	done()
}
