//go:build !linux || !cgo

package db

// trimHeap does nothing where the C library has no malloc_trim.
func trimHeap() {}
