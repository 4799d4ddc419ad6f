package roster

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
)

// Limits on what a roster may expand to. A real 50,000-student workbook is
// about 30 MB of XML; anything far beyond that is not a roster.
const (
	maxUnzipped      = 256 << 20 // all parts together, as declared in the zip
	maxRatio         = 200       // uncompressed:compressed for a big part
	ratioCheckAbove  = 32 << 20  // parts smaller than this may compress as they like
	defaultMaxBytes  = 10 << 20
	oleSignature     = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
	zipSignature     = "PK\x03\x04"
	encryptedPackage = "E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00"
	encryptionInfo   = "E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00"
)

// readLimited reads at most max+1 bytes so that an oversized upload is
// refused without holding more than that in memory.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("roster: read: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fileError(CodeTooLarge, fmt.Sprintf("文件超过 %s 的上限，请删除多余的工作表、图片或按班级分成几个文件后再上传。", humanSize(max)))
	}
	return data, nil
}

func humanSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

// openSource tells the format from the bytes, not the file's name (teachers
// rename files, and systems export text as .xls): OLE2 for .xls, .et and
// encrypted workbooks, a zip for .xlsx and .ods, anything else as text.
func openSource(data []byte, name string, m *meter) (source, error) {
	switch {
	case len(data) == 0:
		return nil, fileError(CodeEmpty, "文件是空的（0 字节），请重新导出花名册后再上传。")
	case bytes.HasPrefix(data, []byte(oleSignature)):
		return openOLE(data, m)
	case bytes.HasPrefix(data, []byte(zipSignature)):
		return openZip(data, m)
	default:
		return openText(data, name, m)
	}
}

// openZip refuses zip bombs, judged by the sizes the zip declares
// (archive/zip enforces them while inflating), and opens an .xlsx or .ods.
func openZip(data []byte, m *meter) (source, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, corrupt()
	}
	var total uint64
	isXLSX, isODS := false, false
	for _, f := range zr.File {
		switch f.Name {
		case "xl/workbook.xml":
			isXLSX = true
		case "content.xml":
			isODS = true
		}
		total += f.UncompressedSize64
		bomb := total > maxUnzipped
		if f.UncompressedSize64 > ratioCheckAbove && f.UncompressedSize64 > maxRatio*max(f.CompressedSize64, 1) {
			bomb = true
		}
		if bomb {
			return nil, zipBomb()
		}
	}
	switch {
	case isXLSX:
		if err := chargeXLSX(zr, m); err != nil {
			return nil, err
		}
		return openXLSX(data)
	case isODS:
		return openODS(zr, m)
	default:
		return nil, notWorkbook()
	}
}

func zipBomb() *FileError {
	return fileError(CodeZipBomb, "文件解压后的体积异常巨大，不是正常的花名册，已拒绝处理：请从 Excel 重新导出学生名单后再上传。")
}

func encrypted() *FileError {
	return fileError(CodeEncrypted, "这个工作簿设置了打开密码，无法读取：请在 Excel 中打开，取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）并保存后再上传。")
}

// notWorkbook answers a zip or OLE2 file that holds no spreadsheet (a Word
// document, a zip of photos).
func notWorkbook() *FileError {
	return fileError(CodeNotXLSX, "这个文件不是电子表格，可能是 Word 文档或其他压缩包：请上传 Excel 工作簿（.xlsx 或 .xls）、WPS 表格、.ods 或 CSV 格式的花名册。")
}

func corrupt() *FileError {
	return fileError(CodeCorrupt, "文件已损坏，无法可靠读取，什么也没有导入：请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。")
}

func tooManyRows(sheet string) *FileError {
	return fileError(CodeCorrupt, "工作表“"+sheet+"”的行数超过 Excel 的上限，文件可能已损坏，请重新保存后再上传。")
}
