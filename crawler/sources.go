package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// Validate reports every problem with s.
func (s Source) Validate() error {
	var errs []error
	if strings.TrimSpace(s.Name) == "" {
		errs = append(errs, errors.New("name: must not be empty"))
	}
	switch s.Level {
	case "province", "city", "county", "township", "department":
	default:
		errs = append(errs, fmt.Errorf("level: %q, want province, city, county, township or department", s.Level))
	}
	if s.RegionCode != "" && !isRegionCode(s.RegionCode) {
		errs = append(errs, fmt.Errorf("region_code: %q is not a 2-12 digit NBS code", s.RegionCode))
	}
	if len(s.StartURLs) == 0 {
		errs = append(errs, errors.New("start_urls: at least one is needed"))
	}
	for _, u := range s.StartURLs {
		if _, err := parseStartURL(u); err != nil {
			errs = append(errs, fmt.Errorf("start_urls: %w", err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("source %q: %w", s.Name, errors.Join(errs...))
	}
	return nil
}

func isRegionCode(s string) bool {
	if len(s) < 2 || len(s) > 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func parseStartURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q: no host", raw)
	}
	return normalize(u), nil
}

// sourceIndex attributes URLs to sources: the source whose start URL's
// directory is the longest prefix of the URL's path on the same host, else
// the first source registered for the host.
type sourceIndex struct {
	byHost map[string][]sourceRoot
}

type sourceRoot struct {
	dir string
	src Source
}

func newSourceIndex(sources []Source) *sourceIndex {
	idx := &sourceIndex{byHost: make(map[string][]sourceRoot)}
	for _, s := range sources {
		for _, raw := range s.StartURLs {
			u, err := parseStartURL(raw)
			if err != nil {
				continue
			}
			idx.byHost[u.Host] = append(idx.byHost[u.Host], sourceRoot{dir: dirOf(u.Path), src: s})
		}
	}
	return idx
}

func (idx *sourceIndex) lookup(u *url.URL) Source {
	roots := idx.byHost[strings.ToLower(u.Host)]
	best := -1
	for i, r := range roots {
		if strings.HasPrefix(u.Path, r.dir) && (best < 0 || len(r.dir) > len(roots[best].dir)) {
			best = i
		}
	}
	switch {
	case best >= 0:
		return roots[best].src
	case len(roots) > 0:
		return roots[0].src
	}
	return Source{}
}

// hosts returns every host (with port) of the sources' start URLs.
func (idx *sourceIndex) hosts() []string {
	hs := make([]string, 0, len(idx.byHost))
	for h := range idx.byHost {
		hs = append(hs, h)
	}
	return hs
}

// dirOf returns the directory of a URL path, with a trailing slash.
func dirOf(p string) string {
	if p == "" {
		return "/"
	}
	if strings.HasSuffix(p, "/") {
		return p
	}
	d := path.Dir(p)
	if d == "/" || d == "." {
		return "/"
	}
	return d + "/"
}
