// Package agency names the bodies that publish annual reports and decides
// which one published a given report.
//
// An agency is either the government of an administrative division (every
// province, city, county and township in package gazetteer, identified by
// its NBS code, e.g. "620421113") or a department registered by a crawl
// source (identified by its region's code and its name, e.g.
// "620421/靖远县教育局"; see DepartmentID).
//
// Directory.Match decides a report's agency from the name the report
// states, within the region the crawl source that reached it is
// registered for. A bare name is never enough where it is not unique — there
// are two 三滩镇 (450923109 and 620421113) — so a match is only made when
// exactly one agency in scope carries the name, or when the report's own
// text places it (the parser's region code picks one of the candidates).
// Otherwise the result is Ambiguous, with every candidate recorded, or
// Unmatched.
package agency
