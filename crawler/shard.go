package crawler

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
)

// Shard is one part of a crawl split across processes: Index of Count.
// Sources are assigned by a hash of their first start URL's host, so every
// host belongs to exactly one shard and politeness holds however many
// machines share a crawl. The zero value is the whole crawl.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n" (0 <= i < n); "" is the whole crawl.
func ParseShard(s string) (Shard, error) {
	if strings.TrimSpace(s) == "" {
		return Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 0 <= i < n", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// String returns "i/n", or "" for the whole crawl.
func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Select returns the sources that belong to the shard.
func (s Shard) Select(sources []Source) []Source {
	if s.Count <= 1 {
		return sources
	}
	var out []Source
	for _, src := range sources {
		if s.Owns(src) {
			out = append(out, src)
		}
	}
	return out
}

// Owns reports whether src belongs to the shard.
func (s Shard) Owns(src Source) bool {
	if s.Count <= 1 {
		return true
	}
	host := ""
	if len(src.StartURLs) > 0 {
		if u, err := parseStartURL(src.StartURLs[0]); err == nil {
			host = u.Hostname()
		}
	}
	h := fnv.New32a()
	h.Write([]byte(host))
	return int(h.Sum32()%uint32(s.Count)) == s.Index
}

// SourceIndex attributes URLs to the sources whose portals they are on.
// It is safe for concurrent use.
type SourceIndex struct{ idx *sourceIndex }

// NewSourceIndex indexes sources by host and start directory.
func NewSourceIndex(sources []Source) *SourceIndex {
	return &SourceIndex{idx: newSourceIndex(sources)}
}

// Lookup returns the source a URL belongs to: the one whose start URL's
// directory is the longest prefix of its path on the same host, else the
// first on the host; the zero Source when none is.
func (s *SourceIndex) Lookup(rawURL string) Source {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Source{}
	}
	return s.idx.lookup(u)
}

// KindOf returns the capture kind (Kind*) of a URL path served with a
// Content-Type.
func KindOf(path, contentType string) string { return kindOf(path, contentType) }
