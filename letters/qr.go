package letters

import (
	"rsc.io/qr"
)

// drawQR draws the QR code of text as vector squares (sharp at any printer
// resolution, no image decoding, a few hundred bytes per code). Each run of
// dark modules in a row is one rectangle.
func (s *setter) drawQR(text string, x, y, size float64) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		// Only text longer than a QR code can hold fails; the code to type
		// is printed beside it either way.
		return
	}
	m := size / float64(code.Size)
	s.pdf.SetFillColor(0, 0, 0)
	for r := 0; r < code.Size; r++ {
		for c := 0; c < code.Size; {
			if !code.Black(c, r) {
				c++
				continue
			}
			e := c
			for e < code.Size && code.Black(e, r) {
				e++
			}
			// A hair of overlap avoids white seams between rows in viewers.
			s.pdf.Rect(x+float64(c)*m, y+float64(r)*m, float64(e-c)*m, m+0.02, "F")
			c = e
		}
	}
}
