package parent

import (
	"context"
	"strings"
	"sync"
	"time"

	"jiashu/store"
)

// openRecorder batches the "opened" records of parent page views: a view
// answers from one read, and the views of the last interval are written in
// one transaction by a timer started with the first view of the interval.
// An evening rush of thousands of views a second thus costs a few writes a
// second. Opens are statistics, not confirmations: on a crash the views of
// the last interval may be lost, acknowledgements never are.
type openRecorder struct {
	st       *store.Store
	writeMu  sync.Locker // the store's WriteLock
	interval time.Duration
	logErr   func(error)

	mu      sync.Mutex
	pending map[int64]store.LetterOpen
	timer   *time.Timer
}

func newOpenRecorder(st *store.Store, interval time.Duration, logErr func(error)) *openRecorder {
	return &openRecorder{st: st, writeMu: st.WriteLock(), interval: interval, logErr: logErr, pending: map[int64]store.LetterOpen{}}
}

// Record notes a view of a letter at a time.
func (r *openRecorder) Record(letterID int64, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.pending[letterID]
	if !ok {
		o = store.LetterOpen{LetterID: letterID, First: at}
	}
	o.Last = at
	r.pending[letterID] = o
	if r.timer == nil {
		r.timer = time.AfterFunc(r.interval, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			r.Flush(ctx)
		})
	}
}

// Flush writes the pending views now. Tests and shutdown call it.
func (r *openRecorder) Flush(ctx context.Context) {
	r.mu.Lock()
	batch := make([]store.LetterOpen, 0, len(r.pending))
	for _, o := range r.pending {
		batch = append(batch, o)
	}
	r.pending = make(map[int64]store.LetterOpen, len(batch))
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	r.writeMu.Lock()
	err := r.st.RecordOpens(ctx, batch)
	r.writeMu.Unlock()
	// After shutdown the database is closed: the last interval's views are
	// lost by design (see the type's comment), which is not worth a log line.
	if err != nil && !strings.Contains(err.Error(), "database is closed") {
		r.logErr(err)
	}
}
