// Package synth generates a synthetic national warehouse of annual
// reports, for benchmarks, demos and tests of the comparison queries.
//
// Every gazetteer division with a government (province, city, county and
// township) is an agency, plus Config.CountyDepartments departments per
// county and Config.CityDepartments per city (registered as crawl sources
// the way a real deployment registers them). Each agency has a report for
// each year from Config.FirstYear to Config.LastYear, in the template of
// its era: narrative to 2018, the 2019 (试行) tables for 2019 and 2020, the
// 2021 tables from 2021. Figures follow the agency's level and year
// (requests grow over the years and jump with the 2019 条例), and every
// report satisfies the national templates' identities unless a defect is
// planted.
//
// Defects are planted at Config's rates: missing reports, late ones
// (published after the deadline of package compliance), undated ones,
// inconsistent ones (a total off by one), incomplete ones (no table 四),
// silently edited ones (a second capture of the same URL with another
// figure), reports with no data, and restrictive agencies (refusing
// several times as often as their peers).
//
// Everything is a deterministic function of Config.Seed, the agency and
// the year: Plan says what was planted for one agency-year without
// building the report, so tests can compute the truth the saved queries
// must return. Load builds the reports as parser.Report values with
// captures and provenance and writes them through the warehouse's own
// loader (WriteSources, WriteCaptures, WriteReports), then refreshes the
// comparison tables.
package synth
