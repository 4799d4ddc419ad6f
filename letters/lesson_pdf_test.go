package letters

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var lessonDate = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

func defaultLessons(t testing.TB) *Lessons {
	t.Helper()
	ls, err := testEngine(t).DefaultLessons()
	if err != nil {
		t.Fatalf("default lessons rejected: %v", err)
	}
	return ls
}

// writeKit writes the lesson sheet and slides of an age group into dir
// (a temp dir, or $LESSON_OUT to look at them) and returns their paths.
func writeKit(t *testing.T, ag string, opt LessonOptions) (sheet, slides string) {
	t.Helper()
	l, err := defaultLessons(t).Lesson(ag)
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("LESSON_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	e := testEngine(t)
	var a, b bytes.Buffer
	if err := e.WriteLessonSheet(&a, l, opt); err != nil {
		t.Fatalf("WriteLessonSheet: %v", err)
	}
	if err := e.WriteSlides(&b, l, opt); err != nil {
		t.Fatalf("WriteSlides: %v", err)
	}
	sheet, slides = filepath.Join(dir, ag+"-sheet.pdf"), filepath.Join(dir, ag+"-slides.pdf")
	if err := os.WriteFile(sheet, a.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(slides, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return sheet, slides
}

func TestLessonKitLook(t *testing.T) {
	for _, ag := range AgeGroups() {
		writeKit(t, ag, LessonOptions{School: "重庆市渝北区实验小学", Class: "三年级2班", Date: lessonDate})
	}
}
