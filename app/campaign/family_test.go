package campaign

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiashu/app/content"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/problem"
	"jiashu/store"
	"jiashu/store/storetest"
)

// pdfText is the text of a PDF, or the test skips without pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestCheckHeadTeacher(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want, refused string }{
		{"  王老师 ", "王老师", ""},
		{"阿依古丽 买买提", "阿依古丽 买买提", ""},
		{"", "", ""},
		{strings.Repeat("王", 21), "", "20个字以内"},
		{"<b>王</b>老师", "", "{ } < >"},
		{"{班主任}", "", "{ } < >"},
		{"=HYPERLINK(1)", "", "公式"},
	} {
		got, err := CheckHeadTeacher(c.in)
		p := problem.As(err)
		switch {
		case c.refused == "" && (err != nil || got != c.want):
			t.Errorf("%q: %q %v, want %q", c.in, got, err, c.want)
		case c.refused != "" && (p == nil || p.Code != problem.Invalid || !strings.Contains(p.Message, c.refused)):
			t.Errorf("%q: %v, want a refusal saying %q", c.in, err, c.refused)
		}
	}
}

// TestLettersCarryTheClassHeadTeacherAndTheCampaignOpening prints a class's
// letters from the store as `app letters` and the jobs do: they sign with
// the class's recorded head teacher (none: no line naming one) and open
// with the campaign's reviewed opening line.
func TestLettersCarryTheClassHeadTeacherAndTheCampaignOpening(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, storetest.DSNs(t)["sqlite"])
	f := storetest.Seed(t, st, 1, 2)
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	engines := content.NewEngines(st, eng)
	camp, err := st.Campaign(ctx, f.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SetOpening(ctx, st, engines, camp, "寒假", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := SetHeadTeacher(ctx, st, f.ClassID, "王老师", 0); err != nil {
		t.Fatal(err)
	}
	build := Letters{Store: st, AgeGroups: grade.DefaultMapping(), BaseURL: "https://jiashu.example.cn", Content: engines}
	print := func() string {
		t.Helper()
		_, ls, err := build.Class(ctx, time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), f.CampaignID, f.ClassID, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := eng.WriteLetters(&buf, ls, letters.Options{}); err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(pdfText(t, buf.Bytes()), "\n", "")
	}
	txt := print()
	if n := strings.Count(txt, "三年级1班班主任 王老师"); n != 2 {
		t.Errorf("the signature “三年级1班班主任 王老师” is printed %d times in 2 letters:\n%s", n, txt)
	}
	if n := strings.Count(txt, "寒假将至，孩子在家上网"); n != 2 {
		t.Errorf("the opening is printed %d times in 2 letters", n)
	}
	if _, err := SetHeadTeacher(ctx, st, f.ClassID, "", 0); err != nil {
		t.Fatal(err)
	}
	if txt := print(); strings.Contains(txt, "三年级1班班主任") || strings.Contains(txt, "王老师") {
		t.Errorf("a class without a head teacher still signs with one:\n%s", txt)
	}
}

func TestResolveOpeningRefusesANameTheVersionLacks(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, storetest.DSNs(t)["sqlite"])
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	engines := content.NewEngines(st, eng)
	o, err := ResolveOpening(context.Background(), engines, 0, "元旦")
	if p := problem.As(err); p == nil || p.Code != problem.Invalid || !strings.Contains(p.Message, "“寒假”") {
		t.Errorf("an unknown opening: %+v %v, want a refusal listing the version's", o, err)
	}
	if o, err := ResolveOpening(context.Background(), engines, 0, " "); err != nil || o.Name != "" {
		t.Errorf("no opening: %+v %v", o, err)
	}
	o, err = ResolveOpening(context.Background(), engines, 0, "开学")
	if err != nil || !strings.HasPrefix(o.Text, "新学期开学了") || o.Version == 0 {
		t.Errorf("开学: %+v %v, want its text from the newest approved version", o, err)
	}
}

// TestLessonsNameTheCampaignDeadline: the class-meeting kit ends with the
// letters handed out and the day their slips are due — the campaign's.
func TestLessonsNameTheCampaignDeadline(t *testing.T) {
	t.Parallel()
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	camp := store.Campaign{Name: "秋季", AckDeadline: "2026-12-01"}
	for _, slides := range []bool{false, true} {
		var buf bytes.Buffer
		if err := WriteLesson(&buf, eng, camp, letters.Junior, slides, letters.LessonOptions{School: "阳光中学"}); err != nil {
			t.Fatal(err)
		}
		if txt := strings.ReplaceAll(pdfText(t, buf.Bytes()), "\n", ""); !strings.Contains(txt, "2026年12月1日") || strings.Contains(txt, "班主任规定的日期") {
			t.Errorf("slides %v: the kit does not name the campaign's deadline 2026年12月1日", slides)
		}
	}
}
