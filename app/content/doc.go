// Package content is the letter content under review (issue 9): the
// versions of the method library, the letter templates and the lesson
// kits kept in the store, parsed into engines per approved version, linted
// with line numbers, compared by method and by paragraph, previewed and
// shared as ZIP files. It is gin-free: the CLI, the web and the jobs use it.
package content
