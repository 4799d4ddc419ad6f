package assets

import "embed"

// Lessons holds lessons/<age group>.txt, the default class-meeting kit
// (主题班会: lesson sheet, slides, quiz) of each age group, and their
// README.md describing the format. Package letters reads and checks them.
//
//go:embed lessons
var Lessons embed.FS
