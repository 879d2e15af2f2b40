package warehouse

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
)

// benchReport returns a report the size of a full 2021-template report:
// every table 三 row in all seven applicant columns, table 四, and the
// identity checks.
func benchReport(source string) *parser.Report {
	r := sampleReport(source, "某县人民政府", "620421", 2021, 10)
	r.Facts = r.Facts[:0]
	for i, m := range metrics.Table3Rows() {
		for _, a := range metrics.Applicants() {
			r.Facts = append(r.Facts, parser.Fact{Metric: m, Applicant: a, Value: float64(i),
				Locator: parser.Locator{Table: "table3", Row: m, Column: string(a)}})
		}
	}
	for _, g := range metrics.ReviewGroups() {
		for _, res := range metrics.ReviewResults() {
			r.Facts = append(r.Facts, parser.Fact{Metric: g + "." + res, Applicant: metrics.Total, Value: 1,
				Locator: parser.Locator{Table: "table4", Row: g, Column: res}})
		}
	}
	r.Checks = metrics.Verify(r.Values())
	return r
}

// BenchmarkWriteReports measures the load path: WriteReports of 100 full
// reports per operation, on every transport the environment offers.
// rows/s counts reports, facts and checks rows.
func BenchmarkWriteReports(b *testing.B) {
	const perOp = 100
	for _, tr := range transports() {
		b.Run(tr.name, func(b *testing.B) {
			w := tr.open(b)
			migrate(b, w)
			ctx := context.Background()
			fetched := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			rowsPerOp := 0
			batches := make([][]ReportLoad, 0, 4)
			for n := range 4 {
				loads := make([]ReportLoad, perOp)
				for i := range loads {
					rep := benchReport(fmt.Sprintf("https://x.gov.cn/%d/%d.html", n, i))
					loads[i] = sampleLoad(rep, fmt.Sprintf("sha1:%d-%d", n, i), fetched)
					if n == 0 {
						rowsPerOp += 1 + len(rep.Facts) + len(rep.Checks)
					}
				}
				batches = append(batches, loads)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := w.WriteReports(ctx, batches[i%len(batches)]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(rowsPerOp*b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(perOp*b.N)/b.Elapsed().Seconds(), "reports/s")
		})
	}
}

// BenchmarkOpenCHDB measures opening (and closing) a chdb warehouse in a
// process that has already loaded the library; the first open of a
// process also pays the library load (see TestFirstOpenTime).
func BenchmarkOpenCHDB(b *testing.B) {
	cfg := DefaultConfig()
	cfg.CHDBLibrary = chdbLibrary(b)
	cfg.DSN = "chdb://" + b.TempDir()
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		w, err := Open(ctx, cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFirstOpenTime logs how long a fresh process takes to load libchdb,
// open a warehouse and answer a first query, measured in a helper process.
func TestFirstOpenTime(t *testing.T) {
	if os.Getenv(envHelper) != "" {
		return
	}
	lib := chdbLibrary(t)
	dir := t.TempDir()
	cmd := helper(t, "time-open", "NIANBAO_HELPER_DSN=chdb://"+dir, "NIANBAO_HELPER_LIB="+lib)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	t.Logf("fresh process: %s; whole helper process %v", out, time.Since(start).Round(time.Millisecond))
}
