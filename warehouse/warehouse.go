package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Warehouse is an open ClickHouse warehouse, embedded (chDB) or a server;
// which one is the DSN's business, and every method behaves the same on
// both. A Warehouse is safe for concurrent use; on chDB statements run one
// at a time.
type Warehouse struct {
	cfg    Config
	logger *slog.Logger
	eng    engine
	kind   string
	closed atomic.Bool

	// now is the clock; lastVersion makes row versions strictly increase.
	now         func() time.Time
	lastVersion atomic.Uint64

	agencies  agencyState
	refreshMu sync.Mutex // one Refresh at a time
}

// Open validates cfg and connects to the warehouse it names. For chdb://
// it loads libchdb.so on first use (see Config.CHDBLibrary) and takes the
// data directory, creating it if needed; failures match ErrEngineMissing
// or ErrEngineInUse. For clickhouse:// it connects and creates the
// database if it does not exist; failures match ErrUnreachable.
//
// Open does not migrate: call Migrate. A nil logger discards logs.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Warehouse, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	d, err := parseDSN(cfg.DSN)
	if err != nil {
		return nil, err // unreachable: Validate parsed it
	}
	w := &Warehouse{cfg: cfg, logger: logger, kind: d.scheme, now: time.Now}
	switch d.scheme {
	case SchemeCHDB:
		w.eng, err = openCHDB(ctx, d.dir, cfg, logger)
	default:
		var se *serverEngine
		se, err = openServer(ctx, d.url, cfg, logger)
		w.eng = se
		if err == nil && cfg.Cluster.Name != "" {
			w.eng = &clusterEngine{serverEngine: se, cluster: cfg.Cluster, db: strings.Trim(d.url.Path, "/"), re: shapes()}
		}
	}
	if err != nil {
		return nil, err
	}
	logger.Info("warehouse open", "dsn", cfg.Redacted(), "engine", w.Engine())
	return w, nil
}

// Close releases the connection. For chDB it frees the process's engine,
// so another warehouse can be opened. Calls after the first do nothing.
func (w *Warehouse) Close() error {
	if w.closed.Swap(true) {
		return nil
	}
	if err := w.eng.close(); err != nil {
		return fmt.Errorf("close warehouse: %w", err)
	}
	return nil
}

// Engine names the engine and its ClickHouse version, e.g.
// "chdb 26.7.2.1" or "clickhouse 18.16.1".
func (w *Warehouse) Engine() string {
	return w.kind + " " + w.eng.version()
}

// Query runs one read-only statement (SELECT, WITH, SHOW, DESCRIBE,
// EXPLAIN or EXISTS) and returns its rows decoded as Result describes.
// Anything that could write is refused with an error matching ErrReadOnly:
// by a lexical check here, then by the engine itself (the server's
// readonly setting; chDB's own parser). sql must not end in a FORMAT
// clause (ErrFormatClause) or hold unbound parameters (see Bind).
//
// When ctx ends the statement is cancelled: on a server at once, on chDB
// at the next chunk of output (a statement that outputs nothing until it
// finishes, such as a large GROUP BY, completes first).
func (w *Warehouse) Query(ctx context.Context, sql string) (*Result, error) {
	clean, err := checkReadOnly(sql)
	if err != nil {
		return nil, err
	}
	r, err := w.eng.queryReadOnly(ctx, clean)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return r, nil
}

// ErrSchemaTooNew is matched by the error Migrate returns when the
// warehouse has migrations this program does not know: a newer nianbao
// wrote it.
var ErrSchemaTooNew = errors.New("warehouse schema is newer than this program")

// Migrate applies the schema migrations the warehouse lacks, in order,
// recording each in schema_migrations. It is idempotent, and safe to rerun
// after an interruption: every statement is IF NOT EXISTS.
func (w *Warehouse) Migrate(ctx context.Context) error {
	ms := migrations()
	return w.migrateTo(ctx, ms[len(ms)-1].version)
}

// migrateTo applies the migrations up to and including version target.
func (w *Warehouse) migrateTo(ctx context.Context, target int) error {
	if err := w.eng.exec(ctx, migrationsDDL()); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied, err := w.applied(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms := migrations()
	latest := ms[len(ms)-1].version
	for v := range applied {
		if v > latest {
			return fmt.Errorf("%w: it has migration %d, this program knows up to %d", ErrSchemaTooNew, v, latest)
		}
	}
	for _, m := range ms {
		if applied[m.version] || m.version > target {
			continue
		}
		for i, st := range m.steps {
			if err := st.apply(ctx, w.eng); err != nil {
				return fmt.Errorf("migrate %d (%s) step %d: %w", m.version, m.name, i+1, err)
			}
		}
		row := []any{uint32(m.version), m.name, clampDateTime(w.now())}
		if err := w.insertBatched(ctx, migrationsTable, [][]any{row}); err != nil {
			return fmt.Errorf("migrate %d: record: %w", m.version, err)
		}
		w.logger.Info("schema migrated", "version", m.version, "name", m.name)
	}
	if target >= 5 {
		// Data, not DDL: the gazetteer's divisions are agencies.
		if err := w.seedAgencies(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// SchemaVersion returns the highest migration applied, 0 for a warehouse
// never migrated.
func (w *Warehouse) SchemaVersion(ctx context.Context) (int, error) {
	applied, err := w.applied(ctx)
	if errorCode(err) == codeUnknownTable {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	v := 0
	for m := range applied {
		v = max(v, m)
	}
	return v, nil
}

// applied returns the set of applied migration versions.
func (w *Warehouse) applied(ctx context.Context) (map[int]bool, error) {
	r, err := w.eng.query(ctx, "SELECT DISTINCT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	out := map[int]bool{}
	for _, row := range r.Rows {
		if v, ok := row[0].(uint64); ok {
			out[int(v)] = true
		}
	}
	return out, nil
}

// nextVersion returns a row version for one write, strictly greater than
// any this Warehouse handed out before, and the load time it stands for.
func (w *Warehouse) nextVersion() (uint64, time.Time) {
	now := w.now()
	v := uint64(now.UnixNano())
	for {
		last := w.lastVersion.Load()
		if v <= last {
			v = last + 1
		}
		if w.lastVersion.CompareAndSwap(last, v) {
			return v, now
		}
	}
}

// insertBatched writes rows into t in INSERTs of at most BatchSize rows.
func (w *Warehouse) insertBatched(ctx context.Context, t *table, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	b, err := rowsBlock(t, rows)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", t.name, err)
	}
	return w.insertBlock(ctx, b)
}

// insertBlock writes a block in INSERTs of at most BatchSize rows.
func (w *Warehouse) insertBlock(ctx context.Context, b *block) error {
	for start := 0; start < b.n; start += w.cfg.BatchSize {
		end := min(start+w.cfg.BatchSize, b.n)
		if err := w.eng.insert(ctx, b.slice(start, end)); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", end-start, b.t.name, err)
		}
	}
	return nil
}

// PauseMerges stops the engine's background merges of the tables a load
// writes most rows to (facts, checks, alternates) until the returned
// resume is called. A bulk load, such as the synthetic national
// warehouse, writes far more rows than merging them as they arrive keeps
// up with: each row would be rewritten several times during the load.
// Queries stay correct meanwhile, since every view reads with FINAL. On a
// cluster it does nothing (merges are each host's business).
func (w *Warehouse) PauseMerges(ctx context.Context) (resume func(context.Context) error, err error) {
	return w.stopMerges(ctx, factSetsTable.name, checkSetsTable.name, alternatesTable.name)
}

// stopMerges stops the background merges of tables until the returned
// resume is called; on a cluster it does nothing.
func (w *Warehouse) stopMerges(ctx context.Context, tables ...string) (resume func(context.Context) error, err error) {
	if _, ok := w.eng.(*clusterEngine); ok {
		return func(context.Context) error { return nil }, nil
	}
	for i, t := range tables {
		if err := w.eng.exec(ctx, "SYSTEM STOP MERGES "+t); err != nil {
			for _, u := range tables[:i] {
				w.eng.exec(ctx, "SYSTEM START MERGES "+u) //nolint:errcheck // the stop's error is the one to report
			}
			return nil, fmt.Errorf("pause merges of %s: %w", t, err)
		}
	}
	return func(ctx context.Context) error {
		var errs []error
		for _, t := range tables {
			if err := w.eng.exec(ctx, "SYSTEM START MERGES "+t); err != nil {
				errs = append(errs, fmt.Errorf("resume merges of %s: %w", t, err))
			}
		}
		return errors.Join(errs...)
	}, nil
}
