package roster_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"jiashu/roster"
	"jiashu/roster/rostertest"
)

// BenchmarkParseFormats50k parses the same generated 50,000-student roster
// (one sheet, as a school's register export) as .xlsx and as the .xls, .ods
// and CSV LibreOffice saves from it. It needs soffice on PATH (Debian's
// libreoffice-calc-nogui) to write the other formats.
func BenchmarkParseFormats50k(b *testing.B) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		b.Skip("soffice not on PATH: cannot write the .xls, .ods and CSV twins")
	}
	dir := b.TempDir()
	xlsx := filepath.Join(dir, "roster.xlsx")
	if err := os.WriteFile(xlsx, generate(b, 50_000, rostertest.OneSheet()), 0o644); err != nil {
		b.Fatal(err)
	}
	formats := []struct{ ext, filter string }{
		{"xls", "xls"},
		{"ods", "ods"},
		{"csv", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"},
	}
	for _, f := range formats {
		cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", f.filter, "--outdir", dir, xlsx)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("soffice %s: %v\n%s", f.ext, err, out)
		}
	}
	for _, ext := range []string{"xlsx", "xls", "ods", "csv"} {
		b.Run(ext, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Join(dir, "roster."+ext))
			if err != nil {
				b.Fatal(err)
			}
			benchParse50k(b, data, roster.Options{MaxBytes: 64 << 20, Name: "Sheet1.csv", MaxStudents: -1})
		})
	}
}
