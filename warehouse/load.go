package warehouse

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse/agency"
	"github.com/nianbao/nianbao/warehouse/compliance"
)

// Registration is what the crawl configuration says about the source whose
// crawl reached a document.
type Registration struct {
	Name       string
	Level      string
	RegionCode string
}

// Capture is one archived HTTP exchange, as the captures table records it.
type Capture struct {
	// ID identifies the capture. Empty means CaptureID(URL, FetchedAt,
	// PayloadDigest).
	ID            string
	URL           string
	FetchedAt     time.Time
	Status        int
	ContentType   string
	Charset       string
	PayloadDigest string // as in WARC-Payload-Digest, e.g. "sha1:…"
	PayloadLength int64
	// WARCFile, WARCOffset and WARCLength locate the response record,
	// and WARCRecordID names it (WARC-Record-ID).
	WARCFile     string
	WARCOffset   int64
	WARCLength   int64
	WARCRecordID string
	Kind         string // crawler.Kind*
	Depth        int
	Source       Registration
	// RecordType is the WARC record type: RecordResponse (empty means
	// that) or RecordRevisit, a capture whose payload was not stored again
	// because it had not changed.
	RecordType string
	// RefersTo is, for a revisit, the WARC-Record-ID of the response
	// record holding the payload.
	RefersTo string
	// ETag and LastModified are the response's validators, verbatim as the
	// ETag and Last-Modified headers gave them (for conditional requests).
	ETag         string
	LastModified string
	// RunID is the crawl run that made the capture (see CrawlRun).
	RunID string
}

// WARC record types of a capture.
const (
	RecordResponse = "response"
	RecordRevisit  = "revisit"
)

// ReportLoad is a parsed report with its provenance.
type ReportLoad struct {
	Report *parser.Report
	// CaptureID is the capture the report was parsed from. Empty means
	// CaptureID(SourceURL, FetchedAt, PayloadDigest), the ID WriteCaptures
	// gives a capture written without one.
	CaptureID string
	// SourceURL is the report's URL. Empty means Report.Source.
	SourceURL     string
	PayloadDigest string
	FetchedAt     time.Time
	WARCFile      string
	WARCOffset    int64
	Source        Registration
}

// ReportID returns the deterministic key of a report: a hash of its URL,
// the digest of the payload it was parsed from and the parser version. The
// same capture loaded twice gets the same key; a new parser version gets a
// new one, so the old and new parses stand side by side.
func ReportID(sourceURL, payloadDigest, parserVersion string) string {
	return shortHash("report", sourceURL, payloadDigest, parserVersion)
}

// CaptureID returns the deterministic key of a capture: a hash of its URL,
// fetch time and payload digest.
func CaptureID(url string, fetchedAt time.Time, payloadDigest string) string {
	return shortHash("capture", url, fetchedAt.UTC().Format(time.RFC3339Nano), payloadDigest)
}

// shortHash returns 128 bits of SHA-256 over the parts, hex-encoded. The
// parts are length-prefixed, so no two part lists collide by
// concatenation.
func shortHash(parts ...string) string {
	h := sha256.New()
	var buf [24]byte
	for _, p := range parts {
		b := strconv.AppendInt(buf[:0], int64(len(p)), 10)
		h.Write(append(b, ':'))
		io.WriteString(h, p)
		h.Write([]byte{';'})
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

// WriteCaptures records captures, and the documents (payloads) of the
// response captures among them. Writing the same capture again (same ID)
// leaves one row in every view; a document keeps the earliest capture
// that archived it. It is safe to retry after an error.
func (w *Warehouse) WriteCaptures(ctx context.Context, cs []Capture) error {
	if len(cs) == 0 {
		return nil
	}
	version, loadedAt := w.nextVersion()
	ids, types := make([]string, len(cs)), make([]string, len(cs))
	var docs []int
	for i := range cs {
		c := &cs[i]
		if c.URL == "" {
			return fmt.Errorf("write captures: capture %d has no URL", i)
		}
		ids[i] = c.ID
		if ids[i] == "" {
			ids[i] = CaptureID(c.URL, c.FetchedAt, c.PayloadDigest)
		}
		switch types[i] = c.RecordType; types[i] {
		case "":
			types[i] = RecordResponse
		case RecordResponse, RecordRevisit:
		default:
			return fmt.Errorf("write captures: capture %d: record type %q, want %s or %s", i, types[i], RecordResponse, RecordRevisit)
		}
		if types[i] == RecordResponse && c.PayloadDigest != "" {
			docs = append(docs, i)
		}
	}
	// Rows in the tables' key order, as WriteReports writes its own (see
	// reportIDs): documents by payload digest, captures by ID.
	slices.SortStableFunc(docs, func(a, b int) int { return strings.Compare(cs[a].PayloadDigest, cs[b].PayloadDigest) })
	docRows := newBlock(documentsTable, len(docs))
	for _, i := range docs {
		if err := addDocumentRow(docRows.row(), &cs[i], ids[i]); err != nil {
			return fmt.Errorf("write captures: capture %d: %w", i, err)
		}
	}
	rows := newBlock(capturesTable, len(cs))
	for _, i := range keyOrder(ids) {
		if err := addCaptureRow(rows.row(), &cs[i], ids[i], types[i], loadedAt, version); err != nil {
			return fmt.Errorf("write captures: capture %d: %w", i, err)
		}
	}
	// Documents first: a capture in the index always has its document.
	if err := w.insertBlock(ctx, docRows); err != nil {
		return fmt.Errorf("write captures: %w", err)
	}
	if err := w.insertBlock(ctx, rows); err != nil {
		return fmt.Errorf("write captures: %w", err)
	}
	return nil
}

// addDocumentRow writes the document_rows row of the response capture c
// (ID id) with w: the capture is the document's first until an earlier
// one is loaded.
func addDocumentRow(w *rowWriter, c *Capture, id string) error {
	fetched := clampDateTime(c.FetchedAt)
	w.str(c.PayloadDigest)
	w.u64(clampUint64(c.PayloadLength))
	w.str(c.ContentType)
	w.str(c.URL)
	w.time(fetched)
	w.str(id)
	w.str(c.WARCFile)
	w.u64(clampUint64(c.WARCOffset))
	w.u64(clampUint64(c.WARCLength))
	w.str(c.WARCRecordID)
	w.u32(uint32(math.MaxUint32 - uint32(fetched.Unix())))
	return w.end()
}

// addCaptureRow writes capture c's row of capture_rows with w.
func addCaptureRow(w *rowWriter, c *Capture, id, recordType string, loadedAt time.Time, version uint64) error {
	w.str(id)
	w.str(c.URL)
	w.time(clampDateTime(c.FetchedAt))
	w.u16(clampUint16(c.Status))
	w.str(c.ContentType)
	w.str(c.Charset)
	w.str(c.PayloadDigest)
	w.u64(clampUint64(c.PayloadLength))
	w.str(c.WARCFile)
	w.u64(clampUint64(c.WARCOffset))
	w.u64(clampUint64(c.WARCLength))
	for _, s := range []string{c.WARCRecordID, c.Kind} {
		w.str(s)
	}
	w.u16(clampUint16(c.Depth))
	for _, s := range []string{c.Source.Name, c.Source.Level, c.Source.RegionCode, recordType, c.RefersTo,
		c.ETag, c.LastModified, c.RunID} {
		w.str(s)
	}
	w.time(clampDateTime(loadedAt))
	w.u64(version)
	return w.end()
}

// WriteReports records reports with their facts, alternates and checks.
// Keys are deterministic (ReportID), so loading the same reports again
// changes no query result. Facts, alternates and checks are written before
// the reports rows the views join them through, so a reader never sees a
// report without its figures; after an error, retrying the whole call is
// safe.
func (w *Warehouse) WriteReports(ctx context.Context, loads []ReportLoad) error {
	if len(loads) == 0 {
		return nil
	}
	dir, err := w.directory(ctx)
	if err != nil {
		return fmt.Errorf("write %d reports: %w", len(loads), err)
	}
	version, loadedAt := w.nextVersion()
	var alternates [][]any
	reports := newBlock(reportsTable, len(loads))
	nFacts, nChecks := 0, 0
	var factBytes [6]int
	for _, l := range loads {
		if l.Report != nil {
			nFacts += len(l.Report.Facts)
			nChecks += len(l.Report.Checks)
			addFactBytes(&factBytes, l.Report.Facts)
		}
	}
	ids, order, err := reportIDs(loads)
	if err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	facts, checks := newFactSets(len(loads), nFacts, factBytes), newCheckSets(len(loads), nChecks)
	figureIndex := figureIndexes()
	for _, i := range order {
		l, id := &loads[i], ids[i]
		r := l.Report
		src := l.SourceURL
		if src == "" {
			src = r.Source
		}
		captureID := l.CaptureID
		if captureID == "" {
			captureID = CaptureID(src, l.FetchedAt, l.PayloadDigest)
		}
		failed := checks.add(id, r.Checks, version)
		facts.add(id, r.Facts, version)
		ordinals, first := map[metrics.Key]int{}, len(alternates)
		for _, f := range r.Alternates {
			k := metrics.Key{Metric: f.Metric, Applicant: f.Applicant}
			ordinals[k]++
			alternates = append(alternates, []any{
				id, f.Metric, string(f.Applicant), clampUint16(ordinals[k]), f.Value,
				boolUint8(f.Approximate), boolUint8(f.Derived),
				f.Locator.Table, f.Locator.Row, f.Locator.Column,
				clampUint32(f.Locator.Start), clampUint32(f.Locator.End), f.Locator.Text, version,
			})
		}
		// In key order (report_id, metric, applicant, ordinal): a stable
		// sort keeps each key's ordinals rising.
		slices.SortStableFunc(alternates[first:], func(a, b []any) int {
			return cmp.Or(strings.Compare(a[1].(string), b[1].(string)), strings.Compare(a[2].(string), b[2].(string)))
		})
		m := w.match(dir, agency.Query{
			Name: r.Agency, Level: r.Level, RegionCode: r.RegionCode,
			SourceName: l.Source.Name, SourceLevel: l.Source.Level, SourceRegion: l.Source.RegionCode,
		})
		if err := addReportRow(reports.row(), l, r, id, src, captureID, m, failed, figureIndex, loadedAt, version); err != nil {
			return fmt.Errorf("write reports: load %d: %w", i, err)
		}
	}
	for _, b := range []*block{facts.block, checks.block} {
		if err := w.insertBlock(ctx, b); err != nil {
			return fmt.Errorf("write %d reports: %w", len(loads), err)
		}
	}
	if err := w.insertBatched(ctx, alternatesTable, alternates); err != nil {
		return fmt.Errorf("write %d reports: %w", len(loads), err)
	}
	if err := w.insertBlock(ctx, reports); err != nil {
		return fmt.Errorf("write %d reports: %w", len(loads), err)
	}
	return nil
}

// reportIDs returns each load's report ID, and the loads' indexes in the
// order of their IDs: WriteReports writes rows in that order, the sort
// order of every table keyed by report_id, so the engine finds each block
// already sorted and writes it as it comes instead of permuting every
// column (a copy of the whole block) first.
func reportIDs(loads []ReportLoad) (ids []string, order []int, err error) {
	ids = make([]string, len(loads))
	for i := range loads {
		l := &loads[i]
		if l.Report == nil {
			return nil, nil, fmt.Errorf("load %d has no report", i)
		}
		src := l.SourceURL
		if src == "" {
			src = l.Report.Source
		}
		if src == "" {
			return nil, nil, fmt.Errorf("load %d has no source URL", i)
		}
		ids[i] = ReportID(src, l.PayloadDigest, l.Report.ParserVersion)
	}
	return ids, keyOrder(ids), nil
}

// keyOrder returns the indexes of keys in the order of their keys (equal
// keys in their own order).
func keyOrder(keys []string) []int {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	return order
}

// factSets builds a fact_sets block: one row per report, whose arrays
// are windows on one backing slice per column (the string columns already
// in their Native encoding), so a load allocates per column rather than
// per report.
type factSets struct {
	*block
	strs  [6]*packedStrings // metric, applicant, loc_table, loc_row, loc_column, loc_text
	value []float64
	flags [2][]uint8  // approximate, derived
	span  [2][]uint32 // loc_start, loc_end
}

// factStringColumns returns the columns of fact_sets that factSets.strs
// hold, in its order.
func factStringColumns() [6]int { return [6]int{1, 2, 6, 7, 8, 11} }

// addFactBytes adds the encoded length of fs's strings to bytes, column by
// column in factSets.strs' order.
func addFactBytes(bytes *[6]int, fs []parser.Fact) {
	for i := range fs {
		f := &fs[i]
		bytes[0] += packedLen(f.Metric)
		bytes[1] += packedLen(string(f.Applicant))
		bytes[2] += packedLen(f.Locator.Table)
		bytes[3] += packedLen(f.Locator.Row)
		bytes[4] += packedLen(f.Locator.Column)
		bytes[5] += packedLen(f.Locator.Text)
	}
}

// newFactSets returns an empty factSets with room for reports rows
// holding facts facts in all, whose strings take bytes in each string
// column (see addFactBytes).
func newFactSets(reports, facts int, bytes [6]int) *factSets {
	s := &factSets{block: newBlock(factSetsTable, reports), value: make([]float64, 0, facts)}
	for i, col := range factStringColumns() {
		s.strs[i] = newPackedStrings(reports, bytes[i])
		s.cols[col].astrs, s.cols[col].packed = nil, s.strs[i]
	}
	for i := range s.flags {
		s.flags[i] = make([]uint8, 0, facts)
		s.span[i] = make([]uint32, 0, facts)
	}
	return s
}

// add appends the row of report id's facts; a report with none gets no
// row (the facts view would show nothing of it either way).
func (s *factSets) add(id string, fs []parser.Fact, version uint64) {
	if len(fs) == 0 {
		return
	}
	lo := len(s.value)
	// The columns in locals while the facts are appended: through s, every
	// append would load and store its slice in memory.
	metric, applicant, table, row, column, text := s.strs[0].data, s.strs[1].data, s.strs[2].data,
		s.strs[3].data, s.strs[4].data, s.strs[5].data
	value, approx, derived, start, end := s.value, s.flags[0], s.flags[1], s.span[0], s.span[1]
	for i := range fs {
		f := &fs[i]
		metric = appendPacked(metric, f.Metric)
		applicant = appendPacked(applicant, string(f.Applicant))
		table = appendPacked(table, f.Locator.Table)
		row = appendPacked(row, f.Locator.Row)
		column = appendPacked(column, f.Locator.Column)
		text = appendPacked(text, f.Locator.Text)
		value = append(value, f.Value)
		approx = append(approx, boolUint8(f.Approximate))
		derived = append(derived, boolUint8(f.Derived))
		start = append(start, clampUint32(f.Locator.Start))
		end = append(end, clampUint32(f.Locator.End))
	}
	s.strs[0].data, s.strs[1].data, s.strs[2].data, s.strs[3].data, s.strs[4].data, s.strs[5].data =
		metric, applicant, table, row, column, text
	s.value, s.flags[0], s.flags[1], s.span[0], s.span[1] = value, approx, derived, start, end
	hi := len(s.value)
	for _, p := range s.strs {
		p.n += uint64(len(fs))
		p.endRow()
	}
	// Full slice expressions: a window never reaches into the next one,
	// even if the backing slices grew past their estimate.
	c := s.cols
	c[0].strs = append(c[0].strs, id)
	c[3].af64 = append(c[3].af64, s.value[lo:hi:hi])
	c[4].au8 = append(c[4].au8, s.flags[0][lo:hi:hi])
	c[5].au8 = append(c[5].au8, s.flags[1][lo:hi:hi])
	c[9].au32 = append(c[9].au32, s.span[0][lo:hi:hi])
	c[10].au32 = append(c[10].au32, s.span[1][lo:hi:hi])
	c[12].u64 = append(c[12].u64, version)
	s.n++
}

// checkSets builds a check_sets block as factSets builds fact_sets: one
// row per report, its arrays windows on one backing slice per column.
type checkSets struct {
	*block
	strs [3][]string // name, metric, applicant
	ok   []uint8
	f64  [3][]float64 // expected, actual, delta
}

// newCheckSets returns an empty checkSets with room for reports rows
// holding checks checks in all.
func newCheckSets(reports, checks int) *checkSets {
	s := &checkSets{block: newBlock(checkSetsTable, reports), ok: make([]uint8, 0, checks)}
	for i := range s.strs {
		s.strs[i] = make([]string, 0, checks)
		s.f64[i] = make([]float64, 0, checks)
	}
	return s
}

// add appends the row of report id's checks and returns how many failed;
// a report with none gets no row.
func (s *checkSets) add(id string, cs []metrics.Check, version uint64) (failed int) {
	if len(cs) == 0 {
		return 0
	}
	lo := len(s.ok)
	for i := range cs {
		c := &cs[i]
		if !c.OK {
			failed++
		}
		s.strs[0] = append(s.strs[0], c.Name)
		s.strs[1] = append(s.strs[1], c.Metric)
		s.strs[2] = append(s.strs[2], string(c.Applicant))
		s.ok = append(s.ok, boolUint8(c.OK))
		s.f64[0] = append(s.f64[0], c.Expected)
		s.f64[1] = append(s.f64[1], c.Actual)
		s.f64[2] = append(s.f64[2], c.Delta())
	}
	hi := len(s.ok)
	c := s.cols
	c[0].strs = append(c[0].strs, id)
	c[1].astrs = append(c[1].astrs, s.strs[0][lo:hi:hi])
	c[2].astrs = append(c[2].astrs, s.strs[1][lo:hi:hi])
	c[3].astrs = append(c[3].astrs, s.strs[2][lo:hi:hi])
	c[4].au8 = append(c[4].au8, s.ok[lo:hi:hi])
	c[5].af64 = append(c[5].af64, s.f64[0][lo:hi:hi])
	c[6].af64 = append(c[6].af64, s.f64[1][lo:hi:hi])
	c[7].af64 = append(c[7].af64, s.f64[2][lo:hi:hi])
	c[8].u64 = append(c[8].u64, version)
	s.n++
	return failed
}

// yearValue maps a report year to Nullable(UInt16): unknown (0) or out of
// range is NULL.
func yearValue(y int) *uint16 {
	if y <= 0 || y > math.MaxUint16 {
		return nil
	}
	v := uint16(y)
	return &v
}

// dateValue maps a YYYY-MM-DD string to Nullable(Date): empty, malformed or
// outside Date's range is NULL.
func dateValue(s string) *time.Time {
	if s == "" {
		return nil
	}
	if len(s) > len(time.DateOnly) {
		s = s[:len(time.DateOnly)] // a stated time of day follows the date
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Before(minDate) || d.After(maxDate) {
		return nil
	}
	return &d
}

// figureIndexes maps a metric code to its position in figures().
func figureIndexes() map[string]int {
	fs := figures()
	out := make(map[string]int, len(fs))
	for i, f := range fs {
		out[f.metric] = i
	}
	return out
}

// addReportRow writes a report's row of report_rows with w.
func addReportRow(w *rowWriter, l *ReportLoad, r *parser.Report, id, src, captureID string, m agency.Match,
	failed int, figureIndex map[string]int, loadedAt time.Time, version uint64) error {
	for _, s := range []string{id, src, captureID, l.PayloadDigest} {
		w.str(s)
	}
	w.time(clampDateTime(l.FetchedAt))
	w.str(l.WARCFile)
	w.u64(clampUint64(l.WARCOffset))
	for _, s := range []string{r.Agency, r.Level, r.RegionCode} {
		w.str(s)
	}
	w.nullU16(yearValue(r.Year))
	w.nullTime(dateValue(r.PublishedAt))
	for _, s := range []string{r.Template, r.Format, r.Status, r.ParserVersion, r.Title, r.IndexNo, r.DocNo,
		r.Publisher, r.Charset, l.Source.Name, l.Source.Level, l.Source.RegionCode} {
		w.str(s)
	}
	for _, n := range []int{len(r.Facts), failed, len(r.Checks)} {
		w.u32(clampUint32(n))
	}
	for _, s := range []string{m.AgencyID, m.Status, m.Method} {
		w.str(s)
	}
	w.strs(nonNil(m.Candidates))
	w.strs(reportSections(r))
	for _, v := range reportFigures(r, figureIndex) {
		w.nullF64(v)
	}
	w.time(clampDateTime(loadedAt))
	w.u64(version)
	return w.end()
}

// reportFigures returns the report's core figures (Total column) in
// figures() order, nil where the report states none. The values share one
// allocation.
func reportFigures(r *parser.Report, index map[string]int) []*float64 {
	vals, slab := make([]*float64, len(index)), make([]float64, len(index))
	for i := range r.Facts {
		f := &r.Facts[i]
		if f.Applicant != metrics.Total {
			continue
		}
		if k, ok := index[f.Metric]; ok && vals[k] == nil {
			slab[k] = f.Value
			vals[k] = &slab[k]
		}
	}
	return vals
}

// reportSections returns the sections the report's figures show.
func reportSections(r *parser.Report) []string {
	codes := make([]string, len(r.Facts))
	for i, f := range r.Facts {
		codes[i] = f.Metric
	}
	return nonNil(compliance.Sections(codes))
}

// nonNil returns s, or an empty slice for nil.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func boolUint8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func clampUint16(n int) uint16 { return uint16(min(max(n, 0), math.MaxUint16)) }

func clampUint32(n int) uint32 { return uint32(min(max(n, 0), math.MaxUint32)) }

func clampUint64(n int64) uint64 { return uint64(max(n, 0)) }
