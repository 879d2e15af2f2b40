package metrics

import "math"

// Key identifies one figure of a report: a metric in one applicant column.
type Key struct {
	Metric    string
	Applicant Applicant
}

// Values holds a report's figures. A figure the report does not state is
// absent from the map, never zero.
type Values map[Key]float64

// Get returns the figure for metric in column a and whether it is stated.
func (v Values) Get(metric string, a Applicant) (float64, bool) {
	x, ok := v[Key{metric, a}]
	return x, ok
}

// Check is the outcome of one identity for one applicant column.
type Check struct {
	// Name is the identity, e.g. "requests_balance" or "applicant_sum".
	Name string `json:"name"`
	// Metric is the metric the identity is about, when it concerns one
	// (the group of a group sum, the row of an applicant sum).
	Metric string `json:"metric,omitempty"`
	// Applicant is the column checked.
	Applicant Applicant `json:"applicant"`
	// OK reports whether Expected equals Actual.
	OK bool `json:"ok"`
	// Expected is the side of the identity the report prints as a total.
	Expected float64 `json:"expected"`
	// Actual is the sum of the parts as printed.
	Actual float64 `json:"actual"`
}

// Delta returns Actual minus Expected.
func (c Check) Delta() float64 { return c.Actual - c.Expected }

// Identity names used in Check.Name.
const (
	CheckRequestsBalance = "requests_balance"
	CheckOutcomeSum      = "outcome_sum"
	CheckGroupSum        = "group_sum"
	CheckApplicantSum    = "applicant_sum"
	CheckReviewSum       = "review_sum"
	CheckLawsuitsTotal   = "lawsuits_total"
)

// Verify evaluates every identity of spec/metrics.md whose terms the report
// states, per applicant column. An identity with any term absent is not
// evaluated: absence is not zero. The result is in a stable order.
func Verify(v Values) []Check {
	return VerifyFunc(v.Get)
}

// VerifyFunc is Verify over the figures get reports: the figure of metric
// in column a and whether the report states it. It lets a caller that
// keeps its figures in another structure verify them without building
// Values.
func VerifyFunc(get func(metric string, a Applicant) (float64, bool)) []Check {
	v := getter(get)
	out := make([]Check, 0, 96) // a full table 三 and 四 give 71
	add := func(name, metric string, a Applicant, expected float64, parts ...float64) {
		actual := 0.0
		for _, p := range parts {
			actual += p
		}
		out = append(out, Check{Name: name, Metric: metric, Applicant: a,
			OK: math.Abs(actual-expected) < 1e-6, Expected: expected, Actual: actual})
	}
	// The code lists are built once per call, the figures read into buf.
	var buf [16]float64
	balance := []string{RequestsNew, RequestsCarriedOver, OutcomeTotal, RequestsCarriedForward}
	outcome := append([]string{OutcomeTotal}, OutcomeParts()...)
	groups := OutcomeGroups()
	groupCodes := make([][]string, len(groups))
	for i, g := range groups {
		groupCodes[i] = append([]string{g.Code}, g.Items...)
	}
	applicants := Applicants()
	for _, a := range applicants {
		if xs, ok := v.allInto(buf[:0], a, balance); ok {
			add(CheckRequestsBalance, "", a, xs[0]+xs[1], xs[2], xs[3])
		}
		if xs, ok := v.allInto(buf[:0], a, outcome); ok {
			add(CheckOutcomeSum, OutcomeTotal, a, xs[0], xs[1:]...)
		}
		for i, g := range groups {
			if xs, ok := v.allInto(buf[:0], a, groupCodes[i]); ok {
				add(CheckGroupSum, g.Code, a, xs[0], xs[1:]...)
			}
		}
	}
	// Applicant sums: each table 三 row stated in all seven columns, read
	// once (applicants ends with Total).
	for _, m := range Table3Rows() {
		if xs, ok := v.columnsInto(buf[:0], m, applicants); ok {
			add(CheckApplicantSum, m, Total, xs[6], xs[:6]...)
		}
	}
	results := ReviewResults()
	var codes [5]string // len(ReviewResults())
	for _, g := range ReviewGroups() {
		for i, r := range results {
			codes[i] = g + "." + r
		}
		if xs, ok := v.allInto(buf[:0], Total, codes[:]); ok {
			add(CheckReviewSum, codes[4], Total, xs[4], xs[:4]...)
		}
	}
	if xs, ok := v.allInto(buf[:0], Total, []string{LawsuitsTotal, GroupLawsuitsDirect + "." + ResultTotal, GroupLawsuitsAfterReview + "." + ResultTotal}); ok {
		add(CheckLawsuitsTotal, LawsuitsTotal, Total, xs[0], xs[1:]...)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// getter reads figures for Verify.
type getter func(metric string, a Applicant) (float64, bool)

// Get returns the figure for metric in column a and whether it is stated.
func (g getter) Get(metric string, a Applicant) (float64, bool) { return g(metric, a) }

// allInto appends the figures for codes in column a to xs, and reports
// whether every one is stated.
func (v getter) allInto(xs []float64, a Applicant, codes []string) ([]float64, bool) {
	for _, c := range codes {
		x, ok := v.Get(c, a)
		if !ok {
			return nil, false
		}
		xs = append(xs, x)
	}
	return xs, true
}

// columnsInto appends metric's figures in columns as to xs, and reports
// whether every one is stated.
func (v getter) columnsInto(xs []float64, metric string, as []Applicant) ([]float64, bool) {
	for _, a := range as {
		x, ok := v.Get(metric, a)
		if !ok {
			return nil, false
		}
		xs = append(xs, x)
	}
	return xs, true
}

// Table3Rows returns every table 三 metric in template order: the request
// rows, each outcome row and item, the outcome total and the carried-forward
// row.
func Table3Rows() []string {
	rows := []string{RequestsNew, RequestsCarriedOver, OutcomeGranted, OutcomePartial}
	for _, g := range OutcomeGroups() {
		rows = append(rows, g.Code)
		rows = append(rows, g.Items...)
	}
	return append(rows, OutcomeTotal, RequestsCarriedForward)
}
