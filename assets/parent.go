package assets

import "embed"

// Parent holds the parents' acknowledgement pages: parent/*.html
// (html/template files sharing parent/layout.html) and parent/parent.css,
// the one small stylesheet they load. Their strings live in the catalogue
// files locales/<lang>/parent.json of Web.
//
//go:embed parent
var Parent embed.FS
