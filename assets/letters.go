// Package assets holds everything the binary embeds: the CJK font with its
// licence, the letter templates and the fraud-method library (this file),
// and, in sibling files, the web templates, styles and roster template.
// Nothing here has behaviour; the packages that read these files (letters,
// app) validate them.
package assets

import "embed"

// Fonts holds the two letter fonts with their licence texts, so the binary
// needs no font installed on the system:
// fonts/DroidSansFallbackFull.ttf (Apache-2.0) sets the running text, and
// fonts/LXGWWenKai-Regular.ttf (霞鹜文楷, SIL OFL 1.1) sets titles, names and
// signatures, and prints every character the first one lacks (·, 𠮷 …).
//
//go:embed fonts
var Fonts embed.FS

// Paths of the letter fonts inside Fonts.
const (
	BodyFontFile    = "fonts/DroidSansFallbackFull.ttf"
	DisplayFontFile = "fonts/LXGWWenKai-Regular.ttf"
)

// Letters holds letters/methods.txt (the fraud-method library) and
// letters/templates/<age group>.txt (one default letter per age group).
// Their format is described in letters/README.md.
//
//go:embed letters
var Letters embed.FS
