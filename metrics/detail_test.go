package metrics

import "testing"

func TestCheckDetail(t *testing.T) {
	tests := []struct {
		c    Check
		want string
	}{
		{Check{Name: CheckRequestsBalance, Applicant: Total, OK: true, Expected: 3153, Actual: 3153},
			"requests_balance [total]: printed 3153, parts sum to 3153"},
		{Check{Name: CheckApplicantSum, Metric: RequestsNew, Applicant: Total, Expected: 5, Actual: 4},
			"applicant_sum requests.new [total]: printed 5, parts sum to 4 (off by -1)"},
		{Check{Name: CheckGroupSum, Metric: OutcomeRefused, Applicant: NaturalPerson, OK: true, Expected: 0.5, Actual: 0.5},
			"group_sum outcome.refused [natural_person]: printed 0.5, parts sum to 0.5"},
	}
	for _, tt := range tests {
		if got := tt.c.Detail(); got != tt.want {
			t.Errorf("Detail() = %q, want %q", got, tt.want)
		}
	}
}
