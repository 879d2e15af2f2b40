// Package crawler fetches government portals politely and hands every HTTP
// exchange to a Sink, exactly as received.
//
// It wraps Colly for scheduling, link following, robots.txt and depth
// limits, and replaces Colly's transport with its own, which:
//   - spaces requests to each host by the configured delay (or the host's
//     robots.txt Crawl-delay), counted from the first byte of the previous
//     answer, when the server had certainly begun it, so the server never
//     sees two requests closer than the delay while transfer times do not
//     add to it; fetches one page at a time per host, while hosts are
//     crawled side by side up to a global limit;
//   - retries failed fetches with exponential backoff and jitter, honouring
//     Retry-After on 429 and 503, and treats a body shorter than its
//     Content-Length as a failure, never as a complete page;
//   - hands every exchange, retries and redirects included, to the Sink with
//     the raw body, then decodes text bodies to UTF-8 itself (header, BOM,
//     <meta>, sniff) before Colly sees them.
//
// Discovery starts from each source's start URLs, stays on their hosts, and
// follows the annual-report column, its pagination (TRS index_N.html,
// createPageHTML scripts, Hanweb pageNum, 下一页 links), report pages and
// their attachments.
//
// The crawler imports neither the parser nor the warehouse.
package crawler
