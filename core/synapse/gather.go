// Per-synapse views of compact state: synapse lists and gathers.

package synapse

// preOfSyn returns the pre neuron of every synapse (built once).
func (s *Chem) preOfSyn() []int32 {
	if s.preIDs != nil {
		return s.preIDs
	}
	pre := make([]int32, s.NSyn())
	for p := 0; p+1 < len(s.indptr); p++ {
		for k := s.indptr[p]; k < s.indptr[p+1]; k++ {
			pre[k] = int32(p)
		}
	}
	s.preIDs = pre
	return pre
}

// PreIDs and PostIDs are the synapse list in synapse order.
func (s *Chem) PreIDs() []int32 { return s.preOfSyn() }

func (s *Chem) PostIDs() []int32 { return s.postIdx }

func (s *Chem) gathered(name string) bool {
	if name == "s" {
		return true
	}
	for _, n := range s.varNames() {
		if n == name {
			return true
		}
	}
	return false
}

// Gather writes the per-synapse value of a state variable.
func (s *Chem) Gather(name string, dst []float64, idx []int32) bool {
	if s.layout == PerSyn || !s.gathered(name) {
		return false
	}
	pre := s.preOfSyn()
	var src func(p int32) float64
	var y [][]float64 = s.y
	if s.layout == PerPost {
		y = s.trace
	}
	if s.owner != nil {
		y = s.owner.y
	}
	j := -1
	for i, n := range s.varNames() {
		if n == name {
			j = i
		}
	}
	switch {
	case j >= 0:
		col := y[j]
		src = func(p int32) float64 { return col[p] }
	case s.M.Gate != nil:
		src = func(p int32) float64 { return s.M.Gate(y, int(p)) }
		if s.owner != nil && s.owner.gate != nil {
			g := s.owner.gate
			src = func(p int32) float64 { return g[p] }
		}
	default:
		col := y[0]
		src = func(p int32) float64 { return col[p] }
	}
	if idx == nil {
		for k := range dst {
			dst[k] = src(pre[k])
		}
	} else {
		for i, k := range idx {
			dst[i] = src(pre[k])
		}
	}
	return true
}

// SyncMirrors refreshes the read-only per-synapse views.
func (s *Chem) SyncMirrors() {
	for name, m := range s.mirrors {
		s.Gather(name, m, nil)
	}
}
