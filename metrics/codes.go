package metrics

// Applicant is a column of table 三: who filed the request.
type Applicant string

// The applicant columns of table 三, in template order. Total is also used
// for every figure that has no applicant split (narrative reports, table 四).
const (
	NaturalPerson Applicant = "natural_person"
	Business      Applicant = "business"
	Research      Applicant = "research"
	Nonprofit     Applicant = "nonprofit"
	LegalService  Applicant = "legal_service"
	OtherOrg      Applicant = "other_org"
	Total         Applicant = "total"
)

// Applicants returns the seven columns of table 三 in template order, with
// Total last.
func Applicants() []Applicant {
	return []Applicant{NaturalPerson, Business, Research, Nonprofit, LegalService, OtherOrg, Total}
}

// SplitApplicants returns the six columns whose sum is the Total column.
func SplitApplicants() []Applicant {
	return []Applicant{NaturalPerson, Business, Research, Nonprofit, LegalService, OtherOrg}
}

// Requests and outcomes (table 三 rows).
const (
	RequestsNew            = "requests.new"
	RequestsCarriedOver    = "requests.carried_over"
	RequestsCarriedForward = "requests.carried_forward"

	OutcomeGranted = "outcome.granted"
	OutcomePartial = "outcome.partial"

	OutcomeRefused                  = "outcome.refused"
	OutcomeRefusedStateSecret       = "outcome.refused.state_secret"
	OutcomeRefusedLawProhibited     = "outcome.refused.law_prohibited"
	OutcomeRefusedSecurityStability = "outcome.refused.security_stability"
	OutcomeRefusedThirdParty        = "outcome.refused.third_party"
	OutcomeRefusedInternalAffairs   = "outcome.refused.internal_affairs"
	OutcomeRefusedProcessInfo       = "outcome.refused.process_info"
	OutcomeRefusedEnforcementFile   = "outcome.refused.enforcement_file"
	OutcomeRefusedInquiry           = "outcome.refused.inquiry"

	OutcomeUnavailable              = "outcome.unavailable"
	OutcomeUnavailableNotHeld       = "outcome.unavailable.not_held"
	OutcomeUnavailableNeedsCreation = "outcome.unavailable.needs_creation"
	OutcomeUnavailableUnclear       = "outcome.unavailable.unclear"

	OutcomeNotProcessed             = "outcome.not_processed"
	OutcomeNotProcessedPetition     = "outcome.not_processed.petition"
	OutcomeNotProcessedRepeat       = "outcome.not_processed.repeat"
	OutcomeNotProcessedPublication  = "outcome.not_processed.publication"
	OutcomeNotProcessedExcessive    = "outcome.not_processed.excessive"
	OutcomeNotProcessedConfirmation = "outcome.not_processed.confirmation"

	OutcomeOther                  = "outcome.other"
	OutcomeOtherOverdueCorrection = "outcome.other.overdue_correction"
	OutcomeOtherUnpaidFee         = "outcome.other.unpaid_fee"
	OutcomeOtherOther             = "outcome.other.other"

	OutcomeTotal = "outcome.total"
)

// Reviews and lawsuits (table 四), proactive disclosure and fees.
const (
	ReviewsTotal  = "reviews.total"
	LawsuitsTotal = "lawsuits.total"

	ProactiveItems = "proactive.items"
	FeesAmount     = "fees.amount"
)

// Table 四 groups and their result columns. A code is Group + "." + Result,
// e.g. "lawsuits.direct.corrected".
const (
	GroupReviews             = "reviews"
	GroupLawsuitsDirect      = "lawsuits.direct"
	GroupLawsuitsAfterReview = "lawsuits.after_review"

	ResultUpheld    = "upheld"
	ResultCorrected = "corrected"
	ResultOther     = "other"
	ResultPending   = "pending"
	ResultTotal     = "total"
)

// ReviewGroups returns the three table 四 groups in template order.
func ReviewGroups() []string {
	return []string{GroupReviews, GroupLawsuitsDirect, GroupLawsuitsAfterReview}
}

// ReviewResults returns the five result columns of a table 四 group in
// template order, Total last.
func ReviewResults() []string {
	return []string{ResultUpheld, ResultCorrected, ResultOther, ResultPending, ResultTotal}
}

// OutcomeGroup is a table 三 outcome row whose value is the sum of its items.
type OutcomeGroup struct {
	// Code is the group's metric code, e.g. OutcomeRefused.
	Code string
	// Items are the group's item codes in template order.
	Items []string
}

// OutcomeGroups returns the outcome groups with items, in template order.
// The 2019 template prints （六）其他处理 as a single row; the 2021 template
// splits it into the three items listed here.
func OutcomeGroups() []OutcomeGroup {
	return []OutcomeGroup{
		{OutcomeRefused, []string{
			OutcomeRefusedStateSecret, OutcomeRefusedLawProhibited, OutcomeRefusedSecurityStability,
			OutcomeRefusedThirdParty, OutcomeRefusedInternalAffairs, OutcomeRefusedProcessInfo,
			OutcomeRefusedEnforcementFile, OutcomeRefusedInquiry,
		}},
		{OutcomeUnavailable, []string{
			OutcomeUnavailableNotHeld, OutcomeUnavailableNeedsCreation, OutcomeUnavailableUnclear,
		}},
		{OutcomeNotProcessed, []string{
			OutcomeNotProcessedPetition, OutcomeNotProcessedRepeat, OutcomeNotProcessedPublication,
			OutcomeNotProcessedExcessive, OutcomeNotProcessedConfirmation,
		}},
		{OutcomeOther, []string{
			OutcomeOtherOverdueCorrection, OutcomeOtherUnpaidFee, OutcomeOtherOther,
		}},
	}
}

// OutcomeParts returns the six outcome rows whose sum is OutcomeTotal.
func OutcomeParts() []string {
	return []string{OutcomeGranted, OutcomePartial, OutcomeRefused, OutcomeUnavailable, OutcomeNotProcessed, OutcomeOther}
}
