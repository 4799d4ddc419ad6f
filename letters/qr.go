package letters

import (
	"errors"
	"strconv"
	"sync"

	"rsc.io/qr"
	"rsc.io/qr/coding"
)

// qrPlans caches rsc.io/qr's plans by version: qr.Encode builds the plan
// of a version (its pixel roles, alignment patterns and format bits) for
// every code, which was half of encoding one; a plan is read-only once
// made, so the letters of every goroutine share them.
type qrPlans struct {
	plans sync.Map // coding.Version → *coding.Plan
}

// encode is qr.Encode(text, qr.M) with a cached plan: the same version
// choice (the smallest that holds the text, in the smallest encoding), the
// same mask, the same code.
func (q *qrPlans) encode(text string) (*qr.Code, error) {
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	l := coding.Level(qr.M)
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(l)*8; v++ {
		if v == coding.MaxVersion {
			return nil, errors.New("text too long to encode as QR")
		}
	}
	p, ok := q.plans.Load(v)
	if !ok {
		np, err := coding.NewPlan(v, l, 0)
		if err != nil {
			return nil, err
		}
		p, _ = q.plans.LoadOrStore(v, np)
	}
	cc, err := p.(*coding.Plan).Encode(enc)
	if err != nil {
		return nil, err
	}
	return &qr.Code{Bitmap: cc.Bitmap, Size: cc.Size, Stride: cc.Stride, Scale: 8}, nil
}

// drawQR draws a QR code as vector squares (sharp at any printer
// resolution, no image decoding, a few hundred bytes per code). A run of
// dark modules in a row is a rectangle, as tall as the rows below that
// have the same run; all are written as raw path operators inside q/Q,
// which is several times cheaper than gofpdf.Rect and leaves gofpdf's
// colour state untouched. A rectangle spanning h rows covers what h
// rectangles one row high did (each a hair taller, so no seams show), and
// one fill paints their union, so the code looks the same with a sixth
// fewer bytes to write and compress.
func (s *setter) drawQR(code *qr.Code, x, y, size float64) {
	m := size / float64(code.Size) * mmToPt
	b := s.buf[:0]
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
			if r > 0 && hasRun(code, r-1, c, e) {
				c = e // drawn with the row above
				continue
			}
			h := 1
			for r+h < code.Size && hasRun(code, r+h, c, e) {
				h++
			}
			b = append(appendModule(b, c), ' ')
			b = append(appendModule(b, r), ' ')
			b = append(appendModule(b, e-c), ' ')
			b = append(appendModule(b, h), ".02 re\n"...) // a hair taller: no seams between rows
			c = e
		}
	}
	b = append(b, "f Q"...)
	s.raw(b)
	s.buf = b
}

// hasRun says whether row r of code has a run of dark modules from column
// c to before e.
func hasRun(code *qr.Code, r, c, e int) bool {
	if c > 0 && code.Black(c-1, r) || e < code.Size && code.Black(e, r) {
		return false
	}
	for ; c < e; c++ {
		if !code.Black(c, r) {
			return false
		}
	}
	return true
}

// appendModule appends a module coordinate (0 to 176) in decimal: the
// several hundred numbers of every code, written without strconv's
// generality.
func appendModule(b []byte, n int) []byte {
	switch {
	case n < 10:
		return append(b, byte('0'+n))
	case n < 100:
		return append(b, byte('0'+n/10), byte('0'+n%10))
	}
	return strconv.AppendInt(b, int64(n), 10)
}
