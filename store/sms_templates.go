package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SMSTemplate is a template as the provider approved it, entered by the
// education center: the code, the approved text with its variables, and
// the field each variable carries.
type SMSTemplate struct {
	Provider  string // aliyun, tencent
	Kind      string // reminder, alert
	Code      string
	Text      string
	Bind      map[string]string // variable → field ("1" → "school"); empty for named variables
	UpdatedBy int64
	UpdatedAt time.Time
}

// SMSTemplate returns the provider's template of kind; ok is false when
// none was entered.
func (s *Store) SMSTemplate(ctx context.Context, provider, kind string) (SMSTemplate, bool, error) {
	t := SMSTemplate{Provider: provider, Kind: kind}
	var bind string
	var by sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT code, text, bind, updated_by, updated_at FROM sms_templates
		WHERE provider = ? AND kind = ?`), provider, kind).Scan(&t.Code, &t.Text, &bind, &by, &t.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return SMSTemplate{}, false, nil
	}
	if err != nil {
		return SMSTemplate{}, false, fmt.Errorf("store: %s %s template: %w", provider, kind, err)
	}
	t.UpdatedBy, t.UpdatedAt = by.Int64, t.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(bind), &t.Bind); err != nil {
		return SMSTemplate{}, false, fmt.Errorf("store: %s %s template: bind: %w", provider, kind, err)
	}
	return t, true, nil
}

// SaveSMSTemplate records t as the provider's template of its kind,
// replacing the one before, and audits who did it.
func (s *Store) SaveSMSTemplate(ctx context.Context, t SMSTemplate) error {
	if t.Bind == nil {
		t.Bind = map[string]string{}
	}
	bind, err := json.Marshal(t.Bind)
	if err != nil {
		return err
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO sms_templates (provider, kind, code, text, bind, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, kind) DO UPDATE SET code = excluded.code, text = excluded.text,
			bind = excluded.bind, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
			t.Provider, t.Kind, t.Code, t.Text, string(bind), nullID(t.UpdatedBy), s.Now()); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, t.UpdatedBy, "sms_template_saved", fmt.Sprintf("%s %s template %s", t.Provider, t.Kind, t.Code))
	})
	if err != nil {
		return fmt.Errorf("store: save %s %s template: %w", t.Provider, t.Kind, err)
	}
	return nil
}
