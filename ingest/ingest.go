// Package ingest is the pipeline between the crawler and the warehouse: it
// archives every capture in WARC, records it in the warehouse's capture
// index, parses the documents that are reports, and loads the reports in
// batches. It implements crawler.Sink.
//
// The same path serves a reparse of the archive, minus the archiving.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

// archiveWriter stores exchanges; *archive.Writer implements it.
type archiveWriter interface {
	Write(ctx context.Context, ex archive.Exchange) (archive.Location, error)
}

// store loads rows; *warehouse.Warehouse implements it.
type store interface {
	WriteCaptures(ctx context.Context, cs []warehouse.Capture) error
	WriteReports(ctx context.Context, rs []warehouse.ReportLoad) error
}

// ParseFunc parses one document.
type ParseFunc func(ctx context.Context, in parser.Input) (*parser.Report, error)

// Config controls parsing and batching.
type Config struct {
	// BatchSize is how many reports are buffered before a load.
	BatchSize int `mapstructure:"batch_size"`
	// Workers is how many documents are parsed at once; 0 means one per CPU.
	Workers int `mapstructure:"workers"`
	// Queue is how many archived documents may wait for a parser; when it
	// is full, Capture blocks, which slows the crawl instead of growing
	// memory.
	Queue int `mapstructure:"queue"`
	// Refresh makes Close rebuild the warehouse's comparison tables
	// (warehouse.Refresh, as of today) after the last load, when the store
	// offers it and the pipeline loaded at least one report.
	Refresh bool `mapstructure:"refresh"`
}

// DefaultConfig returns the settings used when none are given.
func DefaultConfig() Config { return Config{BatchSize: 500, Workers: 0, Queue: 256, Refresh: true} }

// refresher is a store that can rebuild its comparison tables;
// *warehouse.Warehouse is one.
type refresher interface {
	Refresh(ctx context.Context, asOf time.Time) (warehouse.RefreshResult, error)
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.BatchSize < 1 {
		errs = append(errs, fmt.Errorf("ingest.batch_size: %d, must be at least 1", c.BatchSize))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("ingest.workers: %d is negative", c.Workers))
	}
	if c.Queue < 1 {
		errs = append(errs, fmt.Errorf("ingest.queue: %d, must be at least 1", c.Queue))
	}
	return errors.Join(errs...)
}

// Stats counts what a pipeline did.
type Stats struct {
	Captures     int64
	Documents    int64 // 2xx pages and attachments offered to the parser
	Reports      int64 // documents the parser read as annual reports
	NotReports   int64 // documents that were not reports (lists, home pages)
	ParseErrors  int64
	ChecksFailed int64
	FactRows     int64
	// ParseTime is the time spent in the parser, summed over goroutines.
	ParseTime time.Duration
	// LoadTime is the time spent loading batches into the warehouse.
	LoadTime time.Duration
}

// Pipeline archives, indexes, parses and loads captures. It is safe for
// concurrent use. Capture archives before it returns; parsing and loading
// happen on the pipeline's own workers, which run from New until Close.
type Pipeline struct {
	cfg     Config
	archive archiveWriter
	store   store
	parse   ParseFunc
	logger  *slog.Logger

	jobs    chan Document
	workers sync.WaitGroup
	closeMu sync.RWMutex // held for reading while enqueueing; Close takes it to close jobs
	closed  bool
	errMu   sync.Mutex
	loadErr error // the first failed load, returned by Close

	mu       sync.Mutex
	captures []warehouse.Capture
	reports  []warehouse.ReportLoad
	flushMu  sync.Mutex

	captureN, docN, reportN, notReportN, parseErrN, checksFailedN, factN atomic.Int64
	parseNanos, loadNanos                                                atomic.Int64

	refreshed bool // Close has refreshed the store (guarded by errMu)

	// revisits, when set by UsePrevious, turns unchanged payloads into
	// revisit records (revisit.go).
	revisits *revisits
}

// New returns a Pipeline. A nil archive skips archiving (for a reparse of
// an existing archive).
func New(cfg Config, arch archiveWriter, st store, parse ParseFunc, logger *slog.Logger) (*Pipeline, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if st == nil || parse == nil {
		return nil, errors.New("ingest: store and parse are required")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	p := &Pipeline{cfg: cfg, archive: arch, store: st, parse: parse, logger: logger, jobs: make(chan Document, cfg.Queue)}
	n := cfg.Workers
	if n == 0 {
		n = runtime.GOMAXPROCS(0)
	}
	p.workers.Add(n)
	for range n {
		go p.work()
	}
	return p, nil
}

// work parses queued documents until Close closes the queue.
func (p *Pipeline) work() {
	defer p.workers.Done()
	for d := range p.jobs {
		if err := p.process(context.Background(), d); err != nil {
			p.errMu.Lock()
			if p.loadErr == nil {
				p.loadErr = err
			}
			p.errMu.Unlock()
			p.logger.Error("load failed; rows kept for the next flush", "err", err)
		}
	}
}

// ErrClosed is returned by Capture and Add after Close.
var ErrClosed = errors.New("ingest: pipeline closed")

// Close waits for every queued document to be parsed, loads what is
// buffered, and stops the workers. It returns the first load error seen.
func (p *Pipeline) Close(ctx context.Context) error {
	p.closeMu.Lock()
	if !p.closed {
		p.closed = true
		close(p.jobs)
	}
	p.closeMu.Unlock()
	p.workers.Wait()
	ferr := p.Flush(ctx)
	p.errMu.Lock()
	defer p.errMu.Unlock()
	if ferr == nil {
		p.loadErr = nil // everything kept after a failed load is stored now
	}
	var rerr error
	if r, ok := p.store.(refresher); ok && p.cfg.Refresh && ferr == nil && p.loadErr == nil &&
		p.reportN.Load() > 0 && !p.refreshed {
		start := time.Now()
		res, err := r.Refresh(ctx, time.Time{})
		if err != nil {
			rerr = fmt.Errorf("refresh comparison tables: %w", err)
		} else {
			p.refreshed = true
			p.logger.Info("comparison tables refreshed", "agency_years", res.AgencyYears, "reports", res.Reports,
				"elapsed", time.Since(start).Round(time.Millisecond))
		}
	}
	return errors.Join(ferr, p.loadErr, rerr)
}

// Capture archives c, indexes it, and parses it when it is a document.
// An error means the capture was not archived or not stored; a document
// that does not parse is logged and counted, not an error.
func (p *Pipeline) Capture(ctx context.Context, c *crawler.Capture) error {
	if p.archive == nil {
		return errors.New("ingest: no archive to write captures to")
	}
	ex := archive.Exchange{
		URL: c.URL, Method: c.Method, RequestHeader: c.RequestHeader, FetchedAt: c.FetchedAt,
		Status: c.Status, Proto: c.Proto, Header: c.Header, Body: c.Body, IP: c.RemoteIP,
	}
	if doc, ok := p.archiveRevisit(ctx, c, ex); ok {
		return p.Add(ctx, doc)
	}
	loc, err := p.archive.Write(ctx, ex)
	if err != nil {
		return fmt.Errorf("archive %s: %w", c.URL, err)
	}
	p.revisits.stored(c, loc)
	doc := Document{
		URL: c.URL, FetchedAt: c.FetchedAt, Status: c.Status, ContentType: c.Header.Get("Content-Type"),
		Charset: c.Charset, Kind: c.Kind, Body: c.Body, Location: loc, Source: registration(c.Source),
		RecordType: warehouse.RecordResponse, ETag: c.Header.Get("ETag"), LastModified: c.Header.Get("Last-Modified"),
		RunID: c.RunID, Depth: c.Depth,
	}
	return p.Add(ctx, doc)
}

// Document is one archived response, as the pipeline indexes and parses it.
type Document struct {
	URL         string
	FetchedAt   time.Time
	Status      int
	ContentType string
	Charset     string
	Kind        string
	Body        []byte
	Location    archive.Location
	Source      warehouse.Registration
	// RecordType is warehouse.RecordResponse or RecordRevisit; a revisit
	// has no Body and RefersTo names the record holding its payload.
	RecordType string
	RefersTo   string
	// ETag and LastModified are the response's validators; RunID the
	// crawl run; Depth the link distance from the start URL.
	ETag         string
	LastModified string
	RunID        string
	Depth        int
	// Indexed is set when the warehouse's capture index already holds
	// this capture (a reparse of the archive): the document is parsed and
	// its report loaded, but no capture row is written again.
	Indexed bool
}

// Add queues an archived document to be indexed, and parsed when it may
// be a report. It blocks while the queue is full.
func (p *Pipeline) Add(ctx context.Context, d Document) error {
	p.closeMu.RLock()
	defer p.closeMu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	select {
	case p.jobs <- d:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("queue %s: %w", d.URL, ctx.Err())
	}
}

// process indexes and parses one document, and loads a batch when one is
// full.
func (p *Pipeline) process(ctx context.Context, d Document) error {
	p.captureN.Add(1)
	capture := warehouse.Capture{
		URL: d.URL, FetchedAt: d.FetchedAt, Status: d.Status, ContentType: d.ContentType, Charset: d.Charset,
		PayloadDigest: d.Location.PayloadDigest, PayloadLength: int64(len(d.Body)),
		WARCFile: d.Location.File, WARCOffset: d.Location.Offset, WARCLength: d.Location.Length,
		WARCRecordID: d.Location.RecordID,
		Kind:         d.Kind, Source: d.Source, RecordType: d.RecordType, RefersTo: d.RefersTo,
		ETag: d.ETag, LastModified: d.LastModified, RunID: d.RunID, Depth: d.Depth,
	}
	capture.ID = warehouse.CaptureID(capture.URL, capture.FetchedAt, capture.PayloadDigest)

	var load *warehouse.ReportLoad
	if d.Status == 200 && d.Kind != crawler.KindRobots && len(d.Body) > 0 && parseable(d.ContentType) {
		p.docN.Add(1)
		start := time.Now()
		rep, err := p.parse(ctx, parser.Input{
			Source: d.URL, Body: d.Body, ContentType: d.ContentType,
			Hint: hint(d.Source),
		})
		p.parseNanos.Add(int64(time.Since(start)))
		switch {
		case errors.Is(err, parser.ErrNotReport):
			p.notReportN.Add(1)
		case err != nil:
			p.parseErrN.Add(1)
			p.logger.Warn("report not parsed", "url", d.URL, "err", err)
		default:
			p.reportN.Add(1)
			p.factN.Add(int64(len(rep.Facts)))
			for _, ch := range rep.Checks {
				if !ch.OK {
					p.checksFailedN.Add(1)
				}
			}
			load = &warehouse.ReportLoad{
				Report: rep, CaptureID: capture.ID, SourceURL: d.URL, PayloadDigest: capture.PayloadDigest,
				FetchedAt: d.FetchedAt, WARCFile: d.Location.File, WARCOffset: d.Location.Offset, Source: d.Source,
			}
		}
	}

	p.mu.Lock()
	if !d.Indexed {
		p.captures = append(p.captures, capture)
	}
	if load != nil {
		p.reports = append(p.reports, *load)
	}
	full := len(p.reports) >= p.cfg.BatchSize || len(p.captures) >= 4*p.cfg.BatchSize
	p.mu.Unlock()
	if full {
		return p.Flush(ctx)
	}
	return nil
}

// hint is what a source's registration tells the parser about the body
// that published a document. A township's or a department's portal
// publishes its own reports, so its name and level are the publisher's;
// a province's, city's or county's portal also hosts the reports of its
// departments and townships, so only its region is passed (the parser
// then names the publisher from the report itself, and the warehouse
// matches that name within the region).
func hint(src warehouse.Registration) parser.Hint {
	h := parser.Hint{RegionCode: src.RegionCode}
	switch src.Level {
	case "township", "department":
		h.Agency, h.Level = src.Name, src.Level
	}
	return h
}

// parseable reports whether a payload of this type can hold a report.
func parseable(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/css", "text/javascript", "application/javascript", "application/json", "image/png", "image/jpeg", "image/gif":
		return false
	}
	return true
}

// Flush loads everything buffered. Captures go first, so a report never
// refers to a capture the index lacks.
func (p *Pipeline) Flush(ctx context.Context) error {
	p.flushMu.Lock()
	defer p.flushMu.Unlock()
	p.mu.Lock()
	cs, rs := p.captures, p.reports
	p.captures, p.reports = nil, nil
	p.mu.Unlock()
	start := time.Now()
	defer func() { p.loadNanos.Add(int64(time.Since(start))) }()
	if len(cs) > 0 {
		if err := p.store.WriteCaptures(ctx, cs); err != nil {
			p.requeue(cs, rs)
			return fmt.Errorf("load %d captures: %w", len(cs), err)
		}
	}
	if len(rs) > 0 {
		if err := p.store.WriteReports(ctx, rs); err != nil {
			p.requeue(nil, rs)
			return fmt.Errorf("load %d reports: %w", len(rs), err)
		}
	}
	return nil
}

// requeue puts back what a failed load did not store, so a later Flush
// retries it; loads are idempotent, so retrying stored rows is harmless.
func (p *Pipeline) requeue(cs []warehouse.Capture, rs []warehouse.ReportLoad) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.captures = append(cs, p.captures...)
	p.reports = append(rs, p.reports...)
}

// Stats returns what the pipeline has done so far.
func (p *Pipeline) Stats() Stats {
	return Stats{
		Captures: p.captureN.Load(), Documents: p.docN.Load(), Reports: p.reportN.Load(),
		NotReports: p.notReportN.Load(), ParseErrors: p.parseErrN.Load(), ChecksFailed: p.checksFailedN.Load(),
		FactRows: p.factN.Load(), ParseTime: time.Duration(p.parseNanos.Load()), LoadTime: time.Duration(p.loadNanos.Load()),
	}
}
