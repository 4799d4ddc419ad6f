package assets

import "embed"

// Web holds the staff web interface: html/ (html/template files; names
// starting with "_" are the shared layout and partials, the others are
// pages), static/ (CSS and images served under /static/) and locales/
// (the UI string catalogue: locales/<lang>/*.json, flat key → text maps
// merged per language, so each part of the product keeps its own file).
//
//go:embed all:html static locales
var Web embed.FS
