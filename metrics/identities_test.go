package metrics

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// verifyReference is Verify as first written, before its code lists were
// built once per call; TestVerifyMatchesReference holds Verify to it.
func verifyReference(v Values) []Check {
	var out []Check
	add := func(name, metric string, a Applicant, expected float64, parts ...float64) {
		actual := 0.0
		for _, p := range parts {
			actual += p
		}
		out = append(out, Check{Name: name, Metric: metric, Applicant: a,
			OK: math.Abs(actual-expected) < 1e-6, Expected: expected, Actual: actual})
	}
	for _, a := range Applicants() {
		if xs, ok := v.allRef(a, RequestsNew, RequestsCarriedOver, OutcomeTotal, RequestsCarriedForward); ok {
			add(CheckRequestsBalance, "", a, xs[0]+xs[1], xs[2], xs[3])
		}
		if xs, ok := v.allRef(a, append([]string{OutcomeTotal}, OutcomeParts()...)...); ok {
			add(CheckOutcomeSum, OutcomeTotal, a, xs[0], xs[1:]...)
		}
		for _, g := range OutcomeGroups() {
			if xs, ok := v.allRef(a, append([]string{g.Code}, g.Items...)...); ok {
				add(CheckGroupSum, g.Code, a, xs[0], xs[1:]...)
			}
		}
	}
	for _, m := range Table3Rows() {
		if _, ok := v.allRef(Total, m); !ok {
			continue
		}
		stated := true
		for _, a := range SplitApplicants() {
			if _, ok := v.Get(m, a); !ok {
				stated = false
			}
		}
		if !stated {
			continue
		}
		parts := make([]float64, 0, 6)
		for _, a := range SplitApplicants() {
			x, _ := v.Get(m, a)
			parts = append(parts, x)
		}
		total, _ := v.Get(m, Total)
		add(CheckApplicantSum, m, Total, total, parts...)
	}
	for _, g := range ReviewGroups() {
		codes := make([]string, 0, 5)
		for _, r := range ReviewResults() {
			codes = append(codes, g+"."+r)
		}
		if xs, ok := v.allRef(Total, codes...); ok {
			add(CheckReviewSum, g+"."+ResultTotal, Total, xs[4], xs[:4]...)
		}
	}
	if xs, ok := v.allRef(Total, LawsuitsTotal, GroupLawsuitsDirect+"."+ResultTotal, GroupLawsuitsAfterReview+"."+ResultTotal); ok {
		add(CheckLawsuitsTotal, LawsuitsTotal, Total, xs[0], xs[1:]...)
	}
	return out
}

// all returns the figures for codes in column a, and whether every one is
// stated.
func (v Values) allRef(a Applicant, codes ...string) ([]float64, bool) {
	xs := make([]float64, len(codes))
	for i, c := range codes {
		x, ok := v.Get(c, a)
		if !ok {
			return nil, false
		}
		xs[i] = x
	}
	return xs, true
}

// randomValues returns figures for a random subset of the metrics Verify
// reads, consistent or not.
func randomValues(r *rand.Rand) Values {
	v := Values{}
	codes := append(Table3Rows(), LawsuitsTotal, ReviewsTotal)
	for _, g := range ReviewGroups() {
		for _, res := range ReviewResults() {
			codes = append(codes, g+"."+res)
		}
	}
	keep := r.Float64()
	for _, c := range codes {
		for _, a := range Applicants() {
			if r.Float64() < keep {
				v[Key{c, a}] = float64(r.IntN(4))
			}
		}
	}
	return v
}

// TestVerifyMatchesReference holds Verify, and one reused Figures set
// figure by figure, to verifyReference.
func TestVerifyMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	f := NewVerifier().Figures()
	for i := range 3000 {
		v := randomValues(r)
		want := verifyReference(v)
		if got := Verify(v); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: Verify = %+v\nwant %+v", i, got, want)
		}
		f.Reset()
		f.Set("no.such.metric", Total, 1)
		f.Set(RequestsNew, "no_such_column", 1)
		for k, x := range v {
			f.Set(k.Metric, k.Applicant, x)
		}
		if got := f.Verify(); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: Figures.Verify = %+v\nwant %+v", i, got, want)
		}
	}
}

// TestVerify checks a small report: what is evaluated, and what fails.
func TestVerify(t *testing.T) {
	v := Values{}
	set := func(m string, a Applicant, x float64) { v[Key{m, a}] = x }
	for _, a := range Applicants() {
		set(RequestsNew, a, 2)
		set(RequestsCarriedOver, a, 1)
		set(OutcomeTotal, a, 3)
		set(RequestsCarriedForward, a, 0)
	}
	set(RequestsNew, Total, 12)        // the six columns sum to 12
	set(RequestsCarriedOver, Total, 5) // but to 6 here
	set(RequestsCarriedForward, Total, 0)
	set(OutcomeTotal, Total, 17)
	for _, res := range ReviewResults()[:4] {
		set(GroupReviews+"."+res, Total, 1)
	}
	set(GroupReviews+"."+ResultTotal, Total, 4)
	got := map[string]int{}
	failed := map[string]bool{}
	for _, c := range Verify(v) {
		got[c.Name]++
		if !c.OK {
			failed[c.Name+" "+c.Metric+" "+string(c.Applicant)] = true
		}
	}
	want := map[string]int{CheckRequestsBalance: 7, CheckApplicantSum: 4, CheckReviewSum: 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("checks evaluated = %v, want %v", got, want)
	}
	wantFailed := map[string]bool{
		"applicant_sum requests.carried_over total": true,
		"applicant_sum outcome.total total":         true,
	}
	if !reflect.DeepEqual(failed, wantFailed) {
		t.Errorf("failed checks = %v, want %v", failed, wantFailed)
	}
}
