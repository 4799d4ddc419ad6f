package rostertest

import (
	"runtime"
	"sync/atomic"
	"time"
)

// PeakHeap runs f and returns the highest HeapInuse seen while it ran,
// sampled every 20 ms: the figure benchmarks report as peak heap.
func PeakHeap(f func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	<-sampled
	return peak.Load()
}
