package web

import (
	"fmt"
	"strings"
	"testing"

	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

// BenchmarkContentPreview is the preview beside the editor for one edited
// letter: the version's files parsed and checked against the fonts, the
// sample letter's PDF and the parent page (target ≤ 300 ms).
func BenchmarkContentPreview(b *testing.B) {
	f := newParentFixture(b, "")
	v1, err := store.EmbeddedContent()
	if err != nil {
		b.Fatal(err)
	}
	files := content.Files(v1)
	b.ResetTimer()
	for i := range b.N {
		edited := files.Clone()
		p := content.TemplatePath(letters.Junior)
		edited[p] = strings.Replace(edited[p], "感谢您的支持", fmt.Sprintf("感谢您第%d次的支持", i), 1)
		pv, err := content.MakePreview(edited, f.srv.letters, letters.Junior, nil)
		if err != nil || !pv.Fits {
			b.Fatalf("%v fits %v", err, pv.Fits)
		}
		if _, err := f.srv.parent.PreviewPage(pv.Document, content.SampleLetter(letters.Junior)); err != nil {
			b.Fatal(err)
		}
	}
}
