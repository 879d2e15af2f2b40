package main

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestShow(t *testing.T) {
	fx := newFixture(t)
	id := fx.query(t, "SELECT report_id FROM reports WHERE source_url = '"+fx.dawuli+"'")[0][0].(string)
	byURL, err := fx.run(t, "show", "--warehouse", fx.dsn, fx.dawuli)
	if err != nil {
		t.Fatal(err)
	}
	byID, err := fx.run(t, "show", "--warehouse", fx.dsn, id)
	if err != nil {
		t.Fatal(err)
	}
	if byURL != byID {
		t.Errorf("show URL and show REPORT_ID differ:\n%s\n---\n%s", byURL, byID)
	}
	warc := fx.query(t, "SELECT warc_file, toString(warc_offset), warc_record_id FROM captures WHERE url = '"+fx.dawuli+"'")[0]
	if !regexp.MustCompile(`report\s+` + id).MatchString(byURL) {
		t.Errorf("show output lacks the report ID %s:\n%s", id, byURL)
	}
	for _, want := range []string{
		"大五里镇人民政府2023年政府信息公开工作年度报告", "130283115 (by name)",
		warc[0].(string) + " offset " + warc[1].(string), "record " + warc[2].(string),
		"一、本年新收政府信息公开申请数量", "figures\n",
	} {
		if !strings.Contains(byURL, want) {
			t.Errorf("show output lacks %q:\n%s", want, byURL)
		}
	}
	// Every figure, in JSON with its locator.
	out, err := fx.run(t, "show", "--warehouse", fx.dsn, "--format", "jsonl", id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if row["loc_table"] == "" && row["loc_text"] == "" {
			t.Errorf("figure without a locator: %v", row)
		}
		n++
	}
	if facts := fx.query(t, "SELECT fact_count FROM reports WHERE report_id = '"+id+"'")[0][0].(uint64); uint64(n) != facts {
		t.Errorf("show printed %d figures, the report has %d", n, facts)
	}
	for _, bad := range []string{"0123456789abcdef0123456789abcdef", "http://127.0.0.9/none.html"} {
		if _, err := fx.run(t, "show", "--warehouse", fx.dsn, bad); !errors.Is(err, errNotFound) {
			t.Errorf("show %s: %v, want not found", bad, err)
		}
	}
	if _, err := fx.run(t, "show", "--warehouse", fx.dsn); !errors.Is(err, errUsage) {
		t.Errorf("show with no argument: %v, want a usage error", err)
	}
}
