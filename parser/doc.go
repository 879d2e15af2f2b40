// Package parser extracts the metadata and statistics of government
// information disclosure annual reports (政府信息公开工作年度报告) from fetched
// bytes: HTML pages, plain-text renderings, PDFs (through poppler's
// pdftotext) and DOCX files. It is pure: bytes in, *Report out, no network.
//
// # Pipeline
//
// Every format is reduced to one document model: lines of text, and tables
// as grids with rowspan/colspan (HTML) or gridSpan/vMerge (DOCX) expanded.
// HTML is parsed into a goquery document. Most pages are built by the
// package's own scanner and tree builder (htmlscan.go, htmltree.go), which
// read the page in place and follow golang.org/x/net/html's tokenizer and
// tree construction wherever those only close elements: cells, rows, p
// and li closed implicitly, end tags closing what is left open, stray end
// tags ignored. A page that needs more (text misplaced in a table moved
// before it, formatting elements reopened, end tags that cannot leave a
// cell) goes through html.Parse, which resolves it as a browser would;
// differential tests and fuzzing hold the two to the same reading. One
// walk of the tree then skips content that is not page text (script,
// style, select, svg …), reads title and metas, and expands the innermost
// tables.
// Text is folded by package textnorm (NFKC, pinyin glosses such as "根據(jù)"
// removed, Traditional converted to Simplified with OpenCC when a page is
// written in it). Then:
//
//   - Tables: the cells form a token stream of labels and numbers. Text
//     renderings (one cell per line, pipe and markdown rows, lines of a lone
//     "|", cells run together as "规章000", pdftotext -layout columns,
//     headers stacked one character per line) give the same stream as a
//     grid. A row's values are the numbers after its label up to the next
//     label, so a table printed with labels but no numbers yields nothing
//     (Status no_data) rather than labels shifted onto later numbers. Row
//     labels are matched by the template's keywords, joining labels wrapped
//     over lines.
//   - Prose: figures the narrative states (proactive disclosure, requests,
//     reviews, lawsuits, fees), with the traps of spec/domain.md: 历年累计
//     is not the year's figure, per-channel counts without a stated total
//     give none, 咨询 is not a request, "不予公开…条" in a proactive context
//     is not a refusal, sentences about another year are skipped, and
//     negations ("没有收到…申请", "未发生…行政复议", "依申请办理事项为零")
//     are stated zeros. 余/多/近/超 mark a figure Approximate.
//   - Metadata: title, agency (from the title; 发布机构 is often only the
//     hosting office), level, the year reported on (title, then 统计期限,
//     never 索引号), publication date from any header variant, 索引号,
//     文号, 发布机构, and region_code through package gazetteer.
//   - Checks: metrics.Verify per applicant column, plus narrative_table
//     when the prose restates a table figure. A report failing a check is
//     kept as published.
//
// A figure the report does not state is absent, never 0. Totals a template
// leaves to the reader (a blank 总计 cell, an outcome group's sum, the
// lawsuits total) are added with Fact.Derived set.
//
// # Table 二 codes
//
// spec/metrics.md leaves the codes of table 二 (主动公开政府信息情况) to the
// parser. They are "table2.<row>.<column>", all in the total column:
//
//	row             label                         2021 columns                     2019 (试行) columns
//	rules           规章                           issued, repealed, in_force       made, published, total_published
//	normative_docs  (行政)规范性文件                 issued, repealed, in_force       made, published, total_published
//	other_docs      其他主动公开文件 (Hubei)          issued, repealed, in_force       made, published, total_published
//	licensing       行政许可                        decisions                        prev_items, change, decisions
//	other_services  其他对外管理服务事项              —                                prev_items, change, decisions
//	penalties       行政处罚                        decisions                        prev_items, change, decisions
//	enforcement     行政强制                        decisions                        prev_items, change, decisions
//	fees            行政事业性收费                   amount_wan_yuan (万元)            prev_items, change
//	procurement     政府集中采购                     —                                projects, amount
//
// 2021 columns: 本年制发件数, 本年废止件数, 现行有效件数; 本年处理决定数量;
// 本年收费金额（单位：万元）. 2019 columns: 本年新制作数量, 本年新公开数量,
// 对外公开总数量; 上一年项目数量, 本年增/减, 处理决定数量; 采购项目数量,
// 采购总金额.
//
// # Templates
//
// Report.Template is decided from the table labels, not the year: the 2021
// format has 本年制发件数 and （六） split in three items; the 2019 (试行)
// format has 本年新制作数量 and 政府集中采购. Without tables, the format a
// report cites decides; a report with neither is narrative, and one with the
// 2019+ section structure but no table in the text has no template.
//
// # Errors
//
// Parse returns *Error, whose Err wraps one of ErrEmpty,
// ErrUnsupportedFormat, ErrNotReport (list pages and other non-reports),
// ErrCorrupt, ErrTooLarge or ErrPDFTool. A PDF with no text layer, or an
// HTML page that shows its report as images, is not an error: it gives a
// report with Status image_only and no figures.
//
// # Testing
//
// TestProperty generates reports with random consistent figures, some with
// a planted inconsistency or real-world defects (blank 总计 cells, "-",
// full-width digits), renders them with simulator/render in every template
// × format × encoding (narrative, table2019, table2021; HTML in UTF-8 and
// GBK; six text renderings in UTF-8 and GBK; PDF; DOCX), parses them back
// and checks every stated figure round-trips, nothing unstated is read,
// every planted inconsistency fails its check and no other check fails.
// `go test` runs 1,000 reports; the acceptance run is
//
//	go test ./parser -run TestProperty -property.n 10000
//
// BenchmarkParse parses a table2021 HTML page end to end and reports the
// CPU time per report (cpu-ns/op, reports/cpu-s) beside wall time;
// BenchmarkHTMLParse and BenchmarkGoqueryDocument build the DOM of the same
// page for comparison:
//
//	go test ./parser -run '^$' -bench . -benchtime 2s -cpu 1
//
// # Fuzzing
//
// Run the fuzz targets with a short minimisation time, e.g.
//
//	go test ./parser -run '^$' -fuzz FuzzParseHTML -fuzztime 60s -fuzzminimizetime 1s
//
// (the default minimisation of a large report input can stall progress for a
// minute at a time).
package parser
