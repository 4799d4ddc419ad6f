package content

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"testing/fstest"

	"jiashu/letters"
	"jiashu/store"
)

// Files are a version's files by path: methods.txt, templates/<age
// group>.txt, lessons/<age group>.txt and openings.txt (optional, like the
// lessons).
type Files map[string]string

// KnownPaths are the paths a version may hold, in display order.
func KnownPaths() []string {
	out := []string{store.ContentMethodsFile}
	for _, ag := range letters.AgeGroups() {
		out = append(out, TemplatePath(ag))
	}
	for _, ag := range letters.AgeGroups() {
		out = append(out, LessonPath(ag))
	}
	return append(out, OpeningsPath)
}

// optional says whether a version may leave out the file at p.
func optional(p string) bool {
	return p == OpeningsPath || strings.HasPrefix(p, store.ContentLessonDir+"/")
}

// TemplatePath is the file of an age group's letter template.
func TemplatePath(ageGroup string) string {
	return path.Join(store.ContentTemplateDir, ageGroup+".txt")
}

// LessonPath is the file of an age group's lesson kit.
func LessonPath(ageGroup string) string { return path.Join(store.ContentLessonDir, ageGroup+".txt") }

// Check refuses unknown paths and missing files, in Chinese.
func (f Files) Check() error {
	known := KnownPaths()
	var unknown, missing []string
	for p := range f {
		if !slices.Contains(known, p) {
			unknown = append(unknown, p)
		}
	}
	for _, p := range known {
		if _, ok := f[p]; !ok && !optional(p) {
			missing = append(missing, p)
		}
	}
	sort.Strings(unknown)
	switch {
	case len(unknown) > 0:
		return Problem{Message: "不认识的文件：" + strings.Join(unknown, "、") + "。只能有 methods.txt、templates/<年龄段>.txt、lessons/<年龄段>.txt 和 openings.txt。"}
	case len(missing) > 0:
		return Problem{Message: "缺少文件：" + strings.Join(missing, "、") + "。"}
	}
	return nil
}

// Clone copies the files.
func (f Files) Clone() Files {
	out := make(Files, len(f))
	for p, b := range f {
		out[p] = b
	}
	return out
}

// letterFS is the library part of the files as the fs.FS LoadLibrary reads.
func (f Files) letterFS() fs.FS {
	m := fstest.MapFS{}
	for p, b := range f {
		if !strings.HasPrefix(p, store.ContentLessonDir+"/") {
			m[p] = &fstest.MapFile{Data: []byte(b)}
		}
	}
	return m
}

// lessonFS is the lesson kits as the fs.FS LoadLessons reads.
func (f Files) lessonFS() fs.FS {
	m := fstest.MapFS{}
	for p, b := range f {
		if rest, ok := strings.CutPrefix(p, store.ContentLessonDir+"/"); ok {
			m[rest] = &fstest.MapFile{Data: []byte(b)}
		}
	}
	return m
}

// Library parses the files' method library and templates.
func (f Files) Library() (*letters.Library, error) {
	lib, err := letters.LoadLibrary(f.letterFS())
	if err != nil {
		return nil, fmt.Errorf("content: %w", err)
	}
	return lib, nil
}

// HasLessons says whether the version carries its own lesson kits.
func (f Files) HasLessons() bool {
	for p := range f {
		if strings.HasPrefix(p, store.ContentLessonDir+"/") {
			return true
		}
	}
	return false
}

// Problem is a refusal the user reads, in Chinese.
type Problem struct{ Message string }

func (p Problem) Error() string { return p.Message }
