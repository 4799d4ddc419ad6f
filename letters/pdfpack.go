package letters

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// Why this file: gofpdf compresses every page with a brand-new zlib writer,
// and allocating and clearing one costs more than compressing a page of a
// letter (a 50-letter class spent a third of its time there). So documents
// are generated uncompressed and their plain streams compressed here with
// pooled writers, rebuilding the cross-reference table; the fonts, which
// gofpdf never sees, are added here too (pdffont.go). It relies only on the
// PDF structure gofpdf writes: a classic xref table, "N 0 obj\n<</Length
// L>>\nstream\n" objects, a resource dictionary with an empty "/Font <<\n>>"
// and a trailer with "/Size N".

// Compression levels: pageLevel for the page contents of a class PDF (one
// per letter: compression was a third of a class's time), onceLevel for
// streams written once per PDF (shared forms, ToUnicode maps, the page of a
// single letter), where ~15% smaller costs little.
const (
	pageLevel = zlib.BestSpeed
	onceLevel = 6
)

// deflaters holds reusable zlib writers by level. An engine owns one, so
// nothing of the package is mutable state shared by every engine.
type deflaters struct {
	pools   sync.Map  // int → *sync.Pool of *zlib.Writer
	flaters sync.Map  // int → *sync.Pool of *flate.Writer (fontStream)
	bufs    sync.Pool // *bytes.Buffer: a PDF before and after packing, a stream compressed
}

// buffer returns an empty buffer from the pool: a class PDF grows one to
// a few hundred kilobytes several times over, which was a tenth of its
// time in allocating and clearing memory.
func (z *deflaters) buffer() *bytes.Buffer {
	if b, ok := z.bufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}

// release gives b back to the pool; buffers of more than 16 MB are left
// to the collector.
func (z *deflaters) release(b *bytes.Buffer) {
	if b.Cap() <= 16<<20 {
		z.bufs.Put(b)
	}
}

func (z *deflaters) get(level int) *zlib.Writer {
	p, ok := z.pools.Load(level)
	if !ok {
		p, _ = z.pools.LoadOrStore(level, &sync.Pool{New: func() any {
			w, _ := zlib.NewWriterLevel(io.Discard, level)
			return w
		}})
	}
	return p.(*sync.Pool).Get().(*zlib.Writer)
}

func (z *deflaters) put(level int, w *zlib.Writer) {
	p, _ := z.pools.Load(level)
	p.(*sync.Pool).Put(w)
}

var errPack = errors.New("unexpected PDF structure")

// compressTo appends data compressed at level to out.
func (z *deflaters) compressTo(out *bytes.Buffer, data []byte, level int) error {
	zw := z.get(level)
	defer z.put(level, zw)
	zw.Reset(out)
	zw.Write(data)
	return zw.Close()
}

// writeStream appends object num as a compressed stream with extra dictionary
// entries dict.
func (zs *deflaters) writeStream(out, z *bytes.Buffer, num int, dict string, data []byte, level int) error {
	z.Reset()
	if err := zs.compressTo(z, data, level); err != nil {
		return err
	}
	writeObj(out, num, dict, z.Bytes())
	return nil
}

// writeObj appends object num, a stream of deflated data with extra
// dictionary entries dict.
func writeObj(out *bytes.Buffer, num int, dict string, data []byte) {
	out.WriteString(strconv.Itoa(num) + " 0 obj\n<<" + dict + "/Filter /FlateDecode /Length " + strconv.Itoa(len(data)) + ">>\nstream\n")
	out.Write(data)
	out.WriteString("\nendstream\nendobj\n")
}

// packPDF copies the PDF in src to w with every unfiltered stream
// compressed (page contents at level), and returns the bytes written. extra, if not nil, is called
// with the first free object number and the resource dictionary's object,
// and returns the entries of the /Font and /XObject resource dictionaries
// and the objects to append.
func (zs *deflaters) packPDF(w io.Writer, src []byte, level int, extra func(first, res int) (fonts, xobjects string, objs []pdfObj)) (int64, error) {
	ix, err := readIndex(src)
	if err != nil {
		return 0, err
	}
	var objs []pdfObj
	rd := resourceDict{obj: -1}
	if extra != nil {
		for _, obj := range ix.order {
			if c := src[ix.offsets[obj]:]; bytes.HasPrefix(c, []byte(strconv.Itoa(obj)+" 0 obj\n<<\n/ProcSet")) {
				rd.obj = obj
				break
			}
		}
		if rd.obj < 0 {
			return 0, errPack
		}
		rd.fonts, rd.xobjects, objs = extra(ix.count, rd.obj)
	}

	out, z := zs.buffer(), zs.buffer()
	defer zs.release(out)
	defer zs.release(z)
	out.Write(src[:ix.offsets[ix.order[0]]])
	newOff := make([]int, ix.count+len(objs))
	if err := zs.packObjects(out, z, src, ix, level, rd, newOff); err != nil {
		return 0, err
	}
	for k, o := range objs {
		num := ix.count + k
		newOff[num] = out.Len()
		if o.font != nil {
			z.Reset()
			zs.fontStream(z, *o.font, o.level)
			writeObj(out, num, o.dict+" ", z.Bytes())
			continue
		}
		if o.stream == nil {
			out.WriteString(strconv.Itoa(num) + " 0 obj\n<<" + o.dict + ">>\nendobj\n")
			continue
		}
		if err := zs.writeStream(out, z, num, o.dict+" ", o.stream, o.level); err != nil {
			return 0, err
		}
	}
	trailer := ix.trailer
	if len(objs) > 0 {
		size := []byte("/Size " + strconv.Itoa(ix.count))
		i := bytes.Index(trailer, size)
		if i < 0 || (i+len(size) < len(trailer) && trailer[i+len(size)] >= '0' && trailer[i+len(size)] <= '9') {
			return 0, errPack
		}
		trailer = slices.Concat(trailer[:i], []byte("/Size "+strconv.Itoa(ix.count+len(objs))), trailer[i+len(size):])
	}
	writeXref(out, newOff, trailer)
	return out.WriteTo(w)
}

// pdfIndex is what packPDF reads of gofpdf's output: the objects' offsets
// by number and in file order, where the xref starts, the trailer.
type pdfIndex struct {
	count   int   // objects, with object 0
	offsets []int // by object number; 0 unused
	order   []int // object numbers in file order
	xrefAt  int
	trailer []byte // from "trailer" to before "startxref"
}

// readIndex reads the xref table and trailer at the end of src.
func readIndex(src []byte) (pdfIndex, error) {
	var ix pdfIndex
	sx := bytes.LastIndex(src, []byte("startxref\n"))
	if sx < 0 {
		return ix, errPack
	}
	end := bytes.IndexByte(src[sx+10:], '\n')
	if end < 0 {
		return ix, errPack
	}
	xrefAt, err := strconv.Atoi(string(src[sx+10 : sx+10+end]))
	if err != nil || xrefAt >= len(src) {
		return ix, errPack
	}
	// xref\n0 N\n then 20-byte entries.
	p := xrefAt + 5
	nl := bytes.IndexByte(src[p:], '\n')
	if nl < 0 || !bytes.HasPrefix(src[xrefAt:], []byte("xref\n0 ")) {
		return ix, errPack
	}
	count, err := strconv.Atoi(string(src[p+2 : p+nl]))
	if err != nil || count < 1 {
		return ix, errPack
	}
	entries := src[p+nl+1:]
	if len(entries) < 20*count {
		return ix, errPack
	}
	offsets := make([]int, count)
	for i := 1; i < count; i++ {
		if offsets[i], err = strconv.Atoi(string(entries[20*i : 20*i+10])); err != nil {
			return ix, errPack
		}
	}
	trailer := entries[20*count:]
	trailerEnd := bytes.Index(trailer, []byte("startxref"))
	if trailerEnd < 0 {
		return ix, errPack
	}
	order := make([]int, 0, count-1)
	for i := 1; i < count; i++ {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })
	return pdfIndex{count: count, offsets: offsets, order: order, xrefAt: xrefAt, trailer: trailer[:trailerEnd]}, nil
}

// resourceDict is the page resource dictionary's object and what its
// empty /Font and /XObject dictionaries are filled with.
type resourceDict struct {
	obj             int // -1: none to fill
	fonts, xobjects string
}

// packObjects copies src's objects to out in file order, compressing
// their streams and filling the resource dictionary, and records each
// object's new offset in newOff.
func (zs *deflaters) packObjects(out, z *bytes.Buffer, src []byte, ix pdfIndex, level int, rd resourceDict, newOff []int) error {
	emptyFonts, emptyX := []byte("/Font <<\n>>"), []byte("/XObject <<\n>>")
	for k, obj := range ix.order {
		stop := ix.xrefAt
		if k+1 < len(ix.order) {
			stop = ix.offsets[ix.order[k+1]]
		}
		chunk := src[ix.offsets[obj]:stop]
		newOff[obj] = out.Len()
		head := []byte(strconv.Itoa(obj) + " 0 obj\n<</Length ")
		if !bytes.HasPrefix(chunk, head) {
			if obj == rd.obj {
				i, j := bytes.Index(chunk, emptyFonts), bytes.Index(chunk, emptyX)
				if i < 0 || j < i {
					return errPack
				}
				out.Write(chunk[:i])
				out.WriteString("/Font <<" + rd.fonts + ">>")
				out.Write(chunk[i+len(emptyFonts) : j])
				out.WriteString("/XObject <<" + rd.xobjects + ">>")
				out.Write(chunk[j+len(emptyX):])
				continue
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
		z.Reset()
		if err := zs.compressTo(z, rest[gt+10:gt+10+n], level); err != nil {
			return err
		}
		out.WriteString(strconv.Itoa(obj) + " 0 obj\n<</Filter /FlateDecode /Length " + strconv.Itoa(z.Len()) + ">>\nstream\n")
		out.Write(z.Bytes())
		out.Write(rest[gt+10+n:])
	}
	return nil
}

// writeXref writes the xref table of objects at newOff, the trailer and
// the end of the file.
func writeXref(out *bytes.Buffer, newOff []int, trailer []byte) {
	xref := out.Len()
	out.WriteString("xref\n0 " + strconv.Itoa(len(newOff)) + "\n0000000000 65535 f \n")
	for i := 1; i < len(newOff); i++ {
		s := strconv.Itoa(newOff[i])
		for range 10 - len(s) {
			out.WriteByte('0')
		}
		out.WriteString(s + " 00000 n \n")
	}
	out.Write(trailer)
	out.WriteString("startxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
}
