package warehouse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestDefaultConfigValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	if c.DSN != "chdb://./nianbao-data/warehouse" {
		t.Errorf("default DSN = %q", c.DSN)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
		want string // substring of the error; "" means valid
	}{
		{"chdb relative", "chdb://./data/wh", ""},
		{"chdb absolute", "chdb:///var/lib/nianbao", ""},
		{"chdb bare relative", "chdb://data", ""},
		{"server", "clickhouse://127.0.0.1:9000/nianbao", ""},
		{"server with auth and settings", "clickhouse://u:p@h:9000/db?dial_timeout=5s", ""},
		{"empty", "", "empty"},
		{"no scheme", "./data", "want chdb://DIR"},
		{"unknown scheme", "postgres://h:5432/db", `unknown scheme "postgres"`},
		{"http", "http://h:8123/db", "HTTP is not supported"},
		{"chdb without dir", "chdb://", "needs a directory"},
		{"chdb with params", "chdb://./x?a=b", "takes no parameters"},
		{"server without port", "clickhouse://h/db", "missing port"},
		{"server without db", "clickhouse://h:9000", "missing database"},
		{"server bad db", "clickhouse://h:9000/no-dashes", "database name"},
		{"server no host", "clickhouse:///db", "missing host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.DSN = tt.dsn
			err := c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want nil", tt.dsn, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate(%q) = %v, want an error mentioning %q", tt.dsn, err, tt.want)
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("Validate(%q) error does not match ErrInvalidConfig", tt.dsn)
			}
		})
	}
}

func TestConfigValidateJoinsProblems(t *testing.T) {
	c := Config{DSN: "nope", BatchSize: 0, DialTimeout: -1}
	err := c.Validate()
	for _, want := range []string{"dsn", "batch_size", "dial_timeout"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %s", err, want)
		}
	}
}

func TestRedaction(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"clickhouse://user:s3cret@h:9000/db", "clickhouse://user:xxxxx@h:9000/db"},
		{"clickhouse://h:9000/db?username=u&password=s3cret", "clickhouse://h:9000/db?password=xxxxx&username=u"},
		{"clickhouse://user@h:9000/db", "clickhouse://user@h:9000/db"},
		{"clickhouse://u:p%40ss@h:9000/db", "clickhouse://u:xxxxx@h:9000/db"},
		{"chdb://./data", "chdb://./data"},
	}
	for _, tt := range tests {
		if got := redactDSN(tt.dsn); got != tt.want {
			t.Errorf("redactDSN(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
		c := DefaultConfig()
		c.DSN = tt.dsn
		for _, s := range []string{c.String(), fmt.Sprint(c), c.LogValue().String()} {
			if strings.Contains(s, "s3cret") || strings.Contains(s, "p%40ss") {
				t.Errorf("printed config %q leaks the password", s)
			}
		}
	}
	// A malformed DSN's error must not leak it either.
	c := DefaultConfig()
	c.DSN = "clickhouse://u:s3cret@h:9000/db%zz"
	if err := c.Validate(); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Validate() = %v, want an error without the password", err)
	}
}
