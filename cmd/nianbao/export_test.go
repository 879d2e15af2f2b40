package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportPayload: the archived payload comes back out byte for byte,
// by report ID, by URL and by capture ID.
func TestExportPayload(t *testing.T) {
	fx := newFixture(t)
	row := fx.query(t, "SELECT report_id, capture_id FROM reports WHERE source_url = '"+fx.hebao+"'")[0]
	for _, arg := range []string{row[0].(string), fx.hebao, row[1].(string)} {
		out := filepath.Join(t.TempDir(), "payload.html")
		if _, err := fx.run(t, "export", "--warehouse", fx.dsn, "--archive", fx.archive, "--out", out, arg); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, fx.bodies[fx.hebao]) {
			t.Errorf("export %s wrote %d bytes, not the %d archived", arg, len(got), len(fx.bodies[fx.hebao]))
		}
	}
	stdout, err := fx.run(t, "export", "--warehouse", fx.dsn, "--archive", fx.archive, fx.dawuli)
	if err != nil || stdout != string(fx.bodies[fx.dawuli]) {
		t.Errorf("export to stdout: %d bytes, %v", len(stdout), err)
	}
	if _, err := fx.run(t, "export", "--warehouse", fx.dsn, "--archive", fx.archive, "http://127.0.0.9/x"); !errors.Is(err, errNotFound) {
		t.Errorf("export of an unknown URL: %v, want not found", err)
	}
}

// TestExportQuery writes a saved query and SQL in each format.
func TestExportQuery(t *testing.T) {
	fx := newFixture(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "league.csv")
	if _, err := fx.run(t, "export", "--warehouse", fx.dsn, "--format", "csv", "--query", "agency_history",
		"--param", "agency=130283115", "--out", csvPath); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 || recs[0][0] != "year" {
		t.Fatalf("agency_history CSV = %v", recs)
	}
	found := false
	for _, r := range recs[1:] {
		found = found || r[0] == "2023" && r[1] != ""
	}
	if !found {
		t.Errorf("agency_history CSV has no 2023 report: %v", recs)
	}

	jsonPath := filepath.Join(dir, "facts.jsonl")
	if _, err := fx.run(t, "export", "--warehouse", fx.dsn, "--format", "jsonl",
		"--query", "SELECT metric, applicant, value FROM facts ORDER BY report_id, metric, applicant", "--out", jsonPath); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if n := fx.query(t, "SELECT count() FROM facts")[0][0].(uint64); uint64(len(lines)) != n {
		t.Errorf("%d JSON lines, %d facts", len(lines), n)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first["metric"] == nil {
		t.Errorf("first line %q: %v", lines[0], err)
	}

	pq := filepath.Join(dir, "stats.parquet")
	if _, err := fx.run(t, "export", "--warehouse", fx.dsn, "--format", "parquet", "--query", "SELECT * FROM report_stats", "--out", pq); err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile(pq)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 8 || string(data[:4]) != "PAR1" || string(data[len(data)-4:]) != "PAR1" {
		t.Errorf("parquet file of %d bytes does not start and end with PAR1", len(data))
	}

	for _, bad := range [][]string{
		{"--format", "xml", "--query", "SELECT 1", "--out", filepath.Join(dir, "x")},
		{"--format", "csv", "--query", "DROP TABLE reports", "--out", filepath.Join(dir, "x")},
		{"--format", "csv", "--query", "SELECT 1 INTO OUTFILE '/tmp/x'", "--out", filepath.Join(dir, "x")},
		{"--format", "csv", "--query", "nope", "--out", filepath.Join(dir, "x")},
		{"--format", "csv", "--query", "SELECT 1"},
	} {
		if _, err := fx.run(t, append([]string{"export", "--warehouse", fx.dsn}, bad...)...); err == nil {
			t.Errorf("export %v succeeded", bad)
		}
	}
}
