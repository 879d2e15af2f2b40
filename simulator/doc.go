// Package simulator serves simulated Chinese government portals on loopback
// addresses, with known ground truth, for crawler, parser and end-to-end
// tests, benchmarks and demos.
//
// # Portals
//
// Every agency — the townships (乡、镇、街道) and governments of the counties
// (Config.Counties) or provinces (Config.Provinces) asked for, at most
// Config.Hosts of them, named and coded from the gazetteer — gets a portal
// of its own on a distinct address in 127.0.0.0/8 (Linux routes the whole
// block to the loopback interface; nothing outside it is ever bound).
// Portals are built in one of two CMS styles (Config.Styles):
//
//   - TRS WCM: a home page, a 政务公开 column, the annual-report column
//     /zwgk/zfxxgknb/index.html (or, Config.ColumnVariety of them,
//     /zwgk/xxgknb/, /xxgk/ndbg/, /zfxxgk/gknb/, /zwgk/zfxxgk/xxgkndbg/)
//     paginated as index_1.html, index_2.html… under a createPageHTML
//     call, report pages at <column>YYYYMM/tYYYYMMDD_NNNNNNN.html.
//   - Hanweb (大汉): columns at /col/col<id>/index.html paginated with
//     ?uid=<uid>&pageNum=N, articles at /art/YYYY/M/D/art_<col>_<id>.html;
//     on Config.HanwebModuleShare of them the report column is instead the
//     xxgk module's form, linking
//     /module/xxgk/xxgkAnnualReport.jsp?area=<org code>&fbtime=YEAR for
//     each organisation and year (a year without a report answers 200 with
//     暂无…, as real ones do).
//
// A portal's start URL (Portal.StartURL) is its report column's first page,
// or for Config.HomeStartShare of them its home page, from which a crawler
// must find the column by its link (政府信息公开年报, 年度报告, 信息公开年报…
// or a column path such as zfxxgknb, xxgknb, ndbg). Config.NextOnlyShare
// of portals paginate with 上一页/下一页 links only. News and notice columns
// hold pages shaped like reports that are not. Reports are published as
// HTML pages or (Config.Formats) as PDF or DOCX attachments linked from an
// HTML stub ("附件：XX镇2022年政府信息公开工作年度报告.pdf"; TRS
// <column>YYYYMM/P0….pdf, Hanweb /module/download/downfile.jsp?…); some
// pages also link .doc, .wps and .xls files that are not reports
// (Config.JunkShare). Config.Departments adds department reports (部门年报)
// to each column. Some portals serve GBK (GB18030 bytes) declared only in a
// <meta http-equiv> tag, with a bare text/html Content-Type header, as old
// gov.cn templates do, and Config.GBKHeaderShare of those name GBK in the
// header too; the rest serve UTF-8 with the charset in the header.
//
// Each portal's robots.txt disallows its /admin/ area; Config.Robots makes
// some add a Crawl-delay, disallow the report column or part of it (a month
// directory, a year of /art/, the xxgk module), disallow "/*.pdf$", or have
// no robots.txt at all.
//
// Reports are rendered by package render from figures drawn at random but
// consistent (every identity of metrics.Verify holds, and each year's
// carried-over requests equal the year before's carried-forward ones), in a
// mix of templates (narrative prose and the 2021 tables), and every format
// from the same render.Doc, so that the figures Truth lists are exactly
// those each document states.
//
// # Faults
//
// Faults (Config.Faults, applying to Faults.HostShare of portals, and
// Config.HostFaults by region code) inject, per URL: 5xx answers (503 with
// Retry-After), timeouts (nothing sent for Faults.Hang), connection resets
// (TCP RST), 429 with Retry-After in seconds or as an HTTP-date, truncated
// bodies (the full Content-Length, half the bytes, then close), slow drips
// (the body trickled over Faults.Drip) and redirect loops. Which URLs, which
// kind, and whether the fault is permanent are drawn from the seed, the
// portal, the generation and the URL; a transient fault spoils the first
// Faults.Times requests of a URL in a generation. robots.txt is never
// faulted. See Faults for the exact rules.
//
// # Generations
//
// Generation 0 is what a first crawl sees. Advance (SIGHUP or POST /advance
// in `nianbao simulate`) moves to the next: Changes.EditShare of reports are
// edited (some figures change; the identities still hold) and
// Changes.NewShare of portals publish the report on the next year, which
// changes their list pages. Every 200 answer carries a strong ETag and a
// Last-Modified that change exactly when the bytes do, and a conditional
// GET (If-None-Match, else If-Modified-Since) of an unchanged page gets 304.
//
// # Truth and observation
//
// Truth lists every report of the current generation (TruthAt any other)
// with its page and document URLs, format and figures, whether a crawler
// that obeys robots.txt and retries transient faults can reach it (and if
// not, why), and the generations it appeared and last changed in. Portals
// describes each portal (style, start, robots, faults, the pages on the way
// to its reports). Stats gives per-portal request counts by status,
// conditional requests and 304s, faults injected, early retries (before a
// Retry-After passed), bytes served, the most requests in flight at once,
// the smallest gap between request starts, and the newest start times
// (Config.HostLog of them), in bounded memory. AdminHandler serves these
// over HTTP. Profile returns ready-made configurations, among them "bench":
// 1,000 uniform portals for throughput and politeness benchmarks.
//
// Everything is a function of Config.Seed: the same configuration gives
// the same sites, byte for byte (absolute links between portals include
// their ports, so they match when the ports do). Each agency's content is
// drawn from its own streams, keyed by the seed and its region code, so
// adding a county leaves the other portals unchanged. Pages are rendered
// on request, and figures replayed from their stream, not held in memory,
// so that a simulator can grow to thousands of hosts; rendered attachments
// are kept in a bounded cache (Config.CacheBytes).
package simulator
