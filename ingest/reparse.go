package ingest

import (
	"context"
	"fmt"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/warehouse"
)

// IndexEntry is what the warehouse's capture index says about a capture
// that the archive holds: what the WARC record does not.
type IndexEntry struct {
	Source  warehouse.Registration
	Kind    string
	Charset string
	Depth   int
	RunID   string
}

// ReparseStats counts what Reparse read.
type ReparseStats struct {
	// Records counts the response records scanned.
	Records int64
	// Queued counts the documents handed to the pipeline.
	Queued int64
	// Duplicates counts records skipped because a record with the same URL
	// and payload was already queued (its report has the same ID).
	Duplicates int64
	// Unindexed counts records the capture index lacked; their capture
	// rows are written now.
	Unindexed int64
	// Skipped counts indexed records that cannot hold a report (not 200,
	// robots.txt).
	Skipped int64
}

// Reparse reads every response record of the WARC archive in dir and
// hands it to p, which parses it with p's parser and loads the report:
// the same path a crawl takes, without fetching or archiving anything.
// index maps a capture ID (warehouse.CaptureID of the record's URL, date
// and payload digest) to what the capture index knows of it; a record it
// holds is queued as Indexed (no capture row is written again), one it
// lacks is indexed as well. Each URL and payload is parsed once. Revisit
// records hold no payload and are skipped: the response they refer to
// carries the report.
//
// Reparse returns when every record is queued; Close the pipeline to wait
// for the loads. It stops at the first archive error (a *archive.ReadError)
// or when ctx ends.
func Reparse(ctx context.Context, dir string, p *Pipeline, index map[string]IndexEntry) (ReparseStats, error) {
	var st ReparseStats
	seen := map[string]bool{}
	err := archive.Scan(ctx, dir, func(rec *archive.Record) error {
		if rec.Type != "response" {
			return nil
		}
		st.Records++
		id := warehouse.CaptureID(rec.TargetURI, rec.Date, rec.PayloadDigest)
		entry, indexed := index[id]
		if indexed {
			if rec.Status != 200 || entry.Kind == crawler.KindRobots {
				st.Skipped++
				return nil
			}
			key := rec.TargetURI + "\x00" + rec.PayloadDigest
			if seen[key] {
				st.Duplicates++
				return nil
			}
			seen[key] = true
		} else {
			st.Unindexed++
		}
		kind := entry.Kind
		if kind == "" {
			kind = crawler.KindPage
		}
		doc := Document{
			URL: rec.TargetURI, FetchedAt: rec.Date, Status: rec.Status, ContentType: rec.Header.Get("Content-Type"),
			Charset: entry.Charset, Kind: kind, Body: rec.Body, Location: rec.Location, Source: entry.Source,
			RecordType: warehouse.RecordResponse, ETag: rec.Header.Get("ETag"),
			LastModified: rec.Header.Get("Last-Modified"), RunID: entry.RunID, Depth: entry.Depth, Indexed: indexed,
		}
		if err := p.Add(ctx, doc); err != nil {
			return fmt.Errorf("reparse %s: %w", rec.TargetURI, err)
		}
		st.Queued++
		return nil
	})
	return st, err
}
