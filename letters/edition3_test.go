package letters

import (
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"

	"jiashu/relation"
)

// The third edition, read as a police anti-fraud officer, a typesetter, a
// grandparent and a class teacher would (issue 19).

// fullLetter is a letter of a school that filled in every detail, to a
// family whose name has a middle dot, in a class whose name has a digit.
func fullLetter(ag string) Letter {
	l := sampleLetter(ag, "阿依古丽·买买提")
	l.ClassName = "七年级2班"
	l.SchoolPhone, l.PoliceStation, l.PolicePhone = "023-67891234", "渝北区公安分局龙溪派出所", "023-67821110"
	return l
}

// editions are the ordinary and the large-print edition of a letter.
var editions = []struct {
	name  string
	large bool
}{{"ordinary", false}, {"large print", true}}

// zbar decodes the QR codes of a page rendered in colour and in grayscale
// with zbarimg, and returns what each says.
func zbar(t *testing.T, path string, page int) (colour, gray string) {
	t.Helper()
	needTool(t, "pdftoppm")
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Skip("zbarimg not installed (Debian package zbar-tools): skipping QR decoding")
	}
	dir := t.TempDir()
	p := fmt.Sprint(page)
	out := [2]string{}
	for i, mode := range []string{"", "-gray"} {
		png := filepath.Join(dir, fmt.Sprintf("page%d", i))
		args := []string{"-png", "-r", "150", "-f", p, "-l", p, "-singlefile"}
		if mode != "" {
			args = append(args, mode)
		}
		if err := exec.Command("pdftoppm", append(args, path, png)...).Run(); err != nil {
			t.Fatalf("pdftoppm: %v", err)
		}
		b, err := exec.Command("zbarimg", "-q", "--raw", png+".png").Output()
		if err != nil {
			t.Fatalf("zbarimg found no code on page %d (%s): %v", page, map[string]string{"": "colour", "-gray": "grayscale"}[mode], err)
		}
		out[i] = strings.TrimSpace(string(b))
	}
	return out[0], out[1]
}

// pageWords are the words (pdftotext -bbox) of one page.
func pageWords(t *testing.T, path string, page int) []pdfWord {
	t.Helper()
	var ws []pdfWord
	for _, m := range wordRE.FindAllStringSubmatch(pdfText(t, path, "-bbox", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page)), -1) {
		var w pdfWord
		fmt.Sscan(m[1]+" "+m[2]+" "+m[3]+" "+m[4], &w.x0, &w.y0, &w.x1, &w.y1)
		w.text = m[5]
		ws = append(ws, w)
	}
	return ws
}

type pdfWord struct {
	x0, y0, x1, y1 float64
	text           string
}

func TestEveryLetterWarnsOfChildInDangerCallsAndSaysPreciselyWhatToDo(t *testing.T) {
	t.Parallel()
	for _, ag := range AgeGroups() {
		t.Run(ag, func(t *testing.T) {
			path, _ := writePDF(t, []Letter{fullLetter(ag)}, Options{})
			text := stripSpace(pdfText(t, path))
			for _, want := range []string{
				"孩子出事了", "冒充老师、医生或警察", "AI", "暗号", // near the top, with voice cloning and the family code word
				"孩子说出来就是做对了，先安慰、不责骂",                          // the comfort sentence
				"立即拨打110报警，说清对方账号和转账时间，请警方紧急止付", "请银行冻结您自己的卡", // 110 reports; a bank freezes only your own card
				"拿不准可打过去咨询", // 96110 is for advice
				"派出所：渝北区公安分局龙溪派出所，电话023-67821110",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("letter lacks %q", want)
				}
			}
			for _, bad := range []string{"110或96110报警", "再请银行冻结账户", "2023年"} {
				if strings.Contains(text, bad) {
					t.Errorf("letter still says %q", bad)
				}
			}
			if at, body := strings.Index(text, "孩子出事了"), strings.Index(text, "沿此线剪下"); at < 0 || at > body/4 {
				t.Errorf("孩子出事了 is at %d of %d characters, not near the top", at, body)
			}
			sextortion := strings.Contains(text, "偷偷录下后威胁")
			if want := ag == Junior || ag == Senior; sextortion != want {
				t.Errorf("sextortion printed: %v, want %v", sextortion, want)
			}
			if ag == Senior {
				for _, want := range []string{"帮助信息网络犯罪活动罪（帮信罪）", "年满16周岁"} {
					if !strings.Contains(text, want) {
						t.Errorf("the senior letter lacks %q", want)
					}
				}
			}
			bare := sampleLetter(ag, "王小明")
			path, _ = writePDF(t, []Letter{bare}, Options{})
			if text := stripSpace(pdfText(t, path)); strings.Contains(text, "派出所：") || strings.Contains(text, "{") {
				t.Errorf("a school without a police station prints its line")
			}
		})
	}
}

// Each age group's letter keeps three lines free at 10.5 pt, with the
// longest details a school may fill in; ten more characters in a method
// every letter prints still leave every letter on one page.
func TestEveryLetterKeepsThreeLinesToSpare(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	rooms, err := e.Rooms("")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rooms {
		t.Logf("%s: %.1f lines spare", r.AgeGroup, r.SpareLines)
		if !r.OK() || r.Pages != 1 {
			t.Errorf("%s: %s", r.AgeGroup, r.Message())
		}
	}
	fsys := defaultMapFS(t)
	src := string(fsys[MethodsFile].Data)
	fsys[MethodsFile].Data = []byte(strings.Replace(src, "答话的也是骗子。", "答话的也是骗子，千万不要相信他们。", 1))
	longer := engineOf(t, fsys)
	for _, ag := range AgeGroups() {
		for _, l := range RoomLetters(ag) {
			st, err := longer.WriteLetters(new(strings.Builder), []Letter{l}, Options{})
			if err != nil || st.Pages != 1 {
				t.Errorf("%s with ten more characters: %d pages, %v", ag, st.Pages, err)
			}
		}
	}
}

// The lint says by how much a letter is over and which methods take the
// most, on the method being edited.
func TestRoomNamesTheLinesOverAndTheLargestMethods(t *testing.T) {
	t.Parallel()
	fsys := defaultMapFS(t)
	src := string(fsys[MethodsFile].Data)
	long := strings.Repeat("骗子会换着花样说，家长要多留心。", 12)
	fsys[MethodsFile].Data = []byte(strings.Replace(src, "拿去骗钱、洗钱。", "拿去骗钱、洗钱。"+long, 1))
	e := engineOf(t, fsys)
	rooms, err := e.RoomsWith("card-renting", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rooms) != 2 || rooms[0].AgeGroup != Junior || rooms[1].AgeGroup != Senior {
		t.Fatalf("letters printing card-renting: %+v", rooms)
	}
	for _, r := range rooms {
		msg := r.Message()
		if r.OK() || r.SpareLines >= 0 || !strings.Contains(msg, "超出一页A4纸约") || r.Methods[0].ID != "card-renting" ||
			!strings.Contains(msg, "占地最多的手法：出租出借银行卡") {
			t.Errorf("%s: %.1f lines, %s", r.AgeGroup, r.SpareLines, msg)
		}
	}
	// An opening line takes room too.
	base, _ := testEngine(t).Rooms("")
	with, _ := testEngine(t).Rooms("寒假将至，学校把近期常见的骗局整理如下，请您在假期里和孩子一起读一读、聊一聊。")
	if with[0].SpareLines > base[0].SpareLines-0.9 {
		t.Errorf("an opening line of two lines leaves %.1f lines of %.1f", with[0].SpareLines, base[0].SpareLines)
	}
}

// defaultMapFS is the embedded library as a map to edit.
func defaultMapFS(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, p := range []string{MethodsFile, "templates/primary-lower.txt", "templates/primary-upper.txt", "templates/junior.txt", "templates/senior.txt"} {
		b, err := fs.ReadFile(defaultFS(t), p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = &fstest.MapFile{Data: b}
	}
	return out
}

// engineOf is an engine printing the library of fsys.
func engineOf(t *testing.T, fsys fstest.MapFS) *Engine {
	t.Helper()
	lib, err := LoadLibrary(fsys)
	if err != nil {
		t.Fatal(err)
	}
	e, err := testEngine(t).WithLibrary(lib)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Names, classes and dates print and copy exactly as the roster has them,
// on every letter and slip, in both editions.
func TestNamesPrintAndCopyExactlyAsGiven(t *testing.T) {
	t.Parallel()
	for _, ag := range AgeGroups() {
		for _, ed := range editions {
			t.Run(ag+" "+ed.name, func(t *testing.T) {
				l := fullLetter(ag)
				l.LargePrint = ed.large
				path, _ := writePDF(t, []Letter{l}, Options{})
				text := pdfText(t, path)
				salutation := "尊敬的阿依古丽·买买提同学家长"
				if ed.large {
					salutation = "尊敬的阿依古丽·买买提的爷爷奶奶、外公外婆"
				}
				for _, want := range []string{salutation, "学生姓名：阿依古丽·买买提", "班级：七年级2班", "七年级2班班主任", "2026年9月8日前交回班主任",
					"023-67891234"} {
					if !strings.Contains(text, want) {
						t.Errorf("pdftotext lacks %q as typed", want)
					}
				}
				for _, bad := range []string{"阿依古丽 · 买买提", "七年级 2 班", "2026 年", "9 月 8 日"} {
					if strings.Contains(text, bad) {
						t.Errorf("pdftotext has %q: a gap inside a field", bad)
					}
				}
			})
		}
	}
}

// On the slip, the code to type ends inside the right margin, and the
// name and the class are set in one face and size; the QR code decodes in
// colour and in grayscale.
func TestSlipKeepsItsCodeInsideTheMarginAndOneFaceForNameAndClass(t *testing.T) {
	t.Parallel()
	right := (pageW - marginR) * mmToPt
	for _, ag := range AgeGroups() {
		for _, ed := range editions {
			t.Run(ag+" "+ed.name, func(t *testing.T) {
				l := fullLetter(ag)
				l.LargePrint = ed.large
				path, st := writePDF(t, []Letter{l}, Options{})
				var name, class, code pdfWord
				for _, w := range pageWords(t, path, st.Pages) {
					switch {
					case w.text == l.StudentName:
						name = w
					case w.text == l.ClassName:
						class = w
					case strings.Contains(w.text, "7KQ2"):
						code = w
					}
				}
				if code.text == "" || name.text == "" || class.text == "" {
					t.Fatalf("slip words not found: name %q, class %q, code %q", name.text, class.text, code.text)
				}
				if code.x1 > right+0.5 {
					t.Errorf("the code ends at %.1f pt, %.1f mm past the right margin", code.x1, (code.x1-right)/mmToPt)
				}
				if class.x1 > right {
					t.Errorf("the class ends past the right margin")
				}
				if h1, h2 := name.y1-name.y0, class.y1-class.y0; h1-h2 > 0.05 || h2-h1 > 0.05 {
					t.Errorf("name and class are set in different sizes or faces: word heights %.2f and %.2f pt", h1, h2)
				}
				if c, g := zbar(t, path, st.Pages); c != l.URL || g != l.URL {
					t.Errorf("QR code: colour %q, grayscale %q", c, g)
				}
			})
		}
	}
}

// A name cut to fit (on the slip, or past 30 characters) is reported with
// what was printed, by the letters and by Check before printing.
func TestEveryCutNameIsReported(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	wide := sampleLetter(Junior, strings.Repeat("欧阳", 13)) // 26 characters: too wide for the slip only
	long := sampleLetter(Junior, strings.Repeat("司马", 20)) // 40 characters: cut at 30, then on the slip
	fine := sampleLetter(Junior, "王小明")
	for _, large := range []bool{false, true} {
		ls := []Letter{wide, fine, long}
		path, st := writePDF(t, ls, Options{LargePrint: large})
		cut := CutNames(st.Attention)
		if len(cut) != 2 || cut[0].Index != 0 || cut[1].Index != 2 {
			t.Fatalf("large=%v: cut names %+v", large, cut)
		}
		text := stripSpace(pdfText(t, path))
		for _, a := range cut {
			if !strings.HasSuffix(a.Printed, "…") || !strings.Contains(text, "学生姓名："+a.Printed) || !strings.Contains(a.Message, a.Printed) {
				t.Errorf("large=%v: %s printed as %q, message %q", large, a.StudentName, a.Printed, a.Message)
			}
		}
		checked := CutNames(e.Check(ls, Options{LargePrint: large}))
		if len(checked) != 2 || checked[0].Printed != cut[0].Printed || checked[1].Printed != cut[1].Printed {
			t.Errorf("large=%v: Check reports %+v, the letters %+v", large, checked, cut)
		}
	}
}

// A class without a head teacher's name prints no half-empty signature.
func TestNoHeadTeacherNoEmptySignature(t *testing.T) {
	t.Parallel()
	for _, ag := range AgeGroups() {
		for _, ed := range editions {
			l := fullLetter(ag)
			l.HeadTeacher, l.LargePrint = " ", ed.large
			path, _ := writePDF(t, []Letter{l}, Options{})
			for _, ln := range strings.Split(pdfText(t, path), "\n") {
				if s := strings.TrimSpace(ln); strings.HasSuffix(s, "班主任") && strings.HasPrefix(s, "七年级2班") {
					t.Errorf("%s %s: signature line %q", ag, ed.name, s)
				}
			}
		}
	}
}

// A campaign's opening line is printed first, after the salutation, in
// the PDF and in the parents' page's model.
func TestOpeningLineComesFirst(t *testing.T) {
	t.Parallel()
	const opening = "寒假将至，{学校}提醒您：假期里孩子上网多，骗子也多。"
	for _, ag := range AgeGroups() {
		for _, ed := range editions {
			l := sampleLetter(ag, "王小明")
			l.Opening, l.LargePrint = opening, ed.large
			tp, _ := testEngine(t).Library().Template(ag)
			d := tp.Compose(l)
			want := "寒假将至，重庆市渝北区实验小学提醒您：假期里孩子上网多，骗子也多。"
			if d.Blocks[1].Kind != KindParagraph || d.Blocks[1].Text != want {
				t.Errorf("%s %s: second block %+v", ag, ed.name, d.Blocks[1])
			}
			path, _ := writePDF(t, []Letter{l}, Options{})
			text := stripSpace(pdfText(t, path))
			at, salutation, first := strings.Index(text, want), strings.Index(text, "尊敬的"), strings.Index(text, "您好！")
			if at < salutation || at > first {
				t.Errorf("%s %s: opening at %d, salutation at %d, 您好 at %d", ag, ed.name, at, salutation, first)
			}
		}
	}
}

// On the parents' page the letter never shows a write-in blank; on paper
// it keeps one for the school's phone.
func TestWebLetterShowsNoWriteInBlank(t *testing.T) {
	t.Parallel()
	for _, ag := range AgeGroups() {
		tp, _ := testEngine(t).Library().Template(ag)
		for _, large := range []bool{false, true} {
			l := sampleLetter(ag, "王小明")
			l.LargePrint = large
			paper := documentText(tp.Compose(l))
			l.Web = true
			web := documentText(tp.Compose(l))
			if !strings.Contains(paper, "＿") {
				t.Errorf("%s: the paper letter has no blank to write the school's phone in", ag)
			}
			if strings.Contains(web, "＿") || !strings.Contains(web, "学校电话："+WebBlank) {
				t.Errorf("%s large=%v: the web letter shows a blank or lacks %q", ag, large, WebBlank)
			}
		}
	}
}

// Alerts reach parents filled in, or not at all.
func TestFillTextFillsPerFamilyOrRefuses(t *testing.T) {
	t.Parallel()
	l := sampleLetter(Junior, "王小明")
	got, err := FillText("{学生姓名}同学家长：收费通知请向班主任{班主任}核实。", l)
	if err != nil || got != "王小明同学家长：收费通知请向班主任李老师核实。" {
		t.Errorf("filled %q, %v", got, err)
	}
	l.HeadTeacher = ""
	var fe *FillError
	if _, err := FillText("请向班主任{班主任}核实。", l); !asFillError(err, &fe) || fmt.Sprint(fe.Missing) != "[{班主任}]" {
		t.Errorf("no head teacher: %v", err)
	}
	if got, err := FillText("请向班主任{班主任}核实。 || 请向班主任核实。", l); err != nil || got != "请向班主任核实。" {
		t.Errorf("with a fallback: %q, %v", got, err)
	}
	if _, err := FillText("{学生名}家长", l); !asFillError(err, &fe) || fmt.Sprint(fe.Unknown) != "[{学生名}]" || !strings.Contains(err.Error(), "不认识的占位符") {
		t.Errorf("unknown placeholder: %v", err)
	}
	if err := CheckText("班主任{班主任"); err == nil {
		t.Error("an unclosed brace passes the check")
	}
	if err := CheckText("冒充老师收费，请向班主任{班主任}核实。"); err != nil {
		t.Errorf("a good alert is refused: %v", err)
	}
}

func asFillError(err error, fe **FillError) bool {
	e, ok := err.(*FillError)
	*fe = e
	return ok
}

// The large-print letter speaks to the grandparent who reads it, on two
// balanced pages that split no block and no word, with no paragraph
// ending on a lone character; its QR code decodes in colour and gray.
func TestLargePrintIsWrittenToTheGrandparent(t *testing.T) {
	t.Parallel()
	for _, ag := range AgeGroups() {
		t.Run(ag, func(t *testing.T) {
			l := fullLetter(ag)
			l.LargePrint = true
			path, st := writePDF(t, []Letter{l}, Options{})
			if st.Pages != 2 {
				t.Fatalf("%d pages", st.Pages)
			}
			text := stripSpace(pdfText(t, path))
			for _, want := range []string{"的爷爷奶奶、外公外婆", "您自己手机里存的号码", "孩子出事了", "暗号", "保健品", "冒充亲友", "您这样做：", "万一上当："} {
				if !strings.Contains(text, want) {
					t.Errorf("large print lacks %q", want)
				}
			}
			for _, bad := range []string{"老人大额花钱", "提醒他们", "让你保密、用爸妈手机", "请多陪老人"} {
				if strings.Contains(text, bad) {
					t.Errorf("large print speaks of the grandparent in the third person: %q", bad)
				}
			}
			pages := pdfPagesText(t, path)
			for _, whole := range [][2]string{{"万一上当：", "不要责骂"}, {"请您记住", "学校电话："}, {"有人说", "对不上就是骗子"}} {
				if p, q := pageOf(pages, whole[0]), pageOf(pages, whole[1]); p != q {
					t.Errorf("%q … %q split across pages %d and %d", whole[0], whole[1], p, q)
				}
			}
			for i, pg := range pages {
				lines := nonEmptyLines(pg)
				for _, ln := range lines {
					if lonelyLine(ln) && !strings.Contains("年月日", ln) {
						t.Errorf("page %d: a paragraph ends on %q", i+1, ln)
					}
				}
				if i == 0 {
					last := []rune(lines[len(lines)-1])
					if !strings.ContainsRune("。！？”", last[len(last)-1]) {
						t.Errorf("page 1 ends inside a paragraph: %q", string(last))
					}
				}
			}
			checkBalanced(t, path)
			if c, g := zbar(t, path, 2); c != l.URL || g != l.URL {
				t.Errorf("QR code: colour %q, grayscale %q", c, g)
			}
		})
	}
}

// checkBalanced measures how far down each page's text goes: page 1 is
// not left half empty, and page 2 leaves no more white above the slip.
func checkBalanced(t *testing.T, path string) {
	t.Helper()
	bottom := func(ws []pdfWord, above float64) float64 {
		b := 0.0
		for _, w := range ws {
			if w.y1 < above {
				b = max(b, w.y1)
			}
		}
		return b
	}
	p1, p2 := pageWords(t, path, 1), pageWords(t, path, 2)
	cut := pageH * mmToPt
	for _, w := range p2 {
		if strings.Contains(w.text, cutText) {
			cut = w.y0
		}
	}
	full := (pageH - marginBot) * mmToPt
	white1, white2 := full-bottom(p1, full), cut-bottom(p2, cut)
	t.Logf("white at the foot of page 1: %.0f pt; above the slip on page 2: %.0f pt", white1, white2)
	if white1 > 0.35*full || white2 > 0.35*full || white1-white2 > 0.2*full || white2-white1 > 0.2*full {
		t.Errorf("pages not balanced: %.0f pt white on page 1, %.0f pt above the slip on page 2", white1, white2)
	}
}

func pageOf(pages []string, s string) int {
	for i, p := range pages {
		if strings.Contains(stripSpace(p), s) {
			return i + 1
		}
	}
	return 0
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, ln := range strings.Split(s, "\n") {
		if ln = strings.TrimSpace(ln); ln != "" {
			out = append(out, ln)
		}
	}
	return out
}

// lonelyLine reports a line of one Chinese character and marks.
func lonelyLine(ln string) bool {
	han := 0
	for _, r := range ln {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsSpace(r) || strings.ContainsRune(noLineStart, r):
		default:
			return false
		}
	}
	return han == 1
}

// Grandparents written as rosters write them get the large print.
func TestPairFormRelationsGetLargePrintForEveryGrandparent(t *testing.T) {
	t.Parallel()
	rels := []string{"祖孙", "爷孙", "奶孙", "外祖孙", "姥孙", "祖孙关系", "外婆（监护人）", "父亲", "母女", "叔叔"}
	var ls []Letter
	for i, r := range rels {
		for _, stored := range []string{r, relation.Normalize(r)} { // as written, and as the roster stores it
			l := sampleLetter(PrimaryLower, fmt.Sprintf("学生%d", i))
			l.LargePrint = LargePrintFor(stored)
			ls = append(ls, l)
		}
	}
	_, st := writePDF(t, ls, Options{})
	if st.LargePrint != 14 || st.Pages != 14*2+6 {
		t.Errorf("%d of %d letters in large print on %d pages, want 14 (7 grandparents × 2) on 34", st.LargePrint, len(ls), st.Pages)
	}
}

var (
	quoteEndRE   = regexp.MustCompile(`“(\p{Han}{1,2})$`)
	quoteStartRE = regexp.MustCompile(`^(\p{Han}{1,2})”`)
)

// brokenQuotes lists the quoted words of two or three characters that
// pdftotext -layout shows broken across lines.
func brokenQuotes(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i := 0; i+1 < len(lines); i++ {
		a := quoteEndRE.FindStringSubmatch(strings.TrimSpace(lines[i]))
		b := quoteStartRE.FindStringSubmatch(strings.TrimSpace(lines[i+1]))
		if a != nil && b != nil && len([]rune(a[1]+b[1])) <= 3 {
			out = append(out, "“"+a[1]+"/"+b[1]+"”")
		}
	}
	return out
}

// Typesetting as CLREQ asks: no double gap between adjacent full-width
// marks, no quoted word of two or three characters broken across lines,
// in every letter of both editions.
func TestMarksAreCompressedAndShortQuotesNeverBreak(t *testing.T) {
	t.Parallel()
	for _, ag := range AgeGroups() {
		for _, ed := range editions {
			l := fullLetter(ag)
			l.LargePrint = ed.large
			path, st := writePDF(t, []Letter{l}, Options{})
			if b := brokenQuotes(pdfText(t, path, "-layout")); len(b) > 0 {
				t.Errorf("%s %s: quoted words broken: %v", ag, ed.name, b)
			}
			for p := 1; p <= st.Pages; p++ {
				ws := pageWords(t, path, p)
				for i := 0; i+1 < len(ws); i++ {
					a, b := ws[i], ws[i+1]
					if !strings.HasSuffix(a.text, "”") || b.y0 > a.y1 || b.y1 < a.y0 {
						continue
					}
					first := []rune(b.text)[0]
					// Between a closing and an opening mark half an em
					// stays; between two closing marks, next to nothing.
					most := 0.3
					switch {
					case strings.ContainsRune(openMarks, first):
						most = 0.55
					case !strings.ContainsRune(closeMarks, first):
						continue
					}
					if gap, em := b.x0-a.x1, (a.y1-a.y0)/1.2; gap > most*em {
						t.Errorf("%s %s: %.1f pt (%.2f em) between %q and %q", ag, ed.name, gap, gap/em, a.text, b.text)
					}
				}
			}
		}
	}
}

// The class meeting leads to the letter: every kit names the letter, its
// slip's deadline and the four contacts, prepares the teacher and keeps
// the pupils safe; no heading is stranded, no quoted word broken, no
// figure dated; the senior kit is not spoken as to eight-year-olds.
func TestKitsLeadToTheLetter(t *testing.T) {
	t.Parallel()
	opt := LessonOptions{School: "重庆市渝北区实验小学", Class: "七年级2班", Date: lessonDate, Deadline: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	headings := []string{"课前准备", "教学目标", "重点与难点", "课堂流程", "三个情景", "讨论问题", "每个孩子都要做到", "课堂小测验", "下课前"}
	for _, ag := range AgeGroups() {
		t.Run(ag, func(t *testing.T) {
			sheet, slides := writeKit(t, ag, opt)
			for name, path := range map[string]string{"sheet": sheet, "slides": slides} {
				text := stripSpace(pdfText(t, path))
				for _, want := range []string{"《致家长的一封信》", "2026年11月27日前", "三不一多", "12381", "96110", "国家反诈中心App", "七年级2班"} {
					if !strings.Contains(text, want) {
						t.Errorf("%s lacks %q", name, want)
					}
				}
				for _, bad := range []string{"2023年", "{回执截止日期}", "七年级 2 班"} {
					if strings.Contains(text, bad) {
						t.Errorf("%s has %q", name, bad)
					}
				}
				if ag == Senior && strings.Contains(text, "讲给爸爸妈妈听") {
					t.Errorf("the senior %s speaks to 17-year-olds as to children", name)
				}
				if b := brokenQuotes(pdfText(t, path, "-layout")); len(b) > 0 {
					t.Errorf("%s: quoted words broken: %v", name, b)
				}
			}
			text := stripSpace(pdfText(t, sheet))
			for _, want := range append(headings, "关爱提示：", "课后单独和他谈", "当天告诉家长") {
				if !strings.Contains(text, want) {
					t.Errorf("sheet lacks %q", want)
				}
			}
			pages := pdfPagesText(t, sheet)
			lines := nonEmptyLines(pages[0])
			for _, ln := range lines[len(lines)-3:] {
				for _, h := range headings {
					if strings.HasPrefix(stripSpace(ln), h) {
						t.Errorf("page 1 of the sheet ends with the heading %q", ln)
					}
				}
			}
			slidePages := pdfPagesText(t, slides)
			last := stripSpace(slidePages[len(slidePages)-1])
			if !strings.Contains(last, "《致家长的一封信》") || !strings.Contains(last, "2026年11月27日前") {
				t.Errorf("the last slide is not the letter to take home: %q", last)
			}
		})
	}
}
