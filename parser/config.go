package parser

import (
	"errors"
	"fmt"
	"time"
)

// Config sets the parser's limits and external tools.
type Config struct {
	// PDFToText is the path or name (looked up in PATH) of poppler's
	// pdftotext, used for PDF input. Empty disables PDF input: parsing a PDF
	// then fails with ErrPDFTool.
	PDFToText string `mapstructure:"pdftotext" yaml:"pdftotext" json:"pdftotext"`
	// PDFTimeout bounds one pdftotext run.
	PDFTimeout time.Duration `mapstructure:"pdf_timeout" yaml:"pdf_timeout" json:"pdf_timeout"`
	// MaxBytes is the largest payload accepted, in bytes.
	MaxBytes int64 `mapstructure:"max_bytes" yaml:"max_bytes" json:"max_bytes"`
	// MaxDOCXXMLBytes caps the decompressed size of word/document.xml, the
	// guard against zip bombs.
	MaxDOCXXMLBytes int64 `mapstructure:"max_docx_xml_bytes" yaml:"max_docx_xml_bytes" json:"max_docx_xml_bytes"`
	// MaxTableCells caps the cells of one table once row and column spans are
	// expanded.
	MaxTableCells int `mapstructure:"max_table_cells" yaml:"max_table_cells" json:"max_table_cells"`
	// ResolveRegions turns on region_code resolution with the embedded
	// gazetteer (loaded once per Parser, a few tens of milliseconds).
	ResolveRegions bool `mapstructure:"resolve_regions" yaml:"resolve_regions" json:"resolve_regions"`
}

// DefaultConfig returns the configuration used when nothing is set:
// pdftotext from PATH with a 30 s timeout, 64 MiB payloads, 32 MiB of DOCX
// XML, 200,000 cells per table, regions resolved.
func DefaultConfig() Config {
	return Config{
		PDFToText:       "pdftotext",
		PDFTimeout:      30 * time.Second,
		MaxBytes:        64 << 20,
		MaxDOCXXMLBytes: 32 << 20,
		MaxTableCells:   200_000,
		ResolveRegions:  true,
	}
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.PDFToText != "" && c.PDFTimeout <= 0 {
		errs = append(errs, fmt.Errorf("pdf_timeout must be positive, got %s", c.PDFTimeout))
	}
	if c.MaxBytes <= 0 {
		errs = append(errs, fmt.Errorf("max_bytes must be positive, got %d", c.MaxBytes))
	}
	if c.MaxDOCXXMLBytes <= 0 {
		errs = append(errs, fmt.Errorf("max_docx_xml_bytes must be positive, got %d", c.MaxDOCXXMLBytes))
	}
	if c.MaxTableCells <= 0 {
		errs = append(errs, fmt.Errorf("max_table_cells must be positive, got %d", c.MaxTableCells))
	}
	return errors.Join(errs...)
}
