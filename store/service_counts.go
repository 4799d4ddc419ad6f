package store

import (
	"context"
	"database/sql"
	"fmt"
)

// ServiceCounts are the figures /metrics reads from the database at each
// scrape, so every instance sharing it reports the same: jobs by state,
// letters by status, acknowledgements by channel, reminder SMS by outcome.
// Purged campaigns' letters and reminders are gone from these counts (their
// figures live on in campaign_class_figures).
type ServiceCounts struct {
	JobsByState       map[string]int
	LettersByStatus   map[string]int
	AcksByChannel     map[string]int
	RemindersByStatus map[string]int
	// TextsByOutcome counts texts by provider and where their delivery
	// stands ({"aliyun", "delivered"}).
	TextsByOutcome map[[2]string]int
}

// CountService reads ServiceCounts in one consistent snapshot.
func (s *Store) CountService(ctx context.Context) (ServiceCounts, error) {
	out := ServiceCounts{JobsByState: map[string]int{}, LettersByStatus: map[string]int{}, AcksByChannel: map[string]int{}, RemindersByStatus: map[string]int{},
		TextsByOutcome: map[[2]string]int{}}
	queries := []struct {
		sql  string
		into map[string]int
	}{
		{`SELECT status, COUNT(*) FROM jobs GROUP BY status`, out.JobsByState},
		{`SELECT status, COUNT(*) FROM letters GROUP BY status`, out.LettersByStatus},
		{`SELECT ack_channel, COUNT(*) FROM letters WHERE acknowledged_at IS NOT NULL GROUP BY ack_channel`, out.AcksByChannel},
		// A text not sent for the per-guardian limit is no failure.
		{`SELECT status, COUNT(*) FROM reminders WHERE delivery <> 'limited' GROUP BY status`, out.RemindersByStatus},
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		for _, q := range queries {
			rows, err := tx.QueryContext(ctx, q.sql)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k string
				var n int
				if err := rows.Scan(&k, &n); err != nil {
					rows.Close()
					return err
				}
				q.into[k] = n
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return countTexts(ctx, tx, out.TextsByOutcome)
	})
	if err != nil {
		return ServiceCounts{}, fmt.Errorf("store: count service: %w", err)
	}
	return out, nil
}

// countTexts counts texts by provider and delivery.
func countTexts(ctx context.Context, tx *sql.Tx, into map[[2]string]int) error {
	rows, err := tx.QueryContext(ctx, `SELECT provider, delivery, COUNT(*) FROM reminders GROUP BY provider, delivery`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k [2]string
		var n int
		if err := rows.Scan(&k[0], &k[1], &n); err != nil {
			return err
		}
		into[k] = n
	}
	return rows.Err()
}
