package letters

import "strconv"

// fontObjects returns the /Font resource entries and objects of the
// document's fonts, numbered from first (packPDF's extra).
func (s *setter) fontObjects(first int) (string, []pdfObj) {
	var refs string
	var objs []pdfObj
	for fi := range s.subs {
		if len(s.subs[fi].runes) == 0 {
			continue
		}
		num := first + len(objs)
		refs += fontRes[fi] + " " + strconv.Itoa(num) + " 0 R "
		objs = append(objs, fontObjects(s.subs[fi], num)...)
	}
	return refs, objs
}
