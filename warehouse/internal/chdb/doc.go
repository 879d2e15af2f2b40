// Package chdb is a small binding of libchdb's stable C API (chdb.h) for the
// embedded ClickHouse engine, written with purego: no cgo, and the library is
// loaded only when Load is called, never at package initialisation, so a
// program that imports this package runs on machines without libchdb.so.
//
// libchdb embeds one ClickHouse server per process: one data directory, one
// connection. This package keeps that rule explicit: Load opens the library
// once per process, and Connect refuses a second connection while one is
// open instead of silently handing back the first.
//
// Only the calls nianbao needs are bound: chdb_connect, chdb_close_conn,
// chdb_query_n, the chdb_result_* accessors, chdb_destroy_query_result,
// chdb_classify_query_n (optional) and the signal-handler switch.
package chdb
