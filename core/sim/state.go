package sim

import (
	"encoding/binary"
	"io"
	"math"
	"sort"
)

// Stateful is a node that can write its complete internal state (what a
// later run depends on: variables, delay lines, step counters) and read it
// back into a node built with the same structure. Parameters and
// connectivity are not part of the state; LoadState fails with a ValueError
// when the saved sizes do not match the node's.
type Stateful interface {
	SaveState(w io.Writer) error
	LoadState(r io.Reader) error
}

// StateWriter writes little-endian values; the first error sticks.
type StateWriter struct {
	W   io.Writer
	Err error
}

func (s *StateWriter) put(v any) {
	if s.Err == nil {
		s.Err = binary.Write(s.W, binary.LittleEndian, v)
	}
}

// Tag writes a short label, read back and checked by StateReader.Tag, so a
// stream for another model fails at its first field instead of misreading.
func (s *StateWriter) Tag(t string) { s.put(uint32(len(t))); s.put([]byte(t)) }

// Int writes one integer.
func (s *StateWriter) Int(x int) { s.put(int64(x)) }

// F64 writes one float.
func (s *StateWriter) F64(x float64) { s.put(math.Float64bits(x)) }

// F64s writes a length and the values.
func (s *StateWriter) F64s(x []float64) { s.Int(len(x)); s.put(x) }

// U8s writes a length and the values.
func (s *StateWriter) U8s(x []uint8) { s.Int(len(x)); s.put(x) }

// Vars writes every variable by sorted name, read-only mirrors excluded
// (they are recomputed from the state).
func (s *StateWriter) Vars(vars map[string]Var) {
	names := sortedVars(vars)
	s.Int(len(names))
	for _, n := range names {
		s.Tag(n)
		v := vars[n]
		if v.IsBool() {
			s.U8s(v.U8)
		} else {
			s.F64s(v.F64)
		}
	}
}

func sortedVars(vars map[string]Var) []string {
	var names []string
	for n, v := range vars {
		if !v.ReadOnly {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// StateReader reads what StateWriter wrote; the first error sticks.
type StateReader struct {
	R   io.Reader
	Err error
	// What names the node in errors, e.g. "LIF".
	What string
}

func (s *StateReader) get(v any) {
	if s.Err == nil {
		if err := binary.Read(s.R, binary.LittleEndian, v); err != nil {
			s.Err = Errorf("%s: saved state is truncated or corrupt (%v)", s.What, err)
		}
	}
}

func (s *StateReader) fail(format string, a ...any) {
	if s.Err == nil {
		s.Err = Errorf(s.What+": "+format, a...)
	}
}

// Tag reads a label and checks it equals t.
func (s *StateReader) Tag(t string) {
	var n uint32
	s.get(&n)
	if s.Err != nil {
		return
	}
	if n > 1<<10 {
		s.fail("saved state is corrupt (label of %d bytes)", n)
		return
	}
	b := make([]byte, n)
	s.get(b)
	if s.Err == nil && string(b) != t {
		s.fail("saved state has %q where %q was expected (saved from another model?)", string(b), t)
	}
}

// Int reads one integer.
func (s *StateReader) Int() int {
	var x int64
	s.get(&x)
	return int(x)
}

// F64 reads one float.
func (s *StateReader) F64() float64 {
	var x uint64
	s.get(&x)
	return math.Float64frombits(x)
}

// Len reads a length and checks it equals want (want < 0 accepts any
// length up to 1<<31).
func (s *StateReader) Len(what string, want int) int {
	n := s.Int()
	if s.Err != nil {
		return 0
	}
	if (want >= 0 && n != want) || n < 0 || n > 1<<31 {
		s.fail("saved %s has %d elements, this object has %d (different network structure?)", what, n, want)
		return 0
	}
	return n
}

// F64sInto reads a float array of exactly len(dst) values into dst.
func (s *StateReader) F64sInto(what string, dst []float64) {
	if s.Len(what, len(dst)) == len(dst) && s.Err == nil {
		s.get(dst)
	}
}

// U8sInto reads a byte array of exactly len(dst) values into dst.
func (s *StateReader) U8sInto(what string, dst []uint8) {
	if s.Len(what, len(dst)) == len(dst) && s.Err == nil {
		s.get(dst)
	}
}

// F64sNew reads a float array of any length.
func (s *StateReader) F64sNew(what string) []float64 {
	n := s.Len(what, -1)
	if s.Err != nil {
		return nil
	}
	x := make([]float64, n)
	s.get(x)
	return x
}

// Vars reads variables written by StateWriter.Vars into vars, in place
// (their memory may be shared with Python views).
func (s *StateReader) Vars(vars map[string]Var) {
	names := sortedVars(vars)
	n := s.Int()
	if s.Err == nil && n != len(names) {
		s.fail("saved state has %d variables, this object has %d (%v)", n, len(names), names)
		return
	}
	for _, name := range names {
		s.Tag(name)
		v := vars[name]
		if v.IsBool() {
			s.U8sInto(name, v.U8)
		} else {
			s.F64sInto(name, v.F64)
		}
	}
}
