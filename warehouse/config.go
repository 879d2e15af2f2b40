package warehouse

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/nianbao/nianbao/warehouse/compliance"
)

// DSN schemes.
const (
	// SchemeCHDB selects the embedded engine: chdb://DIR, DIR a data
	// directory, relative (chdb://./data) or absolute (chdb:///var/lib/x).
	SchemeCHDB = "chdb"
	// SchemeClickHouse selects a ClickHouse server over the native protocol:
	// clickhouse://[user[:password]@]host:port/database[?setting=value].
	SchemeClickHouse = "clickhouse"
)

// DefaultDSN is the embedded warehouse in the working directory.
const DefaultDSN = "chdb://./nianbao-data/warehouse"

// Config configures a warehouse. The zero value is not valid; start from
// DefaultConfig.
type Config struct {
	// DSN names the warehouse: chdb://DIR for the embedded engine or
	// clickhouse://host:port/db for a server. It may hold a password; print
	// Redacted() or the Config itself (String and LogValue redact it).
	DSN string `mapstructure:"dsn" yaml:"dsn" json:"dsn"`
	// BatchSize is the most rows sent in one INSERT.
	BatchSize int `mapstructure:"batch_size" yaml:"batch_size" json:"batch_size"`
	// DialTimeout bounds connecting to a server (not used by chdb).
	DialTimeout time.Duration `mapstructure:"dial_timeout" yaml:"dial_timeout" json:"dial_timeout"`
	// ReadTimeout bounds waiting for a server's reply (not used by chdb).
	ReadTimeout time.Duration `mapstructure:"read_timeout" yaml:"read_timeout" json:"read_timeout"`
	// CHDBLibrary is the path of libchdb.so. Empty means search:
	// $CHDB_LIB_PATH, then .deps/chdb/libchdb.so relative to the working
	// directory, to the executable's directory and to its parent, then
	// /usr/local/lib/libchdb.so, then the dynamic loader's own search.
	CHDBLibrary string `mapstructure:"chdb_library" yaml:"chdb_library" json:"chdb_library"`
	// HTTPPort is the port of a server's HTTP interface, which Export
	// streams from (the native protocol carries no formatted output); the
	// host is the DSN's. Not used by chdb.
	HTTPPort int `mapstructure:"http_port" yaml:"http_port" json:"http_port"`
	// Cluster, when its Name is set, puts the warehouse on a ClickHouse
	// cluster (clickhouse:// only): DDL ON CLUSTER, replicated tables,
	// Distributed tables over them.
	Cluster ClusterConfig `mapstructure:"cluster" yaml:"cluster" json:"cluster"`
	// Compliance sets the deadlines and grace period Refresh judges
	// reports by.
	Compliance compliance.Config `mapstructure:"compliance" yaml:"compliance" json:"compliance"`
}

// DefaultConfig returns the configuration of the embedded warehouse in
// ./nianbao-data/warehouse.
func DefaultConfig() Config {
	return Config{
		DSN:         DefaultDSN,
		BatchSize:   100_000,
		DialTimeout: 10 * time.Second,
		ReadTimeout: 5 * time.Minute,
		HTTPPort:    8123,
		Cluster:     DefaultClusterConfig(),
		Compliance:  compliance.DefaultConfig(),
	}
}

// ErrInvalidConfig is matched (errors.Is) by every error Validate returns.
var ErrInvalidConfig = errors.New("invalid warehouse config")

// Validate reports every problem with c, joined, each matching
// ErrInvalidConfig. It does not contact the warehouse.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if _, err := parseDSN(c.DSN); err != nil {
		bad("dsn %s: %v", redactDSN(c.DSN), err)
	}
	if c.BatchSize <= 0 {
		bad("batch_size must be positive, got %d", c.BatchSize)
	}
	if c.DialTimeout < 0 {
		bad("dial_timeout must not be negative, got %s", c.DialTimeout)
	}
	if c.ReadTimeout < 0 {
		bad("read_timeout must not be negative, got %s", c.ReadTimeout)
	}
	for _, p := range c.Cluster.validate() {
		bad("%s", p)
	}
	if d, err := parseDSN(c.DSN); err == nil && d.scheme == SchemeCHDB && c.Cluster.Name != "" {
		bad("%v", errClusterCHDB)
	}
	if c.HTTPPort <= 0 || c.HTTPPort > 65535 {
		bad("http_port %d: want 1-65535", c.HTTPPort)
	}
	if err := c.Compliance.Validate(); err != nil {
		bad("compliance: %w", err)
	}
	return errors.Join(errs...)
}

// Redacted returns the DSN with any password replaced by "xxxxx".
func (c Config) Redacted() string { return redactDSN(c.DSN) }

// String returns the configuration with the password redacted.
func (c Config) String() string {
	return fmt.Sprintf("warehouse.Config{DSN: %s, BatchSize: %d, DialTimeout: %s, ReadTimeout: %s, CHDBLibrary: %q}",
		c.Redacted(), c.BatchSize, c.DialTimeout, c.ReadTimeout, c.CHDBLibrary)
}

// LogValue implements slog.LogValuer, redacting the password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("dsn", c.Redacted()),
		slog.Int("batch_size", c.BatchSize),
	)
}

// dsn is a parsed DSN.
type dsn struct {
	scheme string
	// dir is the chdb data directory as written (not yet made absolute).
	dir string
	// url is the server DSN, for SchemeClickHouse.
	url *url.URL
}

// parseDSN checks a DSN's shape.
func parseDSN(s string) (dsn, error) {
	if s == "" {
		return dsn{}, errors.New("empty")
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return dsn{}, fmt.Errorf("want %s://DIR or %s://host:port/database", SchemeCHDB, SchemeClickHouse)
	}
	switch strings.ToLower(scheme) {
	case SchemeCHDB:
		dir, query, _ := strings.Cut(rest, "?")
		if query != "" {
			return dsn{}, errors.New("chdb DSN takes no parameters")
		}
		if dir == "" {
			return dsn{}, errors.New("chdb DSN needs a directory, e.g. chdb://./nianbao-data/warehouse")
		}
		return dsn{scheme: SchemeCHDB, dir: filepath.Clean(dir)}, nil
	case SchemeClickHouse:
		u, err := url.Parse(s)
		if err != nil {
			// url errors quote the input, password included.
			return dsn{}, errors.New("malformed URL")
		}
		if u.Host == "" {
			return dsn{}, errors.New("missing host, e.g. clickhouse://127.0.0.1:9000/nianbao")
		}
		if u.Port() == "" {
			return dsn{}, errors.New("missing port (the native protocol's is usually 9000)")
		}
		db := strings.Trim(u.Path, "/")
		if db == "" {
			return dsn{}, errors.New("missing database, e.g. clickhouse://127.0.0.1:9000/nianbao")
		}
		if !validIdent(db) {
			return dsn{}, fmt.Errorf("database name %q: use letters, digits and underscores", db)
		}
		return dsn{scheme: SchemeClickHouse, url: u}, nil
	case "http", "https":
		return dsn{}, errors.New("HTTP is not supported (ClickHouse 18.16 rejects the driver's HTTP handshake); use clickhouse://host:9000/db")
	default:
		return dsn{}, fmt.Errorf("unknown scheme %q: want %s or %s", scheme, SchemeCHDB, SchemeClickHouse)
	}
}

// redactDSN hides the password in a DSN, both as user info and as a
// password= parameter.
func redactDSN(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || strings.EqualFold(scheme, SchemeCHDB) {
		return s
	}
	// Hide user:password@ without relying on url.Parse succeeding.
	if at := strings.LastIndex(strings.SplitN(rest, "/", 2)[0], "@"); at >= 0 {
		if user, _, hasPw := strings.Cut(rest[:at], ":"); hasPw {
			rest = user + ":xxxxx" + rest[at:]
		}
	}
	if base, query, ok := strings.Cut(rest, "?"); ok {
		q, err := url.ParseQuery(query)
		if err != nil {
			return scheme + "://" + base + "?xxxxx"
		}
		if q.Has("password") {
			q.Set("password", "xxxxx")
			rest = base + "?" + q.Encode()
		}
	}
	return scheme + "://" + rest
}

// validIdent reports whether s is a plain ClickHouse identifier.
func validIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
