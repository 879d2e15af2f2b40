package archive

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// Config controls where and how a Writer writes WARC files.
type Config struct {
	// Dir is the directory the WARC files go to. It is created if missing.
	Dir string `mapstructure:"dir"`
	// Prefix starts every file name. It may hold letters, digits, '.', '_'
	// and '-'.
	Prefix string `mapstructure:"prefix"`
	// MaxFileSize is the size in bytes a file may reach before the writer
	// moves on to a new one. A single exchange larger than this still gets
	// written, to a file of its own.
	MaxFileSize int64 `mapstructure:"max_file_size"`
	// CompressionLevel is the gzip level, from 1 (fastest) to 9 (smallest),
	// or -1 for the compressor's default (5). The default, 1, compresses
	// report pages about twice as fast as 5 for 7-11% more bytes
	// (BenchmarkWriteLevels): the crawl, not the disk, is what it saves.
	CompressionLevel int `mapstructure:"compression_level"`
	// Sync makes every Write fsync the file before it returns. Without it a
	// returned Write survives the process being killed but not the machine
	// losing power.
	Sync bool `mapstructure:"sync"`
	// Software names the writing program in each file's warcinfo record.
	Software string `mapstructure:"software"`
	// Operator names who runs the crawl (a person or organisation, with
	// contact details), for the warcinfo record. Optional.
	Operator string `mapstructure:"operator"`
}

// DefaultConfig returns the settings used when none are given. Dir is left
// empty: the caller must choose where the archive lives.
func DefaultConfig() Config {
	return Config{
		Prefix:           "nianbao",
		MaxFileSize:      1 << 30,
		CompressionLevel: gzip.BestSpeed,
		Software:         "nianbao",
	}
}

// prefixRE is what a file name prefix may hold.
func prefixRE() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]+$`) }

// minFileSize is the smallest MaxFileSize accepted: below it nearly every
// exchange would get a file of its own.
const minFileSize = 4 << 10

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Dir) == "" {
		errs = append(errs, errors.New("archive.dir: must not be empty"))
	}
	if !prefixRE().MatchString(c.Prefix) {
		errs = append(errs, fmt.Errorf("archive.prefix: %q, must be letters, digits, '.', '_' or '-'", c.Prefix))
	}
	if c.MaxFileSize < minFileSize {
		errs = append(errs, fmt.Errorf("archive.max_file_size: %d bytes, must be at least %d", c.MaxFileSize, minFileSize))
	}
	if c.CompressionLevel != gzip.DefaultCompression && (c.CompressionLevel < gzip.BestSpeed || c.CompressionLevel > gzip.BestCompression) {
		errs = append(errs, fmt.Errorf("archive.compression_level: %d, must be -1 or 1 to 9", c.CompressionLevel))
	}
	if strings.TrimSpace(c.Software) == "" {
		errs = append(errs, errors.New("archive.software: must not be empty"))
	}
	if strings.ContainsAny(c.Software+c.Operator, "\r\n") {
		errs = append(errs, errors.New("archive.software/operator: must be one line"))
	}
	return errors.Join(errs...)
}
