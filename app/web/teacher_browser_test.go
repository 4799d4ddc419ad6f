package web

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jiashu/app/internal/browsertest"

	"github.com/xuri/excelize/v2"
)

// fixedMessyRoster is roster/testdata/messy.xlsx with its three error rows
// corrected, as a teacher would after reading the preview.
func fixedMessyRoster(t *testing.T, dir string) string {
	t.Helper()
	x, err := excelize.OpenFile("../../roster/testdata/messy.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for cell, v := range map[string]string{"D13": "13800138000", "A17": "000599", "B26": "宋子涵"} {
		if err := x.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "五年级3班-改好.xlsx")
	if err := x.SaveAs(out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTeacherFlowInChromium: a teacher signs in, uploads a roster with
// errors, sees each problem with its row, uploads the corrected roster,
// confirms, downloads the class's letters (one per student), and signs
// out; a second teacher cannot open the first one's class.
func TestTeacherFlowInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.WithAxe(t, staffChromium(t))
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo (poppler-utils) is not installed")
	}
	f := newWebFixture(t, webDSNs(t)["sqlite"])
	shots := artifacts(t, "teacher")
	tmp := t.TempDir()
	messy, _ := filepath.Abs("../../roster/testdata/messy.xlsx")
	fixed := fixedMessyRoster(t, tmp)
	base := f.srv.URL
	classURL := base + "/classes/" + itoa(f.classA2)
	page := browserPage{t: t, ctx: ctx, base: base, shots: shots}
	shot, viewShot, text := page.fullShot, page.viewShot, page.text

	t.Run("the teacher signs in and sees only her class", func(t *testing.T) {
		page.login("tb", shot("01-login"))
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".todo-list")), shot("02-classes")); err != nil {
			t.Fatal(err)
		}
		if got := text(".todo-list"); !strings.Contains(got, "五年级3班") || strings.Contains(got, "三年级2班") {
			t.Fatalf("class list %q", got)
		}
	})
	t.Run("an empty class says what to do", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".todo-list a.todo-name")), chromedp.WaitVisible(chromedp.CSS("main h1")), shot("03-class-empty"))
		if err != nil {
			t.Fatal(err)
		}
		if got := text("main"); !strings.Contains(got, "还没有学生名单") {
			t.Fatalf("class page %q", got)
		}
	})
	t.Run("a roster with errors shows every problem with its row", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`a[href$="/roster"]`)),
			chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{messy}),
			chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#preview")),
			shot("04-preview-errors"),
		)
		if err != nil {
			t.Fatal(err)
		}
		problems := text("table.problems")
		for _, want := range []string{"第 13 行", "第 17 行", "第 26 行", "1380013800", "000514", "缺少学生姓名"} {
			if !strings.Contains(problems, want) {
				t.Errorf("problem list lacks %q:\n%s", want, problems)
			}
		}
	})
	t.Run("the corrected roster passes and is imported on confirmation", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{fixed})); err != nil {
			t.Fatal(err)
		}
		// The result page has a #preview too: wait for the navigation itself.
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#preview")), shot("05-preview-fixed")); err != nil {
			t.Fatal(err)
		}
		if got := text("#preview"); strings.Contains(got, "处错误") || !strings.Contains(got, "确认导入") {
			t.Fatalf("preview of the corrected file: %q", got)
		}
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#preview .actions button`))); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".stats")), shot("06-class-imported")); err != nil {
			t.Fatal(err)
		}
		if got := text("main"); !strings.Contains(got, "名册已导入") || !strings.Contains(got, "林佳豪") || !strings.Contains(got, "199****5557") {
			t.Fatalf("class page after import: %.400q", got)
		}
	})
	t.Run("one click on 生成家书 downloads the class letters, a PDF with one letter per student", func(t *testing.T) {
		if got := text("#generate-letters"); got != "生成家书（PDF）" {
			t.Fatalf("the generate button reads %q", got)
		}
		for _, size := range [][2]int64{{390, 844}, {1280, 900}} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1]), viewShot(fmt.Sprintf("06b-generate-%dx%d", size[0], size[1])))
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Axe(t, ctx, fmt.Sprintf("class page with 生成家书 at %dx%d", size[0], size[1]))
		}
		data := page.clickDownload("#generate-letters", "class-letters.pdf")
		pdf, n := filepath.Join(shots, "class-letters.pdf"), len(data)
		if !strings.HasPrefix(string(data), "%PDF-") || n < 1000 {
			t.Fatalf("the download is not a PDF: %d bytes", n)
		}
		// Reloaded, the class page offers the re-print (a GET) of what is
		// generated, with the same codes.
		if err := chromedp.Do(ctx, chromedp.Navigate(classURL)); err != nil {
			t.Fatal(err)
		}
		href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#letters-form`), "action"))
		if err != nil || href.Value != "/classes/"+itoa(f.classA2)+"/letters.pdf" {
			t.Fatalf("letters link %+v %v", href, err)
		}
		if res, again := page.download(href.Value, "class-letters-again.pdf"); res.StatusCode != 200 || len(again) != n {
			t.Errorf("the re-print: status %d, %d bytes, want %d", res.StatusCode, len(again), n)
		}
		students, _ := f.st.Students(context.Background(), f.classA2)
		txt, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(strings.TrimRight(string(txt), "\f"), "\f")
		if len(pages) != len(students) {
			t.Errorf("%d pages for %d students", len(pages), len(students))
		}
		for i, st := range students {
			if i < len(pages) && !strings.Contains(strings.ReplaceAll(pages[i], " ", ""), st.Name) {
				t.Errorf("page %d is not %s's letter", i+1, st.Name)
			}
		}
	})
	t.Run("on a phone the class page stays readable", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(classURL), chromedp.WaitVisible(chromedp.CSS(".stats")), viewShot("07-class-phone"),
			chromedp.EmulateViewport(1280, 900))
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("signing out returns to the login page", func(t *testing.T) {
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".nav button"))); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#username")), shot("08-logged-out")); err != nil {
			t.Fatal(err)
		}
		if got := text("main"); !strings.Contains(got, "已安全退出") {
			t.Fatalf("after logout: %q", got)
		}
		chromedp.Do(ctx, chromedp.Navigate(classURL))
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		if !strings.Contains(loc, "/login") {
			t.Fatalf("the class opened after logout: %s", loc)
		}
	})
	t.Run("a second teacher cannot open the first one's class", func(t *testing.T) {
		page.login("ta")
		err := chromedp.Do(ctx, chromedp.Navigate(classURL), chromedp.WaitVisible(chromedp.CSS("main h1")), shot("09-other-teacher-refused"))
		if err != nil {
			t.Fatal(err)
		}
		got := text("main")
		if !strings.Contains(got, "没有权限") || strings.Contains(got, "林佳豪") {
			t.Fatalf("second teacher sees: %q", got)
		}
	})
}
