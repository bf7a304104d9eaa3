// Package conn builds connectivity: the list of synapses (pre_ids[k],
// post_ids[k]) ordered by presynaptic neuron, and its compressed rows.
//
// Synapse k is index k of every per-synapse array. Rows are sorted by pre
// index; generated connectors sort each row by post index as well, which is
// BrainPy's row-major order (All2All on 2×3 gives pre 0,0,0,1,1,1 and post
// 0,1,2,0,1,2).
package conn

import (
	"encoding/json"
	"math"
	"sort"

	"github.com/brainsyn/brainsyn/core/rng"
	"github.com/brainsyn/brainsyn/core/sim"
)

// Conn is a built connectivity.
type Conn struct {
	NPre, NPost int
	Post        []int32 // post neuron of each synapse
	Indptr      []int32 // row p is synapses Indptr[p]..Indptr[p+1]
	// All2All is set when every pre connects to every post (sums apply).
	All2All bool
}

// NSyn is the number of synapses.
func (c *Conn) NSyn() int { return len(c.Post) }

// PreIDs returns the pre neuron of every synapse, made from the rows (only
// the rows are stored: 4 bytes per synapse).
func (c *Conn) PreIDs() []int32 {
	pre := make([]int32, len(c.Post))
	for p := 0; p+1 < len(c.Indptr); p++ {
		for k := c.Indptr[p]; k < c.Indptr[p+1]; k++ {
			pre[k] = int32(p)
		}
	}
	return pre
}

// Spec describes a connector; it is what the Python side sends as JSON.
type Spec struct {
	Kind        string  `json:"kind"`
	IncludeSelf *bool   `json:"include_self"`
	Prob        float64 `json:"prob"`
	Num         float64 `json:"num"`
	N           int     `json:"N"`
	Seed        uint64  `json:"seed"`
	PreShape    []int   `json:"pre_shape"`
	PostShape   []int   `json:"post_shape"`
}

// Parse decodes a JSON connector spec.
func Parse(js []byte) (*Spec, error) {
	var s Spec
	if err := json.Unmarshal(js, &s); err != nil {
		return nil, sim.Errorf("connector spec is not valid JSON: %v", err)
	}
	return &s, nil
}

func checkShape(name string, sh []int) (int, error) {
	if len(sh) == 0 {
		return 0, sim.Errorf("connector: %s is empty", name)
	}
	n := 1
	for _, d := range sh {
		if d <= 0 {
			return 0, sim.Errorf("connector: %s %v has a dimension <= 0", name, sh)
		}
		if n > math.MaxInt32/d {
			return 0, sim.Errorf("connector: %s %v is too large", name, sh)
		}
		n *= d
	}
	return n, nil
}

// maxSynapses bounds what one connector may build (about 16 GiB of ids).
const maxSynapses = 1 << 31

// Build makes the connectivity described by s.
func Build(s *Spec) (*Conn, error) {
	npre, err := checkShape("pre size", s.PreShape)
	if err != nil {
		return nil, err
	}
	npost, err := checkShape("post size", s.PostShape)
	if err != nil {
		return nil, err
	}
	// Row pointers and per-neuron work scale with the sizes themselves, even
	// when few synapses are drawn.
	if err := sim.CheckElems("connector", max(npre, npost)+1); err != nil {
		return nil, err
	}
	self := func(def bool) bool {
		if s.IncludeSelf == nil {
			return def
		}
		return *s.IncludeSelf
	}
	switch s.Kind {
	case "All2All":
		if float64(npre)*float64(npost) > maxSynapses {
			return nil, sim.Errorf("All2All: %d×%d synapses is too many", npre, npost)
		}
		if err := checkSyn("All2All", npre, npost); err != nil {
			return nil, err
		}
		inc := self(true)
		c := fromRows(npre, npost, func(p int, row []int32) []int32 {
			for q := 0; q < npost; q++ {
				if inc || p != q {
					row = append(row, int32(q))
				}
			}
			return row
		})
		c.All2All = inc
		return c, nil
	case "One2One":
		if npre != npost {
			return nil, sim.Errorf("One2One needs pre and post of the same size, got pre %d and post %d", npre, npost)
		}
		return fromRows(npre, npost, func(p int, row []int32) []int32 { return append(row, int32(p)) }), nil
	case "FixedProb":
		if math.IsNaN(s.Prob) || s.Prob < 0 || s.Prob > 1 {
			return nil, sim.Errorf("FixedProb: prob must be in [0, 1], got %v", s.Prob)
		}
		est := float64(npre) * float64(npost) * s.Prob
		if est > maxSynapses || est > float64(sim.MaxElements()) {
			return nil, sim.Errorf("FixedProb: about %.3g synapses is too many", est)
		}
		if err := sim.CheckBytes("FixedProb", int64(est*bytesPerSyn)); err != nil {
			return nil, err
		}
		return fixedProb(npre, npost, s.Prob, self(true), s.Seed), nil
	case "FixedPostNum", "FixedPreNum":
		other := npost
		if s.Kind == "FixedPreNum" {
			other = npre
		}
		num, err := count(s.Kind, s.Num, other)
		if err != nil {
			return nil, err
		}
		inc := self(true)
		rowsN := npre
		if s.Kind == "FixedPreNum" {
			rowsN = npost
		}
		if !inc && rowsN > 0 && num > other-1 {
			return nil, sim.Errorf("%s: num %d is more than the %d candidates without self-connections", s.Kind, num, other-1)
		}
		if err := checkSyn(s.Kind, rowsN, num); err != nil {
			return nil, err
		}
		if s.Kind == "FixedPostNum" {
			return fixedNum(npre, npost, num, inc, s.Seed, false), nil
		}
		return fixedNum(npost, npre, num, inc, s.Seed, true), nil
	case "GridFour", "GridEight", "GridN":
		if npre != npost {
			return nil, sim.Errorf("%s needs pre and post of the same size, got pre %d and post %d", s.Kind, npre, npost)
		}
		n := 1
		if s.Kind == "GridN" {
			n = s.N
			if n < 1 {
				return nil, sim.Errorf("GridN: N must be >= 1, got %d", n)
			}
			// Beyond the grid's extent a larger N adds no neighbours but
			// would make the row loop (2N+1)^2 long: clamp it.
			n = min(n, max(s.PreShape[0], npre/s.PreShape[0]))
		}
		if err := checkSyn(s.Kind, npre, min(npre, (2*n+1)*(2*n+1))); err != nil {
			return nil, err
		}
		return grid(s.PreShape, s.Kind, n, self(false)), nil
	}
	return nil, sim.ErrorClassf("KeyError", "unknown connector %q; valid: All2All, One2One, FixedProb, FixedPreNum, FixedPostNum, GridFour, GridEight, GridN", s.Kind)
}

func count(kind string, num float64, of int) (int, error) {
	if math.IsNaN(num) || num < 0 {
		return 0, sim.Errorf("%s: num must be >= 0, got %v", kind, num)
	}
	if num < 1 && num != math.Trunc(num) {
		return int(math.Round(num * float64(of))), nil
	}
	if num != math.Trunc(num) {
		return 0, sim.Errorf("%s: num must be an integer count or a fraction in [0, 1), got %v", kind, num)
	}
	if num > float64(of) { // compared as floats: int(1e300) is undefined
		return 0, sim.Errorf("%s: num %v is more than the %d available neurons", kind, num, of)
	}
	if int(num) > of {
		return 0, sim.Errorf("%s: num %d is more than the %d available neurons", kind, int(num), of)
	}
	return int(num), nil
}

// fromRows builds a Conn from a row generator called for p = 0..npre-1.
func fromRows(npre, npost int, gen func(p int, row []int32) []int32) *Conn {
	c := &Conn{NPre: npre, NPost: npost, Indptr: make([]int32, npre+1)}
	var row []int32
	for p := 0; p < npre; p++ {
		row = gen(p, row[:0])
		c.Post = append(c.Post, row...)
		c.Indptr[p+1] = int32(len(c.Post))
	}
	return c
}

// fixedProb draws each pair independently with probability p, walking each
// row with geometric gaps so the cost is O(synapses), not O(npre·npost).
func fixedProb(npre, npost int, p float64, inc bool, seed uint64) *Conn {
	return fromRows(npre, npost, func(i int, row []int32) []int32 {
		if p <= 0 {
			return row
		}
		st := rng.Stream{Seed: seed, ID: uint64(i)}
		if p >= 1 {
			for q := 0; q < npost; q++ {
				if inc || q != i {
					row = append(row, int32(q))
				}
			}
			return row
		}
		lq := math.Log1p(-p)
		q := -1
		for {
			u := st.Float64()
			q += 1 + int(math.Floor(math.Log1p(-u)/lq))
			if q >= npost || q < 0 {
				return row
			}
			if inc || q != i {
				row = append(row, int32(q))
			}
		}
	})
}

// fixedNum gives each of n rows exactly num distinct partners among m,
// chosen by Floyd's algorithm. Without self-connections row i draws from
// the m-1 candidates other than i. With transpose the rows are post neurons.
func fixedNum(n, m, num int, inc bool, seed uint64, transpose bool) *Conn {
	rows := make([][]int32, n)
	for i := 0; i < n; i++ {
		st := rng.Stream{Seed: seed, ID: uint64(i)}
		cand := m
		skip := !inc && i < m
		if skip {
			cand--
		}
		chosen := make(map[int]bool, num)
		row := make([]int32, 0, num)
		for j := cand - num; j < cand; j++ {
			v := st.Intn(j + 1)
			if chosen[v] {
				v = j
			}
			chosen[v] = true
			if skip && v >= i {
				v++
			}
			row = append(row, int32(v))
		}
		sort.Slice(row, func(a, b int) bool { return row[a] < row[b] })
		rows[i] = row
	}
	if !transpose {
		return fromRows(n, m, func(p int, row []int32) []int32 { return append(row, rows[p]...) })
	}
	// rows[post] lists pre ids: regroup by pre.
	byPre := make([][]int32, m)
	for q, r := range rows {
		for _, p := range r {
			byPre[p] = append(byPre[p], int32(q))
		}
	}
	return fromRows(m, n, func(p int, row []int32) []int32 { return append(row, byPre[p]...) })
}

func grid(shape []int, kind string, n int, inc bool) *Conn {
	h, w := shape[0], 1
	if len(shape) >= 2 {
		w = sim.Prod(shape[1:])
	}
	N := h * w
	return fromRows(N, N, func(p int, row []int32) []int32 {
		r, c := p/w, p%w
		for dr := -n; dr <= n; dr++ {
			for dc := -n; dc <= n; dc++ {
				if kind == "GridFour" && dr != 0 && dc != 0 {
					continue
				}
				if dr == 0 && dc == 0 && !inc {
					continue
				}
				rr, cc := r+dr, c+dc
				if rr < 0 || rr >= h || cc < 0 || cc >= w {
					continue
				}
				row = append(row, int32(rr*w+cc))
			}
		}
		sort.Slice(row, func(a, b int) bool { return row[a] < row[b] })
		return row
	})
}

// FromIJ builds a Conn from explicit pairs. Pairs are stably sorted by pre,
// so within one presynaptic neuron the given order is kept.
func FromIJ(npre, npost int, pre, post []int32) (*Conn, error) {
	if len(pre) != len(post) {
		return nil, sim.Errorf("pre_ids has %d entries but post_ids has %d", len(pre), len(post))
	}
	if npre <= 0 || npost <= 0 {
		return nil, sim.Errorf("sizes must be > 0, got pre %d and post %d", npre, npost)
	}
	for k := range pre {
		if pre[k] < 0 || int(pre[k]) >= npre {
			return nil, sim.ErrorClassf("IndexError", "pre_ids[%d] = %d is out of range for %d presynaptic neurons", k, pre[k], npre)
		}
		if post[k] < 0 || int(post[k]) >= npost {
			return nil, sim.ErrorClassf("IndexError", "post_ids[%d] = %d is out of range for %d postsynaptic neurons", k, post[k], npost)
		}
	}
	order := make([]int, len(pre))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return pre[order[a]] < pre[order[b]] })
	c := &Conn{NPre: npre, NPost: npost, Indptr: make([]int32, npre+1), Post: make([]int32, len(pre))}
	for k, o := range order {
		c.Post[k] = post[o]
		c.Indptr[pre[o]+1]++
	}
	for p := 0; p < npre; p++ {
		c.Indptr[p+1] += c.Indptr[p]
	}
	full := len(pre) == npre*npost
	if full {
		seen := make([]bool, npre*npost)
		for k := range pre {
			i := int(pre[k])*npost + int(post[k])
			if seen[i] {
				full = false
				break
			}
			seen[i] = true
		}
	}
	c.All2All = full
	return c, nil
}

// bytesPerSyn is what building takes per synapse at its peak: the rows
// and the flat post indices, and the synapse ids made from them.
const bytesPerSyn = 12

// checkSyn checks rows × perRow synapses against the element limit and
// the memory available.
func checkSyn(kind string, rows, perRow int) error {
	if err := sim.CheckElems(kind, rows, perRow); err != nil {
		return err
	}
	return sim.CheckBytes(kind, int64(rows)*int64(perRow)*bytesPerSyn)
}
