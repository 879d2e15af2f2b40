package simulator

import (
	"math"
	"math/rand/v2"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// split is a figure per split applicant column, in metrics.SplitApplicants
// order.
type split [6]int

// books is what carries over from one year's figures to the next.
type books struct {
	carried split // requests carried forward into the next year
	inForce int   // 行政规范性文件 现行有效件数
	started bool
}

// either returns t for a township and c for a county.
func either[T any](township bool, t, c T) T {
	if township {
		return t
	}
	return c
}

// applicantProfile says how often a column has requests and how many.
type applicantProfile struct {
	p         float64 // chance of any requests
	base, add int     // base + IntN(add) when there are some
}

// profiles returns the request profiles of the six split columns for a
// township or a county.
func profiles(township bool) [6]applicantProfile {
	if township {
		return [6]applicantProfile{{0.45, 1, 3}, {0.12, 1, 3}, {0.02, 1, 1}, {0.03, 1, 1}, {0.06, 1, 2}, {0.06, 1, 2}}
	}
	return [6]applicantProfile{{0.95, 5, 60}, {0.6, 1, 15}, {0.1, 1, 2}, {0.1, 1, 3}, {0.3, 1, 5}, {0.3, 1, 6}}
}

// outcomeWeights returns the relative frequency of each outcome item, in
// outcomeItems order.
func outcomeWeights() []int {
	return []int{
		55, 8, // granted, partial
		1, 1, 1, 3, 2, 3, 1, 1, // refused items
		14, 2, 3, // unavailable items
		4, 3, 1, 1, 1, // not processed items
		2, 1, 2, // other items
	}
}

// outcomeItems returns the outcome rows that add up to outcome.total.
func outcomeItems() []string {
	items := []string{metrics.OutcomeGranted, metrics.OutcomePartial}
	for _, g := range metrics.OutcomeGroups() {
		items = append(items, g.Items...)
	}
	return items
}

// figureTables are the tables drawFigures works from, built once for a
// run of draws.
type figureTables struct {
	groups     []metrics.OutcomeGroup
	table3Rows []string
	items      []string
	weights    []int
	sumW       int
}

func newFigureTables() *figureTables {
	tb := &figureTables{groups: metrics.OutcomeGroups(), table3Rows: metrics.Table3Rows(), items: outcomeItems(), weights: outcomeWeights()}
	for _, w := range tb.weights {
		tb.sumW += w
	}
	return tb
}

// figureMode says how much of a year's figures drawFigures returns.
type figureMode int

const (
	// figuresNone returns none: replaying a stream up to the year wanted
	// needs only the random numbers consumed and the books.
	figuresNone figureMode = iota
	// figuresNarrative returns the five totals the narrative template
	// reads (proactive items, new requests, reviews, lawsuits, fees).
	figuresNarrative
	// figuresAll returns every figure.
	figuresAll
)

// drawFigures draws one year's complete, consistent figures for a body and
// updates its books. The result holds every figure any template may state
// (see render.Report.Values), or the part mode asks for: every mode
// consumes the same random numbers and updates the books the same way, as
// no draw depends on the figures' map.
func drawFigures(rng *rand.Rand, level gazetteer.Level, bk *books, mode figureMode, tb *figureTables) metrics.Values {
	township := level == gazetteer.LevelTownship
	light := mode == figuresNone
	var v metrics.Values
	switch mode {
	case figuresAll:
		v = make(metrics.Values, 7*len(metrics.Table3Rows())+32)
	case figuresNarrative:
		v = make(metrics.Values, 8)
	}
	// totals accumulates the split columns of each table 三 row, for
	// its Total column.
	totals := map[string]float64{}
	newRequests := 0.0
	set := func(m string, a metrics.Applicant, x float64) {
		switch mode {
		case figuresAll:
			v[metrics.Key{Metric: m, Applicant: a}] = x
			if a != metrics.Total {
				totals[m] += x
			}
		case figuresNarrative:
			switch {
			case m == metrics.RequestsNew && a != metrics.Total:
				newRequests += x
			case a == metrics.Total && (m == metrics.ProactiveItems || m == metrics.FeesAmount || m == metrics.ReviewsTotal || m == metrics.LawsuitsTotal):
				v[metrics.Key{Metric: m, Applicant: a}] = x
			}
		}
	}
	chance := func(p float64) bool { return rng.Float64() < p }

	if !bk.started {
		bk.started = true
		if township && chance(0.15) {
			bk.carried[0] = 1 + rng.IntN(2)
		} else if !township {
			bk.carried[0] = rng.IntN(8)
		}
		bk.inForce = rng.IntN(10)
		if !township {
			bk.inForce = 20 + rng.IntN(60)
		}
	}

	// Table 三, one split column at a time.
	groups, table3Rows, items, weights, sumW := tb.groups, tb.table3Rows, tb.items, tb.weights, tb.sumW
	var next split
	for i, a := range metrics.SplitApplicants() {
		pr := profiles(township)[i]
		n := 0
		if chance(pr.p) {
			n = pr.base + rng.IntN(pr.add)
			if i == 0 && chance(0.07) { // the odd busy year
				n += 10 + rng.IntN(90)
				if !township {
					n += rng.IntN(400)
				}
			}
		}
		carriedIn := bk.carried[i]
		avail := n + carriedIn
		out := 0
		if avail > 0 && chance(either(township, 0.15, 0.5)) {
			out = 1 + rng.IntN(min(avail, either(township, 3, 10)))
		}
		next[i] = out
		handled := avail - out
		var counts [32]int
		for range handled {
			r := rng.IntN(sumW)
			for k, w := range weights {
				if r < w {
					counts[k]++
					break
				}
				r -= w
			}
		}
		if light {
			continue
		}
		set(metrics.RequestsNew, a, float64(n))
		set(metrics.RequestsCarriedOver, a, float64(carriedIn))
		set(metrics.RequestsCarriedForward, a, float64(out))
		set(metrics.OutcomeTotal, a, float64(handled))
		for k, it := range items {
			set(it, a, float64(counts[k]))
		}
		k := 2 // items lists granted, partial, then each group's items in turn
		for _, g := range groups {
			sum := 0
			for range g.Items {
				sum += counts[k]
				k++
			}
			set(g.Code, a, float64(sum))
		}
	}
	bk.carried = next
	if mode == figuresAll {
		for _, m := range table3Rows {
			set(m, metrics.Total, totals[m])
		}
	}
	if mode == figuresNarrative {
		v[metrics.Key{Metric: metrics.RequestsNew, Applicant: metrics.Total}] = newRequests
	}

	// Table 四.
	pGroup := func(g string) [2]float64 { // township, county
		switch g {
		case metrics.GroupReviews:
			return [2]float64{0.05, 0.4}
		case metrics.GroupLawsuitsDirect:
			return [2]float64{0.03, 0.3}
		}
		return [2]float64{0.02, 0.2} // metrics.GroupLawsuitsAfterReview
	}
	reviewTotals := map[string]int{}
	for _, g := range metrics.ReviewGroups() {
		p := pGroup(g)[1]
		if township {
			p = pGroup(g)[0]
		}
		var r [4]int
		if chance(p) {
			r = [4]int{rng.IntN(3), rng.IntN(2), rng.IntN(2), rng.IntN(2)}
			if r == [4]int{} {
				r[0] = 1
			}
		}
		if light {
			continue
		}
		total := 0
		for k, name := range metrics.ReviewResults()[:4] {
			set(g+"."+name, metrics.Total, float64(r[k]))
			total += r[k]
		}
		set(g+"."+metrics.ResultTotal, metrics.Total, float64(total))
		reviewTotals[g] = total
	}
	set(metrics.ReviewsTotal, metrics.Total, float64(reviewTotals[metrics.GroupReviews]))
	set(metrics.LawsuitsTotal, metrics.Total, float64(reviewTotals[metrics.GroupLawsuitsDirect]+reviewTotals[metrics.GroupLawsuitsAfterReview]))

	// Proactive disclosure and fees.
	proactive := 20 + rng.IntN(250)
	if !township {
		proactive = 500 + rng.IntN(4000)
	} else if chance(0.1) {
		proactive = 300 + rng.IntN(700)
	}
	set(metrics.ProactiveItems, metrics.Total, float64(proactive))
	fees := 0
	if chance(either(township, 0.03, 0.1)) {
		fees = 10 * (1 + rng.IntN(50))
	}
	set(metrics.FeesAmount, metrics.Total, float64(fees))

	// Table 二 (2021 format). Townships and counties make no 规章.
	issued, repealed := 0, 0
	if township {
		if chance(0.3) {
			issued = 1 + rng.IntN(3)
		}
		if chance(0.15) {
			repealed = 1
		}
	} else {
		issued, repealed = 2+rng.IntN(15), rng.IntN(5)
	}
	repealed = min(repealed, bk.inForce+issued)
	bk.inForce += issued - repealed
	set(render.Table2RulesIssued, metrics.Total, 0)
	set(render.Table2RulesRepealed, metrics.Total, 0)
	set(render.Table2RulesInForce, metrics.Total, 0)
	set(render.Table2NormativeIssued, metrics.Total, float64(issued))
	set(render.Table2NormativeRepealed, metrics.Total, float64(repealed))
	set(render.Table2NormativeInForce, metrics.Total, float64(bk.inForce))
	licensing, penalty, coercion, feesWan := 0, 0, 0, 0.0
	if township {
		if chance(0.5) {
			licensing = rng.IntN(30)
		}
		if chance(0.3) {
			penalty = rng.IntN(20)
		}
		if chance(0.1) {
			coercion = rng.IntN(5)
		}
		if chance(0.1) {
			feesWan = math.Round(rng.Float64()*500) / 100
		}
	} else {
		licensing, penalty, coercion = 200+rng.IntN(3000), 50+rng.IntN(1500), rng.IntN(60)
		feesWan = math.Round(rng.Float64()*50000) / 100
	}
	set(render.Table2LicensingDecisions, metrics.Total, float64(licensing))
	set(render.Table2PenaltyDecisions, metrics.Total, float64(penalty))
	set(render.Table2CoercionDecisions, metrics.Total, float64(coercion))
	set(render.Table2FeesAmount, metrics.Total, feesWan)
	return v
}
