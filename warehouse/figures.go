package warehouse

// figure is a core figure of a report (its Total column) that report rows
// carry as a column of its own, so comparisons never pivot the facts.
type figure struct {
	column string // the column in report_rows, agency_years…
	metric string // the metric code it holds
}

// figures returns the core figures in column order. The list is the
// shape of report_rows and agency_years since migration 5; a test
// checks it against the migrated tables.
func figures() []figure {
	return []figure{
		{"requests_new", "requests.new"},
		{"requests_carried_over", "requests.carried_over"},
		{"granted", "outcome.granted"},
		{"partial", "outcome.partial"},
		{"refused", "outcome.refused"},
		{"refused_state_secret", "outcome.refused.state_secret"},
		{"refused_law_prohibited", "outcome.refused.law_prohibited"},
		{"refused_security_stability", "outcome.refused.security_stability"},
		{"refused_third_party", "outcome.refused.third_party"},
		{"refused_internal_affairs", "outcome.refused.internal_affairs"},
		{"refused_process_info", "outcome.refused.process_info"},
		{"refused_enforcement_file", "outcome.refused.enforcement_file"},
		{"refused_inquiry", "outcome.refused.inquiry"},
		{"unavailable", "outcome.unavailable"},
		{"not_processed", "outcome.not_processed"},
		{"other_handling", "outcome.other"},
		{"answered", "outcome.total"},
		{"carried_forward", "requests.carried_forward"},
		{"reviews_upheld", "reviews.upheld"},
		{"reviews_corrected", "reviews.corrected"},
		{"reviews_other", "reviews.other"},
		{"reviews_pending", "reviews.pending"},
		{"reviews_total", "reviews.total"},
		{"lawsuits_direct_total", "lawsuits.direct.total"},
		{"lawsuits_after_review_total", "lawsuits.after_review.total"},
		{"lawsuits_total", "lawsuits.total"},
		{"proactive_items", "proactive.items"},
		{"fees_amount", "fees.amount"},
	}
}
