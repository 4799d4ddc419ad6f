package web

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// zipText is every XML part of an XLSX, concatenated.
func zipText(t *testing.T, data []byte) (string, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var all strings.Builder
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(b)
	}
	return all.String(), names
}

func TestOverviewReport(t *testing.T) {
	t.Parallel()
	phone := regexp.MustCompile(`1[3-9]\d{9}`)
	for name, dsn := range webDSNs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newReachFixture(t, dsn)
			// A school whose name a spreadsheet would read as a formula.
			if _, err := f.st.DB().Exec(f.st.Rebind(`UPDATE schools SET name = ? WHERE id = ?`), "=HYPERLINK(\"http://x\")明德", f.schoolB); err != nil {
				t.Fatal(err)
			}
			center := newBrowser(t, f.srv.URL)
			center.login("district")

			t.Run("the district report has a summary, a sheet per school, a sheet per day and two charts, without personal data", func(t *testing.T) {
				r := center.get("/overview/report.xlsx?campaign=" + itoa(f.campaign))
				if r.Status != 200 {
					t.Fatalf("status %d %.200s", r.Status, r.Body)
				}
				if err := os.WriteFile(filepath.Join(artifacts(t, "overview"), "report-"+name+".xlsx"), []byte(r.Body), 0o644); err != nil {
					t.Fatal(err)
				}
				x, err := excelize.OpenReader(strings.NewReader(r.Body))
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				sheets := x.GetSheetList()
				if len(sheets) != 4 || sheets[0] != "汇总" || !slices.Contains(sheets, "阳光小学") || sheets[len(sheets)-1] != "每日回执" {
					t.Fatalf("sheets %q", sheets)
				}
				total, _ := x.GetCellValue("汇总", "D9")
				rate, _ := x.GetCellValue("汇总", "E9")
				if total != "4" || rate != "57.1%" {
					t.Errorf("total acknowledged %q rate %q, want 4 and 57.1%%", total, rate)
				}
				rows, _ := x.GetRows("阳光小学")
				if len(rows) != 4 || rows[2][0] != "三年级2班" || rows[2][2] != "3" || rows[2][5] != "1" || rows[3][6] != "66.7%" {
					t.Errorf("阳光小学 rows %q", rows)
				}
				days, _ := x.GetRows("每日回执")
				if len(days) != 4 || days[1][0] != "2026-11-02" || days[1][1] != "2" || days[2][1] != "0" || days[3][2] != "4" {
					t.Errorf("days %q", days)
				}
				all, parts := zipText(t, []byte(r.Body))
				charts := 0
				for _, p := range parts {
					if strings.HasPrefix(p, "xl/charts/chart") {
						charts++
					}
				}
				if charts != 2 || !strings.Contains(all, "barChart>") || !strings.Contains(all, "lineChart>") ||
					!strings.Contains(all, "&#39;汇总&#39;!$E$12") && !strings.Contains(all, "'汇总'!$E$12") {
					i := strings.Index(all, "barChart")
					t.Errorf("%d charts in %v: %.600s", charts, parts, all[max(i, 0):])
				}
				for _, secret := range []string{"王小明", "张伟", "李华妈妈", "赵敏"} {
					if strings.Contains(all, secret) {
						t.Errorf("the report carries the name %q", secret)
					}
				}
				if m := phone.FindString(all); m != "" {
					t.Errorf("the report carries a phone number %s", m)
				}
				for _, sh := range sheets {
					rows, _ := x.GetRows(sh)
					for _, row := range rows {
						for _, v := range row {
							if strings.HasPrefix(v, "=") {
								t.Errorf("sheet %s: a cell reads as a formula: %q", sh, v)
							}
						}
					}
				}
				log, err := f.st.AuditLog(t.Context(), 5)
				if err != nil || len(log) == 0 || log[0].Action != "reach_report" {
					t.Errorf("audit %+v %v", log, err)
				}
			})
			t.Run("a school administrator gets their school's report; another school's administrator is refused", func(t *testing.T) {
				admin := newBrowser(t, f.srv.URL)
				admin.login("adminA")
				r := admin.get("/api/v1/overview/schools/" + itoa(f.schoolA) + "/report.xlsx")
				if r.Status != 200 {
					t.Fatalf("status %d", r.Status)
				}
				x, err := excelize.OpenReader(strings.NewReader(r.Body))
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				if sheets := x.GetSheetList(); len(sheets) != 3 || sheets[1] != "阳光小学" {
					t.Errorf("sheets %q", sheets)
				}
				if all, _ := zipText(t, []byte(r.Body)); strings.Contains(all, "HYPERLINK") {
					t.Error("a school's report shows another school")
				}
				adminB := newBrowser(t, f.srv.URL)
				adminB.login("adminB")
				for _, p := range []string{"/overview/schools/" + itoa(f.schoolA) + "/report.xlsx", "/api/v1/overview/report.xlsx", "/overview/report.xlsx"} {
					if r := adminB.get(p); r.Status != 403 && r.Status != 404 {
						t.Errorf("adminB %s: %d", p, r.Status)
					}
				}
			})
		})
	}
}
