package web

import "testing"

func TestAttachmentNamesTheFileInUTF8WithAnASCIIFallback(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ fallback, name, want string }{
		{"report.xlsx", "回执报表.xlsx", `attachment; filename="report.xlsx"; filename*=UTF-8''%E5%9B%9E%E6%89%A7%E6%8A%A5%E8%A1%A8.xlsx`},
		{"letters-3.pdf", "三年级2班 \"x\";.pdf", `attachment; filename="letters-3.pdf"; filename*=UTF-8''%E4%B8%89%E5%B9%B4%E7%BA%A72%E7%8F%AD%20%22x%22%3B.pdf`},
	} {
		if got := attachment(tc.fallback, tc.name); got != tc.want {
			t.Errorf("attachment(%q, %q) = %s, want %s", tc.fallback, tc.name, got, tc.want)
		}
	}
}
