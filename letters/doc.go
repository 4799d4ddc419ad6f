// Package letters turns the letter templates and the fraud-method library
// into personalised, print-ready Chinese PDFs: the content model (Library,
// Template, Document), CJK typesetting with 避头尾 and justification, the
// receipt slip with its QR code, and batch output (class PDFs, school ZIPs).
//
// It is the only package that imports gofpdf. Text is never wrapped by
// gofpdf (its MultiCell drops a Chinese character at every break); every
// character is checked against the embedded font before it is drawn, and
// each document carries its own tiny subset font (see font.go), which is
// what makes a letter cost about a millisecond instead of tens.
package letters
