package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rosterBook writes a one-sheet roster named sheet with rows under a header.
func rosterBook(t *testing.T, sheet string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	all := append([][]any{{"学号", "姓名", "家长姓名", "家长手机"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRosterPreviewNamesTransferredStudents: the preview of a re-import
// names the students it will mark transferred and says where the class was
// read from; a phone cell saying 无 is a warning; a roster without students
// is refused.
func TestRosterPreviewNamesTransferredStudents(t *testing.T) {
	t.Parallel()
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	ta := newBrowser(t, f.srv.URL)
	ta.login("ta")
	page := "/classes/" + itoa(f.classA1) + "/roster"

	r := ta.upload(page, "三年级2班.xlsx", rosterBook(t, "三年级2班", []any{"A0002", "李华", "李父", "无"}), nil)
	if r.Status != 200 {
		t.Fatalf("status %d %.800s", r.Status, r.Body)
	}
	for _, want := range []string{"导入后将标记为“转出”", "王小明（A0001）", "班级从工作表名称“三年级2班”读出", "只能发放纸质家书"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "不是有效的11位手机号码") {
		t.Error("a 无 in the phone column is reported as an invalid number")
	}

	r = ta.upload(page, "模板.xlsx", rosterBook(t, "三年级2班"), nil)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "文件里没有学生") || strings.Contains(r.Body, "文件检查通过") {
		t.Fatalf("empty roster: status %d %.800s", r.Status, r.Body)
	}
}
