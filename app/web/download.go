package web

import (
	"fmt"
	"strings"
)

// attachment is the Content-Disposition of a download named name: the
// name itself for today's browsers (filename*, RFC 5987, UTF-8
// percent-encoded) and an ASCII fallback for old clients.
func attachment(fallback, name string) string {
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback, escapeRFC5987(name))
}

// escapeRFC5987 percent-encodes s for a filename* parameter: every byte
// but letters, digits and -._~.
func escapeRFC5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
