package main

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/charset"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/warehouse"
)

// warcStamp matches an archive file name's writer start, "…-20261126181700-00001.warc.gz".
var warcStamp = regexp.MustCompile(`-(\d{14})-\d+\.warc\.gz(\.open)?$`)

// recoverRun loads what an interrupted run archived but did not load: its
// WARC files are those written since the run started, and every response
// or revisit record in them that the warehouse does not hold in full (by
// URL and fetch second, for the run's ID: the capture and, for a document
// that may be a report, its report) is queued to the pipeline again, so
// documents that are not reports are parsed again. Loads are idempotent,
// so a record loaded twice does no harm. It returns how many records it
// queued.
func recoverRun(ctx context.Context, w *warehouse.Warehouse, p *ingest.Pipeline, dir, runID string, started time.Time, sources []crawler.Source) (int, error) {
	// A capture is fully loaded when its row is in and either it cannot
	// hold a report or its report is in too: captures are loaded before
	// the reports parsed from them, so a kill in between leaves a capture
	// whose report is missing.
	id := strings.ReplaceAll(runID, "'", "")
	res, err := w.Query(ctx, `SELECT url, toUnixTimestamp(fetched_at) FROM captures
WHERE run_id = '`+id+`' AND (status != 200 OR record_type = 'revisit' OR kind = 'robots'
    OR capture_id IN (SELECT capture_id FROM reports))`)
	if err != nil {
		return 0, fmt.Errorf("recover run %s: %w", runID, err)
	}
	have := make(map[string]bool, len(res.Rows))
	for _, row := range res.Rows {
		have[fmt.Sprint(row[0], " ", row[1])] = true
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.warc.gz*"))
	if err != nil {
		return 0, fmt.Errorf("recover run %s: %w", runID, err)
	}
	sort.Strings(files)
	since := started.UTC().Truncate(time.Second)
	idx := crawler.NewSourceIndex(sources)
	n := 0
	for _, path := range files {
		m := warcStamp.FindStringSubmatch(filepath.Base(path))
		if m == nil {
			continue
		}
		stamp, err := time.Parse("20060102150405", m[1])
		if err != nil || stamp.Before(since) {
			continue
		}
		k, err := recoverFile(ctx, p, path, runID, idx, have)
		n += k
		if err != nil {
			return n, fmt.Errorf("recover run %s: %w", runID, err)
		}
	}
	return n, nil
}

// recoverFile queues the records of one WARC file the warehouse lacks. A
// truncated last record (a writer killed mid-write) ends the file.
func recoverFile(ctx context.Context, p *ingest.Pipeline, path, runID string, idx *crawler.SourceIndex, have map[string]bool) (int, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for off := int64(0); off < fi.Size(); {
		rec, err := archive.ReadRecord(path, off)
		if err != nil {
			if strings.HasSuffix(path, ".open") && (errors.Is(err, archive.ErrTruncated) || errors.Is(err, archive.ErrCorrupt)) {
				return n, nil // the record in flight when the writer died
			}
			return n, err
		}
		if rec.Length <= 0 {
			return n, fmt.Errorf("%s: record at %d has no length", path, off)
		}
		off += rec.Length
		if rec.Type != "response" && rec.Type != "revisit" {
			continue
		}
		if have[fmt.Sprint(rec.TargetURI, " ", rec.Date.Unix())] {
			continue
		}
		loc := rec.Location
		loc.File = strings.TrimSuffix(filepath.Base(path), ".open")
		ct := rec.Header.Get("Content-Type")
		u, _ := url.Parse(rec.TargetURI)
		kpath := ""
		if u != nil {
			kpath = u.Path
		}
		src := idx.Lookup(rec.TargetURI)
		doc := ingest.Document{
			URL: rec.TargetURI, FetchedAt: rec.Date, Status: rec.Status, ContentType: ct,
			Kind: crawler.KindOf(kpath, ct), Body: rec.Body, Location: loc,
			Source:     warehouse.Registration{Name: src.Name, Level: src.Level, RegionCode: src.RegionCode},
			RecordType: warehouse.RecordResponse, ETag: rec.Header.Get("ETag"), LastModified: rec.Header.Get("Last-Modified"),
			RunID: runID,
		}
		if rec.Type == "revisit" {
			doc.RecordType, doc.RefersTo, doc.Body = warehouse.RecordRevisit, rec.RefersTo, nil
		} else if textual(ct) {
			doc.Charset = charset.Detect(rec.Body, ct)
		}
		if err := p.Add(ctx, doc); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func textual(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "text/") || mt == "application/xhtml+xml"
}
