package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Idempotency keys (issue 23): a client that sends a create or a send with
// an Idempotency-Key and loses the answer sends it again with the same key
// and gets the first answer back, instead of a second school, account or
// reminder send. A row per account and key (its SHA-256, computed by the
// caller): claimed by the first request, then holding its answer for
// IdempotencyTTL. What the answer holds is sealed by the caller; the store
// keeps bytes.

// IdempotencyTTL is how long a key's answer is kept; after it the key is
// as new.
const IdempotencyTTL = 24 * time.Hour

// idempotencyStale is how long a claim may stay unanswered before another
// request with the key takes it over: the instance that claimed it died
// before it could keep or release it.
const idempotencyStale = 5 * time.Minute

// Claim says what a request with an Idempotency-Key found.
type Claim int

const (
	// ClaimNew: the request is the first with its key (or takes over a
	// stale claim); it runs, then KeepIdempotentAnswer or
	// ReleaseIdempotencyKey.
	ClaimNew Claim = iota
	// ClaimReplay: the first request's answer is kept; answer it again.
	ClaimReplay
	// ClaimInUse: the first request with the key is still being answered.
	ClaimInUse
	// ClaimReused: the key came before with another request.
	ClaimReused
)

// IdempotentAnswer is the answer kept for a key.
type IdempotentAnswer struct {
	Status      int
	Location    string
	ContentType string
	Body        []byte // sealed by the caller
}

// ClaimIdempotencyKey claims keyHash of userID for a request whose method,
// path and body hash to requestHash; on ClaimReplay it returns the answer
// kept. Keys older than IdempotencyTTL are forgotten first.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, userID int64, keyHash, requestHash string) (Claim, IdempotentAnswer, error) {
	var (
		claim Claim
		a     IdempotentAnswer
	)
	now := s.Now()
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM idempotency_keys WHERE created_at < ?`), now.Add(-IdempotencyTTL)); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO idempotency_keys (user_id, key_hash, request_hash, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (user_id, key_hash) DO NOTHING`), userID, keyHash, requestHash, now)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 1 {
			claim = ClaimNew
			return nil
		}
		claim, a, err = s.claimTaken(ctx, tx, userID, keyHash, requestHash, now)
		return err
	})
	if err != nil {
		return 0, IdempotentAnswer{}, fmt.Errorf("store: idempotency key of user %d: %w", userID, err)
	}
	return claim, a, nil
}

// claimTaken reads a key already claimed: the same request finds its
// answer or its claim in flight (taken over once stale), another request
// is refused.
func (s *Store) claimTaken(ctx context.Context, tx *sql.Tx, userID int64, keyHash, requestHash string, now time.Time) (Claim, IdempotentAnswer, error) {
	var (
		a       IdempotentAnswer
		reqHash string
		created time.Time
	)
	err := tx.QueryRowContext(ctx, s.Rebind(`SELECT request_hash, status, location, content_type, body, created_at
		FROM idempotency_keys WHERE user_id = ? AND key_hash = ?`), userID, keyHash).
		Scan(&reqHash, &a.Status, &a.Location, &a.ContentType, &a.Body, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Released between the insert and this read: try again.
		return ClaimInUse, a, nil
	case err != nil:
		return 0, a, err
	case reqHash != requestHash:
		return ClaimReused, IdempotentAnswer{}, nil
	case a.Status != 0:
		return ClaimReplay, a, nil
	case now.Sub(created) < idempotencyStale:
		return ClaimInUse, IdempotentAnswer{}, nil
	}
	r, err := tx.ExecContext(ctx, s.Rebind(`UPDATE idempotency_keys SET created_at = ? WHERE user_id = ? AND key_hash = ? AND status = 0`),
		now, userID, keyHash)
	if err != nil {
		return 0, a, err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return ClaimInUse, IdempotentAnswer{}, nil
	}
	return ClaimNew, IdempotentAnswer{}, nil
}

// KeepIdempotentAnswer stores the answer of a claimed key.
func (s *Store) KeepIdempotentAnswer(ctx context.Context, userID int64, keyHash string, a IdempotentAnswer) error {
	_, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE idempotency_keys SET status = ?, location = ?, content_type = ?, body = ?
		WHERE user_id = ? AND key_hash = ?`), a.Status, a.Location, a.ContentType, a.Body, userID, keyHash)
	if err != nil {
		return fmt.Errorf("store: keep idempotent answer of user %d: %w", userID, err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a claimed key whose request failed on the
// service's side, so that a retry runs it again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, userID int64, keyHash string) error {
	_, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM idempotency_keys WHERE user_id = ? AND key_hash = ? AND status = 0`), userID, keyHash)
	if err != nil {
		return fmt.Errorf("store: release idempotency key of user %d: %w", userID, err)
	}
	return nil
}
