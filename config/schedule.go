package config

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Schedule says when `nianbao schedule` runs incremental crawls.
type Schedule struct {
	// Cron holds one or more standard five-field cron expressions
	// ("minute hour day-of-month month day-of-week"), separated by ";".
	// Empty means the legal calendar: reports are due by 31 January
	// (departments) and 31 March (governments), so crawl daily from
	// January to April and weekly otherwise.
	Cron string `mapstructure:"cron"`
	// Timezone is the IANA zone the expressions are read in.
	Timezone string `mapstructure:"timezone"`
	// StopTimeout bounds how long a stopping scheduler waits for the crawl
	// under way to save its state.
	StopTimeout time.Duration `mapstructure:"stop_timeout"`
}

// LegalCalendar is the default schedule: 03:00 every day from January to
// April, 03:00 every Monday from May to December.
const LegalCalendar = "0 3 * 1-4 *; 0 3 * 5-12 1"

// DefaultSchedule returns the schedule used when none is configured.
func DefaultSchedule() Schedule {
	return Schedule{Cron: "", Timezone: "Asia/Shanghai", StopTimeout: time.Minute}
}

// Specs returns the cron expressions, the legal calendar's when none are
// set.
func (s Schedule) Specs() []string {
	raw := s.Cron
	if strings.TrimSpace(raw) == "" {
		raw = LegalCalendar
	}
	var out []string
	for _, spec := range strings.Split(raw, ";") {
		if spec = strings.Join(strings.Fields(spec), " "); spec != "" {
			out = append(out, spec)
		}
	}
	return out
}

// Validate reports every problem with s. Cron syntax is checked when the
// scheduler reads the expressions.
func (s Schedule) Validate() error {
	var errs []error
	for _, spec := range s.Specs() {
		if n := len(strings.Fields(spec)); n != 5 {
			errs = append(errs, fmt.Errorf("schedule.cron: %q has %d fields, want 5", spec, n))
		}
	}
	if _, err := time.LoadLocation(s.Timezone); err != nil {
		errs = append(errs, fmt.Errorf("schedule.timezone: %w", err))
	}
	if s.StopTimeout <= 0 {
		errs = append(errs, fmt.Errorf("schedule.stop_timeout: %s, must be positive", s.StopTimeout))
	}
	return errors.Join(errs...)
}
