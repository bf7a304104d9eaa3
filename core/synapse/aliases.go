package synapse

import (
	"maps"
	"slices"

	"github.com/brainsyn/brainsyn/core/sim"
)

// paramAliases are other names a model's parameters are known by
// (BrainModels' names where the are primary): alias → primary.
// The docs say which is which (docs/plasticity.md).
var paramAliases = map[string]map[string]string{
	"STDP": {"tau_s": "tau_pre", "tau_t": "tau_post", "delta_A_s": "A_pre", "delta_A_t": "A_post"},
}

// ParamAliases returns a model's parameter aliases (alias → primary).
func ParamAliases(model string) map[string]string { return maps.Clone(paramAliases[model]) }

// resolveAliases renames aliases to their primary names; an alias given
// with its primary is a TypeError naming both.
func resolveAliases(model string, params map[string]float64) (map[string]float64, error) {
	al := paramAliases[model]
	if len(al) == 0 {
		return params, nil
	}
	out := make(map[string]float64, len(params))
	// Sorted, so that the error named does not depend on the map's order.
	for _, k := range slices.Sorted(maps.Keys(params)) {
		name := k
		if p, ok := al[k]; ok {
			if _, both := params[p]; both {
				return nil, sim.ErrorClassf("TypeError", "%s got both %q and its alias %q; give one", model, p, k)
			}
			name = p
		}
		out[name] = params[k]
	}
	return out, nil
}
