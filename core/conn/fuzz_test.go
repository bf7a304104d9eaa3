package conn

import (
	"testing"

	"github.com/brainsyn/brainsyn/core/sim"
)

// FuzzParseBuild: any JSON connector spec either builds a well-formed
// connectivity or returns an error; never a panic, a hang or an allocation
// beyond the (lowered) element limit.
func FuzzParseBuild(f *testing.F) {
	for _, s := range []string{
		`{"kind":"All2All","pre_shape":[2],"post_shape":[3]}`,
		`{"kind":"All2All","pre_shape":[3],"post_shape":[3],"include_self":false}`,
		`{"kind":"One2One","pre_shape":[4],"post_shape":[4]}`,
		`{"kind":"FixedProb","prob":0.3,"seed":7,"pre_shape":[50],"post_shape":[40]}`,
		`{"kind":"FixedProb","prob":1e-300,"pre_shape":[50],"post_shape":[40]}`,
		`{"kind":"FixedPostNum","num":3,"pre_shape":[10],"post_shape":[5],"include_self":false}`,
		`{"kind":"FixedPreNum","num":0.5,"pre_shape":[10],"post_shape":[5]}`,
		`{"kind":"FixedPreNum","num":1e300,"pre_shape":[10],"post_shape":[5]}`,
		`{"kind":"GridFour","pre_shape":[4,5],"post_shape":[4,5]}`,
		`{"kind":"GridEight","pre_shape":[3,3],"post_shape":[9]}`,
		`{"kind":"GridN","N":1000000000,"pre_shape":[3,3],"post_shape":[3,3]}`,
		`{"kind":"All2All","pre_shape":[2147483647],"post_shape":[2147483647]}`,
		`{"kind":"All2All","pre_shape":[-1],"post_shape":[1]}`,
		`{"kind":"Nope","pre_shape":[1],"post_shape":[1]}`,
		`{"kind":"All2All"`, `null`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	old := sim.SetMaxElements(1 << 16)
	f.Cleanup(func() { sim.SetMaxElements(old) })
	f.Fuzz(func(t *testing.T, js []byte) {
		s, err := Parse(js)
		if err != nil {
			return
		}
		c, err := Build(s)
		if err != nil {
			if _, ok := err.(*sim.Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		checkConn(t, c)
	})
}

// checkConn verifies the invariants every user of a Conn relies on.
func checkConn(t *testing.T, c *Conn) {
	t.Helper()
	if len(c.Indptr) != c.NPre+1 || c.Indptr[0] != 0 || int(c.Indptr[c.NPre]) != len(c.Post) {
		t.Fatalf("inconsistent lengths: post %d indptr %d npre %d", len(c.Post), len(c.Indptr), c.NPre)
	}
	pre := c.PreIDs()
	if len(c.Post) > sim.MaxElements() {
		t.Fatalf("%d synapses exceed the limit %d", len(c.Post), sim.MaxElements())
	}
	for p := 0; p < c.NPre; p++ {
		if c.Indptr[p] > c.Indptr[p+1] {
			t.Fatalf("indptr decreases at %d", p)
		}
		for k := c.Indptr[p]; k < c.Indptr[p+1]; k++ {
			if int(pre[k]) != p || c.Post[k] < 0 || int(c.Post[k]) >= c.NPost {
				t.Fatalf("synapse %d = (%d, %d) out of row %d or range %d", k, pre[k], c.Post[k], p, c.NPost)
			}
		}
	}
}

// FuzzFromIJ: explicit pairs are validated, never trusted.
func FuzzFromIJ(f *testing.F) {
	f.Add(3, 2, []byte{0, 1, 2, 1, 0, 1})
	f.Add(1, 1, []byte{})
	f.Add(0, 5, []byte{0, 0})
	f.Add(2, 2, []byte{255, 0})
	f.Fuzz(func(t *testing.T, npre, npost int, ij []byte) {
		if npre > 1<<16 || npost > 1<<16 {
			return // FromIJ's callers bound sizes; keep the fuzz cheap
		}
		n := len(ij) / 2
		pre, post := make([]int32, n), make([]int32, n)
		for k := 0; k < n; k++ {
			pre[k], post[k] = int32(int8(ij[2*k])), int32(int8(ij[2*k+1]))
		}
		c, err := FromIJ(npre, npost, pre, post)
		if err != nil {
			return
		}
		checkConn(t, c)
	})
}
