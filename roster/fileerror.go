package roster

// FileError says that a file cannot be read as a roster at all. Nothing from
// such a file is imported; Message tells the teacher what to do instead.
type FileError struct {
	Code    string // stable: too_large, not_xlsx, legacy_xls, encrypted, empty, no_header, zip_bomb, corrupt, class_invalid
	Message string // Chinese, one sentence a teacher can act on
}

func (e *FileError) Error() string { return "roster: " + e.Code + ": " + e.Message }

// The codes of FileError.
const (
	CodeTooLarge  = "too_large"
	CodeNotXLSX   = "not_xlsx"
	CodeLegacyXLS = "legacy_xls"
	CodeEncrypted = "encrypted"
	CodeEmpty     = "empty"
	CodeNoHeader  = "no_header"
	CodeZipBomb   = "zip_bomb"
	CodeCorrupt   = "corrupt"
	// CodeClassInvalid is about Options.Class, not the file: the class the
	// caller chose cannot be read.
	CodeClassInvalid = "class_invalid"
)

func fileError(code, msg string) *FileError { return &FileError{Code: code, Message: msg} }
