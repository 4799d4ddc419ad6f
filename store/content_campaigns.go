package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Campaigns pin content: a campaign's letters and parent pages come from
// its pinned version, which is approved when pinned; a letter produced
// before the campaign moved to a newer version keeps the one it was
// produced with (letters.content_version_id, NULL while it follows the
// campaign's).

// ErrContentNotApproved: only an approved, not retired, version may be pinned.
var ErrContentNotApproved = errors.New("store: only an approved content version may be pinned")

// campaignContent reads the campaign's pinned version (0 if none).
func (s *Store) campaignContent(ctx context.Context, q queryer, campaignID int64) (int64, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, s.Rebind(`SELECT content_version_id FROM campaigns WHERE id = ?`), campaignID).Scan(&v); err != nil {
		return 0, notFound(err, fmt.Sprintf("campaign %d", campaignID))
	}
	return v.Int64, nil
}

// approvedContent checks that version is approved (0: the newest approved)
// and returns its id, inside tx.
func (s *Store) approvedContent(ctx context.Context, tx *sql.Tx, version int64) (int64, error) {
	if version == 0 {
		err := tx.QueryRowContext(ctx, s.Rebind(`SELECT id FROM content_versions WHERE state = ? ORDER BY id DESC LIMIT 1`), string(ContentApproved)).Scan(&version)
		if err != nil {
			return 0, notFound(err, "approved content version")
		}
		return version, nil
	}
	var state string
	if err := tx.QueryRowContext(ctx, s.Rebind(`SELECT state FROM content_versions WHERE id = ?`), version).Scan(&state); err != nil {
		return 0, notFound(err, fmt.Sprintf("content version %d", version))
	}
	if ContentState(state) != ContentApproved {
		return 0, ErrContentNotApproved
	}
	return version, nil
}

// pinContent pins version (0: the newest approved) on a new campaign.
func (s *Store) pinContent(ctx context.Context, tx *sql.Tx, campaignID, version int64) error {
	v, err := s.approvedContent(ctx, tx, version)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET content_version_id = ? WHERE id = ?`), v, campaignID)
	return err
}

// pinContentIfNone pins the newest approved version on a campaign that has
// none (a default campaign just created).
func (s *Store) pinContentIfNone(ctx context.Context, tx *sql.Tx, campaignID int64) error {
	cur, err := s.campaignContent(ctx, tx, campaignID)
	if err != nil || cur != 0 {
		return err
	}
	return s.pinContent(ctx, tx, campaignID, 0)
}

// MoveCampaignContent moves a campaign to another approved version. The
// letters already produced keep the version they were produced with; the
// move is audited as userID.
func (s *Store) MoveCampaignContent(ctx context.Context, campaignID, version, userID int64) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		old, err := s.campaignContent(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		v, err := s.approvedContent(ctx, tx, version)
		if err != nil {
			return err
		}
		if v == old {
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE letters SET content_version_id = ? WHERE campaign_id = ? AND content_version_id IS NULL`), old, campaignID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET content_version_id = ? WHERE id = ?`), v, campaignID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
			s.Now(), nullID(userID), "campaign_content_moved", fmt.Sprintf("campaign %d: content version %d → %d", campaignID, old, v))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: move campaign %d to content version %d: %w", campaignID, version, err)
	}
	return nil
}

// ContentLetterCount is how many letters of a campaign follow a version.
type ContentLetterCount struct {
	VersionID int64
	Letters   int
}

// CampaignContentCounts says which letters of a campaign follow which
// version, by version.
func (s *Store) CampaignContentCounts(ctx context.Context, campaignID int64) ([]ContentLetterCount, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT COALESCE(l.content_version_id, c.content_version_id, 0), COUNT(*)
		FROM letters l JOIN campaigns c ON c.id = l.campaign_id WHERE l.campaign_id = ?
		GROUP BY COALESCE(l.content_version_id, c.content_version_id, 0) ORDER BY 1`), campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: content counts of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []ContentLetterCount
	for rows.Next() {
		var c ContentLetterCount
		if err := rows.Scan(&c.VersionID, &c.Letters); err != nil {
			return nil, fmt.Errorf("store: content counts of campaign %d: %w", campaignID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LetterContentVersion is the version a letter prints and shows: its own
// once the campaign has moved on, else the campaign's.
func (s *Store) LetterContentVersion(ctx context.Context, letterID int64) (int64, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT COALESCE(l.content_version_id, c.content_version_id)
		FROM letters l JOIN campaigns c ON c.id = l.campaign_id WHERE l.id = ?`), letterID).Scan(&v)
	if err != nil {
		return 0, notFound(err, fmt.Sprintf("letter %d", letterID))
	}
	return v.Int64, nil
}

// movedLetterVersions returns, by student, the versions of a class's
// letters that were produced before the campaign moved to another version.
func (s *Store) movedLetterVersions(ctx context.Context, q queryer, campaignID, classID int64) (map[int64]int64, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(`SELECT l.student_id, l.content_version_id FROM letters l
		JOIN students st ON st.id = l.student_id
		WHERE l.campaign_id = ? AND st.class_id = ? AND l.content_version_id IS NOT NULL`), campaignID, classID)
	if err != nil {
		return nil, fmt.Errorf("content versions of class %d: %w", classID, err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var sid, v int64
		if err := rows.Scan(&sid, &v); err != nil {
			return nil, err
		}
		out[sid] = v
	}
	return out, rows.Err()
}
