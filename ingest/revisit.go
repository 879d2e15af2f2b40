package ingest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/warehouse"
)

// Previous is the last full response archived for a URL by an earlier
// run: what a revisit record refers to when the URL has not changed.
type Previous struct {
	URL           string
	PayloadDigest string
	// WARCFile and WARCOffset locate the response record in the archive.
	WARCFile   string
	WARCOffset int64
	// ETag and LastModified are its validators.
	ETag         string
	LastModified string
}

// revisits knows the last full response of every URL, so that an
// unchanged payload is archived as a revisit record instead of again, and
// is not parsed again. It is safe for concurrent use.
type revisits struct {
	dir string // the archive directory WARCFile names are relative to

	mu   sync.Mutex
	prev map[string]*previous
	n    atomic.Int64 // revisit records written
}

// previous is a Previous with the referred record's identity, once read.
type previous struct {
	Previous
	loc    archive.Location // RecordID set once known
	loaded bool
}

// UsePrevious makes the pipeline archive a capture as a revisit record
// when it repeats the last full response of its URL listed in prev: a
// 304 answer (profile server-not-modified) or a payload with the same
// digest (profile identical-payload-digest). Revisits are indexed with
// record_type "revisit" and are not parsed again. dir is the archive
// directory prev's WARC files are in. Call it before the first Capture.
func (p *Pipeline) UsePrevious(dir string, prev []Previous) {
	r := &revisits{dir: dir, prev: make(map[string]*previous, len(prev))}
	for _, pv := range prev {
		r.prev[pv.URL] = &previous{Previous: pv}
	}
	p.revisits = r
}

// revisitOf returns what c revisits, if it repeats its URL's last full
// response, with the profile to archive it under.
func (r *revisits) revisitOf(c *crawler.Capture) (archive.Location, archive.Profile, *previous, bool) {
	if r == nil {
		return archive.Location{}, "", nil, false
	}
	r.mu.Lock()
	pv, ok := r.prev[c.URL]
	r.mu.Unlock()
	if !ok {
		return archive.Location{}, "", nil, false
	}
	var profile archive.Profile
	switch {
	case c.Status == http.StatusNotModified:
		profile = archive.ProfileServerNotModified
	case c.Status == http.StatusOK && archive.PayloadDigest(c.Body) == pv.PayloadDigest:
		profile = archive.ProfileIdenticalPayloadDigest
	default:
		return archive.Location{}, "", nil, false
	}
	loc, err := r.locate(pv)
	if err != nil {
		return archive.Location{}, "", nil, false
	}
	return loc, profile, pv, true
}

// locate returns the full Location of pv's record, reading its header
// from the archive the first time.
func (r *revisits) locate(pv *previous) (archive.Location, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if pv.loaded {
		return pv.loc, nil
	}
	path := filepath.Join(r.dir, pv.WARCFile)
	if _, err := os.Stat(path); err != nil {
		path += ".open" // the file of a writer that crashed or is still open
	}
	rec, err := archive.ReadRecord(path, pv.WARCOffset)
	if err != nil {
		return archive.Location{}, fmt.Errorf("revisit of %s: %w", pv.URL, err)
	}
	if rec.Type != "response" || rec.PayloadDigest != pv.PayloadDigest {
		return archive.Location{}, fmt.Errorf("revisit of %s: record at %s:%d is a %s with digest %s", pv.URL, pv.WARCFile, pv.WARCOffset, rec.Type, rec.PayloadDigest)
	}
	pv.loc, pv.loaded = rec.Location, true
	return pv.loc, nil
}

// stored notes the full response just archived for c, which later
// revisits in the run refer to.
func (r *revisits) stored(c *crawler.Capture, loc archive.Location) {
	if r == nil || c.Status != http.StatusOK {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prev[c.URL] = &previous{
		Previous: Previous{URL: c.URL, PayloadDigest: loc.PayloadDigest, WARCFile: loc.File, WARCOffset: loc.Offset,
			ETag: c.Header.Get("ETag"), LastModified: c.Header.Get("Last-Modified")},
		loc: loc, loaded: true,
	}
}

// archiveRevisit archives c as a revisit of loc and returns the document
// to index; ok is false when c is not a revisit, or the revisit could not
// be written and c should be archived in full.
func (p *Pipeline) archiveRevisit(ctx context.Context, c *crawler.Capture, ex archive.Exchange) (Document, bool) {
	ref, profile, pv, ok := p.revisits.revisitOf(c)
	if !ok {
		return Document{}, false
	}
	rw, ok := p.archive.(revisitWriter)
	if !ok {
		return Document{}, false
	}
	loc, err := rw.WriteRevisit(ctx, ex, ref, profile)
	if err != nil {
		p.logger.Warn("revisit not written; archiving in full", "url", c.URL, "err", err)
		return Document{}, false
	}
	p.revisits.n.Add(1)
	etag, lastMod := c.Header.Get("ETag"), c.Header.Get("Last-Modified")
	if etag == "" && lastMod == "" {
		etag, lastMod = pv.ETag, pv.LastModified
	}
	loc.PayloadDigest = pv.PayloadDigest
	return Document{
		URL: c.URL, FetchedAt: c.FetchedAt, Status: c.Status, ContentType: c.Header.Get("Content-Type"),
		Charset: c.Charset, Kind: c.Kind, Location: loc, Source: registration(c.Source),
		RecordType: warehouse.RecordRevisit, RefersTo: ref.RecordID, ETag: etag, LastModified: lastMod,
		RunID: c.RunID, Depth: c.Depth,
	}, true
}

// Revisits returns how many captures were archived as revisit records.
func (p *Pipeline) Revisits() int64 {
	if p.revisits == nil {
		return 0
	}
	return p.revisits.n.Load()
}

// revisitWriter writes revisit records; *archive.Writer implements it.
type revisitWriter interface {
	WriteRevisit(ctx context.Context, ex archive.Exchange, refersTo archive.Location, profile archive.Profile) (archive.Location, error)
}

func registration(s crawler.Source) warehouse.Registration {
	return warehouse.Registration{Name: s.Name, Level: s.Level, RegionCode: s.RegionCode}
}
