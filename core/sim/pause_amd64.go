//go:build amd64 && !purego

package sim

// pause tells the core that the thread spins, so that it yields its
// execution units to a hyperthread sibling and leaves the loop without a
// memory-order flush when the awaited write arrives.
//
//go:noescape
func pause()
