package capi

import (
	"strings"
	"testing"
)

func TestSaveLoadStateThroughHandles(t *testing.T) {
	a, err := NewNeuron("LIF", `{"shape":[3]}`)
	if err != nil {
		t.Fatal(err)
	}
	defer Free(a)
	b, _ := NewNeuron("LIF", `{"shape":[3]}`)
	defer Free(b)
	o, _ := lookupNode(a)
	o.node.Vars()["V"].F64[1] = 7.5
	data, err := SaveState(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := LoadState(b, data); err != nil {
		t.Fatal(err)
	}
	ob, _ := lookupNode(b)
	if got := ob.node.Vars()["V"].F64[1]; got != 7.5 {
		t.Fatalf("V[1] = %v after LoadState, want 7.5", got)
	}
	for _, tc := range []struct{ data, want string }{
		{"not base64!", "not valid base64"},
		{data + "AAAA", "bytes more than this object reads"},
	} {
		if err := LoadState(b, tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadState(%q...) = %v, want %q", tc.data[:8], err, tc.want)
		}
	}
	if _, err := SaveState(123456); err == nil || !strings.Contains(err.Error(), "invalid handle") {
		t.Errorf("SaveState(bad handle) = %v", err)
	}
}
