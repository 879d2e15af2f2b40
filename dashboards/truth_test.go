package dashboards

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/synth"
	"github.com/nianbao/nianbao/warehouse"
	"github.com/nianbao/nianbao/warehouse/agency"
	"github.com/nianbao/nianbao/warehouse/compliance"
)

// The saved queries are checked against the truth a small synthetic
// warehouse plants: the city of 白银 (6204) — 5 counties, their townships,
// 30 departments per county and 40 for the city — reporting on 2016–2024
// with every kind of defect planted often, judged as of 2025-09-30. The
// truth is computed here from synth's plans and reports, independently of
// the warehouse's SQL.

// agencyYear is the truth for one agency and year.
type agencyYear struct {
	a         agency.Agency
	year      int
	plan      synth.Plan
	synthetic bool // the generator reports for the agency
	present   bool
	reportID  string
	report    *parser.Report
	first     time.Time // first capture of the report's URL
	deadline  time.Time
}

// val returns a Total-column figure the report states.
func (ay *agencyYear) val(metric string) (float64, bool) {
	if ay.report == nil {
		return 0, false
	}
	for _, f := range ay.report.Facts {
		if f.Metric == metric && f.Applicant == metrics.Total {
			return f.Value, true
		}
	}
	return 0, false
}

// valp is val as a pointer (nil when not stated).
func (ay *agencyYear) valp(metric string) *float64 {
	if v, ok := ay.val(metric); ok {
		return &v
	}
	return nil
}

// rate returns num/answered for a report stating both, answered > 0.
func (ay *agencyYear) rate(nums ...string) (float64, bool) {
	ans, ok := ay.val(metrics.OutcomeTotal)
	if !ok || ans <= 0 {
		return 0, false
	}
	n := 0.0
	for _, m := range nums {
		v, ok := ay.val(m)
		if !ok {
			return 0, false
		}
		n += v
	}
	return n / ans, true
}

// world is the synthetic warehouse and its truth.
type world struct {
	w     *warehouse.Warehouse
	gen   *synth.Generator
	cc    compliance.Config
	asOf  time.Time
	years []int
	all   []*agencyYear // every expected agency-year, nationwide
	by    map[string]*agencyYear
}

func (wd *world) get(id string, year int) *agencyYear { return wd.by[id+"|"+strconv.Itoa(year)] }

// outcome is the truth of one compliance rule.
func (wd *world) outcome(ay *agencyYear, rule string) string {
	p := ay.plan
	if !ay.present {
		if rule == compliance.RuleMissing {
			if wd.asOf.After(ay.deadline.AddDate(0, 0, wd.cc.GraceDays)) {
				return compliance.Fail
			}
			return compliance.Unknown
		}
		return compliance.NotApplicable
	}
	switch rule {
	case compliance.RuleOnTime:
		if !p.Undated {
			if p.PublishedAt.After(ay.deadline) {
				return compliance.Fail
			}
			return compliance.Pass
		}
		if !truncDay(ay.first).After(ay.deadline) {
			return compliance.Pass
		}
		return compliance.Unknown
	case compliance.RuleMissing:
		return compliance.Pass
	case compliance.RuleIncomplete:
		switch {
		case p.NoData:
			return compliance.NotApplicable
		case p.Incomplete:
			return compliance.Fail
		}
		return compliance.Pass
	case compliance.RuleInconsistent:
		switch {
		case p.NoData:
			return compliance.Unknown
		case p.Inconsistent:
			return compliance.Fail
		}
		return compliance.Pass
	case compliance.RuleEdited:
		if p.Edited {
			return compliance.Fail
		}
		return compliance.Pass
	case compliance.RuleNoData:
		if p.NoData {
			return compliance.Fail
		}
		return compliance.Pass
	}
	panic("unknown rule " + rule)
}

func truncDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// chdbLibrary finds libchdb.so, or skips (fails under NIANBAO_TEST_REQUIRE=1).
func chdbLibrary(t *testing.T) string {
	t.Helper()
	p := os.Getenv("CHDB_LIB_PATH")
	if p == "" {
		p, _ = filepath.Abs("../.deps/chdb/libchdb.so")
	}
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("libchdb.so not found at %s: run `make setup` or set CHDB_LIB_PATH", p)
		if os.Getenv("NIANBAO_TEST_REQUIRE") == "1" {
			t.Fatal(msg + " (NIANBAO_TEST_REQUIRE=1 forbids skipping)")
		}
		t.Skip(msg)
	}
	return p
}

// openWarehouse opens a fresh, migrated chDB warehouse with cfg (its DSN
// and library set here), closed when the test ends.
func openWarehouse(t *testing.T, cfg warehouse.Config) *warehouse.Warehouse {
	t.Helper()
	cfg.DSN = "chdb://" + filepath.Join(t.TempDir(), "warehouse")
	cfg.CHDBLibrary = chdbLibrary(t)
	w, err := warehouse.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	if err := w.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w
}

// newWorld loads the synthetic warehouse into a fresh chDB and computes
// its truth.
func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := synth.DefaultConfig()
	cfg.Seed = 7
	cfg.Regions = []string{"6204"}
	cfg.FirstYear, cfg.LastYear = 2016, 2024
	cfg.MissingRate, cfg.LateRate, cfg.UndatedRate = 0.06, 0.12, 0.08
	cfg.InconsistentRate, cfg.IncompleteRate, cfg.EditedRate, cfg.NoDataRate = 0.06, 0.05, 0.05, 0.03
	cfg.RestrictiveRate = 0.1
	cfg.Compliance.FirstYear = 2016
	cfg.Compliance.TownshipDeadlines = "62=02-28"
	gen, err := synth.New(cfg, g)
	if err != nil {
		t.Fatal(err)
	}
	wc := warehouse.DefaultConfig()
	wc.Compliance = cfg.Compliance
	w := openWarehouse(t, wc)
	wd := &world{w: w, gen: gen, cc: cfg.Compliance, asOf: gen.DefaultAsOf(), years: gen.Years(), by: map[string]*agencyYear{}}
	for range 2 { // loading twice changes nothing
		if _, err := gen.Load(ctx, w, wd.asOf); err != nil {
			t.Fatalf("Load: %v", err)
		}
	}
	synthetic := map[string]bool{}
	for _, a := range gen.Agencies() {
		synthetic[a.ID] = true
	}
	for _, a := range gen.Directory().Agencies() {
		if a.Placeholder {
			continue
		}
		for _, y := range wd.years {
			ay := &agencyYear{a: a, year: y, synthetic: synthetic[a.ID]}
			ay.deadline, _ = cfg.Compliance.Deadline(a.Level, a.Code(agency.LevelProvince), y)
			if ay.synthetic {
				ay.plan = gen.Plan(a, y)
				b := gen.Build(ay.plan)
				if len(b.Loads) > 0 {
					last := b.Loads[len(b.Loads)-1]
					ay.present, ay.report = true, last.Report
					ay.reportID = warehouse.ReportID(last.SourceURL, last.PayloadDigest, synth.ParserVersion)
					ay.first = b.Captures[0].FetchedAt
				}
			}
			wd.all = append(wd.all, ay)
			wd.by[a.ID+"|"+strconv.Itoa(y)] = ay
		}
	}
	return wd
}

// run runs a saved query and returns its rows as maps.
func (wd *world) run(t *testing.T, name string, params map[string]string) []map[string]any {
	t.Helper()
	q, err := Get(name)
	if err != nil {
		t.Fatal(err)
	}
	sql, err := warehouse.Bind(q.SQL, params)
	if err != nil {
		t.Fatal(err)
	}
	res, err := wd.w.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := make([]map[string]any, len(res.Rows))
	for i, row := range res.Rows {
		m := map[string]any{}
		for j, c := range res.Columns {
			m[c] = row[j]
		}
		out[i] = m
	}
	return out
}

// check compares a row's columns with want: floats within tol (for
// rounded rates), *float64 as NULL or a value, other values exactly.
func check(t *testing.T, what string, row map[string]any, want map[string]any, tol float64) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		got, ok := row[k]
		if !ok {
			t.Errorf("%s: no column %s", what, k)
			continue
		}
		w := want[k]
		if p, ok := w.(*float64); ok {
			if p == nil {
				w = nil
			} else {
				w = *p
			}
		}
		switch wv := w.(type) {
		case float64:
			gv, ok := got.(float64)
			if !ok || math.Abs(gv-wv) > tol && !(math.IsNaN(gv) && math.IsNaN(wv)) {
				t.Errorf("%s: %s = %v, want %v", what, k, got, wv)
			}
		case int:
			if got != uint64(wv) && got != int64(wv) {
				t.Errorf("%s: %s = %v, want %d", what, k, got, wv)
			}
		case bool:
			b := uint64(0)
			if wv {
				b = 1
			}
			if got != b {
				t.Errorf("%s: %s = %v, want %v", what, k, got, wv)
			}
		default:
			if fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("%s: %s = %v, want %v", what, k, got, w)
			}
		}
	}
}

// nullable returns v as a *float64 when ok.
func nullable(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

// peersOf returns the agency-years of the same level, parent and year.
func (wd *world) peersOf(ay *agencyYear) []*agencyYear {
	var out []*agencyYear
	for _, x := range wd.all {
		if x.year == ay.year && x.a.Level == ay.a.Level && x.a.ParentID == ay.a.ParentID {
			out = append(out, x)
		}
	}
	return out
}

// rank is 1 + the number of peers with a strictly higher value (0 when
// ay has none).
func rank(ay *agencyYear, peers []*agencyYear, value func(*agencyYear) (float64, bool)) int {
	v, ok := value(ay)
	if !ok {
		return 0
	}
	n := 1
	for _, p := range peers {
		if x, ok := value(p); ok && x > v {
			n++
		}
	}
	return n
}

func grantRate(ay *agencyYear) (float64, bool) {
	return ay.rate(metrics.OutcomeGranted, metrics.OutcomePartial)
}

func refusalRate(ay *agencyYear) (float64, bool) { return ay.rate(metrics.OutcomeRefused) }

func requestsNew(ay *agencyYear) (float64, bool) { return ay.val(metrics.RequestsNew) }

func countPresent(xs []*agencyYear) int {
	n := 0
	for _, x := range xs {
		if x.present {
			n++
		}
	}
	return n
}

func TestSavedQueriesReturnPlantedTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a synthetic warehouse")
	}
	wd := newWorld(t)
	const county, city, year = "620421", "6204", 2023

	inCounty := func(ay *agencyYear) bool { return ay.a.Code(agency.LevelCounty) == county }

	t.Run("township_league", func(t *testing.T) {
		rows := wd.run(t, "township_league", map[string]string{"county": county, "year": strconv.Itoa(year)})
		var want []*agencyYear
		for _, ay := range wd.all {
			if ay.year == year && ay.present && ay.a.Level == "township" && inCounty(ay) {
				want = append(want, ay)
			}
		}
		if len(rows) != len(want) || len(want) < 10 {
			t.Fatalf("%d rows, want %d", len(rows), len(want))
		}
		for i, ay := range want {
			peers := wd.peersOf(ay)
			gr, grOK := grantRate(ay)
			rr, rrOK := refusalRate(ay)
			failed := 0
			for _, c := range ay.report.Checks {
				if !c.OK {
					failed++
				}
			}
			var gp *float64
			if g, ok := ay.val(metrics.OutcomeGranted); ok {
				if p, ok := ay.val(metrics.OutcomePartial); ok {
					gp = nullable(g+p, true)
				}
			}
			check(t, ay.a.Name, rows[i], map[string]any{
				"region_code": ay.a.ID, "requests": ay.valp(metrics.RequestsNew), "granted_or_partial": gp,
				"answered": ay.valp(metrics.OutcomeTotal), "grant_rate": nullable(gr, grOK),
				"grant_rate_rank": rank(ay, peers, grantRate), "refused": ay.valp(metrics.OutcomeRefused),
				"refusal_rate": nullable(rr, rrOK), "refusal_rate_rank": rank(ay, peers, refusalRate),
				"peers": countPresent(peers), "reviews": ay.valp(metrics.ReviewsTotal),
				"lawsuits": ay.valp(metrics.LawsuitsTotal), "checks_failed": failed,
				"on_time": wd.outcome(ay, compliance.RuleOnTime), "incomplete": wd.outcome(ay, compliance.RuleIncomplete),
				"inconsistent": wd.outcome(ay, compliance.RuleInconsistent), "edited": wd.outcome(ay, compliance.RuleEdited),
			}, 0.0006)
		}
	})

	t.Run("missing_reports", func(t *testing.T) {
		rows := wd.run(t, "missing_reports", map[string]string{"county": county, "from": "2016", "to": "2024"})
		type want struct {
			reports          int
			missing, overdue []uint64
		}
		wants := map[string]*want{}
		var ids []string
		for _, ay := range wd.all {
			if !inCounty(ay) {
				continue
			}
			w := wants[ay.a.ID]
			if w == nil {
				w = &want{}
				wants[ay.a.ID] = w
				ids = append(ids, ay.a.ID)
			}
			if ay.present {
				w.reports++
			} else {
				w.missing = append(w.missing, uint64(ay.year))
				if wd.outcome(ay, compliance.RuleMissing) == compliance.Fail {
					w.overdue = append(w.overdue, uint64(ay.year))
				}
			}
		}
		got := map[string]map[string]any{}
		for _, r := range rows {
			got[r["agency_id"].(string)] = r
		}
		n := 0
		for _, id := range ids {
			w := wants[id]
			if len(w.missing) == 0 {
				if _, ok := got[id]; ok {
					t.Errorf("%s listed with nothing missing", id)
				}
				continue
			}
			n++
			r, ok := got[id]
			if !ok {
				t.Errorf("%s missing %v, not listed", id, w.missing)
				continue
			}
			check(t, id, r, map[string]any{"reports": w.reports, "missing_years": anyList(w.missing),
				"overdue_years": anyList(w.overdue)}, 0)
		}
		if n != len(rows) || n == 0 {
			t.Errorf("%d rows, want %d", len(rows), n)
		}
	})

	t.Run("county_compliance", func(t *testing.T) {
		rows := wd.run(t, "county_compliance", map[string]string{"county": county, "year": strconv.Itoa(year)})
		got := map[string]map[string]any{}
		for _, r := range rows {
			got[r["agency_id"].(string)] = r
		}
		n, restrictive := 0, 0
		for _, ay := range wd.all {
			if ay.year != year || !inCounty(ay) {
				continue
			}
			n++
			r, ok := got[ay.a.ID]
			if !ok {
				t.Errorf("%s not listed", ay.a.ID)
				continue
			}
			want := map[string]any{"present": ay.present}
			for _, rule := range compliance.Rules() {
				want[rule] = wd.outcome(ay, rule)
			}
			rr, rrOK := refusalRate(ay)
			want["refusal_rate"] = nullable(rr, rrOK)
			sumR, sumA := 0.0, 0.0
			for _, p := range wd.peersOf(ay) {
				a, aok := p.val(metrics.OutcomeTotal)
				r, rok := p.val(metrics.OutcomeRefused)
				if aok && rok && a > 0 {
					sumR += r
					sumA += a
				}
			}
			want["peer_refusal_rate"] = nullable(sumR/sumA, sumA > 0)
			refused, _ := ay.val(metrics.OutcomeRefused)
			isR := rrOK && sumA > 0 && refused >= 3 && rr >= 2*(sumR/sumA)
			want["restrictive"] = isR
			if isR {
				restrictive++
			}
			check(t, ay.a.ID, r, want, 0.0006)
		}
		if len(rows) != n {
			t.Errorf("%d rows, want %d", len(rows), n)
		}
		t.Logf("%d bodies, %d restrictive", n, restrictive)
	})

	trend := func(t *testing.T, rows []map[string]any, in func(*agencyYear) bool) {
		t.Helper()
		if len(rows) != len(wd.years) {
			t.Fatalf("%d rows, want %d", len(rows), len(wd.years))
		}
		var prevRefusal, prevGrant float64
		for i, y := range wd.years {
			var expected, present, missing, late, inconsistent int
			var refA, ref, grA, gr float64
			var rates []float64
			for _, ay := range wd.all {
				if ay.year != y || !in(ay) {
					continue
				}
				expected++
				if ay.present {
					present++
				}
				if wd.outcome(ay, compliance.RuleMissing) == compliance.Fail {
					missing++
				}
				if wd.outcome(ay, compliance.RuleOnTime) == compliance.Fail {
					late++
				}
				if wd.outcome(ay, compliance.RuleInconsistent) == compliance.Fail {
					inconsistent++
				}
				if a, ok := ay.val(metrics.OutcomeTotal); ok && a > 0 {
					if r, ok := ay.val(metrics.OutcomeRefused); ok {
						refA += a
						ref += r
						rates = append(rates, r/a)
					}
					g, gok := ay.val(metrics.OutcomeGranted)
					p, pok := ay.val(metrics.OutcomePartial)
					if gok && pok {
						grA += a
						gr += g + p
					}
				}
			}
			slices.Sort(rates)
			want := map[string]any{"year": y, "expected": expected, "present": present, "missing": missing,
				"late": late, "inconsistent": inconsistent, "refusal_answered": refA, "refused": ref,
				"refusal_rate": nullable(ref/refA, refA > 0), "grant_answered": grA, "grant_rate": nullable(gr/grA, grA > 0)}
			if len(rates) > 0 {
				want["median_refusal_rate"] = medianLow(rates)
			}
			if i > 0 {
				want["refusal_rate_change"] = nullable(ref/refA-prevRefusal, refA > 0 && prevRefusal >= 0)
				want["grant_rate_change"] = nullable(gr/grA-prevGrant, grA > 0 && prevGrant >= 0)
			}
			prevRefusal, prevGrant = -1, -1
			if refA > 0 {
				prevRefusal = ref / refA
			}
			if grA > 0 {
				prevGrant = gr / grA
			}
			check(t, strconv.Itoa(y), rows[i], want, 0.0002)
		}
	}
	t.Run("province_trend", func(t *testing.T) {
		rows := wd.run(t, "province_trend", map[string]string{"province": "62", "from": "2016", "to": "2024"})
		trend(t, rows, func(ay *agencyYear) bool { return ay.a.Code(agency.LevelProvince) == "62" })
	})
	t.Run("national_trend", func(t *testing.T) {
		rows := wd.run(t, "national_trend", map[string]string{"level": "all", "from": "2016", "to": "2024"})
		trend(t, rows, func(*agencyYear) bool { return true })
		rows = wd.run(t, "national_trend", map[string]string{"level": "department", "from": "2016", "to": "2024"})
		trend(t, rows, func(ay *agencyYear) bool { return ay.a.Level == "department" })
	})

	t.Run("peer_ranking", func(t *testing.T) {
		rows := wd.run(t, "peer_ranking", map[string]string{"parent": county, "level": "department", "year": strconv.Itoa(year)})
		got := map[string]map[string]any{}
		for _, r := range rows {
			got[r["agency_id"].(string)] = r
		}
		var peers []*agencyYear
		for _, ay := range wd.all {
			if ay.year == year && ay.a.Level == "department" && ay.a.ParentID == county {
				peers = append(peers, ay)
			}
		}
		if len(rows) != len(peers) || len(peers) != 30 {
			t.Fatalf("%d rows, want %d (30 departments)", len(rows), len(peers))
		}
		lastRank := uint64(1)
		for _, r := range rows { // ordered by rank, unranked last
			if k := r["grant_rate_rank"].(uint64); k != 0 && k < lastRank || lastRank == 0 && k != 0 {
				t.Errorf("rows out of rank order at %v", r["agency_id"])
			} else {
				lastRank = k
			}
		}
		for _, ay := range peers {
			gr, grOK := grantRate(ay)
			rr, rrOK := refusalRate(ay)
			want := map[string]any{"present": ay.present, "requests_new": ay.valp(metrics.RequestsNew),
				"grant_rate": nullable(gr, grOK), "grant_rate_rank": rank(ay, peers, grantRate),
				"refusal_rate": nullable(rr, rrOK), "refusal_rate_rank": rank(ay, peers, refusalRate),
				"requests_rank": rank(ay, peers, requestsNew), "peers": countPresent(peers), "peers_expected": len(peers)}
			prev := wd.get(ay.a.ID, year-1)
			pg, pgOK := grantRate(prev)
			want["prev_grant_rate"] = nullable(pg, pgOK)
			want["grant_rate_change"] = nullable(gr-pg, grOK && pgOK)
			check(t, ay.a.ID, got[ay.a.ID], want, 0.0002)
		}
	})

	t.Run("refusal_reasons", func(t *testing.T) {
		rows := wd.run(t, "refusal_reasons", map[string]string{"region": city, "year": strconv.Itoa(year)})
		items := metrics.OutcomeGroups()[0].Items
		sums := map[string]float64{}
		reports, present, expected := 0, 0, 0
		all := 0.0
		for _, ay := range wd.all {
			if ay.year != year || ay.a.Code(agency.LevelCity) != city {
				continue
			}
			expected++
			if ay.present {
				present++
			}
			if _, ok := ay.val(items[0]); !ok {
				continue
			}
			reports++
			for _, m := range items {
				v, _ := ay.val(m)
				sums[strings.TrimPrefix(m, "outcome.refused.")] += v
				all += v
			}
		}
		if len(rows) != len(items) {
			t.Fatalf("%d rows, want %d", len(rows), len(items))
		}
		for i, r := range rows {
			reason := r["reason"].(string)
			check(t, reason, r, map[string]any{"refused": sums[reason], "all_refused": all, "share": sums[reason] / all,
				"reports": reports, "present": present, "expected": expected}, 0.0002)
			if i > 0 && r["refused"].(float64) > rows[i-1]["refused"].(float64) {
				t.Errorf("rows not in descending order at %s", reason)
			}
		}
	})

	t.Run("review_litigation", func(t *testing.T) {
		rows := wd.run(t, "review_litigation", map[string]string{"region": city, "from": "2016", "to": "2024"})
		if len(rows) != len(wd.years) {
			t.Fatalf("%d rows, want %d", len(rows), len(wd.years))
		}
		for i, y := range wd.years {
			var expected, present, rr, lr int
			var reviews, corrected, lawsuits, requests float64
			for _, ay := range wd.all {
				if ay.year != y || ay.a.Code(agency.LevelCity) != city {
					continue
				}
				expected++
				if ay.present {
					present++
				}
				rt, ok1 := ay.val(metrics.ReviewsTotal)
				rc, ok2 := ay.val("reviews.corrected")
				if ok1 && ok2 {
					rr++
					reviews += rt
					corrected += rc
				}
				lt, ok1 := ay.val(metrics.LawsuitsTotal)
				rn, ok2 := ay.val(metrics.RequestsNew)
				if ok1 && ok2 {
					lr++
					lawsuits += lt
					requests += rn
				}
			}
			want := map[string]any{"year": y, "expected": expected, "present": present, "review_reports": rr,
				"reviews": reviews, "corrected": corrected, "lawsuit_reports": lr, "lawsuits": lawsuits,
				"lawsuit_requests": requests, "lawsuits_per_100": nullable(100*lawsuits/requests, requests > 0),
				"correction_rate": nullable(corrected/reviews, reviews > 0)}
			check(t, strconv.Itoa(y), rows[i], want, 0.002)
		}
	})

	t.Run("completeness", func(t *testing.T) {
		rows := wd.run(t, "completeness", map[string]string{"region": city, "year": strconv.Itoa(year)})
		levels := []string{"city", "county", "township", "department"}
		if len(rows) != len(levels) {
			t.Fatalf("%d rows, want %d", len(rows), len(levels))
		}
		for i, l := range levels {
			var expected, present, missing, outcomes int
			for _, ay := range wd.all {
				if ay.year != year || ay.a.Code(agency.LevelCity) != city || ay.a.Level != l {
					continue
				}
				expected++
				if ay.present {
					present++
				}
				if wd.outcome(ay, compliance.RuleMissing) == compliance.Fail {
					missing++
				}
				if _, ok := ay.val(metrics.OutcomeTotal); ok {
					outcomes++
				}
			}
			check(t, l, rows[i], map[string]any{"level": l, "expected": expected, "present": present, "missing": missing,
				"pending": 0, "unexpected": 0, "with_outcomes": outcomes,
				"present_share": float64(present) / float64(expected)}, 0.0002)
		}
	})

	t.Run("as_published", func(t *testing.T) {
		day := time.Date(2024, time.March, 10, 0, 0, 0, 0, time.UTC)
		rows := wd.run(t, "as_published", map[string]string{"region": county, "year": strconv.Itoa(year), "date": day.Format(time.DateOnly)})
		got := map[string]map[string]any{}
		for _, r := range rows {
			got[r["agency_key"].(string)] = r
		}
		n, stale := 0, 0
		for _, ay := range wd.all {
			if ay.year != year || !inCounty(ay) || !ay.present {
				continue
			}
			b := wd.gen.Build(ay.plan)
			var id string
			for i, c := range b.Captures {
				if !truncDay(c.FetchedAt).After(day) {
					l := b.Loads[i]
					id = warehouse.ReportID(l.SourceURL, l.PayloadDigest, synth.ParserVersion)
				}
			}
			r, ok := got[ay.a.ID]
			if id == "" {
				if ok {
					t.Errorf("%s listed, but first captured %s", ay.a.ID, b.Captures[0].FetchedAt)
				}
				continue
			}
			n++
			if id != ay.reportID {
				stale++
			}
			if !ok {
				t.Errorf("%s not listed", ay.a.ID)
				continue
			}
			check(t, ay.a.ID, r, map[string]any{"report_id": id, "answered": ay.valp(metrics.OutcomeTotal)}, 0)
		}
		if len(rows) != n || n == 0 {
			t.Errorf("%d rows, want %d", len(rows), n)
		}
		t.Logf("%d reports out on %s, %d of them edited since", n, day.Format(time.DateOnly), stale)
	})

	t.Run("report_figures", func(t *testing.T) {
		var ay *agencyYear
		for _, x := range wd.all {
			if x.year == year && x.present && x.a.Level == "county" && !x.plan.NoData {
				ay = x
				break
			}
		}
		rows := wd.run(t, "report_figures", map[string]string{"report": ay.reportID})
		if len(rows) != len(ay.report.Facts) {
			t.Fatalf("%d rows, want %d facts", len(rows), len(ay.report.Facts))
		}
		byKey := map[string]parser.Fact{}
		for _, f := range ay.report.Facts {
			byKey[f.Metric+"|"+string(f.Applicant)] = f
		}
		for _, r := range rows {
			k := r["metric"].(string) + "|" + r["applicant"].(string)
			f, ok := byKey[k]
			if !ok {
				t.Errorf("unexpected figure %s", k)
				continue
			}
			check(t, k, r, map[string]any{"value": f.Value, "loc_table": f.Locator.Table, "loc_row": f.Locator.Row,
				"loc_column": f.Locator.Column, "loc_text": f.Locator.Text, "source_url": ay.plan.URL,
				"warc_file": fmt.Sprintf("synth-%d.warc.gz", year), "parser_version": synth.ParserVersion}, 0)
		}
	})

	t.Run("agency_history", func(t *testing.T) {
		id := county + "/靖远县教育局"
		rows := wd.run(t, "agency_history", map[string]string{"agency": id})
		if len(rows) != len(wd.years) {
			t.Fatalf("%d rows, want %d", len(rows), len(wd.years))
		}
		for i, y := range wd.years {
			ay := wd.get(id, y)
			gr, grOK := grantRate(ay)
			want := map[string]any{"year": y, "report_id": ay.reportID, "grant_rate": nullable(gr, grOK),
				"requests_new": ay.valp(metrics.RequestsNew)}
			for _, rule := range compliance.Rules() {
				want[rule] = wd.outcome(ay, rule)
			}
			if prev := wd.get(id, y-1); prev != nil {
				pg, pgOK := grantRate(prev)
				want["grant_rate_change"] = nullable(gr-pg, grOK && pgOK)
			}
			check(t, strconv.Itoa(y), rows[i], want, 0.0002)
		}
	})
}

// medianLow is quantileExact(0.5): the element at floor(0.5 n) of the
// sorted values.
func medianLow(sorted []float64) float64 { return sorted[len(sorted)/2] }

func anyList(xs []uint64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// TestEveryQueryIsTested keeps this file honest: a saved query added
// without a truth test fails.
func TestEveryQueryIsTested(t *testing.T) {
	src, err := os.ReadFile("truth_test.go")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if !strings.Contains(string(src), `t.Run("`+q.Name+`"`) {
			t.Errorf("saved query %s has no truth test", q.Name)
		}
	}
}
