package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/warehouse/internal/chdb"
)

// Export formats: ClickHouse's own output formats, written by the engine.
const (
	// ExportParquet is Apache Parquet (ClickHouse's Parquet format; not on
	// ClickHouse 18.16 servers).
	ExportParquet = "parquet"
	// ExportCSV is CSV with a header row (CSVWithNames).
	ExportCSV = "csv"
	// ExportJSONLines is one JSON object per row (JSONEachRow).
	ExportJSONLines = "jsonl"
)

// ExportFormats returns the formats Export writes.
func ExportFormats() []string { return []string{ExportParquet, ExportCSV, ExportJSONLines} }

// clickhouseFormat returns the ClickHouse name of an export format.
func clickhouseFormat(format string) (string, error) {
	switch format {
	case ExportParquet:
		return "Parquet", nil
	case ExportCSV:
		return "CSVWithNames", nil
	case ExportJSONLines:
		return "JSONEachRow", nil
	}
	return "", fmt.Errorf("%w %q: want one of %s", ErrUnknownFormat, format, strings.Join(ExportFormats(), ", "))
}

// Export runs one read-only SELECT (or WITH … SELECT) and writes its rows
// to the file at path in format (see ExportFormats), formatted and
// streamed by ClickHouse itself: the rows never pass through Go values,
// so an export may be far larger than memory. The same read-only checks
// as Query apply.
//
// chdb:// warehouses write the file in-process (SELECT … INTO OUTFILE);
// for clickhouse:// the server streams the formatted result over its HTTP
// interface (Config.HTTPPort), as a GET request, which the server itself
// holds to read-only, and Export copies it to path. A failed export may
// leave a partial file.
func (w *Warehouse) Export(ctx context.Context, sql, format, path string) error {
	chFormat, err := clickhouseFormat(format)
	if err != nil {
		return err
	}
	clean, err := checkReadOnly(sql)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	switch e := w.eng.(type) {
	case *chdbEngine:
		err = e.export(ctx, clean, chFormat, abs)
	case *serverEngine, *clusterEngine:
		err = w.exportHTTP(ctx, clean, chFormat, abs)
	default:
		err = errors.New("export: unsupported engine")
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", format, err)
	}
	return nil
}

// export writes the result of a read-only statement to path with INTO
// OUTFILE, after the engine's parser has classified the statement.
func (e *chdbEngine) export(ctx context.Context, sql, format, path string) error {
	a, err := e.conn.Classify(sql)
	switch {
	case errors.Is(err, chdb.ErrUnsupported):
	case err != nil:
		return err
	case a.Statements != 1 || a.Class != chdb.ReadOnly:
		return fmt.Errorf("%w: the engine classifies the statement as %s", ErrReadOnly, a.Class)
	}
	if !isSelect(sql) {
		return fmt.Errorf("%w: export takes a SELECT", ErrReadOnly)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return e.exec(ctx, "SELECT * FROM ("+sql+"\n) INTO OUTFILE "+quoteString(path)+" FORMAT "+format)
}

// isSelect reports whether sql is a SELECT or WITH statement (what can be
// wrapped as a subquery).
func isSelect(sql string) bool {
	for _, t := range lex(sql) {
		if t.kind == tokPunct && t.text == "(" {
			continue
		}
		return t.is("SELECT") || t.is("WITH")
	}
	return false
}

// exportHTTP streams the formatted result from the server's HTTP
// interface into path.
func (w *Warehouse) exportHTTP(ctx context.Context, sql, format, path string) error {
	if !isSelect(sql) {
		return fmt.Errorf("%w: export takes a SELECT", ErrReadOnly)
	}
	d, err := parseDSN(w.cfg.DSN)
	if err != nil {
		return err
	}
	q := url.Values{}
	q.Set("database", strings.Trim(d.url.Path, "/"))
	q.Set("query", sql+"\nFORMAT "+format)
	u := url.URL{Scheme: "http", Host: net.JoinHostPort(d.url.Hostname(), strconv.Itoa(w.cfg.HTTPPort)),
		Path: "/", RawQuery: q.Encode()}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	if user := d.url.User; user != nil {
		req.Header.Set("X-ClickHouse-User", user.Username())
		if pw, ok := user.Password(); ok {
			req.Header.Set("X-ClickHouse-Key", pw)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("server answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
