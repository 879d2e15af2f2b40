package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

const goodRegistry = `sources:
  - name: 靖远县人民政府
    level: county
    region_code: "620421"
    start_urls: ["http://127.0.0.5/zwgk/"]
  - name: 三滩镇人民政府
    level: township
    region_code: "620421113"
    start_urls: ["http://127.0.0.6/"]
  - name: 靖远县教育局
    level: department
    region_code: "620421"
    start_urls: ["http://127.0.0.7/"]
`

func writeRegistry(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSourcesValidate(t *testing.T) {
	var fx fixture
	out, err := fx.run(t, "sources", "validate", "--sources", writeRegistry(t, goodRegistry))
	if err != nil || !strings.Contains(out, "3 sources valid") {
		t.Errorf("validate good registry: %q, %v", out, err)
	}
	for name, bad := range map[string]string{
		"UnknownRegion": strings.Replace(goodRegistry, `"620421113"`, `"620421999"`, 1),
		"WrongLevel":    strings.Replace(goodRegistry, "level: county", "level: township", 1),
		"OtherDivision": strings.Replace(goodRegistry, "name: 三滩镇人民政府", "name: 北湾镇人民政府", 1),
		"NoRegion":      strings.Replace(goodRegistry, `    region_code: "620421"`+"\n    start_urls: [\"http://127.0.0.7/\"]", `    start_urls: ["http://127.0.0.7/"]`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := fx.run(t, "sources", "validate", "--sources", writeRegistry(t, bad)); !errors.Is(err, warehouse.ErrInvalidSources) {
				t.Errorf("validate: %v, want ErrInvalidSources", err)
			}
		})
	}
	if _, err := fx.run(t, "sources", "frobnicate"); !errors.Is(err, errUsage) {
		t.Errorf("unknown subcommand: %v", err)
	}
}

func TestSourcesImportList(t *testing.T) {
	t.Setenv("CHDB_LIB_PATH", requireLib(t))
	fx := fixture{dsn: "chdb://" + filepath.Join(t.TempDir(), "wh")}
	if _, err := fx.run(t, "sources", "import", "--warehouse", fx.dsn, "--sources", writeRegistry(t, goodRegistry)); err != nil {
		t.Fatal(err)
	}
	// Twice: still three.
	if _, err := fx.run(t, "sources", "import", "--warehouse", fx.dsn, "--sources", writeRegistry(t, goodRegistry)); err != nil {
		t.Fatal(err)
	}
	out, err := fx.run(t, "sources", "list", "--warehouse", fx.dsn, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	want := "name,level,region_code,agency_id,start_urls\n" +
		"靖远县人民政府,county,620421,620421,http://127.0.0.5/zwgk/\n" +
		"靖远县教育局,department,620421,620421/靖远县教育局,http://127.0.0.7/\n" +
		"三滩镇人民政府,township,620421113,620421113,http://127.0.0.6/\n"
	if out != want {
		t.Errorf("sources list =\n%s\nwant\n%s", out, want)
	}
	// The YAML listing is a registry the crawler reads back.
	yaml, err := fx.run(t, "sources", "list", "--warehouse", fx.dsn, "--format", "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := fx.run(t, "sources", "validate", "--sources", writeRegistry(t, yaml)); err != nil || !strings.Contains(out, "3 sources valid") {
		t.Errorf("validate the listed YAML: %q, %v\n%s", out, err, yaml)
	}
	// The department is an agency now.
	fx.cfg.Warehouse = warehouse.DefaultConfig()
	fx.cfg.Warehouse.DSN = fx.dsn
	if rows := fx.query(t, "SELECT agency_id, parent_id, county_code FROM agencies WHERE level = 'department'"); len(rows) != 1 ||
		rows[0][0] != "620421/靖远县教育局" || rows[0][1] != "620421" || rows[0][2] != "620421" {
		t.Errorf("department agencies = %v", rows)
	}
}
