package letters

import "strconv"

// pageObjects returns the document's fonts and shared forms: the entries of
// the /Font and /XObject resource dictionaries and the objects, numbered
// from first (packPDF's extra). res is the resource dictionary's object,
// which the forms use too.
func (s *setter) pageObjects(first, res int) (fonts, xobjects string, objs []pdfObj) {
	for fi := range s.subs {
		if len(s.subs[fi].runes) == 0 {
			continue
		}
		num := first + len(objs)
		fonts += fontRes[fi] + " " + strconv.Itoa(num) + " 0 R "
		objs = append(objs, fontObjects(s.subs[fi], num)...)
	}
	dict := "/Type /XObject /Subtype /Form /BBox [0 0 " + strconv.FormatFloat(pageW*mmToPt, 'f', 2, 64) + " " +
		strconv.FormatFloat(pageH*mmToPt, 'f', 2, 64) + "] /Resources " + strconv.Itoa(res) + " 0 R"
	for k, data := range s.formData {
		xobjects += "/X" + strconv.Itoa(k) + " " + strconv.Itoa(first+len(objs)) + " 0 R "
		objs = append(objs, pdfObj{dict: dict, stream: data, level: onceLevel})
	}
	return fonts, xobjects, objs
}
