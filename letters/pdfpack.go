package letters

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"slices"
	"strconv"
	"sync"
)

// Why this file: gofpdf compresses every page with a brand-new zlib writer,
// and allocating and clearing one costs more than compressing a page of a
// letter (a 50-letter class spent a third of its time there). So documents
// are generated uncompressed and their plain streams (page contents,
// ToUnicode maps) compressed here with pooled writers, rebuilding the
// cross-reference table. It relies only on the PDF structure gofpdf writes:
// a classic xref table and "N 0 obj\n<</Length L>>\nstream\n" objects.

var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
	return w
}}

var errPack = errors.New("unexpected PDF structure")

// packPDF copies the PDF in src to w with every unfiltered stream
// compressed and the CIDFonts' width arrays pruned; it returns the bytes written. If toUnicode is not nil, it
// replaces gofpdf's identity ToUnicode maps.
func packPDF(w io.Writer, src []byte, toUnicode []byte) (int64, error) {
	sx := bytes.LastIndex(src, []byte("startxref\n"))
	if sx < 0 {
		return 0, errPack
	}
	end := bytes.IndexByte(src[sx+10:], '\n')
	if end < 0 {
		return 0, errPack
	}
	xrefAt, err := strconv.Atoi(string(src[sx+10 : sx+10+end]))
	if err != nil || xrefAt >= len(src) {
		return 0, errPack
	}
	// xref\n0 N\n then 20-byte entries.
	p := xrefAt + 5
	nl := bytes.IndexByte(src[p:], '\n')
	if nl < 0 || !bytes.HasPrefix(src[xrefAt:], []byte("xref\n0 ")) {
		return 0, errPack
	}
	count, err := strconv.Atoi(string(src[p+2 : p+nl]))
	if err != nil || count < 1 {
		return 0, errPack
	}
	entries := src[p+nl+1:]
	if len(entries) < 20*count {
		return 0, errPack
	}
	offsets := make([]int, count) // by object number; 0 unused
	for i := 1; i < count; i++ {
		if offsets[i], err = strconv.Atoi(string(entries[20*i : 20*i+10])); err != nil {
			return 0, errPack
		}
	}
	trailer := entries[20*count:]
	trailerEnd := bytes.Index(trailer, []byte("startxref"))
	if trailerEnd < 0 {
		return 0, errPack
	}
	trailer = trailer[:trailerEnd]

	order := make([]int, 0, count-1)
	for i := 1; i < count; i++ {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })

	out := bytes.NewBuffer(make([]byte, 0, len(src)/2))
	out.Write(src[:offsets[order[0]]])
	newOff := make([]int, count)
	zw := zlibPool.Get().(*zlib.Writer)
	defer zlibPool.Put(zw)
	var z bytes.Buffer
	for k, obj := range order {
		stop := xrefAt
		if k+1 < len(order) {
			stop = offsets[order[k+1]]
		}
		chunk := src[offsets[obj]:stop]
		newOff[obj] = out.Len()
		head := []byte(strconv.Itoa(obj) + " 0 obj\n<</Length ")
		if !bytes.HasPrefix(chunk, head) {
			if bytes.Contains(chunk, []byte("/Subtype /CIDFontType2")) && !bytes.Contains(chunk, []byte("stream\n")) {
				chunk = pruneWidths(chunk)
			}
			out.Write(chunk)
			continue
		}
		rest := chunk[len(head):]
		gt := bytes.Index(rest, []byte(">>\nstream\n"))
		n, err := strconv.Atoi(string(rest[:max(gt, 0)]))
		if gt < 0 || err != nil || gt+10+n > len(rest) {
			out.Write(chunk)
			continue
		}
		data := rest[gt+10 : gt+10+n]
		if toUnicode != nil && bytes.Contains(data, identityCMap) {
			data = toUnicode
		}
		z.Reset()
		zw.Reset(&z)
		zw.Write(data)
		if err := zw.Close(); err != nil {
			return 0, err
		}
		out.WriteString(strconv.Itoa(obj) + " 0 obj\n<</Filter /FlateDecode /Length " + strconv.Itoa(z.Len()) + ">>\nstream\n")
		out.Write(z.Bytes())
		out.Write(rest[gt+10+n:])
	}
	xref := out.Len()
	out.WriteString("xref\n0 " + strconv.Itoa(count) + "\n0000000000 65535 f \n")
	for i := 1; i < count; i++ {
		s := strconv.Itoa(newOff[i])
		for range 10 - len(s) {
			out.WriteByte('0')
		}
		out.WriteString(s + " 00000 n \n")
	}
	out.Write(trailer)
	out.WriteString("startxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return out.WriteTo(w)
}

// identityCMap marks gofpdf's ToUnicode map, which maps every code to
// itself.
var identityCMap = []byte("/CMapName /Adobe-Identity-UCS def")

// pruneWidths removes from a CIDFont's /W array the ranges whose width is
// the default width /DW (gofpdf lists every character, and almost every
// Chinese character is 1000 wide: ~7 KB per letter).
func pruneWidths(obj []byte) []byte {
	dw := "1000" // the PDF default
	if i := bytes.Index(obj, []byte("/DW ")); i >= 0 {
		j := i + 4
		for j < len(obj) && obj[j] >= '0' && obj[j] <= '9' {
			j++
		}
		dw = string(obj[i+4 : j])
	}
	i := bytes.Index(obj, []byte("/W ["))
	if i < 0 {
		return obj
	}
	// Tokens of the array: numbers, "[" and "]".
	p := i + 4
	var toks [][]byte
	depth, closed := 0, false
scan:
	for p < len(obj) {
		c := obj[p]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			p++
			continue
		case c == '[':
			depth++
		case c == ']':
			if depth == 0 {
				p++
				closed = true
				break scan
			}
			depth--
		case c < '0' || c > '9':
			return obj // not gofpdf's width array
		}
		q := p + 1
		for c >= '0' && c <= '9' && q < len(obj) && obj[q] >= '0' && obj[q] <= '9' {
			q++
		}
		toks = append(toks, obj[p:q])
		p = q
	}
	if !closed {
		return obj
	}
	w := append(slices.Clip(obj[:i]), "/W ["...)
	depth = 0
	for k := 0; k < len(toks); k++ {
		// c1 c2 w at the top level: dropped when w is the default width.
		if depth == 0 && k+2 < len(toks) && isNum(toks[k]) && isNum(toks[k+1]) && isNum(toks[k+2]) {
			if string(toks[k+2]) != dw {
				for _, t := range toks[k : k+3] {
					w = append(append(w, ' '), t...)
				}
			}
			k += 2
			continue
		}
		switch string(toks[k]) {
		case "[":
			depth++
		case "]":
			depth--
		}
		w = append(append(w, ' '), toks[k]...)
	}
	w = append(w, " ]"...)
	return append(w, obj[p:]...)
}

func isNum(t []byte) bool {
	if len(t) == 0 {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// streamLength reads /Length from a stream dictionary, or returns -1.
func streamLength(dict []byte) int {
	i := bytes.Index(dict, []byte("/Length "))
	if i < 0 {
		return -1
	}
	d := dict[i+8:]
	j := 0
	for j < len(d) && d[j] >= '0' && d[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(string(d[:j]))
	if err != nil {
		return -1
	}
	return n
}
