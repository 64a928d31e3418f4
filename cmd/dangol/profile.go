package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// profileCPU writes a CPU profile to the file DANGOL_CPUPROFILE names, when
// it names one: where a server under load or a large import spends its
// time (BENCHMARKS.md). The returned func ends the profile.
func profileCPU() (stop func(), err error) {
	path := os.Getenv("DANGOL_CPUPROFILE")
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("DANGOL_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("DANGOL_CPUPROFILE: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
