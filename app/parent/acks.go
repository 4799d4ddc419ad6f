package parent

import (
	"context"
	"sync"
	"time"

	"jiashu/store"
)

// ackBatcher commits acknowledgements in groups: the first request to
// arrive while no commit is running commits its own acknowledgement and
// every one that queued meanwhile in one transaction, and repeats while
// more arrive; the others wait for the commit that holds theirs. Each
// request still answers only after its acknowledgement is committed, but a
// rush of parents costs one commit per group instead of one per parent,
// and writers never meet in SQLite's busy handler (whose sleeps would
// dominate the tail latency).
type ackBatcher struct {
	st      *store.Store
	writeMu sync.Locker // the store's WriteLock

	mu       sync.Mutex
	queue    []*ackWait
	flushing bool
}

// ackCommitTimeout bounds one group's commit.
const ackCommitTimeout = 15 * time.Second

// maxAckBatch bounds a group so that one commit stays short.
const maxAckBatch = 256

type ackWait struct {
	ack   store.Ack
	first bool
	err   error
	done  chan struct{}
}

func newAckBatcher(st *store.Store) *ackBatcher {
	return &ackBatcher{st: st, writeMu: st.WriteLock()}
}

// Acknowledge records a and returns once it is committed; first says
// whether it was the letter's first acknowledgement.
func (b *ackBatcher) Acknowledge(a store.Ack) (first bool, err error) {
	w := &ackWait{ack: a, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, w)
	if b.flushing {
		b.mu.Unlock()
		<-w.done
		return w.first, w.err
	}
	b.flushing = true
	for len(b.queue) > 0 {
		n := min(len(b.queue), maxAckBatch)
		batch := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		b.commit(batch)
		b.mu.Lock()
	}
	b.flushing = false
	b.mu.Unlock()
	<-w.done
	return w.first, w.err
}

// commit writes one group. It does not use a request's context: one
// parent closing the page must not fail the others' acknowledgements; it
// has a time limit of its own, so a stuck database answers every waiting
// parent with an error instead of holding them all.
func (b *ackBatcher) commit(batch []*ackWait) {
	acks := make([]store.Ack, len(batch))
	for i, w := range batch {
		acks[i] = w.ack
	}
	ctx, cancel := context.WithTimeout(context.Background(), ackCommitTimeout)
	defer cancel()
	b.writeMu.Lock()
	first, err := b.st.AcknowledgeBatch(ctx, acks)
	b.writeMu.Unlock()
	for i, w := range batch {
		if err != nil {
			w.err = err
		} else {
			w.first = first[i]
		}
		close(w.done)
	}
}
