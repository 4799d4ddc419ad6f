package sms

import (
	"context"
	"sync"
)

// MemoryJournal keeps the journal in memory: for tests, and for a send
// whose texts need no record (a trial). The store's journal is durable.
type MemoryJournal struct {
	mu      sync.Mutex
	begun   map[string]bool
	results map[string]Result
}

// Begin marks the texts begun and returns those begun before.
func (j *MemoryJournal) Begin(_ context.Context, texts []Text) (map[string]bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.begun == nil {
		j.begun = map[string]bool{}
	}
	before := map[string]bool{}
	for _, t := range texts {
		if j.begun[t.Key] {
			before[t.Key] = true
		}
		j.begun[t.Key] = true
	}
	return before, nil
}

// Finish keeps the results by key.
func (j *MemoryJournal) Finish(_ context.Context, results []Result) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.results == nil {
		j.results = map[string]Result{}
	}
	for _, r := range results {
		j.results[r.Key] = r
	}
	return nil
}

// Result is the recorded result of a key.
func (j *MemoryJournal) Result(key string) (Result, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r, ok := j.results[key]
	return r, ok
}
