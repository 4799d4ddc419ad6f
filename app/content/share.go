package content

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a content ZIP or folder: the real files are a few KB each.
const (
	MaxFileBytes  = 256 << 10
	MaxTotalBytes = 2 << 20
)

// WriteZip writes the files as a ZIP (methods.txt, templates/…, lessons/…).
func WriteZip(w io.Writer, files Files, modified time.Time) error {
	zw := zip.NewWriter(w)
	for _, p := range sortedPaths(files) {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return fmt.Errorf("content: zip: %w", err)
		}
		if _, err := io.WriteString(f, files[p]); err != nil {
			return fmt.Errorf("content: zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("content: zip: %w", err)
	}
	return nil
}

// ReadZip reads a content ZIP: the known paths, optionally inside one
// top folder; bounded in size (a zip bomb stops at the limit). Problems
// are in Chinese.
func ReadZip(data []byte) (Files, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, Problem{Message: "文件不是ZIP压缩包。"}
	}
	raw := map[string]string{}
	total := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(path.Base(f.Name), ".") || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		if len(raw) >= 20 {
			return nil, Problem{Message: "压缩包里的文件太多。"}
		}
		rc, err := f.Open()
		if err != nil {
			return nil, Problem{Message: "无法读取压缩包中的 " + f.Name + "。"}
		}
		b, err := io.ReadAll(io.LimitReader(rc, MaxFileBytes+1))
		rc.Close()
		if err != nil {
			return nil, Problem{Message: "无法读取压缩包中的 " + f.Name + "。"}
		}
		total += len(b)
		if len(b) > MaxFileBytes || total > MaxTotalBytes {
			return nil, Problem{Message: "压缩包中的文件太大（每个文件不超过256KB）。"}
		}
		raw[f.Name] = string(b)
	}
	return normalise(raw)
}

// normalise strips a common top folder and checks the text.
func normalise(raw map[string]string) (Files, error) {
	prefix := ""
	for p := range raw {
		if i := strings.IndexByte(p, '/'); i > 0 && p[:i] != "templates" && p[:i] != "lessons" {
			prefix = p[:i+1]
		}
		break
	}
	out := Files{}
	for p, b := range raw {
		p = strings.TrimPrefix(p, prefix)
		if !utf8.ValidString(b) {
			return nil, Problem{Message: p + " 不是UTF-8编码的文本：请另存为UTF-8。"}
		}
		out[p] = strings.TrimPrefix(strings.ReplaceAll(b, "\r\n", "\n"), "\ufeff")
	}
	if err := out.Check(); err != nil {
		return nil, err
	}
	return out, nil
}

// WriteDir writes the files under dir (created), as export does.
func WriteDir(dir string, files Files) error {
	for _, p := range sortedPaths(files) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			return fmt.Errorf("content: %w", err)
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o600); err != nil {
			return fmt.Errorf("content: %w", err)
		}
	}
	return nil
}

// ReadDir reads the known files from dir (lesson kits when present).
func ReadDir(dir string) (Files, error) {
	raw := map[string]string{}
	for _, p := range KnownPaths() {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("content: %w", err)
		}
		if len(b) > MaxFileBytes {
			return nil, Problem{Message: p + " 太大（不超过256KB）。"}
		}
		raw[p] = string(b)
	}
	return normalise(raw)
}
