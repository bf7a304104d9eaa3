package capi

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math"
	"runtime"
	"testing"
)

// FuzzLoadState mutates the saved state of one object of each kind (every
// neuron model, chemical synapses of each layout with uniform, per-synapse
// and shared delay lines, gap junctions) after a run with spikes in
// flight. LoadState must never panic nor allocate more than a small bound
// from the input; CheckState must predict it; a refused state must leave
// the object's saved state byte for byte as it was; an accepted one must
// run, and save into a state that loads.

// The world: neuron groups first, then synapses (model, pre and post
// group, connector, spec, per-synapse array and its values).
var stateNeurons = []struct{ model, spec string }{
	{"LIF", `{"shape":[3],"params":{"t_refractory":0.5}}`},
	{"HH", `{"shape":[2]}`},
	{"PoissonInput", `{"shape":[4],"freqs":[900],"seed":3,"sources":3}`},
	{"SpikeTimeInput", `{"shape":[2],"times":[0.3,5.5,14.5,14.8],"indices":[0,1,0,1]}`},
	{"External", `{"shape":[2]}`},
}

const (
	nLIF = iota
	nHH
	nPoisson
	nSpikeTime
	nExternal
)

var stateSynapses = []struct {
	model    string
	pre, pst int
	conn     string
	spec     string
	arr      string
	values   []float64
}{
	{"AMPA", nPoisson, nLIF, "All2All", `{"delay":0.5,"layout":"pre"}`, "", nil},
	{"AMPA", nPoisson, nHH, "All2All", `{"delay":0.5,"layout":"pre"}`, "", nil}, // reads the first one's state
	{"AMPA", nSpikeTime, nLIF, "All2All", `{"layout":"synapse"}`, "delay", []float64{0.1, 0.4, 0.2, 0.3, 0, 0.6}},
	{"Exponential", nPoisson, nLIF, "All2All", `{"delay":0.3,"layout":"post"}`, "", nil}, // one number per step
	{"Exponential", nSpikeTime, nHH, "All2All", `{"delay":0.4,"layout":"post","track":true}`, "w", []float64{1, 2, 3, 4}},
	{"Two_exponentials", nLIF, nHH, "All2All", `{"layout":"post"}`, "", nil}, // no delay line
	{"NMDA", nLIF, nHH, "All2All", `{"delay":0.2,"layout":"pre"}`, "", nil},
	{"GABAb1", nPoisson, nLIF, "All2All", `{"delay":0.2}`, "", nil},
	{"Voltage_jump", nExternal, nLIF, "All2All", `{"delay":0.2}`, "", nil},
	{"Gap_junction", nLIF, nLIF, "One2One", `{"delay":0.3,"weight":0.2,"k_spikelet":0.5}`, "", nil},
	{"Gap_junction", nHH, nHH, "All2All", `{}`, "", nil}, // no delay: a line of one row
}

// stateWorld is the network of every object above after a short run.
type stateWorld struct {
	nw    int64
	nodes []int64 // in network order
	blobs []string
}

var stateShapes = []int{3, 2, 4, 2, 2}

func newStateWorld(t testing.TB) *stateWorld {
	t.Helper()
	w := &stateWorld{}
	must := func(h int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for _, n := range stateNeurons {
		w.nodes = append(w.nodes, must(NewNeuron(n.model, n.spec)))
	}
	for _, s := range stateSynapses {
		c := must(NewConn(`{"kind":"` + s.conn + `","pre_shape":[` + itoa(stateShapes[s.pre]) +
			`],"post_shape":[` + itoa(stateShapes[s.pst]) + `]}`))
		h := must(NewSynapse(s.model, w.nodes[s.pre], w.nodes[s.pst], c, s.spec))
		must(0, Free(c))
		if s.arr != "" {
			must(0, setArray(h, s.arr, s.values))
		}
		w.nodes = append(w.nodes, h)
	}
	names := make([]string, len(w.nodes))
	for i := range names {
		names[i] = "n" + itoa(i)
	}
	w.nw = must(NewNetwork(jsonInts(w.nodes...), jsonStrings(names)))
	for _, g := range []int{nLIF, nHH} {
		must(0, netInput(w.nw, g, "input", '+', false, 1, []float64{60}))
	}
	w.run(t, 150)
	for _, h := range w.nodes {
		b, err := SaveState(h)
		must(0, err)
		w.blobs = append(w.blobs, b)
	}
	return w
}

func (w *stateWorld) run(t testing.TB, n int) {
	t.Helper()
	err := Begin(w.nw, n, 0.1, 0, false, `[]`)
	if err == nil {
		_, err = Run(w.nw, n)
		if e := End(w.nw); err == nil {
			err = e
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

func (w *stateWorld) free(t testing.TB) {
	t.Helper()
	for _, h := range append([]int64{w.nw}, w.nodes...) {
		if err := Free(h); err != nil {
			t.Fatal(err)
		}
	}
}

func jsonStrings(s []string) string {
	b := []byte{'['}
	for i, x := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, x...)
		b = append(b, '"')
	}
	return string(append(b, ']'))
}

// allocated is the Go heap allocated by f, in bytes.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

func FuzzLoadState(f *testing.F) {
	lowLimit(f)
	seed := newStateWorld(f)
	for i, b := range seed.blobs {
		raw, _ := base64.StdEncoding.DecodeString(b)
		f.Add(uint8(i), raw)
		for _, m := range craftedStates(raw) {
			f.Add(uint8(i), m)
		}
	}
	seed.free(f)
	var w *stateWorld
	objects, stores := Live()
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		if w == nil {
			w = newStateWorld(t)
		}
		k := int(which) % len(w.nodes)
		h := w.nodes[k]
		data := base64.StdEncoding.EncodeToString(raw)
		before, err := SaveState(h)
		checkErr(t, err)
		cerr := CheckState(h, data)
		checkErr(t, cerr)
		if after, _ := SaveState(h); after != before {
			t.Fatal("CheckState changed the object")
		}
		var lerr error
		// Decoding the base64 text makes one copy of the input; a ring
		// another; nothing may grow with a length the input claims.
		if n := allocated(func() { lerr = LoadState(h, data) }); n > 3*uint64(len(raw))+1<<16 {
			t.Fatalf("LoadState of %d bytes allocated %d bytes", len(raw), n)
		}
		checkErr(t, lerr)
		if (cerr == nil) != (lerr == nil) || (cerr != nil && cerr.Error() != lerr.Error()) {
			t.Fatalf("CheckState said %v, LoadState %v", cerr, lerr)
		}
		if lerr != nil {
			if after, _ := SaveState(h); after != before {
				t.Fatalf("a refused state (%v) changed the object", lerr)
			}
			return
		}
		// An accepted state runs (a panic in a worker would end the
		// process) and saves into a state that loads; the world is rebuilt
		// for the next input.
		err = Begin(w.nw, 5, 0.1, 0, false, `[]`)
		if err == nil {
			_, err = Run(w.nw, 5)
			checkErr(t, End(w.nw))
		}
		checkErr(t, err)
		again, err := SaveState(h)
		checkErr(t, err)
		if err := LoadState(h, again); err != nil {
			t.Fatalf("the state saved after a load and a run does not load: %v", err)
		}
		w.free(t)
		w = nil
		if o, s := Live(); o != objects || s != stores {
			t.Fatalf("leak: handles %d -> %d, stores %d -> %d", objects, o, stores, s)
		}
	})
}

// craftedStates are states with one length, index or field set to what
// an attacker would write: replayed by go test as seeds.
func craftedStates(raw []byte) [][]byte {
	var out [][]byte
	put := func(off int, v uint64) {
		if off >= 0 && off+8 <= len(raw) {
			b := bytes.Clone(raw)
			binary.LittleEndian.PutUint64(b[off:], v)
			out = append(out, b)
		}
	}
	out = append(out, raw[:len(raw)/2], append(bytes.Clone(raw), 0), nil)
	for off := 0; off+8 <= len(raw) && off < 64; off += 8 {
		put(off, 1<<31) // a length of 2^31 early in the state
	}
	gap := bytes.HasPrefix(raw[min(4, len(raw)):], []byte("Gap_junction"))
	if ring := chemRing(raw); ring >= 0 && !gap {
		put(ring, 1<<31)                   // ring length
		put(ring-8, math.MaxInt64)         // head
		put(ring-8, 1<<63)                 // head 2^63
		put(ring-24, 1<<62)                // rows
		put(ring-16, 1<<62)                // width
		put(ring-32, math.Float64bits(-1)) // dt
		put(ring-32, math.Float64bits(math.NaN()))
		put(ring-32, math.Float64bits(1e-300))
	}
	if gap {
		n := int(binary.LittleEndian.Uint64(raw[16:]))
		d := 24 + 8*n
		put(d, 1<<40)           // delay steps
		put(d+8, math.MaxInt64) // head
		put(d+8, 1<<63)         // head 2^63
		put(d+16, 1<<31)        // ring length
	}
	put(len(raw)-8, math.MaxInt64) // SpikeTimeInput: next; synapses: a flag
	return out
}

// chemRing is the offset of the delay-line length in a chemical synapse's
// state, found from the end (…, dt, R, ringW, head, len, ring, 2 flags):
// the longest line whose length field matches R×W; or -1.
func chemRing(raw []byte) int {
	for n := (len(raw) - 56) / 8; n >= 0; n-- {
		off := len(raw) - 16 - 8*n - 8
		R, W := binary.LittleEndian.Uint64(raw[off-24:]), binary.LittleEndian.Uint64(raw[off-16:])
		if binary.LittleEndian.Uint64(raw[off:]) == uint64(n) && R < 1<<21 && W < 1<<21 && R*W == uint64(n) {
			return off
		}
	}
	return -1
}
