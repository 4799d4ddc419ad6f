package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pairRoster is a class whose roster writes grandparents as pairs (祖孙,
// 爷孙, 外祖孙关系, 奶孙), names its head teacher 江老师, and holds a
// name too long for the slip.
const pairRoster = "学号,姓名,性别,年级,班级,班主任,家长姓名,与学生关系,家长手机\n" +
	"2024010101,王小雨,女,三年级,1班,江老师,李桂兰,祖孙,13912345678\n" +
	"2024010102,陈子墨,男,三年级,1班,江老师,陈德山,爷孙,13712345678\n" +
	"2024010103,赵一诺,女,三年级,1班,江老师,孙秀英,外祖孙关系,13612345678\n" +
	"2024010104,刘星,男,三年级,1班,江老师,刘大妈,奶孙,13512345678\n" +
	"2024010105,阿卜杜热合曼·艾合买提江·买买提明·艾尔肯·吐尔逊·阿不都,男,三年级,1班,江老师,艾尔肯,父亲,13412345678\n"

// TestWhatEachFamilyReceivesFromTheCommandLine: the head teacher the
// school records is the one printed, a roster naming another is reported;
// the letters' summary names the school's missing details and every name
// cut; the school's details and the campaign's opening are set from the
// command line.
func TestWhatEachFamilyReceivesFromTheCommandLine(t *testing.T) {
	t.Parallel()
	needPoppler(t)
	dir, roster, run := pairClass(t)
	run("import", "--school", "阳光小学", roster)
	if out := run("class", "head-teacher", "--school", "阳光小学", "--class", "三年级1班"); !strings.Contains(out, "班主任 江老师") {
		t.Fatalf("a first roster's head teacher is not recorded: %s", out)
	}
	run("class", "head-teacher", "--school", "阳光小学", "--class", "三(1)班", "--name", "王老师")
	t.Run("a roster naming another head teacher is reported and changes nothing", func(t *testing.T) {
		out := run("import", "--school", "阳光小学", roster)
		if !strings.Contains(out, "名册中的班主任是“江老师”，本班记录的班主任是“王老师”") {
			t.Errorf("no warning naming both: %s", out)
		}
		if strings.Contains(out, "第0行") {
			t.Errorf("a warning about the class names row 0: %s", out)
		}
		if out := run("class", "head-teacher", "--school", "阳光小学", "--class", "三年级1班"); !strings.Contains(out, "班主任 王老师") {
			t.Errorf("the roster switched the head teacher: %s", out)
		}
	})
	t.Run("a refused name exits 1 with why", func(t *testing.T) {
		code, _, errs := cli(t, dir, "class", "head-teacher", "--school", "阳光小学", "--class", "三年级1班", "--name", "<b>王</b>")
		if code != exitProblems || !strings.Contains(errs, "{ } < >") {
			t.Errorf("exit %d %s", code, errs)
		}
	})
	t.Run("the school's details say what the letters lack", func(t *testing.T) {
		if out := run("school", "details", "--school", "阳光小学"); !strings.Contains(out, "学校电话：（未填）") {
			t.Errorf("details: %s", out)
		}
	})
	out := filepath.Join(dir, "letters")
	summary := run("letters", "--school", "阳光小学", "--base-url", testBaseURL, "--out", out)
	t.Run("the summary names the missing details and every cut name", func(t *testing.T) {
		for _, want := range []string{"5 封信（大字版 4 封）", "学校信息未填：学校电话、派出所、派出所电话", "app school details --school 阳光小学",
			"印短了的名字（1 个）", "阿卜杜热合曼·艾合买提江"} {
			if !strings.Contains(summary, want) {
				t.Errorf("summary lacks %q:\n%s", want, summary)
			}
		}
	})
	t.Run("every grandparent's letter is large print and every letter signs with the recorded head teacher", func(t *testing.T) {
		pdf := filepath.Join(out, "三年级1班.pdf")
		if n := pdfPages(t, pdf); n != 4*2+1 {
			t.Errorf("%d pages, want 9: four grandparents' letters of two pages, one of one", n)
		}
		txt := strings.NewReplacer("\n", "", " ", "").Replace(pdfPageText(t, pdf, "9"))
		if !strings.Contains(txt, "三年级1班班主任王老师") || strings.Contains(txt, "江老师") {
			t.Errorf("the father's letter does not sign with 王老师:\n%s", txt)
		}
	})
	t.Run("details and an opening set from the command line reach the letters", func(t *testing.T) {
		if out := run("school", "details", "--school", "阳光小学", "--phone", "０２３－１２３４５６７８", "--police-station", "龙溪派出所", "--police-phone", "023-67821110"); !strings.Contains(out, "学校电话：023-12345678") || !strings.Contains(out, "都已填写") {
			t.Errorf("details: %s", out)
		}
		run("campaign", "opening", "--name", latestCampaign(t, dir), "--opening", "寒假")
		summary := run("letters", "--school", "阳光小学", "--base-url", testBaseURL, "--out", out)
		if strings.Contains(summary, "学校信息未填") || !strings.Contains(summary, "开头语“寒假”") {
			t.Errorf("summary:\n%s", summary)
		}
		txt := strings.ReplaceAll(pdfPageText(t, filepath.Join(out, "三年级1班.pdf"), "9"), "\n", "")
		for _, want := range []string{"寒假将至", "023-12345678", "龙溪派出所"} {
			if !strings.Contains(txt, want) {
				t.Errorf("the letter lacks %q", want)
			}
		}
	})
	t.Run("a fee rule that is not one is refused", func(t *testing.T) {
		code, _, errs := cli(t, dir, "school", "details", "--school", "阳光小学", "--phone", "12345")
		if code != exitProblems || !strings.Contains(errs, "不是有效的电话号码") {
			t.Errorf("exit %d %s", code, errs)
		}
	})
}

// pairClass is a data folder holding pairRoster as a file, and a runner
// of commands in it that fails the test unless the command succeeds.
func pairClass(t *testing.T) (dir, roster string, run func(args ...string) string) {
	t.Helper()
	dir = t.TempDir()
	roster = filepath.Join(dir, "三年级1班.csv")
	if err := os.WriteFile(roster, []byte(pairRoster), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, roster, func(args ...string) string {
		t.Helper()
		code, out, errs := cli(t, dir, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d %s %s", args, code, out, errs)
		}
		return out
	}
}

// latestCampaign names the campaign `app campaign list` lists first.
func latestCampaign(t *testing.T, dir string) string {
	t.Helper()
	_, out, _ := cli(t, dir, "campaign", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("no campaign: %s", out)
	}
	return strings.Fields(lines[1])[1]
}

func TestCampaignCreateWithAnOpening(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errs := cli(t, dir, "campaign", "create", "--name", "2027寒假反诈家书", "--schools", "阳光小学", "--opening", "寒假")
	if code != exitOK || !strings.Contains(out, "开头语“寒假”：寒假将至") {
		t.Fatalf("exit %d %s %s", code, out, errs)
	}
	code, _, errs = cli(t, dir, "campaign", "create", "--name", "2027元旦", "--schools", "阳光小学", "--opening", "元旦")
	if code != exitProblems || !strings.Contains(errs, "没有名为“元旦”的开头语") {
		t.Errorf("an unknown opening: exit %d %s", code, errs)
	}
	code, out, _ = cli(t, dir, "campaign", "opening", "--name", "2027寒假反诈家书", "--none")
	if code != exitOK || !strings.Contains(out, "没有开头语") || !strings.Contains(out, "开学\t新学期开学了") {
		t.Errorf("opening --none: exit %d %s", code, out)
	}
}

// TestLessonNamesTheCampaignDeadline: `app lesson` hands the kit the day
// the campaign's slips are due, which its last part names.
func TestLessonNamesTheCampaignDeadline(t *testing.T) {
	t.Parallel()
	needPoppler(t)
	dir := t.TempDir()
	roster := filepath.Join(dir, "三年级1班.csv")
	if err := os.WriteFile(roster, []byte(pairRoster), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"import", "--school", "阳光小学", roster},
		{"campaign", "create", "--name", "寒假家书", "--schools", "阳光小学", "--deadline", "2027-01-15"}} {
		if code, _, errs := cli(t, dir, args...); code != exitOK {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
	}
	out := filepath.Join(dir, "kit")
	if code, _, errs := cli(t, dir, "lesson", "--school", "阳光小学", "--class", "三年级1班", "--campaign", "寒假家书", "--out", out); code != exitOK {
		t.Fatalf("lesson: exit %d %s", code, errs)
	}
	for _, f := range []string{"三年级1班-主题班会教案.pdf", "三年级1班-主题班会课件.pdf"} {
		data, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if txt := strings.NewReplacer("\n", "", " ", "").Replace(pdfTextOf(t, data)); !strings.Contains(txt, "2027年1月15日") {
			t.Errorf("%s does not name the campaign's deadline 2027年1月15日", f)
		}
	}
	t.Run("a campaign without a deadline is said so", func(t *testing.T) {
		cli(t, dir, "campaign", "create", "--name", "无期家书", "--schools", "阳光小学")
		code, stdout, errs := cli(t, dir, "lesson", "--school", "阳光小学", "--class", "三年级1班", "--campaign", "无期家书", "--out", out)
		if code != exitOK || !strings.Contains(stdout, "没有设定回执截止日期") {
			t.Fatalf("exit %d %s %s", code, stdout, errs)
		}
		data, err := os.ReadFile(filepath.Join(out, "三年级1班-主题班会教案.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		if txt := strings.NewReplacer("\n", "", " ", "").Replace(pdfTextOf(t, data)); !strings.Contains(txt, "班主任规定的日期前") {
			t.Errorf("the sheet names no day and does not say whose it is")
		}
	})
}

// pdfTextOf is the text of a PDF's bytes.
func pdfTextOf(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kit.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
