package letters

import (
	"math"
	"slices"

	"github.com/jung-kurt/gofpdf"
)

// Pictograms are simple icons the program draws with vector shapes, so the
// slides need no image files and stay sharp on any projector. A lesson's
// scenario names one (图标: 游戏手柄).

// rgb is a colour.
type rgb [3]int

// pictogram draws an icon into the unit square: p maps unit coordinates
// (0…1, y downwards) to the page; fg is the icon's colour, bg the colour of
// what it stands on (for holes and details).
type pictogram func(p pen, fg, bg rgb)

// pictograms by the name a lesson file uses.
var pictograms = map[string]pictogram{
	"手机":   drawPhone,
	"游戏手柄": drawController,
	"聊天":   drawChat,
	"银行卡":  drawBankCard,
	"电话卡":  drawSIM,
	"手表":   drawWatch,
	"盾牌":   drawShield,
	"明星":   drawStar,
	"二维码":  drawQRIcon,
	"钱":    drawCoin,
	"购物":   drawBag,
	"锁":    drawLock,
}

// PictogramNames lists the names a lesson's 图标 may take, sorted.
func PictogramNames() []string {
	names := make([]string, 0, len(pictograms))
	for n := range pictograms {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// pen draws in a square box of the page given in unit coordinates.
type pen struct {
	pdf     *gofpdf.Fpdf
	x, y, s float64 // the box, mm
}

func (p pen) fill(c rgb) { p.pdf.SetFillColor(c[0], c[1], c[2]) }
func (p pen) draw(c rgb, w float64) {
	p.pdf.SetDrawColor(c[0], c[1], c[2])
	p.pdf.SetLineWidth(w * p.s)
}

func (p pen) rect(x, y, w, h, r float64, c rgb) {
	p.fill(c)
	if r > 0 {
		p.pdf.RoundedRect(p.x+x*p.s, p.y+y*p.s, w*p.s, h*p.s, r*p.s, "1234", "F")
		return
	}
	p.pdf.Rect(p.x+x*p.s, p.y+y*p.s, w*p.s, h*p.s, "F")
}

func (p pen) circle(x, y, r float64, c rgb) {
	p.fill(c)
	p.pdf.Circle(p.x+x*p.s, p.y+y*p.s, r*p.s, "F")
}

func (p pen) poly(c rgb, pts ...float64) {
	p.fill(c)
	ps := make([]gofpdf.PointType, 0, len(pts)/2)
	for i := 0; i+1 < len(pts); i += 2 {
		ps = append(ps, gofpdf.PointType{X: p.x + pts[i]*p.s, Y: p.y + pts[i+1]*p.s})
	}
	p.pdf.Polygon(ps, "F")
}

func (p pen) line(c rgb, w float64, x1, y1, x2, y2 float64) {
	p.draw(c, w)
	p.pdf.SetLineCapStyle("round")
	p.pdf.Line(p.x+x1*p.s, p.y+y1*p.s, p.x+x2*p.s, p.y+y2*p.s)
}

func (p pen) arc(c rgb, w, x, y, r, from, to float64) {
	p.draw(c, w)
	p.pdf.SetLineCapStyle("round")
	p.pdf.Arc(p.x+x*p.s, p.y+y*p.s, r*p.s, r*p.s, 0, from, to, "D")
}

func drawPhone(p pen, fg, bg rgb) {
	p.rect(0.28, 0.06, 0.44, 0.88, 0.07, fg)
	p.rect(0.32, 0.15, 0.36, 0.62, 0.015, bg)
	p.circle(0.5, 0.855, 0.035, bg)
	p.rect(0.44, 0.095, 0.12, 0.025, 0.012, bg)
}

func drawController(p pen, fg, bg rgb) {
	p.circle(0.27, 0.6, 0.17, fg)
	p.circle(0.73, 0.6, 0.17, fg)
	p.rect(0.16, 0.3, 0.68, 0.36, 0.14, fg)
	// D-pad.
	p.rect(0.22, 0.45, 0.14, 0.045, 0.01, bg)
	p.rect(0.2675, 0.405, 0.045, 0.135, 0.01, bg)
	// Buttons.
	for _, b := range [][2]float64{{0.69, 0.41}, {0.76, 0.48}, {0.62, 0.48}, {0.69, 0.55}} {
		p.circle(b[0], b[1], 0.035, bg)
	}
}

func drawChat(p pen, fg, bg rgb) {
	p.rect(0.08, 0.16, 0.84, 0.56, 0.14, fg)
	p.poly(fg, 0.26, 0.66, 0.22, 0.9, 0.46, 0.68)
	for _, x := range []float64{0.32, 0.5, 0.68} {
		p.circle(x, 0.44, 0.055, bg)
	}
}

func drawBankCard(p pen, fg, bg rgb) {
	p.rect(0.06, 0.22, 0.88, 0.56, 0.06, fg)
	p.rect(0.06, 0.32, 0.88, 0.1, 0, bg)
	p.rect(0.14, 0.5, 0.16, 0.12, 0.02, bg)
	p.rect(0.5, 0.62, 0.34, 0.05, 0.02, bg)
}

func drawSIM(p pen, fg, bg rgb) {
	p.poly(fg, 0.22, 0.08, 0.6, 0.08, 0.78, 0.26, 0.78, 0.92, 0.22, 0.92)
	p.rect(0.33, 0.42, 0.34, 0.38, 0.04, bg)
	p.rect(0.37, 0.46, 0.26, 0.3, 0.02, fg)
	p.rect(0.33, 0.585, 0.34, 0.03, 0, bg)
	p.rect(0.485, 0.42, 0.03, 0.38, 0, bg)
}

func drawWatch(p pen, fg, bg rgb) {
	p.rect(0.34, 0.04, 0.32, 0.3, 0.05, fg)
	p.rect(0.34, 0.66, 0.32, 0.3, 0.05, fg)
	p.rect(0.24, 0.22, 0.52, 0.56, 0.12, fg)
	p.rect(0.3, 0.28, 0.4, 0.44, 0.07, bg)
	p.rect(0.76, 0.44, 0.05, 0.12, 0.02, fg)
	p.line(fg, 0.05, 0.5, 0.5, 0.5, 0.37)
	p.line(fg, 0.05, 0.5, 0.5, 0.6, 0.5)
}

func drawShield(p pen, fg, bg rgb) {
	p.poly(fg, 0.5, 0.05, 0.86, 0.18, 0.86, 0.46, 0.8, 0.64, 0.68, 0.8, 0.5, 0.95, 0.32, 0.8, 0.2, 0.64, 0.14, 0.46, 0.14, 0.18)
	p.rect(0.45, 0.24, 0.1, 0.36, 0.04, bg)
	p.circle(0.5, 0.72, 0.06, bg)
}

func drawStar(p pen, fg, _ rgb) {
	pts := make([]float64, 0, 20)
	for i := range 10 {
		r := 0.46
		if i%2 == 1 {
			r = 0.19
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts = append(pts, 0.5+r*math.Cos(a), 0.54+r*math.Sin(a))
	}
	p.poly(fg, pts...)
}

func drawQRIcon(p pen, fg, bg rgb) {
	for _, c := range [][2]float64{{0.1, 0.1}, {0.6, 0.1}, {0.1, 0.6}} {
		p.rect(c[0], c[1], 0.3, 0.3, 0.03, fg)
		p.rect(c[0]+0.06, c[1]+0.06, 0.18, 0.18, 0, bg)
		p.rect(c[0]+0.1, c[1]+0.1, 0.1, 0.1, 0, fg)
	}
	for _, m := range [][2]float64{{0.6, 0.6}, {0.8, 0.6}, {0.7, 0.7}, {0.6, 0.8}, {0.8, 0.8}, {0.45, 0.1}, {0.45, 0.3}, {0.1, 0.45}, {0.3, 0.45}, {0.45, 0.55}} {
		p.rect(m[0], m[1], 0.1, 0.1, 0, fg)
	}
}

func drawCoin(p pen, fg, bg rgb) {
	p.circle(0.5, 0.5, 0.44, fg)
	p.circle(0.5, 0.5, 0.35, bg)
	p.circle(0.5, 0.5, 0.31, fg)
	// ¥
	p.line(bg, 0.06, 0.38, 0.3, 0.5, 0.48)
	p.line(bg, 0.06, 0.62, 0.3, 0.5, 0.48)
	p.line(bg, 0.06, 0.5, 0.48, 0.5, 0.72)
	p.line(bg, 0.05, 0.39, 0.52, 0.61, 0.52)
	p.line(bg, 0.05, 0.39, 0.62, 0.61, 0.62)
}

func drawBag(p pen, fg, bg rgb) {
	p.arc(fg, 0.07, 0.5, 0.34, 0.16, 180, 360)
	p.rect(0.16, 0.32, 0.68, 0.6, 0.06, fg)
	p.circle(0.34, 0.44, 0.035, bg)
	p.circle(0.66, 0.44, 0.035, bg)
}

func drawLock(p pen, fg, bg rgb) {
	p.arc(fg, 0.09, 0.5, 0.42, 0.2, 180, 360)
	p.line(fg, 0.09, 0.3, 0.42, 0.3, 0.5)
	p.line(fg, 0.09, 0.7, 0.42, 0.7, 0.5)
	p.rect(0.18, 0.46, 0.64, 0.46, 0.06, fg)
	p.circle(0.5, 0.64, 0.06, bg)
	p.rect(0.475, 0.64, 0.05, 0.14, 0.02, bg)
}
