package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"jiashu/app/content"
	"jiashu/store"
)

// demoReviewer is the demo's 审核员, who finds a draft waiting for review.
const demoReviewer = "reviewer"

// demoDraftTitle names the demo's draft, so a second start adds none.
const demoDraftTitle = "新增“AI换脸冒充亲友借钱”提醒（演示草稿）"

// seedDemoContent adds the reviewer account (made by account) and, once,
// a draft by the center waiting for review: one letter mentions AI
// face-swap scams.
func seedDemoContent(ctx context.Context, st *store.Store, account func(string, string, store.Role, int64) (store.User, error)) error {
	if _, err := account(demoReviewer, "演示审核员", store.RoleReviewer, 0); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	center, err := st.UserByUsername(ctx, demoCenter)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	vs, err := st.ContentVersions(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, v := range vs {
		if v.Title == demoDraftTitle {
			return nil
		}
	}
	latest, err := st.LatestApprovedContent(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	files, err := st.ContentFiles(ctx, latest.ID)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	p := content.TemplatePath("senior")
	// The sentence replaces the closing line's second half, so the letter
	// keeps the room every letter must keep on its page (the lint).
	const old = "让我们家校携手，为孩子的成长保驾护航！"
	if !strings.Contains(files[p], old) {
		return errors.New("demo: the senior letter changed; update the demo's draft")
	}
	files[p] = strings.Replace(files[p], old, "有人用AI换脸冒充亲友借钱，请先挂断再核实。", 1)
	d, err := st.CreateContentDraft(ctx, center.ID, latest.ID, demoDraftTitle, files)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := st.SubmitContent(ctx, d.ID, center.ID); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
