package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ContentState is where a content version stands in its review.
type ContentState string

// Content states: draft → in review → approved (→ retired), or in review →
// returned (with the reviewer's comment) → draft again when edited.
const (
	ContentDraft    ContentState = "draft"
	ContentInReview ContentState = "in_review"
	ContentReturned ContentState = "returned"
	ContentApproved ContentState = "approved"
	ContentRetired  ContentState = "retired"
)

// Errors of the content workflow; each is a refusal the user must read.
var (
	// ErrContentState: the version is not in a state that allows the action
	// (an approved version never changes; only a submitted one is reviewed).
	ErrContentState = errors.New("store: content version is not in a state that allows this")
	// ErrOwnApproval: the author of a version cannot approve or return it.
	ErrOwnApproval = errors.New("store: the author cannot review their own content")
	// ErrNotReviewer: only a reviewer (审核员) approves or returns content.
	ErrNotReviewer = errors.New("store: only a reviewer may review content")
	// ErrNotEditor: only the education center (教管中心) writes content.
	ErrNotEditor = errors.New("store: only the education center may edit content")
	// ErrCommentRequired: a version is returned with a comment.
	ErrCommentRequired = errors.New("store: a returned version needs a comment")
)

// ContentVersion is one version of the letter content: the method library,
// the four letter templates and the lesson kits, as files.
type ContentVersion struct {
	ID           int64
	State        ContentState
	Title        string // what changed, as the author put it
	AuthorID     int64  // 0 for the embedded version 1
	AuthorName   string // the author's username (the API's)
	BasedOn      int64  // the version it was copied from, 0 for none
	ReviewerID   int64
	ReviewerName string // the reviewer's username
	// Author and Reviewer are the people as pages name them: their display
	// names, else their usernames.
	Author, Reviewer string
	ReviewComment    string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ApprovedAt       time.Time // zero until approved
}

// Editable says whether the version's files may still change.
func (v ContentVersion) Editable() bool {
	return v.State == ContentDraft || v.State == ContentReturned
}

// ContentEvent is one transition of a version, for its history.
type ContentEvent struct {
	At     time.Time
	UserID int64
	// UserName is who made it as pages name people: the display name, else
	// the username.
	UserName string
	Action   string // created, saved, submitted, approved, returned, retired
	Comment  string
}

const contentVersionSelect = `SELECT v.id, v.state, v.title, v.author_id, COALESCE(a.username, ''), v.based_on,
	v.reviewer_id, COALESCE(r.username, ''), v.review_comment, v.created_at, v.updated_at, v.approved_at,
	COALESCE(NULLIF(a.display_name, ''), a.username, ''), COALESCE(NULLIF(r.display_name, ''), r.username, '')
	FROM content_versions v
	LEFT JOIN users a ON a.id = v.author_id
	LEFT JOIN users r ON r.id = v.reviewer_id`

func scanContentVersion(row interface{ Scan(...any) error }) (ContentVersion, error) {
	var v ContentVersion
	var state string
	var author, based, reviewer sql.NullInt64
	var approved sql.NullTime
	err := row.Scan(&v.ID, &state, &v.Title, &author, &v.AuthorName, &based, &reviewer, &v.ReviewerName,
		&v.ReviewComment, &v.CreatedAt, &v.UpdatedAt, &approved, &v.Author, &v.Reviewer)
	v.State = ContentState(state)
	v.AuthorID, v.BasedOn, v.ReviewerID = author.Int64, based.Int64, reviewer.Int64
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	if approved.Valid {
		v.ApprovedAt = approved.Time.UTC()
	}
	return v, err
}

// ContentVersion returns one version.
func (s *Store) ContentVersion(ctx context.Context, id int64) (ContentVersion, error) {
	return s.contentVersion(ctx, s.db, id)
}

func (s *Store) contentVersion(ctx context.Context, q queryer, id int64) (ContentVersion, error) {
	v, err := scanContentVersion(q.QueryRowContext(ctx, s.Rebind(contentVersionSelect+` WHERE v.id = ?`), id))
	if err != nil {
		return ContentVersion{}, notFound(err, fmt.Sprintf("content version %d", id))
	}
	return v, nil
}

// ContentVersions lists every version, newest first.
func (s *Store) ContentVersions(ctx context.Context) ([]ContentVersion, error) {
	rows, err := s.db.QueryContext(ctx, contentVersionSelect+` ORDER BY v.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: content versions: %w", err)
	}
	defer rows.Close()
	var out []ContentVersion
	for rows.Next() {
		v, err := scanContentVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("store: content versions: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// LatestApprovedContent is the newest approved (not retired) version: the
// one a new campaign pins unless told otherwise.
func (s *Store) LatestApprovedContent(ctx context.Context) (ContentVersion, error) {
	v, err := scanContentVersion(s.db.QueryRowContext(ctx, s.Rebind(contentVersionSelect+` WHERE v.state = ? ORDER BY v.id DESC LIMIT 1`), string(ContentApproved)))
	if err != nil {
		return ContentVersion{}, notFound(err, "approved content version")
	}
	return v, nil
}

// ContentFiles returns the files of a version by path.
func (s *Store) ContentFiles(ctx context.Context, id int64) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT path, body FROM content_files WHERE version_id = ?`), id)
	if err != nil {
		return nil, fmt.Errorf("store: content files of version %d: %w", id, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var p, b string
		if err := rows.Scan(&p, &b); err != nil {
			return nil, fmt.Errorf("store: content files of version %d: %w", id, err)
		}
		out[p] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: content files of version %d: %w", id, err)
	}
	if len(out) == 0 {
		if _, err := s.ContentVersion(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ContentEvents returns a version's transitions, oldest first.
func (s *Store) ContentEvents(ctx context.Context, id int64) ([]ContentEvent, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT e.at, e.user_id, COALESCE(NULLIF(u.display_name, ''), u.username, ''), e.action, e.comment
		FROM content_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.version_id = ? ORDER BY e.id`), id)
	if err != nil {
		return nil, fmt.Errorf("store: content events of version %d: %w", id, err)
	}
	defer rows.Close()
	var out []ContentEvent
	for rows.Next() {
		var e ContentEvent
		var uid sql.NullInt64
		if err := rows.Scan(&e.At, &uid, &e.UserName, &e.Action, &e.Comment); err != nil {
			return nil, fmt.Errorf("store: content events of version %d: %w", id, err)
		}
		e.At, e.UserID = e.At.UTC(), uid.Int64
		out = append(out, e)
	}
	return out, rows.Err()
}

// checkContentFiles refuses empty paths and control characters.
func checkContentFiles(files map[string]string) error {
	if len(files) == 0 {
		return fmt.Errorf("store: a content version needs files")
	}
	for p, b := range files {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("store: a content file needs a path")
		}
		if err := CheckText("content_path", p, false); err != nil {
			return err
		}
		if err := CheckText("content_file", b, true); err != nil {
			return err
		}
	}
	return nil
}

// userRole reads a user's role inside tx (a disabled account has none).
func (s *Store) userRole(ctx context.Context, tx *sql.Tx, userID int64) (Role, error) {
	var role string
	var disabled bool
	err := tx.QueryRowContext(ctx, s.Rebind(`SELECT role, disabled FROM users WHERE id = ?`), userID).Scan(&role, &disabled)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("user %d", userID))
	}
	if disabled {
		return "", nil
	}
	return Role(role), nil
}

// contentEvent records a transition in the version's history and in the
// audit log, inside tx.
func (s *Store) contentEvent(ctx context.Context, tx *sql.Tx, id, userID int64, action, comment string) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO content_events (version_id, at, user_id, action, comment) VALUES (?, ?, ?, ?, ?)`),
		id, s.Now(), nullID(userID), action, comment); err != nil {
		return err
	}
	detail := fmt.Sprintf("content version %d", id)
	if comment != "" {
		detail += ": " + comment
	}
	_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)`),
		s.Now(), nullID(userID), "content_"+action, cleanLogText(detail))
	return err
}

// writeContentFiles replaces the files of version id inside tx.
func (s *Store) writeContentFiles(ctx context.Context, tx *sql.Tx, id int64, files map[string]string) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM content_files WHERE version_id = ?`), id); err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO content_files (version_id, path, body) VALUES (?, ?, ?)`), id, p, files[p]); err != nil {
			return err
		}
	}
	return nil
}

// CreateContentDraft adds a draft by authorID (an education-center account:
// ErrNotEditor otherwise) with the given files, based on version basedOn (0
// for none), and returns it.
func (s *Store) CreateContentDraft(ctx context.Context, authorID, basedOn int64, title string, files map[string]string) (ContentVersion, error) {
	title = strings.TrimSpace(title)
	if err := CheckText("content_title", title, false); err != nil {
		return ContentVersion{}, err
	}
	if err := checkContentFiles(files); err != nil {
		return ContentVersion{}, err
	}
	var id int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		role, err := s.userRole(ctx, tx, authorID)
		if err != nil {
			return err
		}
		if role != RoleDistrictAdmin {
			return ErrNotEditor
		}
		now := s.Now()
		if err := tx.QueryRowContext(ctx, s.Rebind(`INSERT INTO content_versions (state, title, author_id, based_on, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), string(ContentDraft), title, authorID, nullID(basedOn), now, now).Scan(&id); err != nil {
			return err
		}
		if err := s.writeContentFiles(ctx, tx, id, files); err != nil {
			return err
		}
		return s.contentEvent(ctx, tx, id, authorID, "created", title)
	})
	if err != nil {
		return ContentVersion{}, fmt.Errorf("store: create content draft: %w", err)
	}
	return s.ContentVersion(ctx, id)
}

// transition changes a version's state inside one transaction after check
// has accepted the version and the user's role; it records the event.
func (s *Store) transition(ctx context.Context, id, userID int64, action, comment string,
	check func(v ContentVersion, role Role) error, apply func(tx *sql.Tx) error) error {
	comment = strings.TrimSpace(comment)
	if err := CheckText("comment", comment, true); err != nil {
		return err
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		v, err := s.contentVersion(ctx, tx, id)
		if err != nil {
			return err
		}
		role, err := s.userRole(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := check(v, role); err != nil {
			return err
		}
		if err := apply(tx); err != nil {
			return err
		}
		return s.contentEvent(ctx, tx, id, userID, action, comment)
	})
	if err != nil {
		return fmt.Errorf("store: %s content version %d: %w", action, id, err)
	}
	return nil
}

// editorCheck accepts an education-center user on a version in one of states.
func editorCheck(states ...ContentState) func(ContentVersion, Role) error {
	return func(v ContentVersion, role Role) error {
		if role != RoleDistrictAdmin {
			return ErrNotEditor
		}
		for _, st := range states {
			if v.State == st {
				return nil
			}
		}
		return ErrContentState
	}
}

// reviewCheck accepts a reviewer who is not the author on a submitted version.
func reviewCheck(v ContentVersion, role Role, userID int64) error {
	switch {
	case role != RoleReviewer:
		return ErrNotReviewer
	case v.AuthorID == userID:
		return ErrOwnApproval
	case v.State != ContentInReview:
		return ErrContentState
	}
	return nil
}

// SaveContentDraft replaces the files of a draft or returned version (a
// returned version becomes a draft again). An approved version never
// changes: ErrContentState.
func (s *Store) SaveContentDraft(ctx context.Context, id, userID int64, files map[string]string) error {
	if err := checkContentFiles(files); err != nil {
		return err
	}
	return s.transition(ctx, id, userID, "saved", "", editorCheck(ContentDraft, ContentReturned), func(tx *sql.Tx) error {
		if err := s.writeContentFiles(ctx, tx, id, files); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET state = ?, updated_at = ? WHERE id = ?`), string(ContentDraft), s.Now(), id)
		return err
	})
}

// SubmitContent sends a draft (or a returned version) to review.
func (s *Store) SubmitContent(ctx context.Context, id, userID int64) error {
	return s.transition(ctx, id, userID, "submitted", "", editorCheck(ContentDraft, ContentReturned), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET state = ?, updated_at = ? WHERE id = ?`), string(ContentInReview), s.Now(), id)
		return err
	})
}

// ApproveContent approves a submitted version: by a reviewer who is not its
// author (ErrNotReviewer, ErrOwnApproval). From then on it never changes.
func (s *Store) ApproveContent(ctx context.Context, id, reviewerID int64, comment string) error {
	check := func(v ContentVersion, role Role) error { return reviewCheck(v, role, reviewerID) }
	return s.transition(ctx, id, reviewerID, "approved", comment, check, func(tx *sql.Tx) error {
		now := s.Now()
		_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET state = ?, reviewer_id = ?, review_comment = ?, approved_at = ?, updated_at = ? WHERE id = ?`),
			string(ContentApproved), reviewerID, strings.TrimSpace(comment), now, now, id)
		return err
	})
}

// ReturnContent sends a submitted version back to its author with a
// comment (ErrCommentRequired without one); same reviewer rules as approval.
func (s *Store) ReturnContent(ctx context.Context, id, reviewerID int64, comment string) error {
	if strings.TrimSpace(comment) == "" {
		return fmt.Errorf("store: return content version %d: %w", id, ErrCommentRequired)
	}
	check := func(v ContentVersion, role Role) error { return reviewCheck(v, role, reviewerID) }
	return s.transition(ctx, id, reviewerID, "returned", comment, check, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET state = ?, reviewer_id = ?, review_comment = ?, updated_at = ? WHERE id = ?`),
			string(ContentReturned), reviewerID, strings.TrimSpace(comment), s.Now(), id)
		return err
	})
}

// RetireContent retires an approved version: no new campaign may pin it;
// campaigns that pinned it keep it.
func (s *Store) RetireContent(ctx context.Context, id, userID int64) error {
	return s.transition(ctx, id, userID, "retired", "", editorCheck(ContentApproved), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET state = ?, updated_at = ? WHERE id = ?`), string(ContentRetired), s.Now(), id)
		return err
	})
}
