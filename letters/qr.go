package letters

import (
	"strconv"

	"rsc.io/qr"
)

// drawQR draws a QR code as vector squares (sharp at any printer
// resolution, no image decoding, a few hundred bytes per code). Each run of
// dark modules in a row is one rectangle; all are written as raw path
// operators inside q/Q, which is several times cheaper than gofpdf.Rect and
// leaves gofpdf's colour state untouched.
func (s *setter) drawQR(code *qr.Code, x, y, size float64) {
	m := size / float64(code.Size) * mmToPt
	b := make([]byte, 0, 4096)
	// One module = one unit: the matrix scales module coordinates to the
	// page (y downwards from the code's top edge), so each run is a few
	// integers.
	b = append(b, "q 0 g "...)
	for _, v := range []float64{m, 0, 0, -m, x * mmToPt, (pageH - y) * mmToPt} {
		b = strconv.AppendFloat(b, v, 'f', 3, 64)
		b = append(b, ' ')
	}
	b = append(b, "cm\n"...)
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
			b = strconv.AppendInt(b, int64(c), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(r), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(e-c), 10)
			b = append(b, " 1.02 re\n"...) // a hair taller: no seams between rows
			c = e
		}
	}
	b = append(b, "f Q"...)
	s.raw(b)
}
