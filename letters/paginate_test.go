package letters

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"jiashu/assets"
)

// A letter longer than a page continues on a second page, keeps its slip
// whole at the foot of the last page, and never leaves a heading alone at
// the foot of the first.
func TestLongLetterBreaksPagesWithSlipAtTheFootOfTheLast(t *testing.T) {
	t.Parallel()
	base := defaultFS(t)
	fsys := fstest.MapFS{}
	fs.WalkDir(base, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(base, p)
			fsys[p] = &fstest.MapFile{Data: b}
		}
		return nil
	})
	orig := string(fsys["templates/senior.txt"].Data)
	para := "您好！高中的孩子即将成年，有了自己的手机、银行卡和社交圈，也开始对“兼职赚钱”感兴趣。\n\n"
	body, _ := assets.Fonts.ReadFile(assets.BodyFontFile)
	disp, _ := assets.Fonts.ReadFile(assets.DisplayFontFile)
	// Growing the letter a heading at a time moves some heading to the
	// foot of page 1 in one of the runs.
	for n := 6; n <= 13; n++ {
		var extra strings.Builder
		for i := range n {
			fmt.Fprintf(&extra, "## 第%d个小标题\n%s", i+1, para)
		}
		fsys["templates/senior.txt"] = &fstest.MapFile{Data: []byte(strings.Replace(orig, "## 这些骗局", extra.String()+"## 这些骗局", 1))}
		lib, err := LoadLibrary(fsys)
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEngine(lib, body, disp)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		st, err := e.WriteLetters(&b, []Letter{sampleLetter(Senior, "王小明")}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Pages != 2 {
			t.Fatalf("%d extra headings: %d pages, want 2", n, st.Pages)
		}
		path := t.TempDir() + "/long.pdf"
		writeFile(t, path, b.String())
		if got := pdfPages(t, path); got != 2 {
			t.Fatalf("PDF has %d pages", got)
		}
		first := pdfText(t, path, "-layout", "-f", "1", "-l", "1")
		last := pdfText(t, path, "-layout", "-f", "2", "-l", "2")
		if strings.Contains(first, cutText) || !strings.Contains(last, cutText) || !strings.Contains(stripSpace(last), "7KQ2-XP9M-4TRW") {
			t.Errorf("%d extra headings: slip is not whole on the last page", n)
		}
		lines := strings.Split(strings.TrimSpace(first), "\n")
		for _, ln := range lines[len(lines)-2:] {
			if strings.Contains(ln, "小标题") || strings.Contains(ln, "这些骗局") || strings.Contains(ln, "请您这样做") {
				t.Errorf("%d extra headings: page 1 ends with a heading and at most one line: %q", n, lines[len(lines)-2:])
			}
		}
	}
}
