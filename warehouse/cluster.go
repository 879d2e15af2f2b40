package warehouse

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ClusterConfig places the warehouse on a ClickHouse cluster. With Name
// set, Migrate issues every DDL statement ON CLUSTER Name: each loader
// table T becomes T_local, a Replicated(Replacing)MergeTree on every host,
// plus T, a Distributed table over T_local that the loader writes (with
// insert_distributed_sync) and the views read; views are created on
// every host. Rows of a ReplacingMergeTree table are sharded by the hash
// of their key's first column, so the copies a reload writes meet on one
// shard and FINAL (which each shard applies) still deduplicates; the
// derived tables are spread at random.
type ClusterConfig struct {
	// Name is the cluster, as the servers' remote_servers define it; empty
	// means a single server.
	Name string `mapstructure:"name" yaml:"name" json:"name"`
	// ZooKeeperPath is the replicated tables' path. {database} and {table}
	// are filled in by nianbao; {shard} and any other macro by the server.
	ZooKeeperPath string `mapstructure:"zookeeper_path" yaml:"zookeeper_path" json:"zookeeper_path"`
	// Replica is the replica name, usually the server's {replica} macro.
	Replica string `mapstructure:"replica" yaml:"replica" json:"replica"`
}

// DefaultClusterConfig returns no cluster, with the conventional
// replication path and replica macro for when a Name is set.
func DefaultClusterConfig() ClusterConfig {
	return ClusterConfig{ZooKeeperPath: "/clickhouse/tables/{shard}/{database}/{table}", Replica: "{replica}"}
}

// validate reports problems with a cluster configuration.
func (c ClusterConfig) validate() []string {
	if c.Name == "" {
		return nil
	}
	var out []string
	if !validIdent(c.Name) {
		out = append(out, fmt.Sprintf("cluster.name %q: use letters, digits and underscores", c.Name))
	}
	if !strings.Contains(c.ZooKeeperPath, "{table}") || !strings.HasPrefix(c.ZooKeeperPath, "/") {
		out = append(out, fmt.Sprintf("cluster.zookeeper_path %q: want an absolute path with {table}", c.ZooKeeperPath))
	}
	if c.Replica == "" || strings.ContainsAny(c.ZooKeeperPath+c.Replica, "'\\") {
		out = append(out, "cluster.replica: want a replica name or macro, e.g. {replica}")
	}
	return out
}

// localSuffix names the replicated table under a Distributed one.
const localSuffix = "_local"

// clusterEngine is a server engine whose DDL runs ON CLUSTER: exec
// rewrites the warehouse's own statements (the migrations' and
// Refresh's) for the cluster; queries and inserts pass through.
type clusterEngine struct {
	*serverEngine
	cluster ClusterConfig
	db      string
	re      *statementShapes
}

// statementShapes are the statement shapes of the migrations and Refresh
// that exec rewrites.
type statementShapes struct {
	createTable, firstColumn, createView, dropTable, dropDB, addColumns, addClause, dropPart, replacePart, truncate,
	rename *regexp.Regexp
}

// shapes compiles the statement shapes.
func shapes() *statementShapes {
	return &statementShapes{
		createTable: regexp.MustCompile(`(?s)^CREATE TABLE IF NOT EXISTS (\w+) \((.*)\) ENGINE = (MergeTree|ReplacingMergeTree)(?:\((\w*)\))?(.*)$`),
		firstColumn: regexp.MustCompile(`^\s*(\w+)\s`),
		createView:  regexp.MustCompile(`(?s)^CREATE VIEW IF NOT EXISTS (\w+) AS\s(.*)$`),
		dropTable:   regexp.MustCompile(`^DROP TABLE IF EXISTS (\w+)$`),
		dropDB:      regexp.MustCompile(`^DROP DATABASE IF EXISTS (\w+)$`),
		addColumns:  regexp.MustCompile(`(?s)^ALTER TABLE (\w+) (ADD COLUMN .*)$`),
		addClause:   regexp.MustCompile(`ADD COLUMN (\w+) `),
		dropPart:    regexp.MustCompile(`^ALTER TABLE (\w+) DROP PARTITION (\w+)$`),
		replacePart: regexp.MustCompile(`^ALTER TABLE (\w+) REPLACE PARTITION tuple\(\) FROM (\w+)$`),
		truncate:    regexp.MustCompile(`^TRUNCATE TABLE (\w+)$`),
		rename:      regexp.MustCompile(`^RENAME TABLE (\w+) TO (\w+)$`),
	}
}

// onCluster returns " ON CLUSTER name".
func (c *clusterEngine) onCluster() string { return " ON CLUSTER " + c.cluster.Name }

// exec runs a statement, rewritten for the cluster.
func (c *clusterEngine) exec(ctx context.Context, sql string) error {
	sql = strings.TrimSpace(sql)
	switch {
	case c.re.createTable.MatchString(sql):
		return c.createTable(ctx, c.re.createTable.FindStringSubmatch(sql))
	case c.re.createView.MatchString(sql):
		m := c.re.createView.FindStringSubmatch(sql)
		return c.serverEngine.exec(ctx, "CREATE VIEW IF NOT EXISTS "+c.db+"."+m[1]+c.onCluster()+" AS\n"+qualify(m[2], c.db))
	case c.re.dropTable.MatchString(sql):
		name := c.re.dropTable.FindStringSubmatch(sql)[1]
		for _, t := range []string{name, name + localSuffix} {
			if err := c.serverEngine.exec(ctx, "DROP TABLE IF EXISTS "+c.db+"."+t+c.onCluster()); err != nil {
				return err
			}
		}
		return nil
	case c.re.dropDB.MatchString(sql):
		return c.serverEngine.exec(ctx, sql+c.onCluster())
	case c.re.addColumns.MatchString(sql):
		m := c.re.addColumns.FindStringSubmatch(sql)
		return c.addColumns(ctx, m[1], m[2])
	case c.re.dropPart.MatchString(sql):
		m := c.re.dropPart.FindStringSubmatch(sql)
		return c.serverEngine.exec(ctx, "ALTER TABLE "+c.db+"."+m[1]+localSuffix+c.onCluster()+" DROP PARTITION "+m[2])
	case c.re.replacePart.MatchString(sql):
		m := c.re.replacePart.FindStringSubmatch(sql)
		return c.swap(ctx, m[1], m[2])
	case c.re.truncate.MatchString(sql):
		m := c.re.truncate.FindStringSubmatch(sql)
		return c.serverEngine.exec(ctx, "TRUNCATE TABLE "+c.db+"."+m[1]+localSuffix+c.onCluster())
	case c.re.rename.MatchString(sql):
		m := c.re.rename.FindStringSubmatch(sql)
		return c.rename(ctx, m[1], m[2])
	case strings.HasPrefix(sql, "CREATE"), strings.HasPrefix(sql, "ALTER"), strings.HasPrefix(sql, "DROP"),
		strings.HasPrefix(sql, "RENAME"), strings.HasPrefix(sql, "TRUNCATE"):
		return fmt.Errorf("cluster: no ON CLUSTER form for %.60q", sql)
	}
	return c.serverEngine.exec(ctx, sql)
}

// createTable creates name_local on every host, replicated, and name as
// a Distributed table over it.
func (c *clusterEngine) createTable(ctx context.Context, m []string) error {
	name, cols, engine, args, rest := m[1], m[2], m[3], m[4], m[5]
	local := name + localSuffix
	params := []string{quoteString(c.zkPath(local)), quoteString(c.cluster.Replica)}
	if args != "" {
		params = append(params, args)
	}
	ddl := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s (%s) ENGINE = Replicated%s(%s)%s",
		c.db, local, c.onCluster(), cols, engine, strings.Join(params, ", "), rest)
	if err := c.serverEngine.exec(ctx, ddl); err != nil {
		return err
	}
	key := "rand()"
	if engine == "ReplacingMergeTree" {
		fc := c.re.firstColumn.FindStringSubmatch(cols)
		if fc == nil {
			return fmt.Errorf("cluster: table %s: no first column", name)
		}
		key = "cityHash64(" + fc[1] + ")"
	}
	return c.createDistributed(ctx, name, key)
}

// createDistributed creates name over name_local on every host.
func (c *clusterEngine) createDistributed(ctx context.Context, name, key string) error {
	return c.serverEngine.exec(ctx, fmt.Sprintf(
		"CREATE TABLE IF NOT EXISTS %s.%s%s AS %s.%s ENGINE = Distributed(%s, %s, %s, %s)",
		c.db, name, c.onCluster(), c.db, name+localSuffix, c.cluster.Name, c.db, name+localSuffix, key))
}

// shardingKey returns the sharding key createTable gave name: the hash
// of the first column for a replacing table, else rand().
func (c *clusterEngine) shardingKey(ctx context.Context, name string) (string, error) {
	local := quoteString(name + localSuffix)
	r, err := c.query(ctx, fmt.Sprintf("SELECT engine FROM system.tables WHERE database = %s AND name = %s",
		quoteString(c.db), local))
	if err != nil {
		return "", err
	}
	if len(r.Rows) != 1 {
		return "", fmt.Errorf("cluster: table %s%s not found", name, localSuffix)
	}
	if engine, _ := r.Rows[0][0].(string); !strings.Contains(engine, "Replacing") {
		return "rand()", nil
	}
	// system.columns lists a table's columns in order (18.16 has no
	// position column).
	r, err = c.query(ctx, fmt.Sprintf("SELECT name FROM system.columns WHERE database = %s AND table = %s LIMIT 1",
		quoteString(c.db), local))
	if err != nil {
		return "", err
	}
	if len(r.Rows) != 1 {
		return "", fmt.Errorf("cluster: table %s%s has no columns", name, localSuffix)
	}
	return "cityHash64(" + r.Rows[0][0].(string) + ")", nil
}

// addColumns adds the columns the replicated table lacks, on every host,
// then recreates the Distributed table with the new structure (18.16
// refuses ALTER … ON CLUSTER on a Distributed table of a replicated
// cluster).
func (c *clusterEngine) addColumns(ctx context.Context, name, clauses string) error {
	r, err := c.query(ctx, fmt.Sprintf("SELECT name FROM system.columns WHERE database = %s AND table = %s",
		quoteString(c.db), quoteString(name+localSuffix)))
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, row := range r.Rows {
		has[row[0].(string)] = true
	}
	var missing []string
	for _, cl := range strings.Split(clauses, ", ADD COLUMN ") {
		if !strings.HasPrefix(cl, "ADD COLUMN ") {
			cl = "ADD COLUMN " + cl
		}
		m := c.re.addClause.FindStringSubmatch(cl)
		if m == nil {
			return fmt.Errorf("cluster: cannot read %q", cl)
		}
		if !has[m[1]] {
			missing = append(missing, cl)
		}
	}
	if len(missing) > 0 {
		if err := c.serverEngine.exec(ctx, "ALTER TABLE "+c.db+"."+name+localSuffix+c.onCluster()+" "+
			strings.Join(missing, ", ")); err != nil {
			return err
		}
	}
	return c.recreateDistributed(ctx, name, name)
}

// recreateDistributed replaces the Distributed table from over
// to_local with one named to.
func (c *clusterEngine) recreateDistributed(ctx context.Context, from, to string) error {
	key, err := c.shardingKey(ctx, to)
	if err != nil {
		return err
	}
	if err := c.serverEngine.exec(ctx, "DROP TABLE IF EXISTS "+c.db+"."+from+c.onCluster()); err != nil {
		return err
	}
	return c.createDistributed(ctx, to, key)
}

// rename renames from_local to to_local on every host and puts the
// Distributed table under the new name.
func (c *clusterEngine) rename(ctx context.Context, from, to string) error {
	r, err := c.query(ctx, fmt.Sprintf("SELECT name FROM system.tables WHERE database = %s AND name IN (%s, %s)",
		quoteString(c.db), quoteString(from+localSuffix), quoteString(to+localSuffix)))
	if err != nil {
		return err
	}
	renamed := false
	for _, row := range r.Rows {
		renamed = renamed || row[0] == to+localSuffix
	}
	if !renamed {
		if err := c.serverEngine.exec(ctx, fmt.Sprintf("RENAME TABLE %[1]s.%[2]s TO %[1]s.%[3]s%[4]s",
			c.db, from+localSuffix, to+localSuffix, c.onCluster())); err != nil {
			return err
		}
	}
	return c.recreateDistributed(ctx, from, to)
}

// swap gives table a the rows of b, as ALTER TABLE a REPLACE PARTITION
// tuple() FROM b does, which 18.16 cannot run ON CLUSTER: every host swaps
// the names of its two local tables in one RENAME (atomic on the host), so
// each shard's share moves, and b is left holding a's old rows. The
// tables keep their replication paths, so after a swap a_local replicates
// under b_local's path and the next swap turns them back; every replica
// of a shard makes the same swaps.
func (c *clusterEngine) swap(ctx context.Context, a, b string) error {
	tmp := a + "_swap" + localSuffix
	if err := c.serverEngine.exec(ctx, fmt.Sprintf("RENAME TABLE %[1]s.%[2]s TO %[1]s.%[3]s, %[1]s.%[4]s TO %[1]s.%[2]s, %[1]s.%[3]s TO %[1]s.%[4]s%[5]s",
		c.db, a+localSuffix, tmp, b+localSuffix, c.onCluster())); err != nil {
		return fmt.Errorf("cluster: swap %s and %s: %w", a, b, err)
	}
	return nil
}

// zkPath returns the replication path of a table.
func (c *clusterEngine) zkPath(table string) string {
	return strings.NewReplacer("{database}", c.db, "{table}", table).Replace(c.cluster.ZooKeeperPath)
}

// qualify prefixes every table a view's query reads (a name after FROM or
// JOIN) with db: the hosts of a cluster run ON CLUSTER DDL in their
// default database, not the client's.
func qualify(sql, db string) string {
	toks := lex(sql)
	var b strings.Builder
	last := 0
	for i := 0; i+1 < len(toks); i++ {
		if !(toks[i].is("FROM") || toks[i].is("JOIN")) {
			continue
		}
		n := toks[i+1]
		if n.kind != tokWord || i+2 < len(toks) && toks[i+2].text == "." {
			continue
		}
		b.WriteString(sql[last:n.start])
		b.WriteString(db + ".")
		last = n.start
	}
	b.WriteString(sql[last:])
	return b.String()
}

// errClusterCHDB is returned by Validate for a cluster on chDB.
var errClusterCHDB = errors.New("cluster.name needs a clickhouse:// server DSN; chdb:// is one process")
