// Package nianbao is the reference tool for China's government information
// disclosure annual reports (政府信息公开工作年度报告).
//
// The pipeline, and which package may import which:
//
//	cmd/nianbao ──► config ──► crawler, warehouse, simulator (their Config types)
//	     │
//	     ├─► crawler ──► charset                    (Colly; emits crawler.Capture to a crawler.Sink)
//	     ├─► ingest ──► crawler, archive, parser, warehouse
//	     │              (implements crawler.Sink: capture → WARC → parse → warehouse)
//	     ├─► archive                                (WARC 1.1 writer and reader; the source of truth)
//	     ├─► parser ──► charset, metrics, gazetteer (pure: bytes in, Report out)
//	     ├─► warehouse ──► parser, metrics          (ClickHouse: embedded chDB or server via clickhouse-go)
//	     ├─► dashboards                             (saved SQL, embedded)
//	     └─► simulator ──► gazetteer, metrics       (simulated government portals on loopback, for tests and demos)
//
// Rules: crawler imports neither parser nor warehouse; warehouse never
// imports crawler; parser performs no I/O; viper is imported only by config
// and cmd.
package nianbao
