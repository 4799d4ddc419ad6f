// Package letters turns the letter templates and the fraud-method library
// into personalised, print-ready Chinese PDFs: the content model (Library,
// Template, Document), CJK typesetting with 避头尾 and justification, the
// receipt slip with its QR code, and batch output (class PDFs, school ZIPs).
//
// It is the only package that imports gofpdf. Text is never wrapped by
// gofpdf (its MultiCell drops a Chinese character at every break); every
// character is checked against the embedded fonts before it is drawn (a
// character neither font has is printed as ＿ and reported in Attention);
// each document carries its own small subset fonts, built from fonts parsed
// once per Engine (font.go) and drawn by glyph ID with our own text
// operators, so gofpdf never handles a font (it lays out pages, lines and
// the document structure); font objects are added and streams compressed
// with pooled writers as the PDF is packed (pdffont.go, pdfpack.go).
//
// Entry points: NewDefaultEngine, then Engine.WriteLetters (one PDF, one
// letter per student), Engine.WriteClasses / Engine.WriteSchoolZip (a PDF per
// class on all cores), Engine.Printable (for roster checks), and
// Library.Template + Template.Compose (the Document the parents' HTML page
// renders).
package letters
