package warehouse_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

// Saved queries carry ClickHouse-style parameters; Bind fills them in with
// checked, quoted literals, the same way for every engine.
func ExampleBind() {
	sql, err := warehouse.Bind(
		"SELECT agency, value FROM facts_latest WHERE region_code = {region:String} AND year = {year:UInt16}",
		map[string]string{"region": "620421", "year": "2023"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sql)

	_, err = warehouse.Bind("SELECT {year:UInt16}", map[string]string{"year": "2023 OR 1=1"})
	fmt.Println(err)
	// Output:
	// SELECT agency, value FROM facts_latest WHERE region_code = '620421' AND year = 2023
	// bind query parameters: parameter year: "2023 OR 1=1" is not a UInt16
}

func ExampleResult_Write() {
	r := &warehouse.Result{
		Columns: []string{"agency", "year", "requests"},
		Types:   []string{"String", "Nullable(UInt16)", "Float64"},
		Rows: [][]any{
			{"三滩镇人民政府", uint64(2019), 0.0},
			{"县政府办公室", nil, 128.0},
		},
	}
	if err := r.Write(os.Stdout, warehouse.FormatTable); err != nil {
		log.Fatal(err)
	}
	// Output:
	// agency          year  requests
	// --------------  ----  --------
	// 三滩镇人民政府  2019         0
	// 县政府办公室    NULL       128
	// (2 rows)
}

// Open the embedded warehouse, load a report and query the views. (Not
// run as a test: it needs libchdb.so and writes ./nianbao-data.)
func ExampleOpen() {
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.DefaultConfig(), slog.Default())
	if err != nil {
		log.Fatal(err) // errors.Is(err, warehouse.ErrEngineMissing): run `make setup`
	}
	defer w.Close()
	if err := w.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	rep := &parser.Report{Source: "https://www.example.gov.cn/2023nb.html", Agency: "三滩镇人民政府",
		Level: parser.LevelTownship, Year: 2023, Format: parser.FormatHTML, Status: parser.StatusOK,
		ParserVersion: parser.Version}
	err = w.WriteReports(ctx, []warehouse.ReportLoad{{
		Report: rep, PayloadDigest: "sha1:…", FetchedAt: time.Now(),
	}})
	if err != nil {
		log.Fatal(err)
	}
	r, err := w.Query(ctx, "SELECT agency, year FROM reports_latest")
	if err != nil {
		log.Fatal(err)
	}
	if err := r.Write(os.Stdout, warehouse.FormatTable); err != nil {
		log.Fatal(err)
	}
}
