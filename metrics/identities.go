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
// evaluated: absence is not zero. The result is in a stable order. It
// compiles a Verifier per call; NewVerifier's is reused across reports.
func Verify(v Values) []Check {
	return NewVerifier().VerifyFunc(v.Get)
}

// Column returns the index of applicant column a in Applicants(), or -1
// when a is not one of them.
func Column(a Applicant) int {
	switch a {
	case NaturalPerson:
		return 0
	case Business:
		return 1
	case Research:
		return 2
	case Nonprofit:
		return 3
	case LegalService:
		return 4
	case OtherOrg:
		return 5
	case Total:
		return 6
	}
	return -1
}

// columns is the number of applicant columns (len(Applicants())).
const columns = 7

// Verifier evaluates the identities of spec/metrics.md, compiled once: each
// term is a slot (metric row × applicant column) of a dense table that
// Figures fills. Build one with NewVerifier and reuse it; it is immutable
// and safe for concurrent use.
type Verifier struct {
	rows       map[string]int32 // metric → row of slots
	metrics    []string         // row → metric
	identities []identity
}

// identity is one identity for one applicant column, over slots: Expected
// is the sum of the expected slots, Actual of the parts, each added in
// order from the first.
type identity struct {
	name, metric    string
	applicant       Applicant
	expected, parts []int32
}

// NewVerifier compiles the identities, in the order Verify reports them:
// per applicant column the requests balance, the outcome sum and the group
// sums; then the applicant sums of the table 三 rows; then the table 四
// result sums and the lawsuit total.
func NewVerifier() *Verifier {
	v := &Verifier{rows: make(map[string]int32, 64)}
	slots := func(a Applicant, codes ...string) []int32 {
		out := make([]int32, len(codes))
		for i, c := range codes {
			r, ok := v.rows[c]
			if !ok {
				r = int32(len(v.metrics))
				v.rows[c] = r
				v.metrics = append(v.metrics, c)
			}
			out[i] = r*columns + int32(Column(a))
		}
		return out
	}
	add := func(name, metric string, a Applicant, expected, parts []int32) {
		v.identities = append(v.identities, identity{name: name, metric: metric, applicant: a, expected: expected, parts: parts})
	}
	groups := OutcomeGroups()
	for _, a := range Applicants() {
		b := slots(a, RequestsNew, RequestsCarriedOver, OutcomeTotal, RequestsCarriedForward)
		add(CheckRequestsBalance, "", a, b[:2], b[2:])
		o := slots(a, append([]string{OutcomeTotal}, OutcomeParts()...)...)
		add(CheckOutcomeSum, OutcomeTotal, a, o[:1], o[1:])
		for _, g := range groups {
			s := slots(a, append([]string{g.Code}, g.Items...)...)
			add(CheckGroupSum, g.Code, a, s[:1], s[1:])
		}
	}
	for _, m := range Table3Rows() {
		s := make([]int32, 0, columns)
		for _, a := range Applicants() { // Total last
			s = append(s, slots(a, m)[0])
		}
		add(CheckApplicantSum, m, Total, s[columns-1:], s[:columns-1])
	}
	for _, g := range ReviewGroups() {
		var codes []string
		for _, r := range ReviewResults() { // Total last
			codes = append(codes, g+"."+r)
		}
		s := slots(Total, codes...)
		add(CheckReviewSum, codes[len(codes)-1], Total, s[len(s)-1:], s[:len(s)-1])
	}
	s := slots(Total, LawsuitsTotal, GroupLawsuitsDirect+"."+ResultTotal, GroupLawsuitsAfterReview+"."+ResultTotal)
	add(CheckLawsuitsTotal, LawsuitsTotal, Total, s[:1], s[1:])
	return v
}

// Figures is one report's figures in a Verifier's slots. Set them, then
// Verify; Reset readies it for the next report. A Figures is not safe for
// concurrent use.
type Figures struct {
	v   *Verifier
	val []float64
	has []bool
}

// Figures returns an empty Figures for v.
func (v *Verifier) Figures() *Figures {
	n := len(v.metrics) * columns
	return &Figures{v: v, val: make([]float64, n), has: make([]bool, n)}
}

// Set records the figure x for metric in column a, replacing one set
// before. Figures no identity reads are ignored.
func (f *Figures) Set(metric string, a Applicant, x float64) {
	r, ok := f.v.rows[metric]
	c := Column(a)
	if !ok || c < 0 {
		return
	}
	s := int(r)*columns + c
	f.val[s], f.has[s] = x, true
}

// Reset forgets every figure set.
func (f *Figures) Reset() {
	clear(f.has)
}

// stated reports whether every slot of s is set.
func (f *Figures) stated(s []int32) bool {
	for _, i := range s {
		if !f.has[i] {
			return false
		}
	}
	return true
}

// Verify evaluates every identity whose terms are all set, in the
// Verifier's order; nil when none is.
func (f *Figures) Verify() []Check {
	n := 0
	for i := range f.v.identities {
		id := &f.v.identities[i]
		if f.stated(id.expected) && f.stated(id.parts) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Check, 0, n)
	for i := range f.v.identities {
		id := &f.v.identities[i]
		if !f.stated(id.expected) || !f.stated(id.parts) {
			continue
		}
		expected := f.val[id.expected[0]]
		for _, s := range id.expected[1:] {
			expected += f.val[s]
		}
		actual := 0.0
		for _, s := range id.parts {
			actual += f.val[s]
		}
		out = append(out, Check{Name: id.name, Metric: id.metric, Applicant: id.applicant,
			OK: math.Abs(actual-expected) < 1e-6, Expected: expected, Actual: actual})
	}
	return out
}

// VerifyFunc evaluates the identities over the figures get reports: the
// figure of metric in column a and whether the report states it. get is
// asked once for every term of every identity.
func (v *Verifier) VerifyFunc(get func(metric string, a Applicant) (float64, bool)) []Check {
	f := v.Figures()
	for r, m := range v.metrics {
		for c, a := range Applicants() {
			if x, ok := get(m, a); ok {
				s := r*columns + c
				f.val[s], f.has[s] = x, true
			}
		}
	}
	return f.Verify()
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
