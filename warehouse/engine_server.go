package warehouse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"reflect"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// ErrUnreachable is matched (errors.Is) by the error Open returns when a
// ClickHouse server cannot be reached or refuses the login.
var ErrUnreachable = errors.New("clickhouse server unreachable")

// serverEngine is a ClickHouse server reached with clickhouse-go over the
// native protocol.
type serverEngine struct {
	conn driver.Conn
	ver  string
	// readOnly are the settings queryReadOnly adds: readonly = 2 (reads
	// and SETTINGS clauses only), or nothing for a user the server already
	// holds to readonly = 1 (who may not change the setting at all).
	readOnly clickhouse.Settings
}

// openServer connects to the server u names, creating its database if it
// does not exist yet.
func openServer(ctx context.Context, u *url.URL, cfg Config, logger *slog.Logger) (*serverEngine, error) {
	opts, err := clickhouse.ParseDSN(u.String())
	if err != nil {
		return nil, fmt.Errorf("dsn %s: %w", redactDSN(u.String()), err)
	}
	if cfg.DialTimeout > 0 {
		opts.DialTimeout = cfg.DialTimeout
	}
	if cfg.ReadTimeout > 0 {
		opts.ReadTimeout = cfg.ReadTimeout
	}
	// The driver logs server exceptions that Open and Query also return,
	// and warns about old servers on every connection: keep its messages
	// for debugging only.
	opts.Logger = slog.New(debugOnly{logger.Handler()}).With("component", "clickhouse-go")
	if cfg.Cluster.Name != "" {
		// A load is visible once its INSERT returns, on every shard.
		if opts.Settings == nil {
			opts.Settings = clickhouse.Settings{}
		}
		opts.Settings["insert_distributed_sync"] = 1
	}
	db := opts.Auth.Database
	conn, err := dialServer(ctx, opts)
	if errorCode(err) == codeUnknownDatabase {
		if err := createDatabase(ctx, *opts, db, cfg.Cluster.Name); err != nil {
			return nil, err
		}
		conn, err = dialServer(ctx, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, redactDSN(u.String()), err)
	}
	e := &serverEngine{conn: conn, readOnly: clickhouse.Settings{"readonly": 2}}
	if v, err := conn.ServerVersion(); err == nil {
		e.ver = fmt.Sprintf("%d.%d.%d", v.Version.Major, v.Version.Minor, v.Version.Patch)
	}
	r, err := e.query(ctx, "SELECT value FROM system.settings WHERE name = 'readonly'")
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w: %s: read settings: %w", ErrUnreachable, redactDSN(u.String()), err)
	}
	if len(r.Rows) == 1 && r.Rows[0][0] == "1" {
		e.readOnly = nil
	}
	return e, nil
}

// dialServer opens a pool and pings it.
func dialServer(ctx context.Context, opts *clickhouse.Options) (driver.Conn, error) {
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, err
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// createDatabase creates db through a connection to the server's default
// database, on every host of cluster when one is named.
func createDatabase(ctx context.Context, opts clickhouse.Options, db, cluster string) error {
	opts.Auth.Database = ""
	conn, err := dialServer(ctx, &opts)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	defer conn.Close()
	ddl := "CREATE DATABASE IF NOT EXISTS " + db
	if cluster != "" {
		ddl += " ON CLUSTER " + cluster
	}
	if err := conn.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("create database %s: %w", db, err)
	}
	return nil
}

func (e *serverEngine) version() string { return e.ver }

func (e *serverEngine) close() error { return e.conn.Close() }

func (e *serverEngine) exec(ctx context.Context, sql string) error {
	return e.conn.Exec(ctx, sql)
}

// queryReadOnly runs the statement with the server's readonly setting, so
// the server itself refuses anything that writes.
func (e *serverEngine) queryReadOnly(ctx context.Context, sql string) (*Result, error) {
	if e.readOnly != nil {
		ctx = clickhouse.Context(ctx, clickhouse.WithSettings(e.readOnly))
	}
	r, err := e.query(ctx, sql)
	if errorCode(err) == codeReadOnly {
		return nil, fmt.Errorf("%w: %w", ErrReadOnly, err)
	}
	return r, err
}

func (e *serverEngine) query(ctx context.Context, sql string) (*Result, error) {
	rows, err := e.conn.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts := rows.ColumnTypes()
	r := &Result{Columns: make([]string, len(cts)), Types: make([]string, len(cts)), Rows: [][]any{}}
	types := make([]chType, len(cts))
	scanTypes := make([]reflect.Type, len(cts))
	for i, ct := range cts {
		r.Columns[i] = ct.Name()
		r.Types[i] = ct.DatabaseTypeName()
		types[i] = parseType(r.Types[i])
		scanTypes[i] = ct.ScanType()
	}
	dest := make([]any, len(cts))
	for rows.Next() {
		for i, st := range scanTypes {
			dest[i] = reflect.New(st).Interface()
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan row %d: %w", len(r.Rows), err)
		}
		row := make([]any, len(dest))
		for i, d := range dest {
			row[i] = fromGo(types[i], d)
		}
		r.Rows = append(r.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// insert sends a block in one native batch, column by column (appending
// whole typed columns costs a fraction of appending row by row). The
// INSERT names its columns: ClickHouse 18.16 answers a bare INSERT INTO t
// with an empty header.
func (e *serverEngine) insert(ctx context.Context, b *block) (err error) {
	if err := b.check(); err != nil {
		return err
	}
	batch, err := e.conn.PrepareBatch(ctx, "INSERT INTO "+b.t.name+" "+b.t.columnList())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := batch.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for i, c := range b.t.cols {
		if err := batch.Column(i).Append(b.columnSlice(i)); err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
	}
	return batch.Send()
}

// debugOnly is a slog.Handler that passes every record on at Debug level.
type debugOnly struct{ h slog.Handler }

func (d debugOnly) Enabled(ctx context.Context, _ slog.Level) bool {
	return d.h.Enabled(ctx, slog.LevelDebug)
}

func (d debugOnly) Handle(ctx context.Context, r slog.Record) error {
	r.Level = slog.LevelDebug
	return d.h.Handle(ctx, r)
}

func (d debugOnly) WithAttrs(as []slog.Attr) slog.Handler { return debugOnly{d.h.WithAttrs(as)} }

func (d debugOnly) WithGroup(name string) slog.Handler { return debugOnly{d.h.WithGroup(name)} }
