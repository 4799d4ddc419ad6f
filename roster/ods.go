package roster

import "archive/zip"

func openODS(zr *zip.Reader) (source, error) { return nil, notWorkbook() }
