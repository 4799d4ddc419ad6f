package web

import (
	"fmt"
	"strings"
	"testing"
)

// TestReminderExportNamesStudentAndClass: the teacher can check whom each
// text is about before handing the list to the messaging platform.
func TestReminderExportNamesStudentAndClass(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	camp, _ := seedLetters(t, f)
	ta := newBrowser(t, f.srv.URL)
	ta.login("ta")
	r := ta.get(fmt.Sprintf("/classes/%d/reminders.csv?campaign=%d", f.classA1, camp))
	lines := strings.Split(strings.TrimPrefix(r.Body, "\uFEFF"), "\r\n")
	if r.Status != 200 || lines[0] != "手机号码,短信内容,学生,班级" || !strings.HasSuffix(lines[1], ",王小明,三年级2班") {
		t.Fatalf("%d %q", r.Status, lines)
	}
	if !strings.Contains(lines[1], "无需填写或付费") && !strings.Contains(lines[1], "免填免费") {
		t.Errorf("the text does not say nothing is to be filled in or paid: %q", lines[1])
	}
}
