package letters

// laidOut is a letter ready to draw.
type laidOut struct {
	rows     []row
	slip     *slipStatic     // the slip's fixed part, shared by the letters of the PDF
	drawSlip func(y float64) // the letter's own part of the slip
	cut      []cutField      // slip fields printed shortened
}

// layout lays d out; cd, when not nil, is the composed letter d was made
// from (composeCache), whose blocks without the name are laid out once per
// PDF.
func (s *setter) layout(d Document, large bool, cd *composed) laidOut {
	rows := s.letterRows(d, theme(large), cd)
	ss, draw, cut := s.slip(d.Slip, theme(large))
	return laidOut{rows, ss, draw, cut}
}

// Page space, mm: a page's text area, and the least space between a
// letter's last line and its slip.
const (
	pageRoom = pageH - marginBot - marginTop
	slipGap  = 2.0
)

// rowsHeight is the height of rows[a:b] on a page: blank rows at its top and
// foot take no room.
func rowsHeight(rows []row, a, b int) float64 {
	for a < b && rows[a].gap {
		a++
	}
	for b > a && rows[b-1].gap {
		b--
	}
	h := 0.0
	for _, r := range rows[a:b] {
		h += r.h
	}
	return h
}

// pageBreaks returns the rows that start a page, in order; a break at
// len(rows) puts the slip on a page of its own. A page breaks only where
// rows are not glued (a block is never split). A letter of two pages is
// balanced: of the breaks that fit, the one that leaves the two pages'
// contents (the slip counted on the second) closest in height.
func pageBreaks(rows []row, slipH float64) []int {
	n := len(rows)
	var breaks []int
	start := 0
	for {
		if rowsHeight(rows, start, n)+slipGap+slipH <= pageRoom {
			return breaks
		}
		if b := balanced(rows, start, slipH); b > 0 {
			return append(breaks, b)
		}
		end := fillPage(rows, start)
		if end >= n {
			return append(breaks, n)
		}
		breaks = append(breaks, end)
		start = end
	}
}

// breakable reports whether a page may break before rows[i].
func breakable(rows []row, i int) bool { return i > 0 && !rows[i-1].glue }

// balanced is the break that lays rows[start:] out on two pages, the
// slip at the foot of the second, with their contents closest in height;
// -1 when none fits.
func balanced(rows []row, start int, slipH float64) int {
	best, score := -1, 0.0
	for i := start + 1; i < len(rows); i++ {
		if !breakable(rows, i) {
			continue
		}
		h1, h2 := rowsHeight(rows, start, i), rowsHeight(rows, i, len(rows))+slipGap+slipH
		if h1 > pageRoom || h2 > pageRoom {
			continue
		}
		if sc := max(h1, h2); best < 0 || sc < score || sc == score && h1 > rowsHeight(rows, start, best) {
			best, score = i, sc
		}
	}
	return best
}

// fillPage is the end of a page starting at rows[start]: the last break
// that fits, or the first one after start when nothing does (a block
// taller than a page).
func fillPage(rows []row, start int) int {
	end := -1
	for j := start + 1; j <= len(rows); j++ {
		if rowsHeight(rows, start, j) > pageRoom {
			break
		}
		if j == len(rows) || breakable(rows, j) {
			end = j
		}
	}
	if end < 0 {
		end = start + 1
		for end < len(rows) && !breakable(rows, end) {
			end++
		}
	}
	return end
}

// draw adds one letter's pages, the slip at the foot of the last; it
// returns the number of pages. Rows without personal data go into shared
// segments (see segment).
func (s *setter) draw(l laidOut) int {
	breaks := pageBreaks(l.rows, l.slip.h)
	pages := 1
	s.newPage()
	y := marginTop
	for i, r := range l.rows {
		if len(breaks) > 0 && breaks[0] == i {
			breaks = breaks[1:]
			s.flushSegment()
			s.newPage()
			pages++
			y = marginTop
		}
		if r.gap && y == marginTop {
			continue
		}
		if r.personal {
			s.flushSegment()
			r.draw(y)
		} else if !r.gap {
			s.segment(r, y)
		}
		y += r.h
	}
	s.flushSegment()
	if len(breaks) > 0 { // the slip on a page of its own
		s.newPage()
		pages++
	}
	y = pageH - marginBot - l.slip.h
	s.segment(row{id: l.slip.id, draw: l.slip.draw}, y)
	s.flushSegment()
	l.drawSlip(y)
	return pages
}
