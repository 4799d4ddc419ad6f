package letters

import (
	"fmt"
	"strings"
	"testing"
)

func TestLargePrintIsChosenForGrandparents(t *testing.T) {
	t.Parallel()
	for rel, want := range map[string]bool{
		"祖父": true, "祖母": true, "外祖父": true, "外祖母": true, "祖父母": true, "外祖父母": true,
		"爷爷": true, "奶奶": true, "外公": true, "外婆": true, "姥姥": true, " 外婆（监护人） ": true, "爷爷关系": true,
		"祖孙": true, "爷孙": true, "奶孙": true, "外祖孙": true, "姥孙": true, "祖孙关系": true, "外祖孙关系": true, "爷爷奶奶": true,
		"父亲": false, "母亲": false, "其他": false, "": false, "叔叔": false, "祖国": false, "父子": false,
	} {
		if got := LargePrintFor(rel); got != want {
			t.Errorf("LargePrintFor(%q) = %v, want %v", rel, got, want)
		}
	}
}

// The large-print edition has the same content and code, body text of at
// least 14 pt, and two pages with the slip at the foot of the second.
func TestLargePrintEditionIsTwoPagesAtFourteenPoints(t *testing.T) {
	t.Parallel()
	for _, ag := range AgeGroups() {
		t.Run(ag, func(t *testing.T) {
			l := sampleLetter(ag, "王小明")
			l.LargePrint = true
			path, st := writePDF(t, []Letter{l, sampleLetter(ag, "李小红")}, Options{})
			if st.LargePrint != 1 || st.Pages != 3 {
				t.Fatalf("stats = %+v, want 1 large-print letter, 2 + 1 pages", st)
			}
			if got := pdfPages(t, path); got != 3 {
				t.Fatalf("PDF has %d pages, want 3", got)
			}
			if size := styles[theme(true).st(stBody)].size; size < 14 {
				t.Errorf("large body text is %.1f pt", size)
			}
			// Word boxes are the font's ascent to descent: the same multiple
			// of the size for both editions' body text.
			large, normal := bodyWordHeight(t, path, 1), bodyWordHeight(t, path, 3)
			if size := styles[stBody].size * large / normal; size < 14-0.1 {
				t.Errorf("page 1's body text measures %.1f pt (words %.1f high, the ordinary letter's %.1f at %.1f pt), want ≥ 14",
					size, large, normal, styles[stBody].size)
			}
			tp, _ := testEngine(t).Library().Template(ag)
			text := pdfText(t, path, "-f", "1", "-l", "2")
			if miss := missingInOrder(documentText(tp.Compose(l)), text); miss != "" {
				t.Errorf("large print lacks the letter's text near %q", miss)
			}
			last := stripSpace(pdfText(t, path, "-f", "2", "-l", "2"))
			if !strings.Contains(last, cutText) || !strings.Contains(last, l.Token) {
				t.Errorf("the slip is not on page 2")
			}
			if got := decodeQR(t, path, 2); got != l.URL {
				t.Errorf("QR code on page 2 says %q", got)
			}
		})
	}
	t.Run("the option sets every letter in large print", func(t *testing.T) {
		_, st := writePDF(t, []Letter{sampleLetter(Junior, "甲"), sampleLetter(Junior, "乙")}, Options{LargePrint: true})
		if st.LargePrint != 2 || st.Pages != 4 {
			t.Errorf("stats = %+v", st)
		}
	})
}

// bodyWordHeight is the most common height (pt) of pdftotext's word boxes
// on a page: the body text's.
func bodyWordHeight(t *testing.T, path string, page int) float64 {
	t.Helper()
	out := pdfText(t, path, "-bbox", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page))
	counts := map[float64]int{}
	for _, ln := range strings.Split(out, "\n") {
		var x0, y0, x1, y1 float64
		i := strings.Index(ln, "<word ")
		if i < 0 {
			continue
		}
		if _, err := fmt.Sscanf(ln[i:], `<word xMin="%f" yMin="%f" xMax="%f" yMax="%f">`, &x0, &y0, &x1, &y1); err != nil {
			continue
		}
		h := float64(int((y1-y0)*2+0.5)) / 2
		counts[h]++
	}
	best, n := 0.0, 0
	for h, c := range counts {
		if c > n {
			best, n = h, c
		}
	}
	return best
}
