//go:build !amd64 || purego

package sim

func pause() {}
