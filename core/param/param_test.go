package param

import (
	"math"
	"strings"
	"testing"
)

func TestCheckNamesBoundAndValue(t *testing.T) {
	cases := []struct {
		b    Bound
		v    float64
		want string // "" when v is within b
	}{
		{Any, -1e9, ""}, {Positive, 1e-300, ""}, {Positive, 0, "tau must be > 0, got 0"},
		{NonNeg, 0, ""}, {NonNeg, -1, "tau must be >= 0, got -1"},
		{Fraction, 1, ""}, {Fraction, 1.5, "tau must be in [0, 1], got 1.5"},
		{Fraction, math.NaN(), "tau must be in [0, 1]"},
	}
	for _, c := range cases {
		err := CheckBound("M", Param{Name: "tau", Bound: c.b}, c.v)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("bound %q, %v: got %v, want %q", c.b, c.v, err, c.want)
		}
	}
	// Check adds finiteness, which CheckBound leaves to its callers.
	if err := Check("M", Param{Name: "x"}, math.Inf(1)); err == nil || !strings.Contains(err.Error(), "x") {
		t.Errorf("Check(+Inf) = %v, want an error naming x", err)
	}
}

func TestCheckTable(t *testing.T) {
	ok := []Param{{Name: "a", Default: 1, Bound: Positive}, {Name: "b", Default: 0, Bound: NonNeg}}
	if err := CheckTable("M", ok); err != nil {
		t.Error(err)
	}
	if err := CheckTable("M", append(ok, Param{Name: "a"})); err == nil || !strings.Contains(err.Error(), `"a" twice`) {
		t.Errorf("duplicate: got %v", err)
	}
	if err := CheckTable("M", []Param{{Name: "c", Default: 0, Bound: Positive}}); err == nil {
		t.Error("a default outside its bound was accepted")
	}
	if d := Defaults(ok); len(d) != 2 || d["a"] != 1 || d["b"] != 0 {
		t.Errorf("Defaults = %v", d)
	}
	if Index(ok, "b") != 1 || Index(ok, "z") != -1 {
		t.Error("Index")
	}
	if err := Unexpected("M", "z", ok); err == nil || !strings.Contains(err.Error(), "valid: a, b") {
		t.Errorf("Unexpected = %v", err)
	}
}

func TestRegistryKeepsOrderAndRefusesDuplicates(t *testing.T) {
	var r Registry[int]
	for i, n := range []string{"z", "a", "m"} {
		v := i
		r.Add("test", n, &v)
	}
	if got := strings.Join(r.Names(), ","); got != "z,a,m" {
		t.Errorf("Names = %s", got)
	}
	if d, ok := r.Lookup("a"); !ok || *d != 1 || r.Has("q") {
		t.Error("Lookup")
	}
	if ds := r.Defs(); len(ds) != 3 || *ds[2] != 2 {
		t.Error("Defs")
	}
	defer func() {
		if recover() == nil {
			t.Error("a duplicate name did not panic")
		}
	}()
	r.Add("test", "a", new(int))
}
