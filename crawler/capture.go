package crawler

import (
	"context"
	"net/http"
	"time"
)

// Source is a body whose portal is crawled: an agency plus start URLs.
type Source struct {
	Name       string   `mapstructure:"name" yaml:"name" json:"name"`
	Level      string   `mapstructure:"level" yaml:"level" json:"level"`
	RegionCode string   `mapstructure:"region_code" yaml:"region_code" json:"region_code"`
	StartURLs  []string `mapstructure:"start_urls" yaml:"start_urls" json:"start_urls"`
}

// Capture kinds. Whether a page is a report is the parser's to decide.
const (
	KindRobots     = "robots"
	KindPage       = "page"
	KindAttachment = "attachment"
)

// Capture is one HTTP exchange as fetched: the request sent and the response
// received, with the body exactly as served (not decoded).
type Capture struct {
	// Source is the registered source whose crawl reached this URL.
	Source Source
	// URL is the requested URL.
	URL string
	// Kind is one of the Kind constants, from the URL's shape.
	Kind string
	// Attempt counts fetches of this URL in this run, from 1; retries of a
	// failed fetch are archived as captures too.
	Attempt int

	Method        string
	RequestHeader http.Header
	// FetchedAt is when the request was sent.
	FetchedAt time.Time
	Status    int
	Proto     string
	Header    http.Header
	// Body is the payload as received (after transfer decoding, before any
	// charset conversion).
	Body []byte
	// Charset is the charset the crawler decoded the body with (e.g. "gb18030",
	// "utf-8"); empty for non-text payloads.
	Charset string
	// RemoteIP is the address the response came from, when known.
	RemoteIP string
	// Depth is the link distance of URL from its source's start URL
	// (pagination does not count).
	Depth int
	// RunID identifies the crawl run (RunOptions.RunID).
	RunID string
}

// Sink receives every capture. The crawler calls Capture from several
// goroutines at once; an implementation must be safe for concurrent use.
// The crawler never modifies c or its Body after the call, so the sink may
// keep them. An error from Capture is logged and counted, and the crawl
// goes on.
type Sink interface {
	Capture(ctx context.Context, c *Capture) error
}
