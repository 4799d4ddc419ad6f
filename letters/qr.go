package letters

import (
	"strconv"

	"rsc.io/qr"
)

// drawQR draws the QR code of text as vector squares (sharp at any printer
// resolution, no image decoding, a few hundred bytes per code). Each run of
// dark modules in a row is one rectangle; all are written as raw path
// operators inside q/Q, which is several times cheaper than gofpdf.Rect and
// leaves gofpdf's colour state untouched.
func (s *setter) drawQR(text string, x, y, size float64) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		// Only text longer than a QR code can hold fails; the code to type
		// is printed beside it either way.
		return
	}
	m := size / float64(code.Size) * mmToPt
	x0, top := x*mmToPt, (pageH-y)*mmToPt
	b := make([]byte, 0, 8192)
	b = append(b, "q 0 g\n"...)
	num := func(v float64) {
		b = strconv.AppendFloat(b, v, 'f', 2, 64)
		b = append(b, ' ')
	}
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
			num(x0 + float64(c)*m)
			num(top - float64(r+1)*m - 0.05)
			num(float64(e-c) * m)
			num(m + 0.05)
			b = append(b, "re\n"...)
			c = e
		}
	}
	b = append(b, "f Q"...)
	s.pdf.RawWriteStr(string(b))
}
