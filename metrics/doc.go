// Package metrics defines nianbao's canonical metric codes, the applicant
// columns of the national templates' table 三, and the arithmetic identities a
// consistent report satisfies.
//
// The codes are the contract between the parser, the warehouse, the
// dashboards and users (see spec/metrics.md): new codes may be added, the
// existing ones are never renamed.
package metrics
