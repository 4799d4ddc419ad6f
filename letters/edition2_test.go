package letters

import (
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"rsc.io/qr"
)

// What a parent reads on every letter: the fake teacher, the contacts, the
// law by its name, no overstated 征信, where to type the code, and the
// parents' own risks spread over the four letters.
func TestEveryLetterCarriesTheSecondEditionContent(t *testing.T) {
	t.Parallel()
	all := ""
	for _, ag := range AgeGroups() {
		t.Run(ag, func(t *testing.T) {
			path, _ := writePDF(t, []Letter{sampleLetter(ag, "王小明")}, Options{})
			text := stripSpace(pdfText(t, path))
			all += text
			for _, want := range []string{"冒充老师在班级群收费", "骗子这样做：", "您这样防：", "家长自己也要当心", "万一上当：",
				"紧急止付", "请记住", "110：", "区号+96110", "12381：", "国家反诈中心App：只在手机自带的应用商店下载", "学校电话：＿",
				"《中华人民共和国反电信网络诈骗法》", "或在https://jiashu.example.cn/a输入确认码"} {
				if !strings.Contains(text, want) {
					t.Errorf("letter lacks %q", want)
				}
			}
			for _, bad := range []string{"征信", "私账", "裸聊", "换卡片", "2023年"} {
				if strings.Contains(text, bad) {
					t.Errorf("letter still says %q", bad)
				}
			}
			if regexp.MustCompile(`[^守]护孩子`).MatchString(text) {
				t.Errorf("letter still says 护孩子 without 守")
			}
			appLine := false
			for _, ln := range strings.Split(pdfText(t, path, "-layout"), "\n") {
				if strings.Contains(stripSpace(ln), "已安装国家反诈中心App：□是□否") {
					appLine = stripSpace(ln) == "已安装国家反诈中心App：□是□否"
				}
			}
			if !appLine {
				t.Errorf("the app question does not stand on its own line")
			}
		})
	}
	for _, want := range []string{"冒充电商、快递客服", "冒充领导", "贷款诈骗", "助学金", "刷单返利", "保健品", "邮件诈骗", "网课“退费”", "防沉迷", "哥哥姐姐"} {
		if !strings.Contains(all, want) {
			t.Errorf("no letter tells parents about %q", want)
		}
	}
}

func TestQuizQuestionsAreDistinctDecisionsWithOneSentenceExplanations(t *testing.T) {
	t.Parallel()
	lib := testEngine(t).Library()
	seen := map[string]string{}
	for _, ag := range AgeGroups() {
		tp, _ := lib.Template(ag)
		for i, q := range tp.Quiz {
			if prev, ok := seen[q.Text]; ok {
				t.Errorf("%s question %d repeats %s's: %s", ag, i+1, prev, q.Text)
			}
			seen[q.Text] = ag
			if len(q.Options) < 3 {
				t.Errorf("%s question %d has %d options", ag, i+1, len(q.Options))
			}
			if n := strings.Count(q.Explanation, "。"); n != 1 || !strings.HasSuffix(q.Explanation, "。") {
				t.Errorf("%s question %d: explanation is not one sentence: %s", ag, i+1, q.Explanation)
			}
		}
	}
	// The traps parents and children really fall into are among the wrong answers.
	traps := strings.Join([]string{"@", "给的", "推荐的", "解冻费"}, "|")
	found := map[string]bool{}
	for _, ag := range AgeGroups() {
		tp, _ := lib.Template(ag)
		for _, q := range tp.Quiz {
			for j, o := range q.Options {
				for _, trap := range strings.Split(traps, "|") {
					if j != q.Answer && strings.Contains(o, trap) {
						found[trap] = true
					}
				}
			}
		}
	}
	for _, trap := range strings.Split(traps, "|") {
		if !found[trap] {
			t.Errorf("no wrong answer sets the trap %q", trap)
		}
	}
}

func TestSchoolPhoneIsPrintedOrLeftBlankToWriteIn(t *testing.T) {
	t.Parallel()
	tp, _ := testEngine(t).Library().Template(Junior)
	box := func(l Letter) string {
		for _, b := range tp.Compose(l).Blocks {
			if b.Kind == KindBox {
				return strings.Join(b.Items, "\n")
			}
		}
		t.Fatal("no 请记住 box")
		return ""
	}
	l := sampleLetter(Junior, "王小明")
	if got := box(l); !strings.Contains(got, "学校电话：＿＿") || strings.Contains(got, "{") {
		t.Errorf("without a phone: %s", got)
	}
	l.SchoolPhone = "023-67891234"
	if got := box(l); !strings.Contains(got, "学校电话：023-67891234，") || strings.Contains(got, "＿") {
		t.Errorf("with a phone: %s", got)
	}
}

func TestClassMeetingLineIsPrintedOnlyAfterTheMeeting(t *testing.T) {
	t.Parallel()
	const line = "孩子已在11月20日的主题班会上学习了这些骗局，请让孩子讲给您听。"
	for _, ag := range AgeGroups() {
		tp, _ := testEngine(t).Library().Template(ag)
		items := func(l Letter) string {
			var out []string
			for _, b := range tp.Compose(l).Blocks {
				if b.Kind == KindItem {
					out = append(out, b.Text)
				}
			}
			return strings.Join(out, "\n")
		}
		l := sampleLetter(ag, "王小明")
		without := items(l)
		if strings.Contains(without, "班会") || strings.Contains(without, "{") || strings.Contains(without, "\n\n") || strings.HasPrefix(without, "\n") {
			t.Errorf("%s without a meeting: the line should be left out whole, got\n%s", ag, without)
		}
		l.MeetingDate = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		if got := items(l); !strings.Contains(got, line) {
			t.Errorf("%s after the meeting lacks %q:\n%s", ag, line, got)
		}
	}
}

// renderGray renders a page in grayscale at dpi and returns it.
func renderGray(t *testing.T, path string, page, dpi int) *image.Gray {
	t.Helper()
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	p := fmt.Sprint(page)
	if err := exec.Command("pdftoppm", "-gray", "-png", "-r", fmt.Sprint(dpi), "-f", p, "-l", p, "-singlefile", path, filepath.Join(dir, "page")).Run(); err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	return g
}

var wordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// wordBox finds the first word (pdftotext -bbox) containing s on page 1:
// its box in pt.
func wordBox(t *testing.T, path, s string) (x0, y0, x1, y1 float64) {
	t.Helper()
	return wordBoxAt(t, path, s, false)
}

// wordBoxAt is wordBox, or the last such word with last.
func wordBoxAt(t *testing.T, path, s string, last bool) (x0, y0, x1, y1 float64) {
	t.Helper()
	found := false
	for _, m := range wordRE.FindAllStringSubmatch(pdfText(t, path, "-bbox", "-f", "1", "-l", "1"), -1) {
		if strings.Contains(m[5], s) {
			fmt.Sscan(m[1]+" "+m[2]+" "+m[3]+" "+m[4], &x0, &y0, &x1, &y1)
			found = true
			if !last {
				return
			}
		}
	}
	if !found {
		t.Fatalf("no word containing %q", s)
	}
	return
}

// ink is the share of dark pixels in a box given in pt.
func ink(img *image.Gray, dpi float64, x0, y0, x1, y1 float64) float64 {
	k := dpi / 72
	r := image.Rect(int(x0*k), int(y0*k), int(x1*k), int(y1*k))
	dark, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			all++
			if img.GrayAt(x, y).Y < 128 {
				dark++
			}
		}
	}
	return float64(dark) / float64(max(all, 1))
}

// Printed in black and white, headings and method titles must still stand
// out from the text: taller glyphs or heavier strokes, measured on a
// grayscale rendering.
func TestHeadingsStandOutFromBodyTextInGrayscale(t *testing.T) {
	t.Parallel()
	const dpi = 200
	path, _ := writePDF(t, []Letter{sampleLetter(PrimaryLower, "王小明")}, Options{})
	img := renderGray(t, path, 1, dpi)
	measure := func(s string) (h, dens float64) {
		x0, y0, x1, y1 := wordBox(t, path, s)
		return y1 - y0, ink(img, dpi, x0, y0, x1, y1)
	}
	bodyH, bodyInk := measure("孩子开始用手机")
	for _, s := range []string{"这些骗局", "家长自己也要当心", "冒充老师在班级群收费"} {
		h, d := measure(s)
		t.Logf("%s: height %.1f pt, ink %.3f; body %.1f pt, ink %.3f", s, h, d, bodyH, bodyInk)
		if h < bodyH*1.15 && d < bodyInk*1.3 {
			t.Errorf("%q is neither taller (%.1f vs %.1f pt) nor heavier (ink %.3f vs %.3f) than body text", s, h, bodyH, d, bodyInk)
		}
		if d < bodyInk*1.15 {
			t.Errorf("%q is not bold: ink %.3f vs body %.3f", s, d, bodyInk)
		}
	}
}

// The QR code decodes to the letter's URL and has four modules of white on
// every side.
func TestQRCodeHasAFourModuleQuietZone(t *testing.T) {
	t.Parallel()
	for _, large := range []bool{false, true} {
		l := sampleLetter(Junior, "王小明")
		l.URL = "https://school.example.org/a/K7Q2XP9M4TRW"
		l.LargePrint = large
		path, st := writePDF(t, []Letter{l}, Options{})
		const dpi = 150 // about 4 pixels a module: enough to decode and to measure the zone
		img := renderGray(t, path, st.Pages, dpi)
		bmp, origin := mustBitmap(t, img)
		res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
		if err != nil {
			t.Fatalf("large=%v: no QR code: %v", large, err)
		}
		if res.GetText() != l.URL {
			t.Fatalf("QR code says %q, want %q", res.GetText(), l.URL)
		}
		code, _ := qr.Encode(l.URL, qr.M)
		pts := res.GetResultPoints() // finder centres: bottom left, top left, top right
		bl, tl, tr := pts[0], pts[1], pts[2]
		mod := math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()) / float64(code.Size-7)
		ox, oy := float64(origin.X), float64(origin.Y) // points are relative to the crop
		left, top := ox+tl.GetX()-3.5*mod, oy+tl.GetY()-3.5*mod
		right, bottom := ox+tr.GetX()+3.5*mod, oy+bl.GetY()+3.5*mod
		q := 4 * mod
		zone := image.Rect(int(left-q+1), int(top-q+1), int(right+q-1), int(bottom+q-1))
		code2 := image.Rect(int(left-1), int(top-1), int(right+1), int(bottom+1))
		for y := zone.Min.Y; y < zone.Max.Y; y++ {
			for x := zone.Min.X; x < zone.Max.X; x++ {
				if (image.Point{x, y}).In(code2) {
					continue
				}
				if img.GrayAt(x, y).Y < 128 {
					t.Fatalf("large=%v: ink at (%d,%d) inside the 4-module quiet zone (module %.1f px)", large, x, y, mod)
				}
			}
		}
	}
}

// mustBitmap crops the slip's right part for the decoder and returns the
// crop's origin on the page.
func mustBitmap(t *testing.T, img *image.Gray) (*gozxing.BinaryBitmap, image.Point) {
	t.Helper()
	b := img.Bounds()
	r := image.Rect(b.Dx()*55/100, b.Dy()*55/100, b.Dx(), b.Dy())
	bmp, err := gozxing.NewBinaryBitmapFromImage(img.SubImage(r))
	if err != nil {
		t.Fatal(err)
	}
	return bmp, r.Min
}

// A name of 2,000 characters (a pasted note) is cut visibly, reported, and
// overprints neither the class nor the QR code: the letter stays one page.
func TestAVeryLongNameNeverOverprintsTheSlip(t *testing.T) {
	t.Parallel()
	l := sampleLetter(Senior, strings.Repeat("欧阳", 1000))
	path, st := writePDF(t, []Letter{l}, Options{})
	if st.Pages != 1 {
		t.Errorf("letter takes %d pages", st.Pages)
	}
	if len(st.Attention) != 1 || !strings.Contains(st.Attention[0].Message, "太长") {
		t.Errorf("attention = %+v", st.Attention)
	}
	if got := decodeQR(t, path, 1); got != l.URL {
		t.Errorf("QR code says %q", got)
	}
	text := pdfText(t, path, "-layout")
	if !strings.Contains(stripSpace(text), "班级：三年级2班") || !strings.Contains(text, "…") {
		t.Errorf("slip lacks the class or the cut mark")
	}
	_, _, nameEnd, _ := wordBoxAt(t, path, "欧阳", true) // the slip's, below the salutation
	classStart, _, _, _ := wordBoxAt(t, path, "班级：", true)
	if nameEnd > classStart {
		t.Errorf("name ends at %.1f pt, past the class at %.1f pt", nameEnd, classStart)
	}
}
