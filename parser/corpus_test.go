package parser

import (
	"context"
	"encoding/csv"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/metrics"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the parser's output")

// corpusDir is the shared corpus of real reports, read in place.
const corpusDir = "../../shared/corpus/real"

// manifestRow is one row of the corpus manifest.
type manifestRow map[string]string

func readManifest(t *testing.T) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "manifest.tsv"))
	if err != nil {
		t.Fatalf("corpus manifest: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	})
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	var rows []manifestRow
	for _, rec := range recs[1:] {
		row := manifestRow{}
		for i, h := range recs[0] {
			if i < len(rec) {
				row[h] = rec[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// manifestMetrics maps manifest columns to metric codes.
func manifestMetrics() map[string]string {
	return map[string]string{
		"new_requests": metrics.RequestsNew, "carried_over": metrics.RequestsCarriedOver,
		"granted": metrics.OutcomeGranted, "partially_granted": metrics.OutcomePartial,
		"refused_total": metrics.OutcomeRefused, "total_processed": metrics.OutcomeTotal,
		"carried_forward": metrics.RequestsCarriedForward, "reviews_total": metrics.ReviewsTotal,
		"lawsuits_total": metrics.LawsuitsTotal, "proactive_count": metrics.ProactiveItems,
	}
}

// coreAgency reduces a manifest agency to the name the report must
// contain, as score-corpus does; "" when the manifest names none.
func coreAgency(a string) string {
	if containsAny(a, "unnamed", "inferred", "replaced", "not named", "not in excerpt") {
		return ""
	}
	a = strings.TrimSpace(regexp.MustCompile(`\s*\(.*?\)`).ReplaceAllString(a, ""))
	for _, suf := range []string{"人民政府办公厅", "人民政府办公室", "人民政府", "街道办事处", "办事处"} {
		if strings.HasSuffix(a, suf) && runeLen(a) > runeLen(suf)+1 {
			return strings.TrimSuffix(a, suf)
		}
	}
	return a
}

func testParser(t testing.TB) *Parser {
	t.Helper()
	p, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCorpus parses every real report of the shared corpus and checks each
// field its manifest states, and that no figure is reported where the
// manifest cell is empty (a figure the report does not state is absent).
func TestCorpus(t *testing.T) {
	p := testParser(t)
	rows := readManifest(t)
	if len(rows) < 20 {
		t.Fatalf("manifest has %d rows, want the whole corpus", len(rows))
	}
	levels := map[string]string{"county_department": LevelDepartment, "city_department": LevelDepartment}
	for _, row := range rows {
		file := row["file"]
		t.Run(file, func(t *testing.T) {
			if strings.HasSuffix(file, ".pdf") {
				if _, err := exec.LookPath(DefaultConfig().PDFToText); err != nil {
					t.Skipf("pdftotext not installed (apt-get install poppler-utils): %v", err)
				}
			}
			body, err := os.ReadFile(filepath.Join(corpusDir, file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.Parse(context.Background(), Input{Source: file, Body: body})
			if err != nil {
				t.Fatalf("Parse(%s): %v", file, err)
			}
			checkGolden(t, filepath.Join("testdata", "corpus", file+".golden.json"), r)
			checkLocators(t, r)
			checkVerify(t, r)
			if a := coreAgency(row["agency"]); a != "" && !strings.Contains(r.Agency, a) {
				t.Errorf("Parse(%s) field agency = %q, want it to contain %q", file, r.Agency, a)
			}
			if y := row["report_year"]; y != "" && strconv.Itoa(r.Year) != y {
				t.Errorf("Parse(%s) field year = %d, want %s", file, r.Year, y)
			}
			if lv := row["level"]; lv != "" {
				want := lv
				if l, ok := levels[lv]; ok {
					want = l
				}
				if r.Level != want {
					t.Errorf("Parse(%s) field level = %q, want %q", file, r.Level, want)
				}
			}
			if f := row["format"]; f == TemplateNarrative || f == TemplateTable2019 || f == TemplateTable2021 {
				if r.Template != f {
					t.Errorf("Parse(%s) field template = %q, want %q", file, r.Template, f)
				}
			}
			checkPublished(t, file, row["publish_date"], r.PublishedAt)
			stats := r.Stats()
			for col, code := range manifestMetrics() {
				want := row[col]
				got, ok := stats[code]
				switch {
				case want == "" && ok:
					t.Errorf("Parse(%s) metric %s = %v, want absent (not stated)", file, code, got)
				case want != "" && !ok:
					t.Errorf("Parse(%s) metric %s absent, want %s", file, code, want)
				case want != "":
					if w, _ := strconv.ParseFloat(want, 64); w != got {
						t.Errorf("Parse(%s) metric %s = %v, want %s", file, code, got, want)
					}
				}
			}
		})
	}
}

// checkPublished compares a publication date with the manifest's, which
// may carry provenance: "(URL)" dates come from the page address, which a
// file does not carry, so the parser must state nothing else; "(signature)"
// dates and dates with a time compare on the day.
func checkPublished(t *testing.T, file, want, got string) {
	t.Helper()
	if want == "" {
		return
	}
	day := want[:min(len(want), 10)]
	if strings.Contains(want, "(URL)") {
		if got != "" && !strings.HasPrefix(got, strings.Fields(want)[0]) {
			t.Errorf("Parse(%s) field published_at = %q, want empty or %s (the date is in the URL only)", file, got, want)
		}
		return
	}
	// A note in brackets says where the date was found. A time of day the
	// page states is part of the value; the manifest records it for some
	// files and not for others.
	stated, _, noted := strings.Cut(want, " (")
	if noted {
		stated = day
	}
	withTime := len(stated) == len(day) && strings.HasPrefix(got, day+" ") && timeOfDay(got[len(day)+1:]) == got[len(day):]
	if got != stated && !withTime {
		t.Errorf("Parse(%s) field published_at = %q, want %q", file, got, stated)
	}
}

// TestCorpusPDFMatchesText checks that the PDF and its pdftotext rendering
// give the same figures.
func TestCorpusPDFMatchesText(t *testing.T) {
	if _, err := exec.LookPath(DefaultConfig().PDFToText); err != nil {
		t.Skipf("pdftotext not installed (apt-get install poppler-utils): %v", err)
	}
	p := testParser(t)
	parse := func(name string) *Report {
		body, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := p.Parse(context.Background(), Input{Source: name, Body: body})
		if err != nil {
			t.Fatalf("Parse(%s): %v", name, err)
		}
		return r
	}
	pdf, txt := parse("002.pdf"), parse("002.txt")
	if pdf.Format != FormatPDF || txt.Format != FormatText {
		t.Fatalf("formats = %s, %s; want pdf, text", pdf.Format, txt.Format)
	}
	pv, tv := pdf.Values(), txt.Values()
	if len(pv) != len(tv) || len(pv) < 200 {
		t.Fatalf("PDF states %d figures, text %d; want the same, over 200", len(pv), len(tv))
	}
	for k, v := range tv {
		if pv[k] != v {
			t.Errorf("002.pdf %s/%s = %v, 002.txt %v", k.Metric, k.Applicant, pv[k], v)
		}
	}
	for _, c := range pdf.Checks {
		if !c.OK {
			t.Errorf("002.pdf check failed: %s", c.Detail())
		}
	}
}

// checkLocators checks that every fact says where it was read: a table row
// and column, or a span of prose with its text.
func checkLocators(t *testing.T, r *Report) {
	t.Helper()
	for _, f := range append(append([]Fact{}, r.Facts...), r.Alternates...) {
		l := f.Locator
		table := l.Table != "" && l.Row != "" && l.Column != ""
		prose := l.Table == "" && l.End > l.Start && l.Text != ""
		if !table && !prose {
			t.Errorf("Parse(%s) %s/%s has no locator: %+v", r.Source, f.Metric, f.Applicant, l)
		}
	}
}

// checkVerify checks that Report.Verify gives what metrics.Verify gives
// over the report's figures.
func checkVerify(t *testing.T, r *Report) {
	t.Helper()
	if got, want := r.Verify(metrics.NewVerifier()), metrics.Verify(r.Values()); !reflect.DeepEqual(got, want) {
		t.Errorf("Verify() =\n%v\nmetrics.Verify(Values()) =\n%v", got, want)
	}
}
