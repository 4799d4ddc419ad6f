package web

import (
	"fmt"
	"strings"
	"testing"
)

// TestDrillDownSplitsOpenedFromNeverOpened: the families not yet reached
// are split into "opened, not acknowledged" and "never opened", and the
// class's teacher is named.
func TestDrillDownSplitsOpenedFromNeverOpened(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	camp, _ := seedLetters(t, f)
	if _, err := f.st.DB().Exec(f.st.Rebind(`UPDATE letters SET first_opened_at = ?, last_opened_at = ?, status = 'opened' WHERE student_id = ?`),
		f.st.Now(), f.st.Now(), f.studentA1); err != nil {
		t.Fatal(err)
	}
	center := newBrowser(t, f.srv.URL)
	center.login("district")
	r := center.get(fmt.Sprintf("/overview/schools/%d/classes/%d?campaign=%d", f.schoolA, f.classA1, camp))
	body := r.Body
	opened := strings.Index(body, "已查看，未回执（1）")
	never := strings.Index(body, "从未打开（1）")
	if r.Status != 200 || opened < 0 || never < 0 || !strings.Contains(body, "本班老师：ta老师") {
		t.Fatalf("status %d: split or teacher missing", r.Status)
	}
	if a, b := strings.Index(body, "王小明"), strings.Index(body, "李华"); !(opened < a && a < never && never < b) {
		t.Errorf("王小明 (opened) and 李华 (never opened) not under their headings")
	}
}
