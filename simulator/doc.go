// Package simulator serves simulated Chinese government portals on loopback
// addresses, with known ground truth, for crawler, parser and end-to-end
// tests and for demos.
//
// Every agency — by default the townships (乡、镇、街道) and the governments of
// a few real counties, named and coded from the gazetteer — gets a portal
// of its own on a distinct address in 127.0.0.0/8 (Linux routes the whole
// block to the loopback interface; nothing outside it is ever bound). A
// portal is laid out like a TRS WCM site: a home page, a 政务公开 column, the
// annual-report column /zwgk/zfxxgknb/index.html paginated as index_1.html,
// index_2.html… with 下一页 links, report detail pages at
// /zwgk/zfxxgknb/YYYYMM/tYYYYMMDD_NNNNNNN.html under a 索引号 metadata
// header, news and notice columns whose pages share the report URL shape,
// and a robots.txt that disallows the /admin/ area the home page links to.
//
// Reports are rendered by package render from figures drawn at random but
// consistent (every identity of metrics.Verify holds, and each year's
// carried-over requests equal the year before's carried-forward ones), in a
// mix of templates (narrative prose and the 2021 tables). Some portals
// serve GBK (GB18030 bytes) declared only in a <meta http-equiv> tag, with a
// bare text/html Content-Type header, as old gov.cn templates do; the rest
// serve UTF-8 with the charset in the header. Truth lists every published
// report with the exact figures its rendering states.
//
// Everything is a function of Config.Seed: the same configuration gives
// the same sites, byte for byte (absolute links between portals include
// their ports, so they match when the ports do). Each agency's content is
// drawn from its own stream, keyed by the seed and its region code, so
// adding a county leaves the other portals unchanged. Pages are rendered
// on request, not held in memory, so that a simulator can grow to thousands
// of hosts; per-host behaviour (the place for fault injection: 5xx, 429
// with Retry-After, resets, timeouts, truncated or dripping bodies, redirect
// loops, content that changes between runs) hangs off each host's handler.
package simulator
