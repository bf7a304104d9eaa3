package param

import (
	"fmt"
	"slices"
)

// Registry holds model definitions by name and in registration order
// (the order of the Python classes and of the docs).
type Registry[D any] struct {
	byName map[string]*D
	order  []string
}

// Add registers d under name; it panics (prefixed by who) on an empty or
// duplicate name, as a malformed definition is a programming error.
func (r *Registry[D]) Add(who, name string, d *D) {
	if r.byName == nil {
		r.byName = map[string]*D{}
	}
	if name == "" || r.byName[name] != nil {
		panic(fmt.Sprintf("%s: empty or duplicate model name %q", who, name))
	}
	r.byName[name] = d
	r.order = append(r.order, name)
}

// Lookup returns the definition registered under name.
func (r *Registry[D]) Lookup(name string) (*D, bool) {
	d, ok := r.byName[name]
	return d, ok
}

// Has reports whether name is registered.
func (r *Registry[D]) Has(name string) bool { return r.byName[name] != nil }

// Defs lists the definitions in registration order.
func (r *Registry[D]) Defs() []*D {
	out := make([]*D, len(r.order))
	for i, n := range r.order {
		out[i] = r.byName[n]
	}
	return out
}

// Names lists the names in registration order.
func (r *Registry[D]) Names() []string { return slices.Clone(r.order) }
