package parser

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped by *Error. Callers test them with errors.Is.
var (
	// ErrEmpty means the input has no content.
	ErrEmpty = errors.New("empty document")
	// ErrUnsupportedFormat means the payload is neither HTML, text, PDF nor
	// DOCX (e.g. an image, a spreadsheet or a legacy .doc).
	ErrUnsupportedFormat = errors.New("unsupported format")
	// ErrNotReport means the document is not an annual report, e.g. a list
	// page linking to several reports.
	ErrNotReport = errors.New("not an annual report")
	// ErrCorrupt means the payload claims a format but cannot be read as it
	// (a truncated zip, a DOCX without word/document.xml, unparsable XML).
	ErrCorrupt = errors.New("corrupt document")
	// ErrTooLarge means the payload, or a part of it once decompressed,
	// exceeds the limits in Config.
	ErrTooLarge = errors.New("document too large")
	// ErrPDFTool means the PDF text extractor (poppler's pdftotext) is not
	// configured, not installed or failed.
	ErrPDFTool = errors.New("pdf text extraction unavailable")
)

// Error is the error Parse returns: where parsing failed and why. Err is one
// of the sentinels above, possibly wrapping a lower-level cause.
type Error struct {
	// Source is Input.Source.
	Source string
	// Field names what was being read ("format", "docx", "pdf", "report"),
	// empty when the whole input failed.
	Field string
	// Err is the cause; errors.Is(e, ErrNotReport) and the like work
	// through it.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("parse %s: %v", e.Source, e.Err)
	}
	return fmt.Sprintf("parse %s: %s: %v", e.Source, e.Field, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// wrapf returns a cause that wraps sentinel with detail.
func wrapf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
