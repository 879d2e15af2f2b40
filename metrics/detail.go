package metrics

import (
	"fmt"
	"strconv"
)

// Detail describes the check in words for people reading a report's checks,
// e.g. "requests_balance [total]: printed 3153, parts sum to 3153".
func (c Check) Detail() string {
	subject := c.Name
	if c.Metric != "" {
		subject += " " + c.Metric
	}
	s := fmt.Sprintf("%s [%s]: printed %s, parts sum to %s", subject, c.Applicant, formatFigure(c.Expected), formatFigure(c.Actual))
	if !c.OK {
		s += fmt.Sprintf(" (off by %s)", formatFigure(c.Delta()))
	}
	return s
}

// formatFigure prints a figure without a trailing ".0".
func formatFigure(x float64) string {
	return strconv.FormatFloat(x, 'f', -1, 64)
}
