package capi

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unsafe"

	"github.com/brainsyn/brainsyn/core/sim"
	"github.com/brainsyn/brainsyn/core/synapse"
)

// Fuzz targets for the boundary: every Go-level function of the API and
// the pointer-free core of every bs_* export. Any input must give an error
// of a known class; a recovered panic ("internal error") counts as a bug,
// and so does memory left behind once every handle is freed.

// lowLimit keeps every array the fuzzed inputs may allocate small.
func lowLimit(f *testing.F) {
	old := sim.SetMaxElements(1 << 16)
	f.Cleanup(func() { sim.SetMaxElements(old) })
}

var classes = []string{"ValueError", "TypeError", "IndexError", "KeyError", "RuntimeError", "FloatingPointError", "MemoryError"}

// checkErr fails on an error that is not a user-facing engine error.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if _, ok := err.(*sim.Error); !ok { // pyapi passes err.Error() on: it must start with the class
		t.Fatalf("error of type %T: %v", err, err)
	}
	msg := errText(err)
	if strings.Contains(msg, "internal error") {
		t.Fatalf("a panic reached guard: %s", msg)
	}
	for _, c := range classes {
		if strings.HasPrefix(msg, c+": ") {
			return
		}
	}
	t.Fatalf("error without a class: %q", msg)
}

// baseline returns a function that fails if handles or stores leaked.
func baseline(t *testing.T) func() {
	o0, s0 := Live()
	b0 := LiveBytes()
	return func() {
		t.Helper()
		if o, s := Live(); o != o0 || s != s0 || LiveBytes() != b0 {
			t.Fatalf("leak: handles %d -> %d, stores %d -> %d, bytes %d -> %d", o0, o, s0, s, b0, LiveBytes())
		}
	}
}

// checkRef verifies that memory handed out is a live store at least as
// long as the length reported with it, then drops the caller's reference.
func checkRef(t *testing.T, r ref) {
	t.Helper()
	size := map[int]int64{kindF64: 8, kindBool: 1, kindI32: 4}[r.kind]
	if r.p == nil {
		if r.n != 0 && r.sid != 0 {
			t.Fatalf("nil pointer with length %d and store %d", r.n, r.sid)
		}
		return
	}
	if got := int64(storeBytes(r.sid)); got < r.n*size {
		t.Fatalf("store %d has %d bytes for %d elements of %d bytes", r.sid, got, r.n, size)
	}
	// Touch the first and last element: they must be readable.
	if r.n > 0 {
		b := unsafe.Slice((*byte)(r.p), r.n*size)
		_ = b[0] + b[len(b)-1]
	}
	if err := storeRelease(r.sid); err != nil {
		t.Fatal(err)
	}
}

func free(t *testing.T, hs ...int64) {
	t.Helper()
	for _, h := range hs {
		if h != 0 {
			if err := Free(h); err != nil {
				t.Fatalf("free %d: %v", h, err)
			}
		}
	}
}

// checkVars reads every variable of h through varRef.
func checkVars(t *testing.T, h int64) {
	t.Helper()
	js, err := Vars(h)
	checkErr(t, err)
	var vs []varInfo
	if err == nil {
		if err := json.Unmarshal([]byte(js), &vs); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range vs {
		r, err := varRef(h, v.Name)
		checkErr(t, err)
		if err == nil {
			checkRef(t, r)
		}
	}
	_, err = Info(h)
	checkErr(t, err)
}

var neuronModels = []string{"LIF", "HH", "SpikeTimeInput", "PoissonInput", "External"}

// FuzzNewNeuron: JSON specs of neuron groups.
func FuzzNewNeuron(f *testing.F) {
	lowLimit(f)
	for i, s := range []string{
		`{"shape":[3]}`, `{"shape":[2,3],"params":{"V_th":15,"tau":5},"method":"exponential_euler"}`,
		`{"shape":[2],"params":{"gNa":100}}`, `{"shape":[4],"times":[1,2.5,1e300],"indices":[0,3,1]}`,
		`{"shape":[5],"freqs":[10],"seed":3}`, `{"shape":[1]}`,
		`{"shape":[4294967296,4294967296]}`, `{"shape":[-3]}`, `{"shape":[]}`, `{"shape":[100000000]}`,
		`{"shape":[2],"params":{"tau":0}}`, `{"shape":[2],"params":{"nope":1}}`, `{"shape":[3],"bogus":1}`,
		`{"shape":[2],"times":[1],"indices":[7]}`, `{"shape":[2],"freqs":[1,2,3]}`, `{"shape":[2],"freqs":[-1]}`, `[`,
	} {
		f.Add(neuronModels[i%len(neuronModels)], s)
	}
	f.Add("Izhikevich", `{"shape":[1]}`)
	f.Fuzz(func(t *testing.T, model, spec string) {
		done := baseline(t)
		h, err := NewNeuron(model, spec)
		checkErr(t, err)
		if err == nil {
			checkVars(t, h)
			free(t, h)
		}
		done()
	})
}

// FuzzNewConn: connector specs through the API, then the id copies.
func FuzzNewConn(f *testing.F) {
	lowLimit(f)
	for _, s := range []string{
		`{"kind":"All2All","pre_shape":[2],"post_shape":[3]}`, `{"kind":"FixedProb","prob":0.2,"pre_shape":[30],"post_shape":[30]}`,
		`{"kind":"GridEight","pre_shape":[3,3],"post_shape":[3,3]}`, `{"kind":"One2One","pre_shape":[3],"post_shape":[4]}`,
		`{"kind":"All2All","pre_shape":[100000],"post_shape":[100000]}`, `{}`, `x`,
	} {
		f.Add(s, 0)
	}
	f.Add(`{"kind":"FixedPostNum","num":2,"pre_shape":[4],"post_shape":[4]}`, 1)
	f.Fuzz(func(t *testing.T, spec string, which int) {
		done := baseline(t)
		h, err := NewConn(spec)
		checkErr(t, err)
		if err == nil {
			n, err := ConnSize(h)
			checkErr(t, err)
			r, err := connIDs(h, which)
			checkErr(t, err)
			if err == nil {
				if r.n != int64(n) {
					t.Fatalf("%d ids for %d synapses", r.n, n)
				}
				checkRef(t, r)
			}
			_, err = Info(h)
			checkErr(t, err)
			free(t, h)
		}
		done()
	})
}

// synModels is every registered model, Gap_junction included.
var synModels = func() []string {
	var n []string
	for _, d := range synapse.Defs() {
		n = append(n, d.Name)
	}
	return n
}()

// FuzzNewSynapse: synapse specs and per-synapse arrays between two small
// groups, over a fuzzed connector.
func FuzzNewSynapse(f *testing.F) {
	lowLimit(f)
	for i, s := range []string{
		`{}`, `{"delay":1.5,"layout":"pre"}`, `{"layout":"post","method":"exact"}`, `{"params":{"tau":3},"output":"COBA"}`,
		`{"delay":1e300}`, `{"delay":-1}`, `{"layout":"diagonal"}`, `{"method":"rk4","params":{"g_max":1e308}}`,
		`{"weight":0.5,"k_spikelet":0.1,"post_refractory":true}`, `{"params":{"nope":1}}`, `{"delay":5e4}`,
	} {
		f.Add(synModels[i%len(synModels)], s, `{"kind":"All2All","pre_shape":[3],"post_shape":[2]}`, "w", []byte{1, 2, 3})
	}
	f.Add("Gap_junction", `{"delay":100000}`, `{"kind":"All2All","pre_shape":[3],"post_shape":[2]}`, "w", []byte{})
	f.Add("AMPA", `{}`, `{"kind":"One2One","pre_shape":[3],"post_shape":[3]}`, "delay", make([]byte, 48))
	f.Fuzz(func(t *testing.T, model, spec, connSpec, arr string, data []byte) {
		done := baseline(t)
		pre, err := NewNeuron("LIF", `{"shape":[3]}`)
		checkErr(t, err)
		post, err := NewNeuron("HH", `{"shape":[2]}`)
		checkErr(t, err)
		c, err := NewConn(connSpec)
		checkErr(t, err)
		if err != nil {
			c = pre // a handle of the wrong kind is a valid test too
		}
		s, err := NewSynapse(model, pre, post, c, spec)
		checkErr(t, err)
		if err == nil {
			checkErr(t, setArray(s, arr, floats(data)))
			checkVars(t, s)
			r, err := connIDs(s, 1)
			checkErr(t, err)
			if err == nil {
				checkRef(t, r)
			}
			// A run over the synapse exercises Prepare with its delay.
			nw, err := NewNetwork(jsonInts(pre, s, post), `["a","b","c"]`)
			checkErr(t, err)
			if err == nil {
				if err := Begin(nw, 20, 0.1, 0, true, `[{"node":1,"var":"g"}]`); err == nil {
					_, err = Run(nw, 20)
					checkErr(t, err)
					checkErr(t, End(nw))
				} else {
					checkErr(t, err)
				}
				free(t, nw)
			}
			free(t, s)
		}
		if c != pre {
			free(t, c)
		}
		free(t, pre, post)
		done()
	})
}

func jsonInts(hs ...int64) string {
	b, _ := json.Marshal(hs)
	return string(b)
}

// floats reads little-endian float64s (NaN and Inf included).
func floats(b []byte) []float64 {
	x := make([]float64, len(b)/8)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return x
}

// FuzzNewNetwork: lists of handles (valid, repeated, stale, of the wrong
// kind) and names.
func FuzzNewNetwork(f *testing.F) {
	lowLimit(f)
	f.Add(`[1,2,3]`, `["a","b","c"]`)
	f.Add(`[1,1]`, `["a","b"]`)
	f.Add(`[4]`, `["n"]`)
	f.Add(`[0,-1,99999]`, `["a","b","c"]`)
	f.Add(`[]`, `[]`)
	f.Add(`[1,2]`, `["a"]`)
	f.Add(`{"a":1}`, `null`)
	f.Fuzz(func(t *testing.T, handles, names string) {
		done := baseline(t)
		// Map small numbers onto this world's handles: 1 LIF, 2 synapse,
		// 3 LIF, 4 connector; others stay as given (stale or bogus).
		a, _ := NewNeuron("LIF", `{"shape":[2]}`)
		b, _ := NewNeuron("LIF", `{"shape":[2]}`)
		c, _ := NewConn(`{"kind":"All2All","pre_shape":[2],"post_shape":[2]}`)
		s, err := NewSynapse("Exponential", a, b, c, `{}`)
		checkErr(t, err)
		world := map[int64]int64{1: a, 2: s, 3: b, 4: c}
		var hs []int64
		if json.Unmarshal([]byte(handles), &hs) == nil {
			for i, h := range hs {
				if w, ok := world[h]; ok {
					hs[i] = w
				}
			}
			handles = jsonInts(hs...)
		}
		nw, err := NewNetwork(handles, names)
		checkErr(t, err)
		if err == nil {
			checkErr(t, Begin(nw, 5, 0.1, 0, false, `[]`))
			_, err = Run(nw, 5)
			checkErr(t, err)
			checkErr(t, End(nw))
			free(t, nw)
		}
		free(t, s, c, a, b)
		done()
	})
}

// FuzzRun: Begin's arguments and monitor JSON, one queued input, then the
// run calls (Run, StepRange, Advance, End) and the monitor exports.
func FuzzRun(f *testing.F) {
	lowLimit(f)
	f.Add(uint16(30), 0.1, 0.0, true, `[{"node":0,"var":"V"},{"node":1,"var":"s","every":3},{"node":2,"var":"spike","events":true}]`,
		0, "input", byte('+'), false, int64(1), floats64(35), 30, 5)
	f.Add(uint16(10), 0.1, 0.0, true, `[{"node":2,"var":"V","idx":[1,0,1]}]`, 2, "V", byte('='), true, int64(2), floats64(make([]float64, 20)...), 10, 3)
	f.Add(uint16(10), 0.1, 0.0, true, `[{"node":0,"var":"V"}]`, 0, "V", byte('+'), false, int64(1), floats64(math.Inf(1)), 10, 0)
	f.Add(uint16(10), 0.1, 0.0, false, `[{"node":0,"var":"V","idx":[5]}]`, 0, "V", byte('*'), false, int64(1), floats64(math.NaN()), 10, 0)
	f.Add(uint16(10), 1e-300, 1e300, false, `[{"node":7,"var":"V"}]`, 9, "nope", byte('%'), true, int64(-1), []byte{}, -5, -1)
	f.Add(uint16(65535), math.Inf(1), math.NaN(), false, `[{"node":1,"var":"g","every":-4}]`, 1, "g", byte('/'), false, int64(6), floats64(0, 0, 0, 0, 0, 0), 99999, 70000)
	f.Add(uint16(5), 0.1, 0.0, false, `[{"node":0,"var":"spike","every":1000000000}]`, -1, "", byte(0), false, int64(math.MaxInt64), []byte{1}, 5, 2)
	f.Fuzz(func(t *testing.T, nsteps uint16, dt, start float64, checkNaN bool, monitors string,
		node int, v string, op byte, iter bool, width int64, data []byte, upTo, step int) {
		done := baseline(t)
		pre, _ := NewNeuron("LIF", `{"shape":[3]}`)
		post, _ := NewNeuron("LIF", `{"shape":[2]}`)
		c, _ := NewConn(`{"kind":"All2All","pre_shape":[3],"post_shape":[2]}`)
		syn, err := NewSynapse("AMPA", pre, post, c, `{"delay":0.5}`)
		checkErr(t, err)
		nw, err := NewNetwork(jsonInts(pre, syn, post), `["pre","syn","post"]`)
		checkErr(t, err)
		n := int(nsteps) % 2000 // a long run is legitimate, just slow
		checkErr(t, netInput(nw, node, v, op, iter, width, floats(data)))
		err = Begin(nw, n, dt, start, checkNaN, monitors)
		checkErr(t, err)
		if err == nil {
			_, err = Run(nw, upTo)
			checkErr(t, err)
			checkErr(t, StepRange(nw, step, 0, 3))
			checkErr(t, StepRange(nw, step, step, 2))
			checkErr(t, Advance(nw, step))
			_, err = Run(nw, n)
			checkErr(t, err)
			checkErr(t, Stop(nw))
			checkErr(t, End(nw))
			for k := -1; k < 4; k++ {
				r, rows, cols, err := monitorRef(nw, k)
				checkErr(t, err)
				if err == nil {
					if r.n != rows*cols {
						t.Fatalf("monitor %d: %d elements for %d×%d", k, r.n, rows, cols)
					}
					checkRef(t, r)
				}
				ev, err := monitorEvents(nw, k)
				checkErr(t, err)
				if err == nil {
					if ev.n%2 != 0 {
						t.Fatalf("monitor %d: %d int32 for (step, index) pairs", k, ev.n)
					}
					checkRef(t, ev)
				}
			}
		}
		// Calls out of order after the run are errors, not faults.
		_, err = Run(nw, 1)
		checkErr(t, err)
		checkErr(t, StepRange(nw, 0, 0, 1))
		checkErr(t, Advance(nw, 1))
		checkErr(t, End(nw))
		free(t, nw, syn, c, pre, post)
		done()
	})
}

func floats64(x ...float64) []byte {
	b := make([]byte, 8*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

// FuzzABI: a program of calls on every export core and API function with
// arbitrary handles, indices, names and lengths, against a small world.
func FuzzABI(f *testing.F) {
	lowLimit(f)
	f.Add([]byte{0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17})
	f.Add([]byte{7, 200, 3, 0, 9, 1, 1, 4, 2, 4, 13, 5, 14, 250, 12, 3})
	f.Add([]byte{11, 0, 5, 2, 6, 1, 12, 2, 12, 2, 4, 3, 15, 3})
	f.Fuzz(func(t *testing.T, prog []byte) {
		done := baseline(t)
		threads := Threads()
		defer SetThreads(threads)
		a, _ := NewNeuron("LIF", `{"shape":[3]}`)
		b, _ := NewNeuron("PoissonInput", `{"shape":[2],"freqs":[500]}`)
		c, _ := NewConn(`{"kind":"All2All","pre_shape":[2],"post_shape":[3]}`)
		s, _ := NewSynapse("AMPA", b, a, c, `{}`)
		g, _ := NewSynapse("Gap_junction", a, a, mustConn(t, `{"kind":"One2One","pre_shape":[3],"post_shape":[3]}`), `{}`)
		nw, _ := NewNetwork(jsonInts(b, s, a, g), `["b","s","a","g"]`)
		world := []int64{a, b, c, s, g, nw, 0, -1, nw + 1000}
		names := []string{"V", "spike", "w", "delay", "g", "s", "input", "", "nope", "t_last_spike"}
		pos := 0
		next := func() int {
			if pos >= len(prog) {
				return 0
			}
			pos++
			return int(prog[pos-1])
		}
		var refs []ref
		for pos < len(prog) {
			op, x := next(), next()
			h, name := world[x%len(world)], names[x%len(names)]
			k := x%7 - 2
			var err error
			switch op % 18 {
			case 0:
				var r ref
				r, err = varRef(h, name)
				refs = append(refs, r)
			case 1:
				var r ref
				r, _, _, err = monitorRef(h, k)
				refs = append(refs, r)
			case 2:
				var r ref
				r, err = monitorEvents(h, k)
				refs = append(refs, r)
			case 3:
				err = setArray(h, name, make([]float64, x%8))
			case 4:
				var id int64
				id, err = connFromIJChecked(int64(x%5-1), int64(x%4), []int32{int32(x % 3), 1}, []int32{0, int32(x%6 - 2)})
				if err == nil {
					free(t, id)
				}
			case 5:
				var r ref
				r, err = connIDs(h, k)
				refs = append(refs, r)
			case 6:
				// Only ids that cannot exist: dropping a reference one does not
				// hold is outside the contract (it would free live memory).
				if storeRelease(-int64(x)) == nil || storeRelease(1<<62+int64(x)) == nil {
					t.Fatal("released a store that does not exist")
				}
			case 7:
				err = netInput(h, k, name, "+-*/=%"[x%6], x%2 == 0, int64(x%5-1), make([]float64, x%7))
			case 8:
				err = Begin(h, x%50, 0.1, 0, x%2 == 0, []string{`[]`, `[{"node":2,"var":"V"}]`, `[{"node":0,"var":"spike","events":true}]`, `[{"node":1,"var":"g"}]`}[x%4])
			case 9:
				_, err = Run(h, x%60-5)
			case 10:
				err = StepRange(h, x%60-5, k, k+2)
			case 11:
				err = Advance(h, x%60-5)
			case 12:
				err = End(h)
			case 13:
				err = Stop(h)
			case 14:
				_, err = Steps(h)
				if err == nil {
					err = SetSteps(h, int64(x)-3)
				}
			case 15:
				_, err = Vars(h)
				if err == nil {
					_, err = Info(h)
				}
			case 16:
				err = SetThreads(x%4 + 1 - x%2*8) // 1..4, or <= 0
			case 17:
				_, err = ConnSize(h)
			}
			checkErr(t, err)
			buf := make([]byte, x%5)
			writeErr(err, buf) // any buffer length, 0 included
		}
		for _, r := range refs {
			if r.sid != 0 {
				checkRef(t, r)
			}
		}
		End(nw)
		free(t, nw, g, s, c, a, b)
		done()
	})
}

func mustConn(t *testing.T, spec string) int64 {
	h, err := NewConn(spec)
	if err != nil {
		t.Fatal(err)
	}
	// The gap junction holds no reference to its connector: free it now.
	defer Free(h)
	return h
}

// FuzzGoSlice: the copy of caller arrays checks lengths and NULL.
func FuzzGoSlice(f *testing.F) {
	lowLimit(f)
	f.Add(int64(3), true)
	f.Add(int64(-1), true)
	f.Add(int64(5), false)
	f.Add(int64(0), false)
	f.Add(int64(math.MaxInt64), true)
	f.Fuzz(func(t *testing.T, n int64, withPtr bool) {
		buf := make([]float64, 8)
		var p unsafe.Pointer
		if withPtr {
			p = unsafe.Pointer(&buf[0])
		}
		if withPtr && n > int64(len(buf)) {
			n = n%int64(len(buf)+1) - 1 // never read past our own buffer
		}
		x, err := goSlice[float64](p, n, "array")
		checkErr(t, err)
		if err == nil && int64(len(x)) != n {
			t.Fatalf("copied %d of %d", len(x), n)
		}
		if err == nil && n > 0 && !withPtr {
			t.Fatal("NULL with a length was accepted")
		}
	})
}
