package crawler

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Config controls how the crawler fetches.
type Config struct {
	// UserAgent names the crawler; Contact is appended so portal operators
	// can reach whoever runs it.
	UserAgent string `mapstructure:"user_agent"`
	// Contact is an e-mail address or URL for portal operators.
	Contact string `mapstructure:"contact"`
	// Delay is the minimum time between the starts of two requests to the
	// same host.
	Delay time.Duration `mapstructure:"delay"`
	// Concurrency is how many requests may be in flight across all hosts.
	Concurrency int `mapstructure:"concurrency"`
	// MaxDepth bounds the link distance from a start URL (0 = unlimited).
	MaxDepth int `mapstructure:"max_depth"`
	// MaxBodySize is the largest payload accepted, in bytes.
	MaxBodySize int64 `mapstructure:"max_body_size"`
	// RequestTimeout bounds one request, headers and body.
	RequestTimeout time.Duration `mapstructure:"request_timeout"`
	// Retries is how many times a failed fetch is retried.
	Retries int `mapstructure:"retries"`
	// BackoffBase is the first retry's wait; each further retry doubles it,
	// with jitter, up to BackoffMax.
	BackoffBase time.Duration `mapstructure:"backoff_base"`
	// BackoffMax caps a retry's wait, including a server's Retry-After.
	BackoffMax time.Duration `mapstructure:"backoff_max"`
	// IgnoreRobots disables robots.txt. It is off by default: government
	// portals' rules are honoured, Crawl-delay included.
	IgnoreRobots bool `mapstructure:"ignore_robots"`
	// MaxCrawlDelay caps a robots.txt Crawl-delay, so one portal cannot
	// hold a crawl for days; the host is still asked no faster than Delay.
	MaxCrawlDelay time.Duration `mapstructure:"max_crawl_delay"`
	// BreakerThreshold is how many failed attempts in a row (errors, 5xx,
	// 429) open a host's circuit breaker: the host is left alone for
	// BreakerCooldown, doubled at each further opening, and given up for
	// the run after BreakerTrips openings. 0 disables the breaker.
	BreakerThreshold int           `mapstructure:"breaker_threshold"`
	BreakerCooldown  time.Duration `mapstructure:"breaker_cooldown"`
	BreakerTrips     int           `mapstructure:"breaker_trips"`
	// JournalSync is how often the frontier journal is fsynced.
	JournalSync time.Duration `mapstructure:"journal_sync"`
	// ReportYears is how many years back from the current one a Hanweb
	// annual-report form (xxgkAnnualReport.jsp?fbtime=YEAR) is enumerated.
	ReportYears int `mapstructure:"report_years"`
}

// DefaultConfig returns the settings used when none are given.
func DefaultConfig() Config {
	return Config{
		UserAgent:      "nianbao/0.1 (+government information disclosure annual report archive)",
		Contact:        "",
		Delay:          time.Second,
		Concurrency:    64,
		MaxDepth:       6,
		MaxBodySize:    64 << 20,
		RequestTimeout: 60 * time.Second,
		Retries:        3,
		BackoffBase:    time.Second,
		BackoffMax:     2 * time.Minute,

		MaxCrawlDelay:    time.Minute,
		BreakerThreshold: 8,
		BreakerCooldown:  time.Minute,
		BreakerTrips:     3,
		JournalSync:      time.Second,
		ReportYears:      18,
	}
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.UserAgent) == "" {
		errs = append(errs, errors.New("crawler.user_agent: must not be empty"))
	}
	if c.Contact != "" && !strings.HasPrefix(c.Contact, "http://") && !strings.HasPrefix(c.Contact, "https://") {
		if _, err := mail.ParseAddress(c.Contact); err != nil {
			errs = append(errs, fmt.Errorf("crawler.contact: %q is neither an e-mail address nor a URL", c.Contact))
		}
	}
	if c.Delay < 0 {
		errs = append(errs, fmt.Errorf("crawler.delay: %s is negative", c.Delay))
	}
	if c.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("crawler.concurrency: %d, must be at least 1", c.Concurrency))
	}
	if c.MaxDepth < 0 {
		errs = append(errs, fmt.Errorf("crawler.max_depth: %d is negative", c.MaxDepth))
	}
	if c.MaxBodySize < 1<<10 {
		errs = append(errs, fmt.Errorf("crawler.max_body_size: %d bytes, must be at least 1024", c.MaxBodySize))
	}
	if c.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("crawler.request_timeout: %s, must be positive", c.RequestTimeout))
	}
	if c.Retries < 0 {
		errs = append(errs, fmt.Errorf("crawler.retries: %d is negative", c.Retries))
	}
	if c.BackoffBase < 0 || c.BackoffMax < c.BackoffBase {
		errs = append(errs, fmt.Errorf("crawler.backoff_base/backoff_max: need 0 <= base (%s) <= max (%s)", c.BackoffBase, c.BackoffMax))
	}
	if c.MaxCrawlDelay < 0 {
		errs = append(errs, fmt.Errorf("crawler.max_crawl_delay: %s is negative", c.MaxCrawlDelay))
	}
	if c.BreakerThreshold < 0 || c.BreakerTrips < 0 || c.BreakerCooldown < 0 {
		errs = append(errs, fmt.Errorf("crawler.breaker_*: threshold %d, trips %d, cooldown %s must not be negative", c.BreakerThreshold, c.BreakerTrips, c.BreakerCooldown))
	}
	if c.JournalSync < 0 {
		errs = append(errs, fmt.Errorf("crawler.journal_sync: %s is negative", c.JournalSync))
	}
	if c.ReportYears < 0 || c.ReportYears > 100 {
		errs = append(errs, fmt.Errorf("crawler.report_years: %d, want 0 to 100", c.ReportYears))
	}
	return errors.Join(errs...)
}

// userAgent returns the User-Agent header value, with the contact.
func (c Config) userAgent() string {
	if c.Contact == "" {
		return c.UserAgent
	}
	return c.UserAgent + " contact: " + c.Contact
}
