package rostertest

import (
	"runtime"
	"sync/atomic"
	"time"
)

// PeakHeap runs f and returns the highest HeapInuse seen while it ran,
// sampled every 20 ms: the figure benchmarks report as peak heap.
func PeakHeap(f func()) uint64 {
	return sampleHeap(20*time.Millisecond, func(ms *runtime.MemStats) uint64 { return ms.HeapInuse }, f)
}

// PeakHeapAbove runs f and returns the highest heap it held above the heap
// before it (HeapAlloc, after a collection), sampled every interval: for
// one short parse, with the collector kept close behind (a low GOGC).
func PeakHeapAbove(every time.Duration, f func()) uint64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	return sampleHeap(every, func(ms *runtime.MemStats) uint64 {
		return max(ms.HeapAlloc, base.HeapAlloc) - base.HeapAlloc
	}, f)
}

// sampleHeap runs f while reading the memory statistics every interval,
// and returns the highest of measure.
func sampleHeap(every time.Duration, measure func(*runtime.MemStats) uint64, f func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if v := measure(&ms); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(every):
			}
		}
	}()
	f()
	close(done)
	<-sampled
	return peak.Load()
}
