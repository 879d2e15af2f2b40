package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// envCluster names two servers of a test cluster, comma-separated
// (scripts/clickhouse-test-cluster start DIR prints it): ZooKeeper and two
// ClickHouse 18.16 servers defining the clusters nianbao_2s (two shards)
// and nianbao_1s2r (one shard, two replicas).
const envCluster = "NIANBAO_TEST_CLUSTER_DSNS"

// clusterNodes returns the two nodes' DSNs, pointed at a database of the
// test's own, or skips (fails under NIANBAO_TEST_REQUIRE=1).
func clusterNodes(t *testing.T) (db string, nodes [2]string) {
	t.Helper()
	v := os.Getenv(envCluster)
	dsns := strings.Split(v, ",")
	if v == "" || len(dsns) != 2 {
		skipOrFail(t, "%s not set to two DSNs (scripts/clickhouse-test-cluster start DIR prints it)", envCluster)
	}
	sum := sha256.Sum256([]byte(t.Name() + time.Now().String()))
	db = "nianbao_cluster_" + sanitize(t.Name()) + "_" + hex.EncodeToString(sum[:4])
	for i, d := range dsns {
		u, err := url.Parse(d)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + db
		nodes[i] = u.String()
	}
	return db, nodes
}

// openCluster opens node's warehouse as part of cluster and drops the
// database on every host when the test ends.
func openCluster(t *testing.T, node string, cluster ClusterConfig) *Warehouse {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DSN = node
	cfg.Cluster = cluster
	w := openWarehouse(t, cfg)
	t.Cleanup(func() {
		if err := w.eng.exec(context.Background(), "DROP DATABASE IF EXISTS "+w.eng.(*clusterEngine).db); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	return w
}

// openNode opens a plain (not cluster-aware) connection to node, to look
// at what a host holds.
func openNode(t *testing.T, node string) *Warehouse {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DSN = node
	return openWarehouse(t, cfg)
}

// TestClusterSharded migrates a warehouse on a two-shard cluster of
// ClickHouse 18.16 servers, loads it twice through one node, and reads it
// back through the other: every table exists on both hosts, rows are
// spread over the shards, nothing counts twice, and Refresh's compliance
// is what a single server gives.
func TestClusterSharded(t *testing.T) {
	_, nodes := clusterNodes(t)
	cluster := DefaultClusterConfig()
	cluster.Name = "nianbao_2s"
	w := openCluster(t, nodes[0], cluster)
	ctx := context.Background()
	start := time.Now()
	openRefreshCase(t, w) // migrates, registers sources, loads twice
	migrate(t, w)         // again: nothing to do
	t.Logf("migrate and load: %v", time.Since(start))
	other := openNode(t, nodes[1])
	if v, err := other.SchemaVersion(ctx); err != nil || v != migrations()[len(migrations())-1].version {
		t.Errorf("second node: schema version %d, %v", v, err)
	}
	r := mustQuery(t, other, "SELECT name, engine FROM system.tables WHERE database = currentDatabase()")
	engines := map[string]string{}
	for _, row := range r.Rows {
		engines[row[0].(string)] = row[1].(string)
	}
	for _, tb := range loaderTables() {
		if e := engines[tb.name]; e != "Distributed" {
			t.Errorf("second node: %s is %q, want Distributed", tb.name, e)
		}
		if e := engines[tb.name+localSuffix]; !strings.HasPrefix(e, "Replicated") {
			t.Errorf("second node: %s%s is %q, want a replicated engine", tb.name, localSuffix, e)
		}
	}
	for _, v := range Views() {
		if e := engines[v]; e != "View" {
			t.Errorf("second node: view %s is %q", v, e)
		}
	}

	// Through the other node: each report once, spread over both shards.
	reports := count(t, other, "reports")
	if reports == 0 || reports != count(t, w, "reports") {
		t.Fatalf("reports: %d through the second node, %d through the first", reports, count(t, w, "reports"))
	}
	first, second := count(t, openNode(t, nodes[0]), "report_rows_local"), count(t, other, "report_rows_local")
	if first == 0 || second == 0 || first+second != 2*reports {
		t.Errorf("report_rows_local: %d + %d rows on the shards, want both non-empty, %d in all (loaded twice)",
			first, second, 2*reports)
	}

	if _, err := w.Refresh(ctx, day("2024-06-01")); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	checkComplianceCase(t, other)
	if n := scalar(t, other, "SELECT uniqExact(refresh) FROM agency_years"); n != uint64(1) {
		t.Errorf("agency_years holds %v refreshes, want 1", n)
	}
	first, second = count(t, openNode(t, nodes[0]), "agency_years_local"), count(t, other, "agency_years_local")
	if first == 0 || second == 0 || first+second != count(t, other, "agency_years") {
		t.Errorf("agency_years_local: %d + %d rows on the shards, want both non-empty, %d in all",
			first, second, count(t, other, "agency_years"))
	}
	if n := count(t, other, "agency_years_next"); n != 0 {
		t.Errorf("agency_years_next holds %d rows after the refresh", n)
	}
	// A second refresh swaps the tables back and publishes only itself.
	rows := count(t, other, "agency_years")
	res, err := w.Refresh(ctx, day("2024-06-01"))
	if err != nil {
		t.Fatalf("second Refresh: %v", err)
	}
	checkComplianceCase(t, other)
	r = mustQuery(t, other, "SELECT DISTINCT refresh FROM agency_years")
	if len(r.Rows) != 1 || r.Rows[0][0] != res.Refresh || count(t, other, "agency_years") != rows {
		t.Errorf("after a second refresh agency_years holds refreshes %v and %d rows, want %d only, %d rows",
			r.Rows, count(t, other, "agency_years"), res.Refresh, rows)
	}
}

// TestClusterReplicated: on a cluster of one shard with two replicas, rows
// loaded through one host are on the other host's replica.
func TestClusterReplicated(t *testing.T) {
	db, nodes := clusterNodes(t)
	cluster := DefaultClusterConfig()
	cluster.Name = "nianbao_1s2r"
	cluster.ZooKeeperPath = "/clickhouse/tables/one/{database}/{table}"
	w := openCluster(t, nodes[0], cluster)
	migrate(t, w)
	ctx := context.Background()
	caps := make([]Capture, 500)
	for i := range caps {
		caps[i] = Capture{URL: fmt.Sprintf("https://x.gov.cn/%d.html", i), FetchedAt: day("2024-01-02"), Status: 200,
			PayloadDigest: fmt.Sprintf("sha1:%d", i)}
	}
	if err := w.WriteCaptures(ctx, caps); err != nil {
		t.Fatal(err)
	}
	other := openNode(t, nodes[1])
	deadline := time.Now().Add(30 * time.Second)
	var n uint64
	for time.Now().Before(deadline) {
		if n = count(t, other, "capture_rows_local"); n == 500 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if n != 500 {
		t.Errorf("the second replica holds %d of 500 captures after 30 s", n)
	}
	r := mustQuery(t, other, "SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = 'capture_rows_local'")
	if len(r.Rows) != 1 || r.Rows[0][0] != "ReplicatedReplacingMergeTree" {
		t.Errorf("capture_rows_local engine = %v", r.Rows)
	}
	_ = db
}

func TestClusterConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Cluster.Name = "c1"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "chdb") {
		t.Errorf("cluster on chdb: %v", err)
	}
	cfg.DSN = "clickhouse://127.0.0.1:9000/db"
	if err := cfg.Validate(); err != nil {
		t.Errorf("cluster on a server: %v", err)
	}
	for _, edit := range []func(*ClusterConfig){
		func(c *ClusterConfig) { c.Name = "a-b" },
		func(c *ClusterConfig) { c.ZooKeeperPath = "/clickhouse/tables/{shard}" },
		func(c *ClusterConfig) { c.Replica = "" },
	} {
		bad := cfg
		edit(&bad.Cluster)
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate accepted %+v", bad.Cluster)
		}
	}
}

// TestQualify: a view's tables are named with their database.
func TestQualify(t *testing.T) {
	in := `SELECT a FROM reports AS r ALL INNER JOIN (SELECT b FROM facts FINAL) AS f USING report_id
WHERE x IN (SELECT y FROM db2.t) AND z = (SELECT max(refresh) FROM refresh_rows) ARRAY JOIN ['a'] AS q -- FROM comments`
	want := `SELECT a FROM db.reports AS r ALL INNER JOIN (SELECT b FROM db.facts FINAL) AS f USING report_id
WHERE x IN (SELECT y FROM db2.t) AND z = (SELECT max(refresh) FROM db.refresh_rows) ARRAY JOIN ['a'] AS q -- FROM comments`
	if got := qualify(in, "db"); got != want {
		t.Errorf("qualify =\n%s\nwant\n%s", got, want)
	}
	if !slices.Contains(Views(), "compliance") {
		t.Error("Views() lacks compliance")
	}
}
