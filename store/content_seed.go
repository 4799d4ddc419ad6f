package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"

	"jiashu/assets"
)

// Content file paths inside a version: the letters' library as in
// assets/letters (methods.txt, templates/<age group>.txt) and the lesson
// kits as lessons/<age group>.txt.
const (
	ContentMethodsFile = "methods.txt"
	ContentTemplateDir = "templates"
	ContentLessonDir   = "lessons"
)

// EmbeddedContent returns the content compiled into the binary as the files
// of a version: what version 1 holds.
func EmbeddedContent() (map[string]string, error) {
	files := map[string]string{}
	add := func(fsys fs.FS, root, prefix string) error {
		entries, err := fs.ReadDir(fsys, root)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.IsDir() || path.Ext(e.Name()) != ".txt" {
				continue
			}
			b, err := fs.ReadFile(fsys, path.Join(root, e.Name()))
			if err != nil {
				return err
			}
			files[path.Join(prefix, e.Name())] = string(b)
		}
		return nil
	}
	if err := add(assets.Letters, "letters", ""); err != nil {
		return nil, fmt.Errorf("store: embedded content: %w", err)
	}
	if err := add(assets.Letters, "letters/templates", ContentTemplateDir); err != nil {
		return nil, fmt.Errorf("store: embedded content: %w", err)
	}
	if err := add(assets.Lessons, "lessons", ContentLessonDir); err != nil {
		return nil, fmt.Errorf("store: embedded content: %w", err)
	}
	return files, nil
}

// seedContent runs right after migration 016, in its transaction: the
// embedded files become version 1, approved, and every existing campaign
// is pinned to it.
func (s *Store) seedContent(ctx context.Context, tx *sql.Tx) error {
	files, err := EmbeddedContent()
	if err != nil {
		return err
	}
	now := s.Now()
	var id int64
	if err := tx.QueryRowContext(ctx, s.Rebind(`INSERT INTO content_versions (state, title, created_at, updated_at, approved_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), string(ContentInReview), "内置版本（随程序发布）", now, now, now).Scan(&id); err != nil {
		return err
	}
	if err := s.writeContentFiles(ctx, tx, id, files); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE content_versions SET state = ? WHERE id = ?`), string(ContentApproved), id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO content_events (version_id, at, action, comment) VALUES (?, ?, 'approved', ?)`),
		id, now, "随程序发布的内容，升级时自动设为已审核的第1版"); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.Rebind(`UPDATE campaigns SET content_version_id = ? WHERE content_version_id IS NULL`), id)
	return err
}
