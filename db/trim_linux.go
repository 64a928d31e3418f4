//go:build linux && cgo

package db

// #include <malloc.h>
import "C"

// trimHeap returns the C heap's free memory to the system (glibc keeps
// what SQLite freed for the next malloc otherwise).
func trimHeap() { C.malloc_trim(0) }
