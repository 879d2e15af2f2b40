package config

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestLoadPrecedence(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	concurrency := fs.Int("concurrency", 0, "")
	_ = concurrency
	fs.String("data-dir", "", "")
	if err := fs.Parse([]string{"--concurrency=3"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{
		File: "testdata/full.good.yaml",
		Env:  []string{"NIANBAO_CRAWLER_DELAY=5s", "NIANBAO_CRAWLER_CONCURRENCY=9", "UNRELATED=1", "NIANBAO_NOT_A_KEY=1"},
		Flags: map[string]*pflag.Flag{
			"crawler.concurrency": fs.Lookup("concurrency"),
			"data_dir":            fs.Lookup("data-dir"), // not set on the command line: no effect
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Crawler.Delay != 5*time.Second {
		t.Errorf("delay = %s, want 5s from the environment over the file's 2s", c.Crawler.Delay)
	}
	if c.Crawler.Concurrency != 3 {
		t.Errorf("concurrency = %d, want 3 from the flag over env 9 and file 16", c.Crawler.Concurrency)
	}
	if c.DataDir != "/var/lib/nianbao" {
		t.Errorf("data_dir = %q, want the file's value", c.DataDir)
	}
	if c.Crawler.Contact != "ops@example.org" || c.Archive.MaxFileSize != 1<<20 {
		t.Errorf("file values lost: %+v", c)
	}
	if c.Crawler.Retries != Default().Crawler.Retries {
		t.Errorf("retries = %d, want the default", c.Crawler.Retries)
	}
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	if c.DataDir != want.DataDir || c.Crawler != want.Crawler || c.Archive != want.Archive || c.Warehouse != want.Warehouse {
		t.Errorf("Load() = %+v, want defaults %+v", c, want)
	}
}

func TestLoadBad(t *testing.T) {
	tests := []struct {
		file string
		env  []string
		want []string
	}{
		{"testdata/unknown-key.bad.yaml", nil, []string{"unknown-key.bad.yaml", "delai"}},
		{"testdata/bad-values.bad.yaml", nil, []string{"crawler.delay", "crawler.concurrency"}},
		{"testdata/not-yaml.bad.yaml", nil, []string{"not-yaml.bad.yaml"}},
		{"testdata/missing.yaml", nil, []string{"missing.yaml"}},
		{"", []string{"NIANBAO_CRAWLER_DELAY=soon"}, []string{"delay"}},
		{"", []string{"NIANBAO_CRAWLER_CONCURRENCY=many"}, []string{"concurrency"}},
		{"", []string{"NIANBAO_WAREHOUSE_DSN=postgres://x/y"}, []string{"dsn"}},
	}
	for _, tt := range tests {
		_, err := Load(Options{File: tt.file, Env: tt.env})
		if err == nil {
			t.Errorf("Load(%s, %v) = nil error", tt.file, tt.env)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%s, %v) = %v, want it to name %q", tt.file, tt.env, err, w)
			}
		}
	}
}

func TestReadSources(t *testing.T) {
	got, err := LoadSources("testdata/sources.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "三滩镇人民政府" || got[0].RegionCode != "620421113" || len(got[0].StartURLs) != 1 {
		t.Errorf("LoadSources = %+v", got)
	}
	var b strings.Builder
	if err := WriteSources(&b, got); err != nil {
		t.Fatal(err)
	}
	again, err := ReadSources(strings.NewReader(b.String()), "roundtrip")
	if err != nil || again[0].Name != got[0].Name || again[0].StartURLs[0] != got[0].StartURLs[0] {
		t.Errorf("round trip: %v %+v\n%s", err, again, b.String())
	}

	for _, tt := range []struct{ file, want string }{
		{"testdata/sources-bad-level.bad.yaml", "level"},
		{"testdata/full.good.yaml", "field"},
		{"testdata/nope.yaml", "nope.yaml"},
	} {
		_, err := LoadSources(tt.file)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadSources(%s) = %v, want error naming %q", tt.file, err, tt.want)
		}
	}
}
