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
	// portals' rules are honoured.
	IgnoreRobots bool `mapstructure:"ignore_robots"`
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
	return errors.Join(errs...)
}

// userAgent returns the User-Agent header value, with the contact.
func (c Config) userAgent() string {
	if c.Contact == "" {
		return c.UserAgent
	}
	return c.UserAgent + " contact: " + c.Contact
}
