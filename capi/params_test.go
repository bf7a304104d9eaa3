package capi

import (
	"strings"
	"testing"

	"github.com/brainsyn/brainsyn/core/neuron"
)

// SetParams changes a group's parameters all at once or not at all.
func TestSetParamsChangesAllOrNothing(t *testing.T) {
	h, err := NewNeuron("LIF", `{"shape":[2],"params":{"tau":10}}`)
	if err != nil {
		t.Fatal(err)
	}
	defer Free(h)
	o, _ := lookupNode(h)
	lif := o.node.(*neuron.LIF)
	if err := SetParams(h, `{"tau":5,"V_th":-50}`); err != nil {
		t.Fatal(err)
	}
	if lif.P.Tau != 5 || lif.P.VTh != -50 {
		t.Fatalf("tau %v, V_th %v after SetParams; want 5, -50", lif.P.Tau, lif.P.VTh)
	}
	for _, tc := range []struct{ js, want string }{
		{`{"V_th":1,"tau":-1}`, "tau must be > 0"},
		{`{"V_th":1,"taux":2}`, `unexpected parameter "taux"`},
		{`[1]`, "bad specification"},
	} {
		if err := SetParams(h, tc.js); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SetParams(%s) = %v, want %q", tc.js, err, tc.want)
		}
		if lif.P.Tau != 5 || lif.P.VTh != -50 {
			t.Fatalf("SetParams(%s) was refused but changed tau to %v, V_th to %v", tc.js, lif.P.Tau, lif.P.VTh)
		}
	}
	s, _ := NewNeuron("SpikeTimeInput", `{"shape":[1],"times":[1],"indices":[0]}`)
	defer Free(s)
	if err := SetParams(s, `{"tau":5}`); err == nil || !strings.Contains(err.Error(), "has no parameters") {
		t.Errorf("SetParams on a SpikeTimeInput = %v", err)
	}
}
