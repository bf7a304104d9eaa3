package sim

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sort"
)

// Stateful is a node that can write its complete internal state (what a
// later run depends on: variables, delay lines, step counters) and read it
// back into a node built with the same structure. Parameters and
// connectivity are not part of the state.
//
// A saved state is untrusted input: ReadState decodes all of it and checks
// every length, index and flag against the node before anything changes,
// and fails with a ValueError naming the node and the field otherwise. No
// length in the input makes it allocate (arrays are views of the input).
// The function it returns copies the checked state in and cannot fail, so
// a refused state leaves the node exactly as it was.
type Stateful interface {
	SaveState(w io.Writer) error
	ReadState(b []byte) (apply func(), err error)
}

// LoadState reads a whole saved state into n, or nothing of it on an
// error.
func LoadState(n Stateful, b []byte) error {
	apply, err := n.ReadState(b)
	if err != nil {
		return err
	}
	apply()
	return nil
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

// StateReader decodes what StateWriter wrote; the first error sticks.
// Every read is bounded by the bytes left, and arrays are returned as
// views of the input, so a node can check a whole state before it copies
// any of it.
type StateReader struct {
	b   []byte // not read yet
	Err error
	// What names the node in errors, e.g. "LIF".
	What string
}

// NewStateReader reads b for the node named what.
func NewStateReader(b []byte, what string) *StateReader {
	return &StateReader{b: b, What: what}
}

// Fail records an error naming the node, unless one is recorded already.
func (s *StateReader) Fail(format string, a ...any) {
	if s.Err == nil {
		s.Err = Errorf("%s: "+format, append([]any{s.What}, a...)...)
	}
}

// take returns the next n bytes, or nil and an error when fewer are left.
func (s *StateReader) take(n int) []byte {
	if s.Err != nil {
		return nil
	}
	if n < 0 || n > len(s.b) {
		s.Fail("saved state is truncated or corrupt (%d bytes needed, %d left)", n, len(s.b))
		return nil
	}
	x := s.b[:n:n]
	s.b = s.b[n:]
	return x
}

// End fails if bytes are left over: the state of another model.
func (s *StateReader) End() error {
	if s.Err == nil && len(s.b) != 0 {
		s.Fail("saved state has %d bytes more than this object reads (different model?)", len(s.b))
	}
	return s.Err
}

// Tag reads a label and checks it equals t.
func (s *StateReader) Tag(t string) {
	b := s.take(4)
	if s.Err != nil {
		return
	}
	n := binary.LittleEndian.Uint32(b)
	if n > 1<<10 {
		s.Fail("saved state is corrupt (label of %d bytes)", n)
		return
	}
	b = s.take(int(n))
	if s.Err == nil && string(b) != t {
		s.Fail("saved state has %q where %q was expected (saved from another model?)", string(b), t)
	}
}

// Int reads one integer.
func (s *StateReader) Int() int {
	b := s.take(8)
	if s.Err != nil {
		return 0
	}
	return int(int64(binary.LittleEndian.Uint64(b)))
}

// F64 reads one float.
func (s *StateReader) F64() float64 {
	b := s.take(8)
	if s.Err != nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// Flag reads a boolean written as an integer 0 or 1.
func (s *StateReader) Flag(what string) bool {
	x := s.Int()
	if s.Err == nil && x != 0 && x != 1 {
		s.Fail("saved %s is %d, not 0 or 1", what, x)
	}
	return x == 1
}

// Len reads a length and checks it is one of want.
func (s *StateReader) Len(what string, want ...int) int {
	n := s.Int()
	if s.Err != nil {
		return 0
	}
	for _, w := range want {
		if n == w {
			return n
		}
	}
	has := fmt.Sprint(want[0])
	for _, w := range want[1:] {
		has += fmt.Sprintf(" or %d", w)
	}
	s.Fail("saved %s has %d elements, this object has %s (different network structure?)", what, n, has)
	return 0
}

// F64View is a float array of a saved state, still encoded.
type F64View []byte

// Len is the number of values.
func (v F64View) Len() int { return len(v) / 8 }

// At is value i.
func (v F64View) At(i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(v[8*i:])) }

// CopyTo decodes the values into dst, of length Len.
func (v F64View) CopyTo(dst []float64) {
	for i := range dst {
		dst[i] = v.At(i)
	}
}

// New decodes the values into a new slice (nil when there are none).
func (v F64View) New() []float64 {
	if v.Len() == 0 {
		return nil
	}
	x := make([]float64, v.Len())
	v.CopyTo(x)
	return x
}

// F64s reads a length that must be one of want, then the floats.
func (s *StateReader) F64s(what string, want ...int) F64View {
	n := s.Len(what, want...)
	if s.Err != nil {
		return nil
	}
	if n > len(s.b)/8 { // before 8n can overflow
		s.Fail("saved state is truncated or corrupt (%s needs %d values, %d bytes left)", what, n, len(s.b))
		return nil
	}
	return F64View(s.take(8 * n))
}

// Flags reads a length that must be n, then n flags of 0 or 1.
func (s *StateReader) Flags(what string, n int) []uint8 {
	x := s.U8s(what, n)
	for i, f := range x {
		if f > 1 {
			s.Fail("saved %s[%d] is %d, not 0 or 1", what, i, f)
			return nil
		}
	}
	return x
}

// U8s reads a length that must be n, then n bytes.
func (s *StateReader) U8s(what string, n int) []uint8 {
	if s.Len(what, n); s.Err != nil {
		return nil
	}
	return s.take(n)
}

// SavedVars are the variables of a saved state, checked against the
// node's, until Apply copies them in.
type SavedVars struct {
	dst []Var
	src [][]byte
}

// Apply writes the variables in place (their memory may be shared with
// Python views).
func (v SavedVars) Apply() {
	for i, d := range v.dst {
		if d.IsBool() {
			copy(d.U8, v.src[i])
		} else {
			F64View(v.src[i]).CopyTo(d.F64)
		}
	}
}

// Vars reads variables written by StateWriter.Vars and checks their names,
// lengths and flags against vars.
func (s *StateReader) Vars(vars map[string]Var) SavedVars {
	names := sortedVars(vars)
	n := s.Int()
	if s.Err == nil && n != len(names) {
		s.Fail("saved state has %d variables, this object has %d (%v)", n, len(names), names)
	}
	var sv SavedVars
	for _, name := range names {
		s.Tag(name)
		v := vars[name]
		var b []byte
		if v.IsBool() {
			b = s.Flags(name, len(v.U8))
		} else {
			b = s.F64s(name, len(v.F64))
		}
		if s.Err != nil {
			return SavedVars{}
		}
		sv.dst, sv.src = append(sv.dst, v), append(sv.src, b)
	}
	return sv
}
