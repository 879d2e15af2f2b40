package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/nianbao/nianbao/crawler"
)

// sourcesFile is the shape of a sources registry.
type sourcesFile struct {
	Sources []crawler.Source `yaml:"sources"`
}

// ReadSources parses a sources registry:
//
//	sources:
//	  - name: 三滩镇人民政府
//	    level: township
//	    region_code: "620421113"
//	    start_urls: ["http://127.0.0.5:8080/zwgk/zfxxgknb/index.html"]
//
// Unknown fields and invalid sources are errors naming the source.
func ReadSources(r io.Reader, name string) ([]crawler.Source, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("sources %s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f sourcesFile
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("sources %s: %w", name, err)
	}
	if len(f.Sources) == 0 {
		return nil, fmt.Errorf("sources %s: no sources listed", name)
	}
	var errs []error
	for i, s := range f.Sources {
		if err := s.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("sources[%d]: %w", i, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("sources %s: %w", name, err)
	}
	return f.Sources, nil
}

// LoadSources reads the sources registry at path.
func LoadSources(path string) ([]crawler.Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer f.Close()
	return ReadSources(f, path)
}

// WriteSources writes a sources registry that ReadSources accepts.
func WriteSources(w io.Writer, sources []crawler.Source) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(sourcesFile{Sources: sources}); err != nil {
		return fmt.Errorf("write sources: %w", err)
	}
	return enc.Close()
}
