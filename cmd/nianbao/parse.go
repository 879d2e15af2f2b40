package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/nianbao/nianbao/parser"
)

const parseUsage = `Usage: nianbao parse [flags] FILE|URL...

Parse annual reports (HTML, text, PDF or DOCX; files or http(s) URLs) and
print what each states. With --json, one JSON object per input (JSON Lines)
in the contract of spec/metrics.md. An input that cannot be read or parsed
is reported on stderr and the others are still processed; the exit status is
then non-zero.

Flags:
`

// runParse implements `nianbao parse`.
func runParse(ctx context.Context, a *app, args []string) error {
	def := parser.DefaultConfig()
	fs := pflag.NewFlagSet("parse", pflag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprint(a.stderr, parseUsage)
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print one JSON object per input (JSON Lines)")
	cfg := def
	fs.StringVar(&cfg.PDFToText, "pdftotext", def.PDFToText, "poppler pdftotext executable for PDF input (empty disables PDF)")
	timeout := fs.Duration("timeout", 30*time.Second, "timeout of each URL fetch")
	var hint parser.Hint
	fs.StringVar(&hint.Agency, "agency", "", "the reporting body, when known (overrides what is read)")
	fs.StringVar(&hint.Level, "level", "", "its level: province, city, county, township or department")
	fs.StringVar(&hint.RegionCode, "region-code", "", "its NBS region code")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: parse: %w", errUsage, err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: parse: no input given", errUsage)
	}
	p, err := parser.New(cfg)
	if err != nil {
		return fmt.Errorf("%w: parse: %w", errUsage, err)
	}
	client := &http.Client{Timeout: *timeout}
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, src := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := parseOne(ctx, p, client, src, hint, cfg.MaxBytes)
		if err != nil {
			failed++
			fmt.Fprintf(a.stderr, "nianbao parse: %v\n", err)
			continue
		}
		if *asJSON {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			continue
		}
		if _, err := io.WriteString(a.stdout, summary(r)); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("parse: %d of %d inputs failed", failed, fs.NArg())
	}
	return nil
}

// parseOne reads and parses one input. A panic in the parser is turned into
// an error naming the input, so one bad document cannot stop the others.
func parseOne(ctx context.Context, p *parser.Parser, client *http.Client, src string, hint parser.Hint, maxBytes int64) (r *parser.Report, err error) {
	in, err := readInput(ctx, client, src, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	in.Hint = hint
	defer func() {
		if v := recover(); v != nil {
			r, err = nil, fmt.Errorf("%s: internal parser error: %v", src, v)
		}
	}()
	return p.Parse(ctx, in)
}

// readInput reads a file, or fetches an http(s) URL once.
func readInput(ctx context.Context, client *http.Client, src string, maxBytes int64) (parser.Input, error) {
	if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
		body, err := os.ReadFile(src)
		if err != nil {
			return parser.Input{}, err
		}
		return parser.Input{Source: src, Body: body}, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return parser.Input{}, err
	}
	req.Header.Set("User-Agent", "nianbao-parse/"+parser.Version)
	resp, err := client.Do(req)
	if err != nil {
		return parser.Input{}, fmt.Errorf("fetch: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return parser.Input{}, fmt.Errorf("fetch: HTTP %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return parser.Input{}, fmt.Errorf("fetch: read body: %w", err)
	}
	return parser.Input{Source: src, Body: body, ContentType: resp.Header.Get("Content-Type")}, nil
}

// summary renders a report for people: what it is, its headline figures
// and its checks.
func summary(r *parser.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.Source)
	if r.Title != "" {
		fmt.Fprintf(&b, "  %s\n", r.Title)
	}
	var who []string
	for _, s := range []string{r.Agency, r.Level, yearString(r.Year), r.Template, r.Format, r.Status} {
		if s != "" {
			who = append(who, s)
		}
	}
	if r.PublishedAt != "" {
		who = append(who, "published "+r.PublishedAt)
	}
	fmt.Fprintf(&b, "  %s\n", strings.Join(who, " · "))
	stats := r.Stats()
	keys := make([]string, 0, len(stats))
	for k := range stats {
		if !strings.HasPrefix(k, "table2.") && strings.Count(k, ".") <= 1 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %g", k, stats[k]))
		}
		fmt.Fprintf(&b, "  %s\n", strings.Join(parts, " · "))
	}
	fmt.Fprintf(&b, "  %d facts", len(r.Facts))
	ok, bad := 0, []string{}
	for _, c := range r.Checks {
		if c.OK {
			ok++
		} else {
			bad = append(bad, c.Detail())
		}
	}
	fmt.Fprintf(&b, ", %d checks ok, %d failed\n", ok, len(bad))
	for _, d := range bad {
		fmt.Fprintf(&b, "    failed: %s\n", d)
	}
	return b.String()
}

func yearString(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprint(y)
}
